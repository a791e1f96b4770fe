package tunnelcfg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefusesHugeFile: a config over MaxFileSize is refused with
// ErrFileTooLarge naming the file, a regular file by its size and a pipe
// (no size) once MaxFileSize bytes were read; one just under is parsed.
func TestLoadRefusesHugeFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yml")
	data := generateConfig(120_000)
	if len(data) <= MaxFileSize {
		t.Fatalf("generated %d bytes, want more than %d", len(data), MaxFileSize)
	}
	if err := os.WriteFile(big, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := Load(big)
	if !errors.Is(err, ErrFileTooLarge) || !strings.Contains(err.Error(), big) || !strings.Contains(err.Error(), "8 MiB") {
		t.Fatalf("Load(%d bytes) = %v, want ErrFileTooLarge naming the file and the bound", len(data), err)
	}

	fifo := filepath.Join(dir, "fifo.yml")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no fifo: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		_, _ = w.Write(data)
	}()
	if _, _, err := Load(fifo); !errors.Is(err, ErrFileTooLarge) {
		t.Fatalf("Load(fifo of %d bytes) = %v, want ErrFileTooLarge", len(data), err)
	}

	small := filepath.Join(dir, "small.yml")
	if err := os.WriteFile(small, generateConfig(1000), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, _, err := Load(small); err != nil || len(c.Rules) != 1001 {
		t.Fatalf("Load(small): %v", err)
	}
}
