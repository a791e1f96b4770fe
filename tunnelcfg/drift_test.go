package tunnelcfg

import (
	"bufio"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestKeysMatchCloudflared guards against drift, as cloudflared's own
// TestCorrespondingFields does: the keys pinned from cloudflared's structs,
// the yaml tags of this package's structs (what the lenient decode reads)
// and the known keys of the strict walk (what is not reported as unknown)
// must be the same sets.
func TestKeysMatchCloudflared(t *testing.T) {
	f, err := os.Open("testdata/cloudflared_keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pinned := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, k, _ := strings.Cut(line, ": ")
		pinned[s] = append(pinned[s], k)
	}
	sets := []struct {
		name  string
		typ   reflect.Type
		known []string
	}{
		{"originRequest", reflect.TypeOf(OriginRequest{}), originRequestKeys()},
		{"access", reflect.TypeOf(AccessConfig{}), accessKeys()},
		{"ipRules", reflect.TypeOf(IPRule{}), ipRuleKeys()},
		{"rule", reflect.TypeOf(Rule{}), ruleKeys()},
		{"warp-routing", reflect.TypeOf(WarpRouting{}), warpRoutingKeys()},
	}
	for _, s := range sets {
		want := sorted(pinned[s.name])
		if got := sorted(yamlTags(s.typ)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s struct tags %v, cloudflared %v", s.name, got, want)
		}
		if got := sorted(s.known); !reflect.DeepEqual(got, want) {
			t.Errorf("%s known keys %v, cloudflared %v", s.name, got, want)
		}
	}
}

func yamlTags(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
