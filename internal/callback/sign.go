// Package callback delivers a flow's results to the client's callback_url:
// signed POSTs (HMAC-SHA256 over a timestamp and the body), each carrying
// an id the receiver de-duplicates on, sent by a durable River job that
// retries with exponential backoff over hours. Requests go through the
// fetcher's SSRF-guarded transport, and neither errors nor logs hold a
// body, a token, a secret or a URL's query string.
package callback

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of every callback (and of every token request, which carries no
// callback id).
const (
	// HeaderID is the callback's id, the same on every attempt: the
	// receiver's de-duplication key.
	HeaderID = "Atlas-Callback-Id"
	// HeaderEvent names what happened (document.processed, ...).
	HeaderEvent = "Atlas-Event"
	// HeaderTimestamp is the Unix time, in seconds, of this attempt; it is
	// signed, so a captured request cannot be replayed later.
	HeaderTimestamp = "Atlas-Timestamp"
	// HeaderSignature is "v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>",
	// possibly several comma-separated values while a secret is rotated.
	HeaderSignature = "Atlas-Signature"
)

// signatureScheme prefixes each signature value, so that a later scheme
// can be sent alongside without breaking receivers of this one.
const signatureScheme = "v1="

// DefaultTolerance is how far a timestamp may be from the receiver's clock
// when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify, found with errors.Is.
var (
	// ErrMalformedHeader: the timestamp or signature header is missing or
	// unreadable.
	ErrMalformedHeader = errors.New("malformed signature headers")
	// ErrBadSignature: no signature matches the body and timestamp under
	// the secret (a tampered body, or the wrong secret).
	ErrBadSignature = errors.New("signature does not match")
	// ErrStaleTimestamp: the timestamp is further from now than the
	// tolerance, in the past (a replay) or in the future.
	ErrStaleTimestamp = errors.New("timestamp outside tolerance")
)

// mac returns HMAC-SHA256(secret, unix + "." + body).
func mac(secret []byte, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(strconv.FormatInt(unix, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Sign returns the Atlas-Signature value for body sent at ts:
// "v1=" followed by the hex HMAC-SHA256 of ts's Unix seconds, a dot and
// the body, keyed with secret.
func Sign(secret []byte, ts time.Time, body []byte) string {
	return signatureScheme + hex.EncodeToString(mac(secret, ts.Unix(), body))
}

// setSignature sets the timestamp and signature headers for body sent at
// ts.
func setSignature(h http.Header, secret []byte, ts time.Time, body []byte) {
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, Sign(secret, ts, body))
}

// Verify checks a received callback: that its timestamp is within
// tolerance of now (DefaultTolerance when tolerance is not positive) and
// that one of its v1 signatures is the HMAC of the timestamp and body under
// secret. Several signatures (comma-separated, or repeated headers) are
// accepted so the sender can sign with an old and a new secret while they
// are rotated. Signatures are compared in constant time. Errors wrap
// ErrMalformedHeader, ErrStaleTimestamp or ErrBadSignature.
func Verify(secret []byte, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	rawTS := strings.TrimSpace(h.Get(HeaderTimestamp))
	if rawTS == "" {
		return fmt.Errorf("verify callback: no %s header: %w", HeaderTimestamp, ErrMalformedHeader)
	}
	unix, err := strconv.ParseInt(rawTS, 10, 64)
	if err != nil {
		return fmt.Errorf("verify callback: %s is not a Unix time: %w", HeaderTimestamp, ErrMalformedHeader)
	}
	// Compare in seconds: converting a huge timestamp to a time.Duration
	// would overflow.
	if skew := now.Unix() - unix; skew > int64(tolerance/time.Second) || -skew > int64(tolerance/time.Second) {
		return fmt.Errorf("verify callback: timestamp %d is %ds from now: %w", unix, skew, ErrStaleTimestamp)
	}
	var sigs [][]byte
	for _, v := range h.Values(HeaderSignature) {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			hexSig, ok := strings.CutPrefix(part, signatureScheme)
			if !ok {
				continue // another scheme: not ours to judge
			}
			sig, err := hex.DecodeString(hexSig)
			if err != nil || len(sig) != sha256.Size {
				continue
			}
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return fmt.Errorf("verify callback: no v1 signature in %s: %w", HeaderSignature, ErrMalformedHeader)
	}
	want := mac(secret, unix, body)
	ok := false
	for _, sig := range sigs {
		// Compare with every value, not stopping at a match, so the time
		// taken does not tell which one matched.
		if hmac.Equal(sig, want) {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("verify callback: %w", ErrBadSignature)
	}
	return nil
}
