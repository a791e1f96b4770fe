// Package probeit runs tunneldoctor end to end against real origin
// containers, from inside a stand-in cloudflared's network namespace. It
// holds tests only.
package probeit

import (
	"os"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) }
