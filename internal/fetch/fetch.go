// Package fetch gets documents from the URLs lenders send, usually
// pre-signed object-store links. It is atlas's largest SSRF surface, so it
// only speaks http and https, refuses to connect to loopback, private,
// link-local and other non-public addresses (checked on the address actually
// dialled, after every redirect), ignores proxy settings from the
// environment, bounds size and time, and never writes a URL's query (which
// holds the signature) into an error or a log.
package fetch

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

var _ pipeline.Fetcher = (*Fetcher)(nil)

// Defaults for the zero Config.
const (
	DefaultMaxBytes     = 25 << 20
	DefaultMaxRedirects = 5
	DefaultTimeout      = 30 * time.Second
	DefaultAttempts     = 3
	DefaultBackoff      = 500 * time.Millisecond
	DefaultUserAgent    = "atlas/dev"

	// maxBackoff caps one wait between attempts.
	maxBackoff = 10 * time.Second
)

// MsgRefusedAddress is the client-facing message for a URL whose host is
// not a public address.
const MsgRefusedAddress = "the URL resolves to a private or loopback address, which atlas does not fetch (set --allow-private-urls for development)"

// Sentinel causes, found with errors.Is on document.Error.Err.
var (
	ErrScheme           = errors.New("scheme not http or https")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrTooLarge         = errors.New("body larger than limit")
	ErrAttemptTimeout   = errors.New("attempt timed out")
)

// Config configures a Fetcher. The zero value means the defaults.
type Config struct {
	// MaxBytes is the largest body accepted; default 25 MiB.
	MaxBytes int64
	// MaxRedirects is how many redirects one attempt follows; default 5,
	// negative for none.
	MaxRedirects int
	// Timeout bounds one attempt, body included; default 30 s. The
	// caller's context bounds all attempts together.
	Timeout time.Duration
	// Attempts is how many times a transient failure (timeout, reset,
	// 408, 429, 5xx) is tried in all; default 3.
	Attempts int
	// Backoff is the wait before the second attempt; it doubles for each
	// further one, plus up to half again of random jitter. Default 500 ms.
	Backoff time.Duration
	// UserAgent is sent with every request; default "atlas/dev". Set it
	// to "atlas/<version>".
	UserAgent string
	// AllowPrivate lets URLs reach any address, loopback and private ones
	// included. For development only.
	AllowPrivate bool
	// Allow lists prefixes that may be reached although they are not
	// public, e.g. 127.0.0.0/8 for tests.
	Allow []netip.Prefix
	// Logger gets one line per failed attempt, with the redacted URL;
	// default discards.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	c.MaxBytes = cmp.Or(c.MaxBytes, DefaultMaxBytes)
	c.MaxRedirects = cmp.Or(c.MaxRedirects, DefaultMaxRedirects)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.Attempts = cmp.Or(c.Attempts, DefaultAttempts)
	c.Backoff = cmp.Or(c.Backoff, DefaultBackoff)
	c.UserAgent = cmp.Or(c.UserAgent, DefaultUserAgent)
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	return c
}

func (c Config) validate() error {
	switch {
	case c.MaxBytes < 0:
		return fmt.Errorf("fetch config: MaxBytes must be positive, got %d", c.MaxBytes)
	case c.Timeout < 0:
		return fmt.Errorf("fetch config: Timeout must be positive, got %s", c.Timeout)
	case c.Attempts < 0:
		return fmt.Errorf("fetch config: Attempts must be positive, got %d", c.Attempts)
	case c.Backoff < 0:
		return fmt.Errorf("fetch config: Backoff must be positive, got %s", c.Backoff)
	case strings.ContainsAny(c.UserAgent, "\r\n"):
		return fmt.Errorf("fetch config: UserAgent must be one line")
	}
	for i, p := range c.Allow {
		if !p.IsValid() {
			return fmt.Errorf("fetch config: Allow[%d] is not a valid prefix", i)
		}
	}
	return nil
}

// Fetcher gets documents over http(s) behind the address guard. It is safe
// for concurrent use.
type Fetcher struct {
	cfg      Config
	guard    guard
	client   *http.Client
	resolver Resolver
	// dial connects to an address the guard has already checked; tests
	// wrap it to see whether a connection was attempted.
	dial func(ctx context.Context, network, address string) (net.Conn, error)
	// sleep waits between attempts; tests replace it so they do not wait.
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a random duration in [0, n).
	jitter func(n int64) int64
}

// New returns a Fetcher for cfg.
func New(cfg Config) (*Fetcher, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	f := &Fetcher{
		cfg:      cfg,
		guard:    guard{allowPrivate: cfg.AllowPrivate, allow: cfg.Allow},
		resolver: net.DefaultResolver,
		sleep:    sleepCtx,
		jitter:   rand.Int64N,
	}
	d := &net.Dialer{
		Timeout:   cfg.Timeout,
		KeepAlive: 30 * time.Second,
		// Checked again on the socket's own address, in case anything
		// but dialContext ever reaches this dialer.
		Control: f.guard.control,
	}
	f.dial = d.DialContext
	t := &http.Transport{
		// Never a proxy from the environment: the proxy would make the
		// connection, and the guard would only see the proxy's address.
		Proxy:                  nil,
		DialContext:            func(ctx context.Context, n, a string) (net.Conn, error) { return f.dialContext(ctx, n, a) },
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		MaxIdleConns:           32,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// Documents are compressed formats already, and a transparent
		// gzip would turn a small body into an unbounded one.
		DisableCompression: true,
	}
	f.client = &http.Client{
		Transport:     t,
		CheckRedirect: f.checkRedirect,
	}
	return f, nil
}

// Transport returns the guarded transport documents are fetched with, for
// other requests that must pass the same guard (callbacks, auth URLs).
func (f *Fetcher) Transport() http.RoundTripper { return f.client.Transport }

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkURL(req.URL); err != nil {
		return err
	}
	if len(via) > max(f.cfg.MaxRedirects, 0) {
		return fmt.Errorf("follow redirect: %w", ErrTooManyRedirects)
	}
	return nil
}

// checkURL accepts absolute http and https URLs with a host.
func checkURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("check url: %w", ErrScheme)
	}
	if u.Hostname() == "" {
		return errors.New("check url: no host")
	}
	return nil
}

// parseURL parses and checks a document URL. Its errors never hold the URL.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("parse url: malformed")
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	return u, nil
}

// Fetch gets the document at rawURL, retrying transient failures. Every
// error is a *document.Error.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*pipeline.Fetched, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		msg := "the document URL is not a valid http or https URL"
		if errors.Is(err, ErrScheme) {
			msg = "the document URL must use http or https"
		}
		return nil, &document.Error{Code: document.CodeFetchFailed, Message: msg, Err: err}
	}
	log := f.cfg.Logger.With("url", Redact(rawURL))
	var last *document.Error
	for attempt := 1; attempt <= f.cfg.Attempts; attempt++ {
		if attempt > 1 {
			if err := f.sleep(ctx, f.backoff(attempt-1)); err != nil {
				return nil, ctxError(ctx, last)
			}
		}
		got, derr := f.once(ctx, u)
		if derr == nil {
			return got, nil
		}
		log.LogAttrs(ctx, slog.LevelWarn, "fetch attempt failed",
			slog.Int("attempt", attempt), slog.String("code", string(derr.Code)),
			slog.Int("upstream_status", derr.UpstreamStatus), slog.Any("err", derr.Err))
		if !derr.Retryable {
			return nil, derr
		}
		last = derr
		if ctx.Err() != nil {
			return nil, ctxError(ctx, last)
		}
	}
	return nil, last
}

// backoff is the wait after the n-th failed attempt: Backoff·2^(n−1),
// capped, plus up to half of that again at random so that many documents
// failing together do not retry together.
func (f *Fetcher) backoff(n int) time.Duration {
	d := f.cfg.Backoff << min(n-1, 20)
	if d <= 0 || d > maxBackoff {
		d = maxBackoff
	}
	return d + time.Duration(f.jitter(int64(d/2)+1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ctxError is the failure when the caller's context ends: TIMEOUT for its
// deadline, else a retryable FETCH_FAILED (the service is shutting down).
func ctxError(ctx context.Context, last *document.Error) *document.Error {
	cause := context.Cause(ctx)
	if last != nil {
		cause = errors.Join(cause, last.Err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &document.Error{Code: document.CodeTimeout, Message: "fetching the document took too long", Retryable: true, Err: cause}
	}
	return &document.Error{Code: document.CodeFetchFailed, Message: "fetching the document was cancelled", Retryable: true, Err: cause}
}

// once makes one attempt, bounded by the attempt timeout.
func (f *Fetcher) once(ctx context.Context, u *url.URL) (*pipeline.Fetched, *document.Error) {
	actx, cancel := context.WithTimeoutCause(ctx, f.cfg.Timeout, ErrAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &document.Error{Code: document.CodeFetchFailed, Message: "the document URL is not a valid http or https URL", Err: errors.New("build request")}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "*/*")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.transportError(ctx, actx, u, err)
	}
	defer resp.Body.Close()

	if derr := statusError(resp.StatusCode); derr != nil {
		derr.Err = fmt.Errorf("get %s: status %d", Redact(u.String()), resp.StatusCode)
		return nil, derr
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, f.tooLarge(u)
	}
	buf := make([]byte, 0, max(min(resp.ContentLength, f.cfg.MaxBytes), 0)+1)
	data, err := readAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1), buf)
	if int64(len(data)) > f.cfg.MaxBytes {
		return nil, f.tooLarge(u)
	}
	if err != nil {
		return nil, f.transportError(ctx, actx, u, err)
	}
	if len(data) == 0 {
		return nil, &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: resp.StatusCode,
			Message: "the document URL returned an empty body", Err: fmt.Errorf("get %s: empty body", Redact(u.String()))}
	}
	return &pipeline.Fetched{Data: data, ContentType: resp.Header.Get("Content-Type")}, nil
}

// readAll is io.ReadAll into a caller-sized buffer.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

func (f *Fetcher) tooLarge(u *url.URL) *document.Error {
	return &document.Error{Code: document.CodeTooLarge,
		Message: "the document is larger than the " + sizeString(f.cfg.MaxBytes) + " limit",
		Err:     fmt.Errorf("get %s: %w", Redact(u.String()), ErrTooLarge)}
}

// sizeString writes n in MiB when it is whole mebibytes, else in bytes.
func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d byte", n)
}

// statusError maps a non-2xx status to a failure, or nil for success.
func statusError(code int) *document.Error {
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusForbidden || code == http.StatusUnauthorized:
		return &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: code,
			Message: fmt.Sprintf("the document link was refused (HTTP %d): a pre-signed URL has most likely expired; send a fresh link", code)}
	case code == http.StatusNotFound || code == http.StatusGone:
		return &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: code,
			Message: fmt.Sprintf("the document link was not found (HTTP %d): a pre-signed URL has most likely expired, or the file was removed; send a fresh link", code)}
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: code, Retryable: true,
			Message: fmt.Sprintf("the document server answered HTTP %d", code)}
	default:
		return &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: code,
			Message: fmt.Sprintf("the document server answered HTTP %d", code)}
	}
}

// transportError maps a failure to connect, redirect or read. http.Client
// wraps errors in *url.Error, whose text holds the full URL and so the
// signature: only its cause is kept.
func (f *Fetcher) transportError(ctx, actx context.Context, u *url.URL, err error) *document.Error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	cause := fmt.Errorf("get %s: %w", Redact(u.String()), err)
	fail := func(msg string, retry bool) *document.Error {
		return &document.Error{Code: document.CodeFetchFailed, Message: msg, Retryable: retry, Err: cause}
	}
	switch {
	case ctx.Err() != nil:
		return ctxError(ctx, &document.Error{Err: cause})
	case errors.Is(context.Cause(actx), ErrAttemptTimeout):
		return &document.Error{Code: document.CodeTimeout, Retryable: true,
			Message: fmt.Sprintf("the document server did not answer within %s", f.cfg.Timeout), Err: cause}
	case errors.Is(err, ErrRefusedAddress):
		return fail(MsgRefusedAddress, false)
	case errors.Is(err, ErrScheme):
		return fail("the document URL redirected to a scheme other than http or https", false)
	case errors.Is(err, ErrTooManyRedirects):
		return fail(fmt.Sprintf("the document URL redirected more than %d times", max(f.cfg.MaxRedirects, 0)), false)
	}
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok && dnsErr.IsNotFound {
		return fail("the document URL's host does not exist", false)
	}
	var (
		unknownCA *x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify) {
		return fail("the document server's TLS certificate is not valid", false)
	}
	// Resets, refused connections, truncated bodies, DNS hiccups: worth
	// another try.
	return fail("the document server could not be reached or broke off", true)
}

// Redact returns rawURL as scheme://host/path, without user info, query
// or fragment, for logs and messages: pre-signed URLs carry their
// signature in the query. An unparseable URL gives "(invalid url)".
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(invalid url)"
	}
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	if u.Opaque != "" {
		// mailto:x?y style: nothing after the scheme is safe to keep.
		return u.Scheme + ":"
	}
	return r.String()
}
