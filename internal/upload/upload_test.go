package upload_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/upload"
)

var (
	testKey = []byte(strings.Repeat("k", 32))
	t0      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

func newSigner(t testing.TB, key []byte) *upload.Signer {
	t.Helper()
	s, err := upload.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// params splits what Sign answered.
func params(t testing.TB, query string) (expires, signature string) {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatalf("Sign answered %q: %v", query, err)
	}
	return q.Get("expires"), q.Get("signature")
}

func TestNewSignerRefusesShortKeys(t *testing.T) {
	if _, err := upload.NewSigner([]byte(strings.Repeat("k", 31))); err == nil {
		t.Error("a 31-byte key was accepted")
	}
}

func TestVerify(t *testing.T) {
	s := newSigner(t, testKey)
	const key = "sha256/ab12/ab12cd"
	exp, sig := params(t, s.Sign(key, t0.Add(time.Hour)))
	other := newSigner(t, []byte(strings.Repeat("o", 32)))
	_, otherSig := params(t, other.Sign(key, t0.Add(time.Hour)))
	_, laterSig := params(t, s.Sign(key, t0.Add(2*time.Hour)))
	tests := []struct {
		name          string
		key, exp, sig string
		now           time.Time
		want          error
	}{
		{"valid", key, exp, sig, t0, nil},
		{"valid until the last second", key, exp, sig, t0.Add(time.Hour - time.Second), nil},
		{"expired at expiry", key, exp, sig, t0.Add(time.Hour), upload.ErrExpired},
		{"expired long ago", key, exp, sig, t0.Add(30 * 24 * time.Hour), upload.ErrExpired},
		{"other blob key", "sha256/ab12/ab12ce", exp, sig, t0, upload.ErrBadSignature},
		{"expiry pushed later", key, "9999999999", sig, t0, upload.ErrBadSignature},
		{"signature of another expiry", key, exp, laterSig, t0, upload.ErrBadSignature},
		{"another server's key", key, exp, otherSig, t0, upload.ErrBadSignature},
		{"upper-case hex", key, exp, strings.ToUpper(sig), t0, nil},
		{"truncated signature", key, exp, sig[:len(sig)-2], t0, upload.ErrBadSignature},
		{"not hex", key, exp, "zz" + sig[2:], t0, upload.ErrBadSignature},
		{"empty signature", key, exp, "", t0, upload.ErrBadSignature},
		{"empty expires", key, "", sig, t0, upload.ErrBadSignature},
		{"expires with a sign", key, "+" + exp, sig, t0, upload.ErrBadSignature},
		{"expires with a leading zero", key, "0" + exp, sig, t0, upload.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Verify(tt.key, tt.exp, tt.sig, tt.now)
			if tt.want == nil && err != nil {
				t.Fatalf("Verify: %v, want nil", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
		})
	}
}

// A signer built again from the same secret (a restart) accepts its links.
func TestSignerIsStableAcrossRestarts(t *testing.T) {
	exp, sig := params(t, newSigner(t, testKey).Sign("k", t0.Add(time.Minute)))
	if err := newSigner(t, testKey).Verify("k", exp, sig, t0); err != nil {
		t.Fatal(err)
	}
}

// The derived key differs from the secret: an HMAC under the raw secret
// (as the JWT issuer makes) is not a valid link signature.
func TestSignerDerivesItsKey(t *testing.T) {
	s := newSigner(t, testKey)
	exp, sig := params(t, s.Sign("k", t0.Add(time.Minute)))
	if err := s.Verify("k", exp, sig, t0); err != nil {
		t.Fatal(err)
	}
	// Same message under the raw secret, as another user of the key would sign.
	raw := hmacHex(testKey, "k\n"+exp)
	if raw == sig {
		t.Fatal("the signer signs with the raw secret")
	}
	if err := s.Verify("k", exp, raw, t0); !errors.Is(err, upload.ErrBadSignature) {
		t.Fatalf("raw-secret HMAC: %v, want ErrBadSignature", err)
	}
}

func FuzzVerify(f *testing.F) {
	s := newSigner(f, testKey)
	exp, sig := params(f, s.Sign("sha256/ab12/ab12cd", t0.Add(time.Hour)))
	f.Add("sha256/ab12/ab12cd", exp, sig)
	f.Add("", "", "")
	f.Add("x", "-1", "00")
	f.Fuzz(func(t *testing.T, key, exp, sig string) {
		err := s.Verify(key, exp, sig, t0)
		if err == nil {
			// Only a signature the signer made passes.
			if _, want := params(t, s.Sign(key, parseUnix(t, exp))); !strings.EqualFold(want, sig) {
				t.Fatalf("Verify(%q, %q, %q) accepted a signature it did not make", key, exp, sig)
			}
		}
	})
}

// recorder is a Next fetcher that records the URLs it is given.
type recorder struct{ urls []string }

func (r *recorder) Fetch(ctx context.Context, u string) (*pipeline.Fetched, error) {
	r.urls = append(r.urls, u)
	return &pipeline.Fetched{Data: []byte("from the network"), ContentType: "text/plain"}, nil
}

func TestFetcher(t *testing.T) {
	ctx := context.Background()
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	png := []byte("\x89PNG\r\n\x1a\n uploaded image bytes")
	key, err := bs.Put(ctx, png)
	if err != nil {
		t.Fatal(err)
	}
	s := newSigner(t, testKey)
	link := func(host, key string, exp time.Time) string {
		return "https://" + host + "/v1/bulk/files/" + key + "?" + s.Sign(key, exp)
	}
	const gone = "sha256/0000/0000000000000000000000000000000000000000000000000000000000000000"
	good := link("atlas.example.com", key, t0.Add(time.Hour))
	tests := []struct {
		name      string
		url       string
		maxBytes  int64
		wantNext  bool
		wantData  []byte
		wantCode  document.ErrorCode
		wantState int
	}{
		{name: "uploaded file", url: good, wantData: png},
		{name: "any host", url: link("10.0.0.7:8080", key, t0.Add(time.Hour)), wantData: png},
		{name: "plain http", url: strings.Replace(good, "https://", "http://", 1), wantData: png},
		{name: "expired", url: link("atlas.example.com", key, t0.Add(-time.Second)), wantCode: document.CodeFetchFailed, wantState: 403},
		{name: "forged signature", url: strings.Replace(good, "signature=", "signature=00", 1), wantCode: document.CodeFetchFailed, wantState: 403},
		{name: "unsigned", url: "https://atlas.example.com/v1/bulk/files/" + key, wantCode: document.CodeFetchFailed, wantState: 403},
		{name: "signature of another key", url: strings.Replace(good, key, gone, 1), wantCode: document.CodeFetchFailed, wantState: 403},
		{name: "deleted file", url: link("atlas.example.com", gone, t0.Add(time.Hour)), wantCode: document.CodeFetchFailed, wantState: 404},
		{name: "too large", url: good, maxBytes: 8, wantCode: document.CodeTooLarge},
		{name: "other URL", url: "https://files.example.com/a.jpg?X-Amz-Signature=abc", wantNext: true},
		{name: "prefix only in the query", url: "https://files.example.com/a.jpg?p=/v1/bulk/files/" + key, wantNext: true},
		{name: "bare prefix", url: "https://files.example.com/v1/bulk/files/", wantNext: true},
		{name: "not http", url: "ftp://atlas.example.com/v1/bulk/files/" + key, wantNext: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &recorder{}
			f := &upload.Fetcher{Next: next, Blobs: bs, Signer: s, MaxBytes: tt.maxBytes, Now: func() time.Time { return t0 }}
			got, err := f.Fetch(ctx, tt.url)
			if tt.wantNext {
				if err != nil || len(next.urls) != 1 || next.urls[0] != tt.url {
					t.Fatalf("Fetch: %v; Next saw %q, want the URL passed on", err, next.urls)
				}
				return
			}
			if len(next.urls) != 0 {
				t.Fatalf("Next was called with %q", next.urls)
			}
			if tt.wantCode != "" {
				var de *document.Error
				if !errors.As(err, &de) || de.Code != tt.wantCode || de.UpstreamStatus != tt.wantState {
					t.Fatalf("Fetch: %#v, want %s with upstream status %d", err, tt.wantCode, tt.wantState)
				}
				if de.Message == "" || strings.Contains(de.Message, key) {
					t.Errorf("message %q is empty or names the blob key", de.Message)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if string(got.Data) != string(tt.wantData) || got.ContentType != "image/png" {
				t.Fatalf("Fetch = %q (%s), want the uploaded bytes as image/png", got.Data, got.ContentType)
			}
		})
	}
}

// The expired and forged messages differ, so a client knows to re-upload
// rather than look for a typo, and the reverse.
func TestFetcherMessagesSayWhatToDo(t *testing.T) {
	s := newSigner(t, testKey)
	f := &upload.Fetcher{Next: &recorder{}, Blobs: nil, Signer: s, Now: func() time.Time { return t0 }}
	expired := "https://h/v1/bulk/files/k?" + s.Sign("k", t0.Add(-time.Hour))
	forged := "https://h/v1/bulk/files/k?expires=1&signature=00"
	for u, want := range map[string]string{expired: "expired", forged: "invalid signature"} {
		_, err := f.Fetch(context.Background(), u)
		var de *document.Error
		if !errors.As(err, &de) || !strings.Contains(de.Message, want) {
			t.Errorf("Fetch(%s): %v, want a message saying %q", u, err, want)
		}
	}
}

// Without a signer nothing is treated as an upload.
func TestFetcherWithoutSignerPassesEverythingOn(t *testing.T) {
	next := &recorder{}
	f := &upload.Fetcher{Next: next}
	u := "https://h/v1/bulk/files/sha256/ab12/ab12?expires=1&signature=00"
	if _, err := f.Fetch(context.Background(), u); err != nil || len(next.urls) != 1 {
		t.Fatalf("Fetch: %v, Next saw %q", err, next.urls)
	}
}

// A base path in the public URL is honoured through PathPrefix.
func TestFetcherPathPrefix(t *testing.T) {
	ctx := context.Background()
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	key, _ := bs.Put(ctx, []byte("%PDF-1.7 uploaded"))
	s := newSigner(t, testKey)
	f := &upload.Fetcher{Next: &recorder{}, Blobs: bs, Signer: s, PathPrefix: "/atlas/v1/bulk/files/", Now: func() time.Time { return t0 }}
	got, err := f.Fetch(ctx, "https://h/atlas/v1/bulk/files/"+key+"?"+s.Sign(key, t0.Add(time.Hour)))
	if err != nil || got.ContentType != "application/pdf" {
		t.Fatalf("Fetch: %v, %+v", err, got)
	}
	if _, err := f.Fetch(ctx, "https://h/v1/bulk/files/"+key+"?"+s.Sign(key, t0.Add(time.Hour))); err != nil {
		t.Fatalf("a URL outside the prefix should go to Next: %v", err)
	}
}
