// Package client is the Go client of the atlas API: typed requests and
// answers for every endpoint, an access token obtained and refreshed by
// itself, retries with backoff where a retry is safe, and pagers that walk
// every page of a batch's extracts and fail rather than stop early.
//
// A Client is safe for concurrent use. Every call takes a context, which
// bounds the call with all its retries and waits.
//
// What is retried: answers 429, 502, 503 and 504 and network errors, with
// exponential backoff and jitter, honouring Retry-After. Reads, deletions,
// address matching, flow submit and bulk Multiupload (which always sends an
// Idempotency-Key, so a retried upload cannot create a second batch) are
// retried on all of them. FlowInit and FlowUpload create things the server
// cannot de-duplicate, so they are retried only when the server could not
// have acted: on 429 and when the connection could not be made; a 5xx or a
// connection lost mid-request is returned to the caller, who should check
// the flow's status before sending again. An answer 401 makes the client
// fetch a new token and send the request once more, whatever its kind (the
// server refuses an unauthenticated request before acting on it).
//
// The client never logs credentials, tokens or document contents: its log
// records carry the method, the path without its query, the status, the
// attempt and the wait.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of the retry policy.
const (
	// DefaultRetries is how many times a failed request is sent again.
	DefaultRetries = 4
	// DefaultBackoff is the wait before the first retry; it doubles after
	// each one.
	DefaultBackoff = 250 * time.Millisecond
	// DefaultMaxBackoff bounds one wait computed by backoff (a server's
	// Retry-After is honoured as given).
	DefaultMaxBackoff = 10 * time.Second
	// DefaultUserAgent is sent unless WithUserAgent says otherwise.
	DefaultUserAgent = "atlas-go-client/1"
)

// refreshFraction is the part of a token's lifetime after which a new one
// is fetched before use, so a token never expires in flight.
const refreshFraction = 0.8

// maxResponseBytes bounds an answer read into memory (an extracts page of
// 50 documents with bank statements is well under this).
const maxResponseBytes = 64 << 20

// Client talks to one atlas server as one API client.
type Client struct {
	base       string
	id, secret string
	hc         *http.Client
	retries    int
	backoff    time.Duration
	maxBackoff time.Duration
	userAgent  string
	log        *slog.Logger
	now        func() time.Time

	// tokenSem serialises token fetches (a one-slot semaphore, so waiting
	// for it honours the context) and guards token and refreshAt.
	tokenSem  chan struct{}
	token     string
	refreshAt time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client used (for its transport, proxy or
// TLS settings). Its Timeout, if any, bounds each attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithRetries sets how many times a failed request is sent again (0: never).
func WithRetries(n int) Option {
	return func(c *Client) { c.retries = max(n, 0) }
}

// WithBackoff sets the wait before the first retry and the most one
// computed wait may be. Each wait is drawn between half and all of
// base·2^retry, so many clients do not retry in step.
func WithBackoff(base, maxWait time.Duration) Option {
	return func(c *Client) {
		if base > 0 {
			c.backoff = base
		}
		if maxWait > 0 {
			c.maxBackoff = maxWait
		}
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua != "" {
			c.userAgent = ua
		}
	}
}

// WithLogger sets where retries and token refreshes are logged (at debug
// and warn levels). The default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// New returns a client of the atlas server at baseURL (e.g.
// "http://127.0.0.1:8080") with the given API credentials. No request is
// made until the first call.
func New(baseURL, clientID, clientSecret string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("new client: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("new client: base URL %q must be an http or https URL with a host", baseURL)
	}
	if clientID == "" || clientSecret == "" {
		return nil, errors.New("new client: the client id and secret are required")
	}
	c := &Client{
		base: strings.TrimSuffix(u.String(), "/"), id: clientID, secret: clientSecret,
		hc: http.DefaultClient, retries: DefaultRetries, backoff: DefaultBackoff, maxBackoff: DefaultMaxBackoff,
		userAgent: DefaultUserAgent, log: slog.New(slog.DiscardHandler), now: time.Now,
		tokenSem: make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// retryPolicy says when a request may be sent again.
type retryPolicy int

const (
	// retrySafe: the request is idempotent; retry every temporary failure.
	retrySafe retryPolicy = iota
	// retryUnsent: the request creates something; retry only when the
	// server cannot have acted on it (429, no connection made).
	retryUnsent
	// retryNever: report the first answer (readiness probes).
	retryNever
)

// request is one API call, kept whole so it can be sent again.
type request struct {
	method, path string
	query        url.Values
	body         []byte
	header       http.Header
	auth         bool
	retry        retryPolicy
}

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends r and decodes a successful answer into out (if not nil).
func (c *Client) call(ctx context.Context, r *request, out any) (*response, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if out != nil {
		if err := json.Unmarshal(resp.body, out); err != nil {
			return nil, fmt.Errorf("%s %s: decode answer: %w", r.method, r.path, err)
		}
	}
	return resp, nil
}

// jsonBody marshals v for a request body.
func jsonBody(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return b, nil
}

// do sends r until it succeeds, fails for good, or retries run out. A
// status of 400 and above comes back as an *APIError.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	var stale string
	refreshed := false
	for attempt := 0; ; {
		tok := ""
		if r.auth {
			t, err := c.accessToken(ctx, stale)
			if err != nil {
				return nil, err
			}
			tok = t
		}
		resp, err := c.send(ctx, r, tok)
		if err == nil && resp.status == http.StatusUnauthorized && r.auth && !refreshed {
			// The token expired or was revoked early: one new token, one
			// more try; a second 401 is the caller's.
			c.log.LogAttrs(ctx, slog.LevelDebug, "atlas_token_rejected", slog.String("method", r.method), slog.String("path", r.path))
			refreshed, stale = true, tok
			continue
		}
		if err == nil && resp.status < 400 {
			return resp, nil
		}
		if err == nil {
			err = apiError(resp)
		}
		if cerr := ctx.Err(); cerr != nil {
			if errors.Is(err, cerr) {
				return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
			}
			return nil, fmt.Errorf("%s %s: %w (last failure: %w)", r.method, r.path, cerr, err)
		}
		wait, ok := c.retryWait(r, resp, err, attempt)
		if !ok || attempt >= c.retries {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		attempt++
		status := 0
		if resp != nil {
			status = resp.status
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "atlas_request_retry", slog.String("method", r.method), slog.String("path", r.path),
			slog.Int("status", status), slog.Int("attempt", attempt), slog.Duration("wait", wait))
		if err2 := sleep(ctx, wait); err2 != nil {
			return nil, fmt.Errorf("%s %s: %w (last failure: %w)", r.method, r.path, err2, err)
		}
	}
}

// send makes one attempt.
func (c *Client) send(ctx context.Context, r *request, tok string) (*response, error) {
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Token", tok)
	}
	hr, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer hr.Body.Close()
	b, err := io.ReadAll(io.LimitReader(hr.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	return &response{status: hr.StatusCode, header: hr.Header, body: b}, nil
}

// apiError decodes Atlas's error envelope.
func apiError(resp *response) *APIError {
	e := &APIError{Status: resp.status}
	var env struct {
		Code    string `json:"error_code"`
		Message string `json:"error_message"`
	}
	if json.Unmarshal(resp.body, &env) == nil && env.Message != "" {
		e.Code, e.Message = env.Code, env.Message
	} else {
		// Not atlas's answer (a proxy's page): its body is not echoed.
		e.Message = http.StatusText(resp.status)
	}
	return e
}

// retryWait says whether a failure may be retried under r's policy, and
// after how long.
func (c *Client) retryWait(r *request, resp *response, err error, attempt int) (time.Duration, bool) {
	if r.retry == retryNever {
		return 0, false
	}
	if resp != nil {
		if !retryableStatus(resp.status) {
			return 0, false
		}
		if r.retry == retryUnsent && resp.status != http.StatusTooManyRequests {
			return 0, false
		}
		if d, ok := retryAfter(resp.header.Get("Retry-After"), c.now()); ok {
			return d, true
		}
		return c.backoffFor(attempt), true
	}
	if r.retry == retryUnsent && !notSent(err) {
		return 0, false
	}
	return c.backoffFor(attempt), true
}

// notSent reports whether a transport error happened before the request
// could reach the server (the connection was never made).
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// backoffFor returns the wait before retry attempt+1: between half and all
// of backoff·2^attempt, at most maxBackoff.
func (c *Client) backoffFor(attempt int) time.Duration {
	d := c.backoff
	for range attempt {
		d *= 2
		if d >= c.maxBackoff {
			break
		}
	}
	d = min(d, c.maxBackoff)
	half := d / 2
	return half + time.Duration(mrand.Int64N(int64(half)+1))
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tokenResponse is the answer of POST /v1/bulk/authtoken.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// accessToken returns a token to send: the cached one while it is fresh
// and is not stale (the one the server just refused), else a new one.
func (c *Client) accessToken(ctx context.Context, stale string) (string, error) {
	select {
	case c.tokenSem <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("get access token: %w", ctx.Err())
	}
	defer func() { <-c.tokenSem }()
	if c.token != "" && c.token != stale && c.now().Before(c.refreshAt) {
		return c.token, nil
	}
	asked := c.now()
	var tr tokenResponse
	_, err := c.call(ctx, &request{method: http.MethodPost, path: "/v1/bulk/authtoken",
		header: http.Header{"Client-Id": {c.id}, "Client-Secret": {c.secret}}, retry: retrySafe}, &tr)
	if err != nil {
		return "", fmt.Errorf("get access token: %w", err)
	}
	if tr.AccessToken == "" {
		return "", errors.New("get access token: the answer has no access_token")
	}
	life := time.Duration(float64(time.Duration(tr.ExpiresIn)*time.Second) * refreshFraction)
	c.token, c.refreshAt = tr.AccessToken, asked.Add(life)
	c.log.LogAttrs(ctx, slog.LevelDebug, "atlas_token_obtained", slog.Int("expires_in", tr.ExpiresIn))
	return c.token, nil
}

// newIdempotencyKey returns a random key for one intended batch.
func newIdempotencyKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make idempotency key: %w", err)
	}
	return "atlas-go-" + hex.EncodeToString(b[:]), nil
}

// Readiness is the answer of GET /readyz.
type Readiness struct {
	// Status is "ready".
	Status string `json:"status"`
	// Role and Version are set when the server reports them.
	Role    string `json:"role,omitempty"`
	Version string `json:"version,omitempty"`
}

// Ready asks whether the server can serve (database reachable, engines
// loaded). A server that is not ready answers an *APIError with Status 503;
// it is not retried, since the caller is asking about now.
func (c *Client) Ready(ctx context.Context) (*Readiness, error) {
	var out Readiness
	if _, err := c.call(ctx, &request{method: http.MethodGet, path: "/readyz", retry: retryNever}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
