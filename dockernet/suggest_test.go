package dockernet

import (
	"testing"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

func TestParseSelfHints(t *testing.T) {
	own := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	donor := "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
	cgroup := "12:pids:/docker/" + own + "\n0::/system.slice/docker-" + own + ".scope\n"
	mountinfo := "612 590 8:1 /var/lib/docker/containers/" + donor + "/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw\n" +
		"613 590 8:1 /var/lib/docker/containers/" + donor + "/hosts /etc/hosts rw - ext4 /dev/sda1 rw\n" +
		"614 590 0:5 / /dev rw - tmpfs tmpfs rw\n"
	got := ParseSelfHints(cgroup, mountinfo, "fedcba987654")
	want := []Hint{{own, "cgroup"}, {donor, "mountinfo"}, {"fedcba987654", "hostname"}}
	if len(got) != len(want) {
		t.Fatalf("hints = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("hint %d = %v, want %v", i, got[i], want[i])
		}
	}
	if h := ParseSelfHints("0::/\n", "", "my-laptop"); len(h) != 0 {
		t.Errorf("outside a container: %v", h)
	}
}

func TestRedactLogText(t *testing.T) {
	in := "token=abc123 password: hunter2 eyJhIjoiYWNjMHVudCIsInQiOiI2ZmY0MmFlMi1 id sha256:" +
		"e21f8f47f25304a545c49b9cc6e4f6f7e4a7f231c522e5ad9c5817d1f37cbeef mysecretvalue Authorization: Bearer xyz"
	out := redact.New(redact.Options{}, "mysecretvalue").String(in)
	for _, leak := range []string{"abc123", "hunter2", "xyz", "eyJhIjoi", "mysecretvalue"} {
		if contains(out, leak) {
			t.Errorf("%q left in %q", leak, out)
		}
	}
	if !contains(out, "e21f8f47f25304a545c49b9cc6e4f6f7e4a7f231c522e5ad9c5817d1f37cbeef") {
		t.Errorf("hex digests are not secrets: %q", out)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
