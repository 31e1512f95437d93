// Package upload lets a client hand atlas local files: the API stores the
// bytes in the blob store and answers a link signed like a pre-signed S3
// URL, which the client then submits in a batch like any other URL. The
// Signer makes and checks those links; the Fetcher lets the pipeline read
// them straight from the blob store instead of over the network (where the
// SSRF guard would refuse the server's own address anyway).
package upload

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// DefaultPathPrefix is the path under which the API serves uploaded files;
// the blob key follows it.
const DefaultPathPrefix = "/v1/bulk/files/"

// MinKeyBytes is the shortest key NewSigner accepts (256 bits).
const MinKeyBytes = 32

// Errors of Verify.
var (
	// ErrBadSignature is a link whose signature, expiry or key was not made
	// by this server's Signer (forged, altered or truncated).
	ErrBadSignature = errors.New("file link signature is invalid")
	// ErrExpired is a genuine link past its expiry.
	ErrExpired = errors.New("file link has expired")
)

// keyLabel separates the signer's key from other uses of the same secret
// (the JWT key): a token's MAC can never pass as a link's.
const keyLabel = "atlas upload link v1"

// Signer signs and checks links to uploaded files with HMAC-SHA256. It is
// safe for concurrent use.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer over secret, which may be shared with other
// uses (such as the JWT key): the signing key is derived from it.
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < MinKeyBytes {
		return nil, fmt.Errorf("new upload signer: key has %d bytes, want at least %d", len(secret), MinKeyBytes)
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(keyLabel))
	return &Signer{key: m.Sum(nil)}, nil
}

// mac returns the signature of blobKey until expires (Unix seconds).
func (s *Signer) mac(blobKey, expires string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(blobKey + "\n" + expires))
	return m.Sum(nil)
}

// Sign returns the query string ("expires=<unix>&signature=<hex>") that
// makes a link to blobKey valid until expires.
func (s *Signer) Sign(blobKey string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return url.Values{"expires": {exp}, "signature": {hex.EncodeToString(s.mac(blobKey, exp))}}.Encode()
}

// Verify checks a link's expires and signature parameters for blobKey at
// now. A forged or altered link is ErrBadSignature (checked first, so a
// forger learns nothing from the expiry); a genuine one past its expiry is
// ErrExpired.
func (s *Signer) Verify(blobKey, expiresUnix, signature string, now time.Time) error {
	exp, err := strconv.ParseInt(expiresUnix, 10, 64)
	if err != nil || strconv.FormatInt(exp, 10) != expiresUnix {
		return fmt.Errorf("verify file link: %w: malformed expires", ErrBadSignature)
	}
	got, err := hex.DecodeString(signature)
	if err != nil || !hmac.Equal(got, s.mac(blobKey, expiresUnix)) {
		return fmt.Errorf("verify file link: %w", ErrBadSignature)
	}
	if now.Unix() >= exp {
		return fmt.Errorf("verify file link: %w", ErrExpired)
	}
	return nil
}

// Blobs is what the Fetcher reads uploaded files from. Get returns an error
// wrapping blob.ErrNotFound for a key it does not hold.
type Blobs interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// Fetcher is a pipeline.Fetcher that serves links to uploaded files from
// the blob store and passes every other URL to Next. A link is recognised
// by its path alone, whatever its host, since clients may use the public
// host name, an internal one or a proxy's.
type Fetcher struct {
	// Next fetches every URL that is not a link to an uploaded file.
	Next pipeline.Fetcher
	// Blobs holds the uploaded files.
	Blobs Blobs
	// Signer checks links; nil sends every URL to Next.
	Signer *Signer
	// PathPrefix is where the API serves files (default DefaultPathPrefix);
	// set it when the public URL carries a base path.
	PathPrefix string
	// MaxBytes, when positive, fails larger files with TOO_LARGE, as the
	// network fetcher does.
	MaxBytes int64
	// Now is the clock (default time.Now).
	Now func() time.Time
}

var _ pipeline.Fetcher = (*Fetcher)(nil)

// Fetch returns the document at rawURL. Failures of uploaded files are
// *document.Error: FETCH_FAILED with UpstreamStatus 403 for a bad or
// expired signature and 404 for a file no longer stored.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*pipeline.Fetched, error) {
	key, q, ok := f.match(rawURL)
	if !ok {
		return f.Next.Fetch(ctx, rawURL)
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	if err := f.Signer.Verify(key, q.Get("expires"), q.Get("signature"), now()); err != nil {
		msg := "the uploaded file's link has an invalid signature: use the file_url POST /v1/bulk/files answered, unaltered"
		if errors.Is(err, ErrExpired) {
			msg = "the uploaded file's link has expired: upload the file again for a fresh link"
		}
		return nil, &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: http.StatusForbidden, Message: msg, Err: err}
	}
	data, err := f.Blobs.Get(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: http.StatusNotFound,
			Message: "the uploaded file is no longer stored (it may have been deleted): upload it again", Err: err}
	}
	if err != nil {
		return nil, &document.Error{Code: document.CodeFetchFailed, UpstreamStatus: http.StatusInternalServerError, Retryable: true,
			Message: "the uploaded file could not be read from storage", Err: fmt.Errorf("read uploaded file: %w", err)}
	}
	if f.MaxBytes > 0 && int64(len(data)) > f.MaxBytes {
		return nil, &document.Error{Code: document.CodeTooLarge,
			Message: fmt.Sprintf("the document is larger than the %d byte limit", f.MaxBytes)}
	}
	return &pipeline.Fetched{Data: data, ContentType: http.DetectContentType(data)}, nil
}

// match reports whether rawURL is a link to an uploaded file, with its blob
// key and query.
func (f *Fetcher) match(rawURL string) (key string, q url.Values, ok bool) {
	if f.Signer == nil {
		return "", nil, false
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", nil, false
	}
	key, ok = strings.CutPrefix(u.Path, cmp.Or(f.PathPrefix, DefaultPathPrefix))
	if !ok || key == "" {
		return "", nil, false
	}
	return key, u.Query(), true
}
