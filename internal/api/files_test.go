package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/upload"
)

// Put makes brokenBlobs (delete_test.go) an api.Blobs now that uploads
// need Put; it fails like the rest of it.
func (brokenBlobs) Put(context.Context, []byte) (string, error) {
	return "", errors.New("bucket unreachable")
}

const filesSpecPath = "/v1/bulk/files/sha256/{prefix}/{digest}"

var uploadKey = []byte(strings.Repeat("u", 32))

// fileEnv is an API with a real blob store and an upload signer.
type fileEnv struct {
	*env
	blobs  *blob.Store
	signer *upload.Signer
}

func newFileEnv(t *testing.T, cfg api.Config) *fileEnv {
	t.Helper()
	e := newEnv(t, cfg)
	bs := openBlobs(t)
	signer, err := upload.NewSigner(uploadKey)
	if err != nil {
		t.Fatal(err)
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	s := api.New(e.store, bs, iss, cfg, metrics.New(e.store, "all", "test"), slog.New(slog.DiscardHandler), e.store.Ping)
	s.SetUploadSigner(signer)
	e.srv = httptest.NewServer(s)
	t.Cleanup(e.srv.Close)
	return &fileEnv{env: e, blobs: bs, signer: signer}
}

func (e *fileEnv) post(tok string, data []byte) (*http.Response, []byte) {
	e.t.Helper()
	resp := e.do("POST", "/v1/bulk/files", map[string]string{"Token": tok, "Content-Type": "application/octet-stream"}, data)
	return resp, apitest.CheckResponse(e.t, "POST", "/v1/bulk/files", resp)
}

// get fetches a link (absolute, or a path and query on the test server).
func (e *fileEnv) get(link string) (*http.Response, []byte) {
	e.t.Helper()
	if strings.HasPrefix(link, "/") {
		link = e.srv.URL + link
	}
	resp, err := http.Get(link)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, apitest.CheckResponse(e.t, "GET", filesSpecPath, resp)
}

type fileAnswer struct {
	FileURL   string `json:"file_url"`
	ExpiresAt string `json:"expires_at"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

func (e *fileEnv) mustPost(data []byte) fileAnswer {
	e.t.Helper()
	resp, body := e.post(e.tokA, data)
	if resp.StatusCode != 201 {
		e.t.Fatalf("POST /v1/bulk/files: %d %s", resp.StatusCode, body)
	}
	var a fileAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		e.t.Fatal(err)
	}
	return a
}

var (
	jpegFile = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00 scanned PAN card")
	pdfFile  = []byte("%PDF-1.7\n1 0 obj << >> endobj\n")
	tiffFile = []byte("II*\x00\x08\x00\x00\x00 scanned page")
)

func TestUploadFileAnswersASignedLinkThatServesTheBytes(t *testing.T) {
	e := newFileEnv(t, api.Config{})
	for _, tt := range []struct {
		name string
		data []byte
		ct   string
	}{
		{"jpeg", jpegFile, "image/jpeg"},
		{"pdf", pdfFile, "application/pdf"},
		{"tiff", tiffFile, "image/tiff"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x00\x00"), "image/webp"},
		{"bmp", []byte("BM\x36\x00\x00\x00\x00\x00\x00\x00bitmap"), "image/bmp"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "image/gif"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			a := e.mustPost(tt.data)
			sum := sha256.Sum256(tt.data)
			if a.Size != int64(len(tt.data)) || a.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("size %d sha256 %s, want %d %x", a.Size, a.SHA256, len(tt.data), sum)
			}
			if !strings.HasPrefix(a.FileURL, e.srv.URL+"/v1/bulk/files/sha256/") {
				t.Errorf("file_url %q is not on the server's base URL", a.FileURL)
			}
			exp, err := time.Parse(time.RFC3339, a.ExpiresAt)
			if err != nil {
				t.Fatalf("expires_at %q: %v", a.ExpiresAt, err)
			}
			if d := exp.Sub(before); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
				t.Errorf("expires_at is %s after the upload, want 7 days", d)
			}
			resp, body := e.get(a.FileURL)
			if resp.StatusCode != 200 || !bytes.Equal(body, tt.data) {
				t.Fatalf("GET file_url: %d %q", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.ct {
				t.Errorf("Content-Type %q, want %q", got, tt.ct)
			}
			if got := resp.Header.Get("Cache-Control"); got != "private, no-store" {
				t.Errorf("Cache-Control %q", got)
			}
		})
	}
}

// The same bytes give the same stored file, so a retried upload is safe.
func TestUploadFileIsContentAddressed(t *testing.T) {
	e := newFileEnv(t, api.Config{})
	a, b := e.mustPost(jpegFile), e.mustPost(jpegFile)
	pathOf := func(s string) string {
		u, _ := url.Parse(s)
		return u.Path
	}
	if pathOf(a.FileURL) != pathOf(b.FileURL) {
		t.Errorf("one file, two paths: %s and %s", pathOf(a.FileURL), pathOf(b.FileURL))
	}
	key := strings.TrimPrefix(pathOf(a.FileURL), "/v1/bulk/files/")
	if data, err := e.blobs.Get(context.Background(), key); err != nil || !bytes.Equal(data, jpegFile) {
		t.Errorf("blob %s: %q, %v", key, data, err)
	}
}

func TestUploadFileRefusals(t *testing.T) {
	e := newFileEnv(t, api.Config{MaxFileBytes: 64})
	for _, tt := range []struct {
		name     string
		tok      string
		data     []byte
		status   int
		contains string
	}{
		{"no token", "", jpegFile, 401, "Token"},
		{"bad token", "nope", jpegFile, 401, "invalid"},
		{"empty body", e.tokA, nil, 400, "empty"},
		{"too large", e.tokA, append(bytes.Clone(jpegFile), make([]byte, 64)...), 413, "64 bytes"},
		{"text", e.tokA, []byte("name,pan\nA,ABCDE1234F\n"), 415, "not a JPEG"},
		{"html", e.tokA, []byte("<html><body>hi</body></html>"), 415, "PDF"},
		{"zip", e.tokA, []byte("PK\x03\x04\x14\x00\x00\x00"), 415, "image"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.post(tt.tok, tt.data)
			wantError(t, resp, body, tt.status, tt.contains)
		})
	}
}

// A server without a signer or blob store does not take uploads, and its
// links all fail.
func TestUploadFileDisabled(t *testing.T) {
	e := &fileEnv{env: newEnv(t, api.Config{})}
	resp, body := e.post(e.tokA, jpegFile)
	wantError(t, resp, body, 501, "not enabled")
	signer, _ := upload.NewSigner(uploadKey)
	key := "sha256/ab12/ab12" + strings.Repeat("0", 60)
	resp, body = e.get("/v1/bulk/files/" + key + "?" + signer.Sign(key, time.Now().Add(time.Hour)))
	wantError(t, resp, body, 403, "invalid")
}

func TestServeFileRefusals(t *testing.T) {
	e := newFileEnv(t, api.Config{})
	a := e.mustPost(jpegFile)
	u, _ := url.Parse(a.FileURL)
	key := strings.TrimPrefix(u.Path, "/v1/bulk/files/")
	q := u.Query()
	other, _ := upload.NewSigner([]byte(strings.Repeat("o", 32)))
	absent := "sha256/0000/" + strings.Repeat("0", 64)
	sign := func(s *upload.Signer, key string, exp time.Time) string {
		return "/v1/bulk/files/" + key + "?" + s.Sign(key, exp)
	}
	for _, tt := range []struct {
		name, link string
		status     int
		contains   string
	}{
		{"no signature", u.Path, 403, "invalid"},
		{"altered signature", u.Path + "?expires=" + q.Get("expires") + "&signature=" + strings.Repeat("0", 64), 403, "invalid"},
		{"longer expiry", u.Path + "?expires=" + q.Get("expires") + "0&signature=" + q.Get("signature"), 403, "invalid"},
		{"signature of another file", "/v1/bulk/files/" + absent + "?" + u.RawQuery, 403, "invalid"},
		{"another server's signer", sign(other, key, time.Now().Add(time.Hour)), 403, "invalid"},
		{"expired", sign(e.signer, key, time.Now().Add(-time.Second)), 403, "expired"},
		{"not stored", sign(e.signer, absent, time.Now().Add(time.Hour)), 404, "no longer stored"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.get(tt.link)
			wantError(t, resp, body, tt.status, tt.contains)
		})
	}
}

// The link needs no token, and a client's token does not replace the
// signature.
func TestServeFileIgnoresTokens(t *testing.T) {
	e := newFileEnv(t, api.Config{})
	a := e.mustPost(pdfFile)
	u, _ := url.Parse(a.FileURL)
	resp := e.do("GET", u.Path, map[string]string{"Token": e.tokA}, nil)
	body, _ := io.ReadAll(resp.Body)
	wantError(t, resp, body, 403, "invalid")
}

// The link carries the public URL when the server has one.
func TestUploadFileUsesPublicURL(t *testing.T) {
	e := newFileEnv(t, api.Config{PublicURL: "https://atlas.example.com/"})
	a := e.mustPost(jpegFile)
	if !strings.HasPrefix(a.FileURL, "https://atlas.example.com/v1/bulk/files/sha256/") {
		t.Fatalf("file_url %q", a.FileURL)
	}
	u, _ := url.Parse(a.FileURL)
	resp, body := e.get(u.Path + "?" + u.RawQuery)
	if resp.StatusCode != 200 || !bytes.Equal(body, jpegFile) {
		t.Fatalf("GET: %d %q", resp.StatusCode, body)
	}
}

// What the API signs, the pipeline's Fetcher accepts: the two halves agree
// on the path and the signature.
func TestUploadedLinkIsReadByTheFetcher(t *testing.T) {
	e := newFileEnv(t, api.Config{PublicURL: "https://atlas.example.com"})
	a := e.mustPost(tiffFile)
	f := &upload.Fetcher{Blobs: e.blobs, Signer: e.signer}
	got, err := f.Fetch(context.Background(), a.FileURL)
	if err != nil || !bytes.Equal(got.Data, tiffFile) {
		t.Fatalf("Fetch(file_url): %v", err)
	}
}
