package callback

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/fetch"
)

// guardedTransport is the fetcher's transport; allowLoopback lets it reach
// the tests' httptest servers.
func guardedTransport(t *testing.T, allowLoopback bool) http.RoundTripper {
	t.Helper()
	cfg := fetch.Config{}
	if allowLoopback {
		cfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	}
	f, err := fetch.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f.Transport()
}

func newTestClient(t *testing.T, timeout time.Duration) *Client {
	return NewClient(guardedTransport(t, true), "atlas/test", timeout)
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// closedURL returns an http URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		raw string
		ok  bool
	}{
		{"https://hooks.example.com/atlas", true},
		{"http://hooks.example.com:8080/a?b=c", true},
		{"HTTPS://hooks.example.com/", true},
		{"https://hooks.example.com/" + strings.Repeat("a", MaxURLLength-len("https://hooks.example.com/")), true},
		{"https://hooks.example.com/" + strings.Repeat("a", MaxURLLength), false},
		{"", false},
		{"hooks.example.com/atlas", false},
		{"ftp://hooks.example.com/", false},
		{"file:///etc/passwd", false},
		{"javascript:alert(1)", false},
		{"https://", false},
		{"https:///path", false},
		{"https://user:s3cr3t@hooks.example.com/", false},
		{"https://user@hooks.example.com/", false},
		{"https://hooks.example.com/\x00", false},
		{"http://[::1", false},
	}
	for _, tt := range tests {
		err := CheckURL(tt.raw)
		if tt.ok && err != nil {
			t.Errorf("CheckURL(%.40q) = %v, want nil", tt.raw, err)
		}
		if !tt.ok {
			if !errors.Is(err, ErrInvalidURL) {
				t.Errorf("CheckURL(%.40q) = %v, want ErrInvalidURL", tt.raw, err)
			} else if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "example") {
				t.Errorf("CheckURL error %q repeats the URL", err)
			}
		}
	}
}

// authServer is a fake client auth server that checks atlas's signature.
type authServer struct {
	*httptest.Server
	hits atomic.Int32
	mu   sync.Mutex
	last TokenRequest
}

func (a *authServer) lastRequest() TokenRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

// newAuthServer starts an auth server answering request n with answer(n);
// it checks signatures with secret (nil: testSecret) and judges
// timestamps by now (nil: the wall clock).
func newAuthServer(t *testing.T, secret []byte, now func() time.Time, answer func(n int32) (int, string)) *authServer {
	t.Helper()
	if secret == nil {
		secret = testSecret
	}
	if now == nil {
		now = time.Now
	}
	a := &authServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := a.hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		if err := Verify(secret, r.Header, body, now(), time.Minute); err != nil {
			t.Errorf("token request signature: %v", err)
		}
		if got := r.Header.Get(HeaderEvent); got != EventTokenRequest {
			t.Errorf("token request %s = %q", HeaderEvent, got)
		}
		var req TokenRequest
		if err := json.Unmarshal(body, &req); err != nil || req.ClientID == "" {
			t.Errorf("token request body %s: %v", body, err)
		}
		a.mu.Lock()
		a.last = req
		a.mu.Unlock()
		code, out := answer(n)
		w.WriteHeader(code)
		io.WriteString(w, out)
	}))
	t.Cleanup(a.Close)
	return a
}

func TestTokenCache(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	srv := newAuthServer(t, nil, clock.Now, func(n int32) (int, string) {
		return 200, `{"access_token":"tok-` + string(rune('0'+n)) + `","expires_in":120}`
	})
	c := newTestClient(t, 5*time.Second)
	c.now = clock.Now
	ctx := t.Context()
	req := TokenRequest{ClientID: "c1", FlowID: "f1", ApplicationID: "app-1"}

	get := func(req TokenRequest) string {
		t.Helper()
		tok, err := c.Token(ctx, srv.URL+"/token", testSecret, req)
		if err != nil {
			t.Fatalf("Token: %v", err)
		}
		return tok
	}
	if tok := get(req); tok != "tok-1" {
		t.Fatalf("first token = %q, want tok-1", tok)
	}
	clock.Add(89 * time.Second) // 120 s less the 30 s margin: still good
	if tok := get(req); tok != "tok-1" || srv.hits.Load() != 1 {
		t.Fatalf("cached token = %q after %d requests, want tok-1 after 1", tok, srv.hits.Load())
	}
	clock.Add(2 * time.Second)
	if tok := get(req); tok != "tok-2" || srv.hits.Load() != 2 {
		t.Fatalf("refreshed token = %q after %d requests, want tok-2 after 2", tok, srv.hits.Load())
	}
	// Another client of the same auth server has its own token.
	if tok := get(TokenRequest{ClientID: "c2"}); tok != "tok-3" {
		t.Fatalf("other client's token = %q, want tok-3", tok)
	}
}

func TestTokenAnswers(t *testing.T) {
	tests := []struct {
		name      string
		answer    string
		want      string
		wantCache bool // a second call within a minute uses the cache
	}{
		{"access_token, default lifetime", `{"access_token":"a1"}`, "a1", true},
		{"token field", `{"token":"t1","expires_in":600}`, "t1", true},
		{"expires_in as string", `{"access_token":"a2","expires_in":"600"}`, "a2", true},
		{"too short to cache", `{"access_token":"a3","expires_in":10}`, "a3", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAuthServer(t, nil, nil, func(int32) (int, string) { return 200, tt.answer })
			c := newTestClient(t, 5*time.Second)
			for range 2 {
				tok, err := c.Token(t.Context(), srv.URL, testSecret, TokenRequest{ClientID: "c1"})
				if err != nil || tok != tt.want {
					t.Fatalf("Token = %q, %v; want %q", tok, err, tt.want)
				}
			}
			want := int32(2)
			if tt.wantCache {
				want = 1
			}
			if got := srv.hits.Load(); got != want {
				t.Errorf("auth server saw %d requests, want %d", got, want)
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	const leak = "SECRET-IN-BODY"
	tests := []struct {
		name       string
		code       int
		answer     string
		url        func(t *testing.T, srv string) string
		failure    TokenFailure
		statusCode int
	}{
		{name: "500", code: 500, answer: leak, failure: TokenStatus, statusCode: 500},
		{name: "401", code: 401, answer: `{"error":"` + leak + `"}`, failure: TokenStatus, statusCode: 401},
		{name: "redirect", code: 302, answer: leak, failure: TokenStatus, statusCode: 302},
		{name: "not JSON", code: 200, answer: "<html>" + leak, failure: TokenMalformed},
		{name: "no token", code: 200, answer: `{"error":"` + leak + `"}`, failure: TokenMalformed},
		{name: "token not a string", code: 200, answer: `{"access_token":42}`, failure: TokenMalformed},
		{name: "token with newline", code: 200, answer: `{"access_token":"a\nb"}`, failure: TokenMalformed},
		{name: "bad expires_in", code: 200, answer: `{"access_token":"a","expires_in":"soon"}`, failure: TokenMalformed},
		{
			name: "unreachable", failure: TokenUnreachable,
			url: func(t *testing.T, _ string) string { return closedURL(t) + "/token?sig=" + leak },
		},
		{
			name: "invalid url", failure: TokenInvalidURL,
			url: func(*testing.T, string) string { return "ftp://auth.example.com/?sig=" + leak },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAuthServer(t, nil, nil, func(int32) (int, string) { return tt.code, tt.answer })
			u := srv.URL + "/token?sig=" + leak
			if tt.url != nil {
				u = tt.url(t, srv.URL)
			}
			c := newTestClient(t, 5*time.Second)
			tok, err := c.Token(t.Context(), u, testSecret, TokenRequest{ClientID: "c1"})
			if tok != "" {
				t.Errorf("Token returned %q with an error", tok)
			}
			if !errors.Is(err, ErrToken) {
				t.Fatalf("Token error %v does not wrap ErrToken", err)
			}
			te, ok := errors.AsType[*TokenError](err)
			if !ok {
				t.Fatalf("Token error %T is not a *TokenError", err)
			}
			if te.Failure != tt.failure || te.StatusCode != tt.statusCode {
				t.Errorf("failure %q status %d, want %q %d", te.Failure, te.StatusCode, tt.failure, tt.statusCode)
			}
			if strings.Contains(err.Error(), leak) || strings.Contains(te.Message(), leak) {
				t.Errorf("error %q / message %q leaks the answer or the URL's query", err, te.Message())
			}
		})
	}
}

// TestGuardRefusesLoopback: without the test's allowance, the guard
// refuses loopback receivers and auth servers before connecting.
func TestGuardRefusesLoopback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := NewClient(guardedTransport(t, false), "atlas/test", 5*time.Second)

	_, err := c.Token(t.Context(), srv.URL, testSecret, TokenRequest{ClientID: "c1"})
	if te, ok := errors.AsType[*TokenError](err); !ok || te.Failure != TokenRefusedAddress || !errors.Is(err, fetch.ErrRefusedAddress) {
		t.Errorf("Token error = %v, want a refused address", err)
	}
	res := c.Deliver(t.Context(), Delivery{ID: "cb-1", Event: "document.processed", URL: srv.URL, Body: testBody, Secret: testSecret})
	if res.Delivered || res.StatusCode != 0 || !strings.Contains(res.Error, "private or loopback") {
		t.Errorf("Deliver = %+v, want refused", res)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server was reached %d times", n)
	}
}

// receiver records what it was sent.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
}

func newReceiver(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.requests = append(rc.requests, r)
		rc.bodies = append(rc.bodies, body)
		n := len(rc.requests)
		rc.mu.Unlock()
		handle(w, r, n)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.requests)
}

func TestDeliver(t *testing.T) {
	const leak = "RECEIVER-SECRET"
	tests := []struct {
		name       string
		handle     func(w http.ResponseWriter, r *http.Request, n int)
		token      string
		wantStatus int
		delivered  bool
		wantErr    string
	}{
		{
			name:       "200",
			handle:     func(w http.ResponseWriter, _ *http.Request, _ int) { io.WriteString(w, "ok") },
			wantStatus: 200, delivered: true,
		},
		{
			name:       "204 with token",
			handle:     func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(204) },
			token:      "tok-123",
			wantStatus: 204, delivered: true,
		},
		{
			name: "500",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.WriteHeader(500)
				io.WriteString(w, leak)
			},
			wantStatus: 500, wantErr: "receiver answered HTTP 500",
		},
		{
			name: "large answer is cut short",
			handle: func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Write(make([]byte, 1<<20))
			},
			wantStatus: 200, delivered: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.handle)
			c := newTestClient(t, 5*time.Second)
			before := time.Now()
			res := c.Deliver(t.Context(), Delivery{
				ID: "cb-1", Event: "document.processed", URL: rc.URL + "/hook?key=" + leak,
				Body: testBody, Secret: testSecret, Token: tt.token,
			})
			if res.StatusCode != tt.wantStatus || res.Delivered != tt.delivered || !strings.Contains(res.Error, tt.wantErr) {
				t.Fatalf("Deliver = %+v, want status %d delivered %v error %q", res, tt.wantStatus, tt.delivered, tt.wantErr)
			}
			if tt.delivered != (res.Error == "") {
				t.Errorf("Deliver error %q with delivered %v", res.Error, res.Delivered)
			}
			if strings.Contains(res.Error, leak) {
				t.Errorf("error %q leaks the answer or the URL's query", res.Error)
			}
			if rc.count() != 1 {
				t.Fatalf("receiver saw %d requests, want 1", rc.count())
			}
			r, body := rc.requests[0], rc.bodies[0]
			if string(body) != string(testBody) {
				t.Errorf("body = %s", body)
			}
			for h, want := range map[string]string{
				"Content-Type": "application/json", "User-Agent": "atlas/test",
				HeaderID: "cb-1", HeaderEvent: "document.processed",
			} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			wantAuth := ""
			if tt.token != "" {
				wantAuth = "Bearer " + tt.token
			}
			if got := r.Header.Get("Authorization"); got != wantAuth {
				t.Errorf("Authorization = %q, want %q", got, wantAuth)
			}
			if err := Verify(testSecret, r.Header, body, before, time.Minute); err != nil {
				t.Errorf("signature: %v", err)
			}
		})
	}
}

func TestDeliverDoesNotFollowRedirects(t *testing.T) {
	target := newReceiver(t, func(http.ResponseWriter, *http.Request, int) {})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, 5*time.Second)
	res := c.Deliver(t.Context(), Delivery{ID: "cb-1", Event: "e", URL: rc.URL, Body: testBody, Secret: testSecret})
	if res.Delivered || res.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(res.Error, "redirects are not followed") {
		t.Errorf("Deliver = %+v, want a failed 307", res)
	}
	if n := target.count(); n != 0 {
		t.Errorf("redirect target saw %d requests", n)
	}
}

func TestDeliverTimeout(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release) // before rc.Close, which waits for the handler
	c := newTestClient(t, 100*time.Millisecond)
	res := c.Deliver(t.Context(), Delivery{ID: "cb-1", Event: "e", URL: rc.URL, Body: testBody, Secret: testSecret})
	if res.Delivered || res.StatusCode != 0 || !strings.Contains(res.Error, "no answer within 100ms") {
		t.Errorf("Deliver = %+v, want a timeout", res)
	}
}

func TestDeliverFailures(t *testing.T) {
	c := newTestClient(t, 5*time.Second)
	tests := []struct {
		name    string
		d       Delivery
		wantErr string
	}{
		{"unreachable", Delivery{URL: closedURL(t) + "/hook?key=LEAK", Secret: testSecret}, "could not connect"},
		{"invalid url", Delivery{URL: "ftp://example.com/?key=LEAK", Secret: testSecret}, "not a valid http or https URL"},
		{"no secret", Delivery{URL: "https://example.com/?key=LEAK"}, "no signing secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.Deliver(t.Context(), tt.d)
			if res.Delivered || !strings.Contains(res.Error, tt.wantErr) || strings.Contains(res.Error, "LEAK") {
				t.Errorf("Deliver = %+v, want error containing %q and no query", res, tt.wantErr)
			}
		})
	}
}

func TestDeliverCancelled(t *testing.T) {
	rc := newReceiver(t, func(http.ResponseWriter, *http.Request, int) {})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res := newTestClient(t, 5*time.Second).Deliver(ctx, Delivery{ID: "cb-1", URL: rc.URL, Body: testBody, Secret: testSecret})
	if res.Delivered || !strings.Contains(res.Error, "cancelled") {
		t.Errorf("Deliver = %+v, want cancelled", res)
	}
}

func TestNilTransportRefuses(t *testing.T) {
	rc := newReceiver(t, func(http.ResponseWriter, *http.Request, int) {})
	res := NewClient(nil, "", 0).Deliver(t.Context(), Delivery{ID: "cb-1", URL: rc.URL, Body: testBody, Secret: testSecret})
	if res.Delivered || rc.count() != 0 {
		t.Errorf("Deliver without a transport = %+v, %d requests; want refused", res, rc.count())
	}
}
