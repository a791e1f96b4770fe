package tunnelcfg

import "testing"

func TestSuggest(t *testing.T) {
	known := append(originRequestKeys(), ruleKeys()...)
	cases := map[string]string{
		"noTlsVerify":      "noTLSVerify", // case and separators first
		"no_tls_verify":    "noTLSVerify",
		"noTLSVreify":      "noTLSVerify", // a swap is two edits, within 3 for a long key
		"conectTimeout":    "connectTimeout",
		"servce":           "service",
		"hsotanme":         "", // two swaps are four edits: too far for an 8-letter key
		"pth":              "path",
		"xyz":              "",
		"originRequests":   "originRequest",
		"totallyUnrelated": "",
	}
	for key, want := range cases {
		if got := suggest(key, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"noTLSVerify": "notlsverify", "no_tls-verify": "notlsverify", "No TLS Verify": "notlsverify",
		"": "", "---": "", "Grüße_x": "grüßex",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}
