package review

import (
	"strings"
	"testing"
	"time"
)

// FuzzSessionVerify feeds cookie values to verify: it must not panic, and
// only a value issue made passes, for the client it was issued to.
func FuzzSessionVerify(f *testing.F) {
	s, err := newSessions([]byte(strings.Repeat("k", MinKeyBytes)))
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	s.now = func() time.Time { return now }
	// A fixed nonce, so every fuzzing process issues the same cookie.
	s.nonce = func() string { return "n0nce" }
	good := s.issue("client-a")
	for _, seed := range []string{good.raw, "", ".", "...", "a.b.c.d", good.raw + "x", strings.Replace(good.raw, ".", "..", 1)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		sess, ok := s.verify(raw)
		if !ok {
			return
		}
		if raw != good.raw || sess.clientID != "client-a" || sess.raw != raw {
			t.Fatalf("forged cookie %q verified as %+v", raw, sess)
		}
		if !s.csrfValid(sess, s.csrf(sess)) || s.csrfValid(sess, s.csrf(s.issue("client-b"))) {
			t.Fatal("CSRF token not bound to its session")
		}
	})
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"":                         "/review/",
		"/review/batch/b1?page=2":  "/review/batch/b1?page=2",
		"/review/login":            "/review/",
		"//evil.example/review/":   "/review/",
		"https://evil.example/":    "/review/",
		"/review/\\evil":           "/review/",
		"/review/x\r\nSet-Cookie:": "/review/",
		"/v1/bulk/extracts":        "/review/",
	}
	for in, want := range tests {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
