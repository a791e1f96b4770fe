package cfclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
)

// schemaServer is the server URL the subset is routed on.
const schemaServer = "http://api.invalid/client/v4"

// loadSchema loads testdata/openapi-subset.json: the paths tunneldoctor
// calls, copied from Cloudflare's official schema (see testdata/README.md).
func loadSchema(t *testing.T) (routers.Router, *openapi3.T) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("testdata/openapi-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	// Cloudflare's own examples and defaults do not all validate; the
	// response schemas are what matters here.
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(), openapi3.DisableSchemaPatternValidation()); err != nil {
		t.Fatalf("schema subset invalid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: schemaServer}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router, doc
}

// validateServed checks every answer the fake gave against the official
// schema, so the fake cannot drift from the API's real JSON.
func validateServed(t *testing.T, f *fakeAPI) {
	t.Helper()
	router, doc := loadSchema(t)
	all := f.Served()
	checked := 0
	for _, s := range all {
		path := s.Path
		switch {
		case strings.HasPrefix(path, "/api/v2/"):
			continue // the status page is not part of the API schema
		case strings.HasPrefix(path, "/accounts/") && strings.HasSuffix(path, "/tokens/verify"):
			// Absent from the 2024-08 schema; it answers the user endpoint's shape.
			path = "/user/tokens/verify"
		}
		if err := validateOne(router, doc, path, s); err != nil {
			t.Errorf("GET %s?%s -> %d does not match the official schema:\n%v\nbody: %s", path, s.Query, s.Status, err, clipBytes(s.Body))
			continue
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no API answer was validated")
	}
}

func validateOne(router routers.Router, doc *openapi3.T, path string, s cfapitest.Served) error {
	if s.Status >= 400 {
		return validateFailure(doc, path, s.Body)
	}
	req := httptest.NewRequest(http.MethodGet, schemaServer+path+"?"+s.Query, nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no route in the schema subset: %w", err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{ExcludeRequestBody: true, ExcludeRequestQueryParams: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: s.Status, Header: s.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(s.Body)
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// TestSchemaCatchesWrongShapes proves the validation has teeth: answers the
// API would never give are rejected.
func TestSchemaCatchesWrongShapes(t *testing.T) {
	router, doc := loadSchema(t)
	hdr := http.Header{"Content-Type": {"application/json"}}
	tunnel := "/accounts/" + testAccount + "/cfd_tunnel/" + testTunnel
	bad := []struct{ name, path, body string }{
		{"unknown tunnel status", tunnel, `{"success":true,"errors":[],"messages":[],"result":{"id":"` + testTunnel + `","status":"sleeping"}}`},
		{"verify without status", "/user/tokens/verify", `{"success":true,"errors":[],"messages":[],"result":{"id":"ed17574386854bf78a67040be0a770b0"}}`},
		{"zones result not an array", "/zones", `{"success":true,"errors":[],"messages":[],"result":{"id":"x"}}`},
		{"error code below 1000", "/zones", `{"success":true,"errors":[{"code":12,"message":"x"}],"messages":[],"result":[]}`},
	}
	for _, b := range bad {
		if err := validateOne(router, doc, b.path, cfapitest.Served{Path: b.path, Status: 200, Header: hdr, Body: []byte(b.body)}); err == nil {
			t.Errorf("%s: accepted by the schema", b.name)
		}
	}
	badErrors := []struct{ name, path, body string }{
		{"failure without errors", "/zones", `{"success":false,"messages":[],"result":null}`},
		{"failure with a code below 1000", tunnel, `{"success":false,"errors":[{"code":42,"message":"x"}],"messages":[],"result":null}`},
	}
	for _, b := range badErrors {
		if err := validateOne(router, doc, b.path, cfapitest.Served{Path: b.path, Status: 403, Header: hdr, Body: []byte(b.body)}); err == nil {
			t.Errorf("%s: accepted by the schema", b.name)
		}
	}
	good := cfapitest.Served{Path: tunnel, Status: 200, Header: hdr, Body: fixture(t, "tunnel_healthy.json")}
	if err := validateOne(router, doc, tunnel, good); err != nil {
		t.Errorf("the healthy tunnel fixture is rejected: %v", err)
	}
}

// validateFailure checks an error body against the endpoint family's
// api-response-common-failure schema. The 2024-08 schema's own 4XX responses
// for these paths are allOf(the success shape, the failure shape): success
// must then be both [true] and [false], which no body satisfies.
func validateFailure(doc *openapi3.T, path string, body []byte) error {
	family := "zones"
	switch {
	case strings.HasPrefix(path, "/user/"):
		family = "iam"
	case strings.HasSuffix(path, "/dns_records"):
		family = "dns-records"
	case strings.Contains(path, "/cfd_tunnel/"):
		family = "tunnel"
	}
	ref := doc.Components.Schemas[family+"_api-response-common-failure"]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("schema %s_api-response-common-failure missing from the subset", family)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v, openapi3.MultiErrors())
}

func clipBytes(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(bytes.TrimSpace(b))
}
