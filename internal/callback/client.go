package callback

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atlas-oss/atlas/internal/fetch"
)

// Defaults and limits of a Client.
const (
	// DefaultTimeout bounds one request (token or delivery), answer
	// included, when NewClient is given none.
	DefaultTimeout = 30 * time.Second
	// DefaultUserAgent is sent when NewClient is given none.
	DefaultUserAgent = "atlas/dev"
	// MaxURLLength is the longest callback_url or auth_url accepted.
	MaxURLLength = 2048
	// EventTokenRequest is the Atlas-Event header of a token request.
	EventTokenRequest = "auth.token_request"

	// maxAnswerBytes is how much of an answer is read: a token answer is
	// small, and a receiver's body is discarded.
	maxAnswerBytes = 64 << 10
	// defaultTokenLifetime is how long a token without expires_in is used.
	defaultTokenLifetime = 5 * time.Minute
	// maxTokenLifetime caps expires_in, so a wild value cannot keep a
	// token cached for ever.
	maxTokenLifetime = 24 * time.Hour
	// tokenMargin: a cached token is not used in its last 30 s, so it does
	// not expire between being handed out and reaching the receiver.
	tokenMargin = 30 * time.Second
	// maxCachedTokens bounds the cache; past it, expired entries are
	// dropped.
	maxCachedTokens = 1024
)

// ErrInvalidURL is wrapped by CheckURL's errors.
var ErrInvalidURL = errors.New("invalid url")

// ErrToken is wrapped by every error of Client.Token (a *TokenError), so
// the API can answer 422 when a flow's auth_url fails at upload.
var ErrToken = errors.New("could not obtain callback token")

// errAttemptTimeout is the cause of a request's context when the client's
// own timeout ends it (rather than the caller's context).
var errAttemptTimeout = errors.New("request timed out")

// errNoTransport is returned when NewClient was given no transport: the
// default transport would bypass the SSRF guard.
var errNoTransport = errors.New("callback client has no transport")

// CheckURL reports whether raw may be a flow's callback_url or auth_url:
// an absolute http or https URL with a host, no user name or password, at
// most MaxURLLength characters. Where it resolves to is checked when it is
// called (by the guarded transport). Errors wrap ErrInvalidURL and never
// hold the URL.
func CheckURL(raw string) error {
	if len(raw) > MaxURLLength {
		return fmt.Errorf("check url: longer than %d characters: %w", MaxURLLength, ErrInvalidURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("check url: malformed: %w", ErrInvalidURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("check url: scheme must be http or https: %w", ErrInvalidURL)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("check url: no host: %w", ErrInvalidURL)
	}
	if u.User != nil {
		return fmt.Errorf("check url: must not contain a user name or password: %w", ErrInvalidURL)
	}
	return nil
}

// Client sends token requests and callbacks over a guarded transport. It
// caches tokens and is safe for concurrent use.
type Client struct {
	http      *http.Client
	userAgent string
	timeout   time.Duration
	// now is the clock token expiry is judged by; tests move it.
	now func() time.Time

	mu     sync.Mutex
	tokens map[tokenKey]cachedToken
}

type tokenKey struct{ authURL, clientID string }

type cachedToken struct {
	token   string
	expires time.Time // when to stop using it (margin deducted)
}

// NewClient returns a Client sending requests through rt, which must be
// the fetcher's guarded transport (fetch.Fetcher.Transport) so callbacks
// pass the same SSRF guard as document URLs; with a nil rt every request
// fails. userAgent defaults to DefaultUserAgent, timeout (one request,
// answer included) to DefaultTimeout.
func NewClient(rt http.RoundTripper, userAgent string, timeout time.Duration) *Client {
	if rt == nil {
		rt = roundTripperFunc(func(*http.Request) (*http.Response, error) { return nil, errNoTransport })
	}
	return &Client{
		http: &http.Client{
			Transport: rt,
			// A redirect is a failed attempt: following it would let a
			// receiver send the signed body (and token) elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		userAgent: cmp.Or(strings.TrimSpace(userAgent), DefaultUserAgent),
		timeout:   cmp.Or(max(timeout, 0), DefaultTimeout),
		now:       time.Now,
		tokens:    map[tokenKey]cachedToken{},
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answer is what a request got back.
type answer struct {
	status int
	body   []byte // at most maxAnswerBytes
}

// post sends body to rawURL with h, reads at most maxAnswerBytes of the
// answer and returns it. Its errors hold neither the URL's query nor the
// answer; a timeout of the client's own wraps errAttemptTimeout.
func (c *Client) post(ctx context.Context, rawURL string, body []byte, h http.Header) (answer, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout, errAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return answer{}, errors.New("build request: malformed url") // err holds the URL
	}
	req.Header = h
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, transportError(ctx, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return answer{status: resp.StatusCode}, transportError(ctx, err)
	}
	return answer{status: resp.StatusCode, body: b}, nil
}

// transportError strips *url.Error (its text holds the whole URL, query
// included) and names a timeout of the client's own.
func transportError(ctx context.Context, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	if errors.Is(context.Cause(ctx), errAttemptTimeout) {
		return fmt.Errorf("%w: %w", errAttemptTimeout, err)
	}
	return err
}

// describeTransport is the client-safe text of a post error.
func (c *Client) describeTransport(err error) string {
	switch {
	case errors.Is(err, errAttemptTimeout):
		return fmt.Sprintf("no answer within %s", c.timeout)
	case errors.Is(err, fetch.ErrRefusedAddress):
		return "the URL resolves to a private or loopback address, which atlas does not call"
	case errors.Is(err, context.Canceled):
		return "cancelled (atlas is shutting down)"
	}
	return "could not connect: " + err.Error()
}

// TokenRequest is the JSON body atlas POSTs to a flow's auth_url.
type TokenRequest struct {
	ClientID      string `json:"client_id"`
	FlowID        string `json:"flow_id"`
	ApplicationID string `json:"application_id"`
}

// TokenFailure says why a token could not be obtained.
type TokenFailure string

// Token failures.
const (
	TokenInvalidURL     TokenFailure = "invalid_url"
	TokenUnreachable    TokenFailure = "unreachable"
	TokenRefusedAddress TokenFailure = "refused_address"
	TokenStatus         TokenFailure = "status"
	TokenMalformed      TokenFailure = "malformed"
)

// TokenError is why Client.Token failed. Its text and Message hold
// neither the auth server's answer nor a token, and its URL no query.
type TokenError struct {
	Failure TokenFailure
	// StatusCode is the auth server's answer when Failure is TokenStatus.
	StatusCode int
	// URL is the auth_url without user info, query or fragment.
	URL string
	// Detail is the client-safe cause (a connection error, a timeout).
	Detail string
	// Err is the underlying error, if any.
	Err error
}

// Message is the sentence the API shows the client.
func (e *TokenError) Message() string {
	switch e.Failure {
	case TokenInvalidURL:
		return "the auth_url is not a valid http or https URL"
	case TokenRefusedAddress:
		return "the auth_url resolves to a private or loopback address, which atlas does not call"
	case TokenStatus:
		if e.StatusCode >= 300 && e.StatusCode < 400 {
			return fmt.Sprintf("the auth_url answered HTTP %d; redirects are not followed", e.StatusCode)
		}
		return fmt.Sprintf("the auth_url answered HTTP %d", e.StatusCode)
	case TokenMalformed:
		return "the auth_url's answer is not a JSON object with an access_token"
	}
	if e.Detail != "" {
		return "the auth_url could not be reached: " + e.Detail
	}
	return "the auth_url could not be reached"
}

// Error names the auth URL (without its query) and the failure.
func (e *TokenError) Error() string {
	return fmt.Sprintf("get callback token from %s: %s", e.URL, e.Message())
}

// Unwrap makes errors.Is find ErrToken and the cause.
func (e *TokenError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrToken}
	}
	return []error{ErrToken, e.Err}
}

// tokenAnswer is an auth server's answer; some name the token "token".
type tokenAnswer struct {
	AccessToken string  `json:"access_token"`
	Token       string  `json:"token"`
	ExpiresIn   seconds `json:"expires_in"`
}

// seconds reads expires_in given as a number or as a numeric string.
type seconds float64

// UnmarshalJSON accepts 300, 300.0 and "300".
func (s *seconds) UnmarshalJSON(b []byte) error {
	str := strings.Trim(string(b), `"`)
	if str == "" || str == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(str, 64)
	if err != nil {
		return errors.New("expires_in is not a number")
	}
	*s = seconds(f)
	return nil
}

// lifetime is how long a token is valid for, from expires_in.
func (s seconds) lifetime() time.Duration {
	if s <= 0 {
		return defaultTokenLifetime
	}
	if float64(s) > maxTokenLifetime.Seconds() {
		return maxTokenLifetime
	}
	return time.Duration(float64(s) * float64(time.Second))
}

// Token returns a token for req from authURL, POSTing req as JSON, signed
// with secret like a callback (so the client's auth server can check that
// atlas is asking). The answer must be 2xx JSON with access_token (or
// token) and may give expires_in seconds (default five minutes). Tokens
// are cached per auth URL and client until 30 s before they expire. Every
// error is a *TokenError wrapping ErrToken.
func (c *Client) Token(ctx context.Context, authURL string, secret []byte, req TokenRequest) (string, error) {
	key := tokenKey{authURL, req.ClientID}
	if tok, ok := c.cachedToken(key); ok {
		return tok, nil
	}
	fail := func(f TokenFailure, status int, detail string, err error) error {
		return &TokenError{Failure: f, StatusCode: status, URL: fetch.Redact(authURL), Detail: detail, Err: err}
	}
	if err := CheckURL(authURL); err != nil {
		return "", fail(TokenInvalidURL, 0, "", err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", fail(TokenMalformed, 0, "", fmt.Errorf("encode token request: %w", err))
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	h.Set(HeaderEvent, EventTokenRequest)
	setSignature(h, secret, c.now(), body)
	ans, err := c.post(ctx, authURL, body, h)
	if err != nil {
		if errors.Is(err, fetch.ErrRefusedAddress) {
			return "", fail(TokenRefusedAddress, 0, "", err)
		}
		return "", fail(TokenUnreachable, 0, c.describeTransport(err), err)
	}
	if !is2xx(ans.status) {
		return "", fail(TokenStatus, ans.status, "", nil)
	}
	var ta tokenAnswer
	if err := json.Unmarshal(ans.body, &ta); err != nil {
		// The decoder's text can quote the answer: keep it out.
		return "", fail(TokenMalformed, 0, "", errors.New("token answer is not a JSON object"))
	}
	tok := cmp.Or(ta.AccessToken, ta.Token)
	if tok == "" || strings.ContainsAny(tok, "\r\n\x00") {
		return "", fail(TokenMalformed, 0, "", errors.New("token answer has no usable access_token"))
	}
	c.cacheToken(key, tok, ta.ExpiresIn.lifetime())
	return tok, nil
}

func (c *Client) cachedToken(key tokenKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ct, ok := c.tokens[key]
	if !ok || !c.now().Before(ct.expires) {
		return "", false
	}
	return ct.token, true
}

func (c *Client) cacheToken(key tokenKey, tok string, lifetime time.Duration) {
	now := c.now()
	expires := now.Add(lifetime - tokenMargin)
	if !now.Before(expires) {
		return // too short-lived to reuse
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.tokens) >= maxCachedTokens {
		for k, ct := range c.tokens {
			if !now.Before(ct.expires) {
				delete(c.tokens, k)
			}
		}
	}
	c.tokens[key] = cachedToken{token: tok, expires: expires}
}

// Delivery is one attempt at a callback.
type Delivery struct {
	// ID is the callback's id, the same on every attempt.
	ID    string
	Event string
	URL   string
	Body  []byte
	// Secret signs the body.
	Secret []byte
	// Token, when set, is sent as a bearer token.
	Token string
}

// Result is the outcome of one delivery attempt, fit to show the client.
type Result struct {
	// StatusCode is the receiver's answer; 0 when it was not reached.
	StatusCode int
	// Error says why the attempt failed: no receiver's body, no token,
	// the URL without its query. Empty when delivered.
	Error    string
	Duration time.Duration
	// Delivered is true for a 2xx answer only.
	Delivered bool
}

// Deliver POSTs d.Body to d.URL as JSON, signed with a fresh timestamp,
// with the callback id and event headers and the bearer token if any.
// Redirects are not followed (a 3xx is a failed attempt); at most 64 KiB
// of the answer is read and discarded.
func (c *Client) Deliver(ctx context.Context, d Delivery) Result {
	start := c.now()
	res := c.deliver(ctx, d)
	res.Duration = c.now().Sub(start)
	return res
}

func (c *Client) deliver(ctx context.Context, d Delivery) Result {
	if err := CheckURL(d.URL); err != nil {
		return Result{Error: "the callback URL is not a valid http or https URL"}
	}
	if len(d.Secret) == 0 {
		return Result{Error: "no signing secret for this client"}
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(HeaderID, d.ID)
	h.Set(HeaderEvent, d.Event)
	setSignature(h, d.Secret, c.now(), d.Body)
	if d.Token != "" {
		h.Set("Authorization", "Bearer "+d.Token)
	}
	ans, err := c.post(ctx, d.URL, d.Body, h)
	if err != nil && !is2xx(ans.status) {
		// A 2xx whose body broke off still counts: the receiver took it.
		return Result{StatusCode: ans.status, Error: fmt.Sprintf("post %s: %s", fetch.Redact(d.URL), c.describeTransport(err))}
	}
	switch {
	case is2xx(ans.status):
		return Result{StatusCode: ans.status, Delivered: true}
	case ans.status >= 300 && ans.status <= 399:
		return Result{StatusCode: ans.status, Error: fmt.Sprintf("receiver answered HTTP %d; redirects are not followed", ans.status)}
	}
	return Result{StatusCode: ans.status, Error: fmt.Sprintf("receiver answered HTTP %d", ans.status)}
}

func is2xx(status int) bool { return status >= 200 && status <= 299 }
