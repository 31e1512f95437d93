package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// secret stands for a pre-signature: it must appear in no error or log.
const secret = "X-Amz-Signature=SECRET0123456789"

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// harness is a Fetcher whose dials, waits and logs are recorded.
type harness struct {
	*Fetcher
	mu     sync.Mutex
	dials  []string
	sleeps []time.Duration
	logs   bytes.Buffer
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{}
	cfg.UserAgent = cmpOr(cfg.UserAgent, "atlas/test")
	cfg.Logger = slog.New(slog.NewTextHandler(&lockedWriter{mu: &h.mu, w: &h.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	dial := f.dial
	f.dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		h.mu.Lock()
		h.dials = append(h.dials, address)
		h.mu.Unlock()
		return dial(ctx, network, address)
	}
	f.sleep = func(_ context.Context, d time.Duration) error {
		h.mu.Lock()
		h.sleeps = append(h.sleeps, d)
		h.mu.Unlock()
		return nil
	}
	f.jitter = func(int64) int64 { return 0 }
	h.Fetcher = f
	return h
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// fetchErr fetches rawURL with a pre-signature appended and returns the
// *document.Error, failing the test if it succeeded or if the signature
// leaked into the error or the logs.
func (h *harness) fetchErr(t *testing.T, rawURL string) *document.Error {
	t.Helper()
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	got, err := h.Fetch(t.Context(), rawURL+sep+secret)
	if err == nil {
		t.Fatalf("Fetch(%s) = %d bytes, want an error", rawURL, len(got.Data))
	}
	var derr *document.Error
	if !errors.As(err, &derr) {
		t.Fatalf("Fetch(%s) error %T %v, want *document.Error", rawURL, err, err)
	}
	h.mu.Lock()
	logs := h.logs.String()
	h.mu.Unlock()
	if strings.Contains(err.Error(), "SECRET") || strings.Contains(derr.Message, "SECRET") || strings.Contains(logs, "SECRET") {
		t.Errorf("the pre-signature leaked:\nerror: %v\nlogs: %s", err, logs)
	}
	return derr
}

func (h *harness) counts() (dials, sleeps int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.dials), len(h.sleeps)
}

// counter is a test server that counts its requests.
type counter struct {
	*httptest.Server
	hits atomic.Int32
}

func serve(t *testing.T, h func(n int32, w http.ResponseWriter, r *http.Request)) *counter {
	t.Helper()
	c := &counter{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(c.hits.Add(1), w, r)
	}))
	t.Cleanup(c.Close)
	return c
}

func TestFetchSuccess(t *testing.T) {
	var ua string
	srv := serve(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		ua = r.UserAgent()
		if r.URL.RawQuery != secret {
			t.Errorf("server got query %q, want %q", r.URL.RawQuery, secret)
		}
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.7 synthetic")
	})
	h := newHarness(t, Config{Allow: loopback})
	got, err := h.Fetch(t.Context(), srv.URL+"/doc.pdf?"+secret)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if string(got.Data) != "%PDF-1.7 synthetic" || got.ContentType != "application/pdf" {
		t.Errorf("Fetch = %q, %q", got.Data, got.ContentType)
	}
	if ua != "atlas/test" {
		t.Errorf("User-Agent = %q, want atlas/test", ua)
	}
}

func TestFetchAllowPrivate(t *testing.T) {
	srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	h := newHarness(t, Config{AllowPrivate: true})
	if _, err := h.Fetch(t.Context(), srv.URL); err != nil {
		t.Fatalf("Fetch with AllowPrivate: %v", err)
	}
}

// fakeResolver answers from a map, so that tests can make names resolve
// anywhere.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

// Refused addresses fail before any connection is attempted, at once and
// without retrying.
func TestFetchRefusedByDefault(t *testing.T) {
	srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name     string
		url      string
		resolver Resolver
	}{
		{"127.0.0.1", srv.URL + "/doc.pdf", nil},
		{"[::1]", fmt.Sprintf("http://[::1]:%d/doc.pdf", port), nil},
		{"10.0.0.1", "http://10.0.0.1/doc.pdf", nil},
		{"metadata", "http://169.254.169.254/latest/meta-data/", nil},
		{"0.0.0.0", fmt.Sprintf("http://0.0.0.0:%d/", port), nil},
		{"mapped", fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/", port), nil},
		{"localhost", fmt.Sprintf("http://localhost:%d/doc.pdf", port), nil},
		{"name to loopback", fmt.Sprintf("http://docs.test:%d/doc.pdf", port), fakeResolver{"docs.test": addrs("127.0.0.1")}},
		{"name to public and private", fmt.Sprintf("https://mixed.test:%d/", port), fakeResolver{"mixed.test": addrs("93.184.216.34", "10.1.1.1")}},
		{"name to mapped loopback", fmt.Sprintf("http://mapped.test:%d/", port), fakeResolver{"mapped.test": addrs("::ffff:127.0.0.1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			if tt.resolver != nil {
				h.resolver = tt.resolver
			}
			derr := h.fetchErr(t, tt.url)
			if derr.Code != document.CodeFetchFailed || derr.Message != MsgRefusedAddress || derr.Retryable {
				t.Errorf("got %+v, want FETCH_FAILED, the refused-address message, not retryable", derr)
			}
			if !errors.Is(derr, ErrRefusedAddress) {
				t.Errorf("error %v is not ErrRefusedAddress", derr)
			}
			if dials, sleeps := h.counts(); dials != 0 || sleeps != 0 {
				t.Errorf("%d dials, %d retries, want none", dials, sleeps)
			}
		})
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("the loopback server was reached %d times", n)
	}
}

// A name that resolves to an allowed address is dialled by that address.
func TestFetchResolvedNameAllowed(t *testing.T) {
	srv := serve(t, func(_ int32, w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, r.Host) })
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	h := newHarness(t, Config{Allow: loopback})
	h.resolver = fakeResolver{"docs.test": addrs("127.0.0.1")}
	got, err := h.Fetch(t.Context(), fmt.Sprintf("http://docs.test:%d/doc.pdf", port))
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if want := fmt.Sprintf("docs.test:%d", port); string(got.Data) != want {
		t.Errorf("server saw Host %q, want %q", got.Data, want)
	}
	if want := fmt.Sprintf("127.0.0.1:%d", port); len(h.dials) != 1 || h.dials[0] != want {
		t.Errorf("dials = %v, want [%s]", h.dials, want)
	}
}

func TestFetchRedirects(t *testing.T) {
	target := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "document") })
	var chainURL string
	chain := serve(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		if n <= DefaultMaxRedirects {
			http.Redirect(w, r, chainURL+fmt.Sprintf("/%d?%s", n, secret), http.StatusFound)
			return
		}
		fmt.Fprint(w, "document")
	})
	chainURL = chain.URL
	loop := serve(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})
	redirectTo := func(to string) *counter {
		return serve(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, to, http.StatusFound)
		})
	}

	t.Run("to allowed", func(t *testing.T) {
		h := newHarness(t, Config{Allow: loopback})
		got, err := h.Fetch(t.Context(), redirectTo(target.URL+"/doc?"+secret).URL)
		if err != nil || string(got.Data) != "document" {
			t.Fatalf("Fetch = %v, %v", got, err)
		}
	})
	t.Run("exactly MaxRedirects", func(t *testing.T) {
		h := newHarness(t, Config{Allow: loopback})
		if _, err := h.Fetch(t.Context(), chain.URL); err != nil {
			t.Fatalf("Fetch after %d redirects: %v", DefaultMaxRedirects, err)
		}
	})
	t.Run("loop", func(t *testing.T) {
		h := newHarness(t, Config{Allow: loopback, MaxRedirects: 3})
		derr := h.fetchErr(t, loop.URL+"/doc")
		if derr.Code != document.CodeFetchFailed || derr.Retryable || !errors.Is(derr, ErrTooManyRedirects) {
			t.Errorf("got %+v, want FETCH_FAILED, ErrTooManyRedirects, not retryable", derr)
		}
		if n := loop.hits.Load(); n != 4 {
			t.Errorf("loop server hit %d times, want 4 (1 + 3 redirects)", n)
		}
	})
	t.Run("none allowed", func(t *testing.T) {
		h := newHarness(t, Config{Allow: loopback, MaxRedirects: -1})
		if derr := h.fetchErr(t, redirectTo(target.URL).URL); !errors.Is(derr, ErrTooManyRedirects) {
			t.Errorf("got %v, want ErrTooManyRedirects", derr)
		}
	})
	for _, to := range []string{"file:///etc/passwd", "ftp://127.0.0.1/doc.pdf", "gopher://127.0.0.1:70/_x", "javascript:alert(1)"} {
		t.Run("to "+to, func(t *testing.T) {
			h := newHarness(t, Config{Allow: loopback})
			derr := h.fetchErr(t, redirectTo(to).URL)
			if derr.Code != document.CodeFetchFailed || derr.Retryable || !errors.Is(derr, ErrScheme) {
				t.Errorf("got %+v, want FETCH_FAILED, ErrScheme, not retryable", derr)
			}
		})
	}
	t.Run("to metadata", func(t *testing.T) {
		h := newHarness(t, Config{Allow: loopback})
		derr := h.fetchErr(t, redirectTo("http://169.254.169.254/latest/meta-data/?"+secret).URL)
		if derr.Message != MsgRefusedAddress || derr.Retryable {
			t.Errorf("got %+v, want the refused-address message", derr)
		}
		if dials, _ := h.counts(); dials != 1 {
			t.Errorf("%d dials, want 1 (the redirecting server only)", dials)
		}
	})
}

// An allow-list admitting only 127.0.0.2 must not let a redirect reach
// 127.0.0.1.
func TestFetchRedirectOutOfAllowList(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	target := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "secret") })
	var hits atomic.Int32
	src := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			http.Redirect(w, r, target.URL+"/internal", http.StatusFound)
			return
		}
		fmt.Fprint(w, "document")
	}))
	src.Listener.Close()
	src.Listener = ln
	src.Start()
	t.Cleanup(src.Close)

	h := newHarness(t, Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}})
	derr := h.fetchErr(t, src.URL+"/doc")
	if derr.Message != MsgRefusedAddress || derr.Retryable {
		t.Errorf("got %+v, want the refused-address message", derr)
	}
	if n := target.hits.Load(); n != 0 {
		t.Errorf("127.0.0.1 reached %d times", n)
	}
	// The allowed server itself is fetched.
	if _, err := h.Fetch(t.Context(), src.URL+"/doc"); err != nil {
		t.Errorf("Fetch from 127.0.0.2: %v", err)
	}
}

func TestFetchSchemes(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/doc.pdf", "gopher://127.0.0.1:70/_x", "data:text/plain,hi", "not a url"} {
		h := newHarness(t, Config{})
		derr := h.fetchErr(t, u)
		if derr.Code != document.CodeFetchFailed || derr.Retryable {
			t.Errorf("Fetch(%s) = %+v, want FETCH_FAILED, not retryable", u, derr)
		}
		if dials, _ := h.counts(); dials != 0 {
			t.Errorf("Fetch(%s) dialled", u)
		}
	}
}

func TestFetchStatus(t *testing.T) {
	for _, code := range []int{http.StatusForbidden, http.StatusNotFound} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(code)
				fmt.Fprint(w, "<Error><Code>AccessDenied</Code></Error>")
			})
			h := newHarness(t, Config{Allow: loopback})
			derr := h.fetchErr(t, srv.URL+"/doc.pdf")
			if derr.Code != document.CodeFetchFailed || derr.UpstreamStatus != code || derr.Retryable {
				t.Errorf("got %+v, want FETCH_FAILED %d not retryable", derr, code)
			}
			if !strings.Contains(derr.Message, "expired") {
				t.Errorf("message %q does not mention expiry", derr.Message)
			}
			if n := srv.hits.Load(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
	t.Run("400 is not retried", func(t *testing.T) {
		srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadRequest) })
		h := newHarness(t, Config{Allow: loopback})
		if derr := h.fetchErr(t, srv.URL); derr.UpstreamStatus != 400 || derr.Retryable || srv.hits.Load() != 1 {
			t.Errorf("got %+v after %d attempts", derr, srv.hits.Load())
		}
	})
	t.Run("500 twice then 200", func(t *testing.T) {
		srv := serve(t, func(n int32, w http.ResponseWriter, _ *http.Request) {
			if n <= 2 {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			fmt.Fprint(w, "document")
		})
		h := newHarness(t, Config{Allow: loopback})
		got, err := h.Fetch(t.Context(), srv.URL)
		if err != nil || string(got.Data) != "document" {
			t.Fatalf("Fetch = %v, %v", got, err)
		}
		if n := srv.hits.Load(); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
		want := []time.Duration{DefaultBackoff, 2 * DefaultBackoff}
		if fmt.Sprint(h.sleeps) != fmt.Sprint(want) {
			t.Errorf("waits %v, want %v", h.sleeps, want)
		}
	})
	for _, code := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusRequestTimeout} {
		t.Run(fmt.Sprintf("%d always", code), func(t *testing.T) {
			srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) })
			h := newHarness(t, Config{Allow: loopback, Attempts: 4})
			derr := h.fetchErr(t, srv.URL)
			if derr.Code != document.CodeFetchFailed || derr.UpstreamStatus != code || !derr.Retryable {
				t.Errorf("got %+v, want FETCH_FAILED %d retryable", derr, code)
			}
			if n := srv.hits.Load(); n != 4 {
				t.Errorf("%d attempts, want 4", n)
			}
			if _, sleeps := h.counts(); sleeps != 3 {
				t.Errorf("%d waits, want 3", sleeps)
			}
		})
	}
}

// hang blocks until the client goes away.
func hang(w http.ResponseWriter, r *http.Request) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	<-r.Context().Done()
}

func TestFetchTimeout(t *testing.T) {
	srv := serve(t, func(_ int32, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	h := newHarness(t, Config{Allow: loopback, Timeout: 20 * time.Millisecond, Attempts: 2})
	derr := h.fetchErr(t, srv.URL)
	if derr.Code != document.CodeTimeout || !derr.Retryable {
		t.Errorf("got %+v, want TIMEOUT retryable", derr)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

// A body that stalls half-way is a timeout too.
func TestFetchTimeoutInBody(t *testing.T) {
	srv := serve(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "%PDF-")
		hang(w, r)
	})
	h := newHarness(t, Config{Allow: loopback, Timeout: 20 * time.Millisecond, Attempts: 1})
	if derr := h.fetchErr(t, srv.URL); derr.Code != document.CodeTimeout || !derr.Retryable {
		t.Errorf("got %+v, want TIMEOUT retryable", derr)
	}
}

func TestFetchCancelled(t *testing.T) {
	srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	h := newHarness(t, Config{Allow: loopback})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := h.Fetch(ctx, srv.URL)
	var derr *document.Error
	if !errors.As(err, &derr) || !errors.Is(err, context.Canceled) || !derr.Retryable {
		t.Errorf("Fetch with a cancelled context = %v, want a retryable *document.Error wrapping context.Canceled", err)
	}
	ctx, cancel = context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := h.Fetch(ctx, srv.URL); !errors.As(err, &derr) || derr.Code != document.CodeTimeout {
		t.Errorf("Fetch past the deadline = %v, want TIMEOUT", err)
	}
}

// Oversize bodies are refused without being read to the end: each server
// stalls after what it sends, so reading on would end in TIMEOUT instead.
func TestFetchTooLarge(t *testing.T) {
	const limit = 1024
	tests := []struct {
		name    string
		handler func(int32, http.ResponseWriter, *http.Request)
	}{
		{"by Content-Length", func(_ int32, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(10<<20))
			fmt.Fprint(w, "%PDF-")
			hang(w, r)
		}},
		{"chunked", func(_ int32, w http.ResponseWriter, r *http.Request) {
			for range 4 {
				w.Write(bytes.Repeat([]byte("x"), limit/2))
				w.(http.Flusher).Flush()
			}
			hang(w, r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.handler)
			h := newHarness(t, Config{Allow: loopback, MaxBytes: limit, Timeout: 10 * time.Second})
			derr := h.fetchErr(t, srv.URL)
			if derr.Code != document.CodeTooLarge || derr.Retryable || !errors.Is(derr, ErrTooLarge) {
				t.Errorf("got %+v, want TOO_LARGE not retryable", derr)
			}
			if n := srv.hits.Load(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
	t.Run("exactly the limit", func(t *testing.T) {
		srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Write(bytes.Repeat([]byte("x"), limit))
		})
		h := newHarness(t, Config{Allow: loopback, MaxBytes: limit})
		got, err := h.Fetch(t.Context(), srv.URL)
		if err != nil || len(got.Data) != limit {
			t.Errorf("Fetch = %v, %v; want %d bytes", got, err, limit)
		}
	})
}

func TestFetchEmptyBody(t *testing.T) {
	srv := serve(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {})
	h := newHarness(t, Config{Allow: loopback})
	if derr := h.fetchErr(t, srv.URL); derr.Code != document.CodeFetchFailed || derr.Retryable {
		t.Errorf("got %+v, want FETCH_FAILED not retryable", derr)
	}
}

// A server that accepts and drops the connection is retried.
func TestFetchConnectionReset(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.(*net.TCPConn).SetLinger(0) // close with RST
			c.Close()
		}
	}()
	h := newHarness(t, Config{Allow: loopback})
	derr := h.fetchErr(t, "http://"+ln.Addr().String()+"/doc.pdf")
	if derr.Code != document.CodeFetchFailed || !derr.Retryable {
		t.Errorf("got %+v, want FETCH_FAILED retryable", derr)
	}
	if dials, sleeps := h.counts(); dials != 3 || sleeps != 2 {
		t.Errorf("%d dials, %d waits; want 3 and 2", dials, sleeps)
	}
}

func TestNoProxy(t *testing.T) {
	f, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if f.client.Transport.(*http.Transport).Proxy != nil {
		t.Error("the transport uses a proxy, which would bypass the address guard")
	}
}

func TestBackoff(t *testing.T) {
	f, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	f.jitter = func(n int64) int64 { return n - 1 } // the most jitter
	for n, want := range map[int]time.Duration{1: 750 * time.Millisecond, 2: 1500 * time.Millisecond, 3: 3 * time.Second, 10: 15 * time.Second, 100: 15 * time.Second} {
		if got := f.backoff(n); got != want {
			t.Errorf("backoff(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg   Config
		field string
	}{
		{Config{MaxBytes: -1}, "MaxBytes"},
		{Config{Timeout: -time.Second}, "Timeout"},
		{Config{Attempts: -1}, "Attempts"},
		{Config{Backoff: -1}, "Backoff"},
		{Config{UserAgent: "atlas\r\nX-Evil: 1"}, "UserAgent"},
		{Config{Allow: []netip.Prefix{{}}}, "Allow[0]"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tt.cfg, err, tt.field)
		}
	}
	f, err := New(Config{})
	if err != nil {
		t.Fatalf("New(Config{}) = %v", err)
	}
	if f.cfg.MaxBytes != DefaultMaxBytes || f.cfg.Attempts != DefaultAttempts || f.cfg.Timeout != DefaultTimeout || f.cfg.MaxRedirects != DefaultMaxRedirects {
		t.Errorf("zero Config gave %+v, want the defaults", f.cfg)
	}
}
