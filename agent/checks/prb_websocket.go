package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// websocketUpgrade: a ws:// or wss:// service whose origin does not complete
// the WebSocket handshake.
func websocketUpgrade() agent.Check {
	c := agent.Check{
		Code:     "PRB016",
		Title:    "Origin does not complete the WebSocket upgrade",
		Hop:      agent.HopProtocol,
		Severity: agent.Warn,
		Explain: "cloudflared forwards a visitor's WebSocket as an HTTP/1.1 request with Upgrade: websocket and " +
			"expects 101 Switching Protocols. The rule's ws:// or wss:// origin answered something else (the app " +
			"does not speak WebSocket at that address, or a proxy in front of it drops the Upgrade headers), so " +
			"the browser's WebSocket fails although plain page loads work. The probe asks for \"/\"; an app that " +
			"upgrades only on its own path (/ws, /socket.io/) answers there.",
		Fix: "Point the rule at the port that speaks WebSocket; if a proxy (nginx) sits in front, pass the upgrade: " +
			"proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\".",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runWebsocketUpgrade(c, s) }
	return c
}

func runWebsocketUpgrade(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		w := r.WebSocket
		if w == nil || w.Completed() || r.HTTP == nil {
			continue
		}
		t := r.Target
		var got string
		switch {
		case w.Error != "":
			got = "failed: " + w.Error
		case w.Status == 101:
			got = fmt.Sprintf("101 with a wrong Sec-WebSocket-Accept (%q)", w.Accept)
		default:
			got = fmt.Sprintf("%d instead of 101 Switching Protocols", w.Status)
			if line := firstLine(w.BodySample); line != "" {
				got += fmt.Sprintf(" (%q)", clip(line, 120))
			}
		}
		msg := fmt.Sprintf("%s: a WebSocket upgrade (GET %s with Upgrade: websocket) to %s %s: WebSocket clients of %s fail.",
			ruleName(t), w.Path, targetAddress(t), got, hostOr(t))
		fix := "Point the rule at the port where the app accepts WebSocket connections, e.g.\n" + ruleYAML(t, t.Service) +
			"\nIf nginx or another proxy sits in front of the app, pass the upgrade through:\n" +
			"location / {\n  proxy_pass http://app:PORT;\n  proxy_http_version 1.1;\n  proxy_set_header Upgrade $http_upgrade;\n  proxy_set_header Connection \"upgrade\";\n}" +
			"\nIf the app upgrades only on its own path (/ws, /socket.io/), this is expected at /: check that path."
		f := probeFinding(c, agent.Warn, s, r, msg, fix)
		f.Evidence["upgrade_status"] = fmt.Sprint(w.Status)
		if w.BodySample != "" {
			f.Evidence["upgrade_body_sample"] = clip(w.BodySample, 300)
		}
		if w.Upgrade != "" {
			f.Evidence["upgrade_header"] = w.Upgrade
		}
		out = append(out, f)
	}
	return out
}
