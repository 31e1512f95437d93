package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/metrics"
	fileupload "github.com/atlas-oss/atlas/internal/upload"
)

const routeFiles = "POST /v1/bulk/files"

// newUploadServer is newServer with a blob store and an upload signer, so
// the server takes files.
func newUploadServer(t *testing.T) (*server, *blob.Store) {
	t.Helper()
	s := newServer(t)
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	signer, err := fileupload.NewSigner([]byte(strings.Repeat("u", 32)))
	if err != nil {
		t.Fatal(err)
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	a := api.New(s.store, bs, iss, api.Config{}, metrics.New(s.store, "all", "test"), slog.New(slog.DiscardHandler), s.store.Ping)
	a.SetUploadSigner(signer)
	hs := httptest.NewServer(s.wrap(a))
	t.Cleanup(hs.Close)
	s.url = hs.URL
	return s, bs
}

var scan = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00 a scanned PAN card")

func TestUploadFileThenSubmitIt(t *testing.T) {
	s, _ := newUploadServer(t)
	c := s.client()
	ctx := context.Background()
	before := time.Now()
	up, err := c.UploadFile(ctx, bytes.NewReader(scan))
	if err != nil {
		t.Fatalf("UploadFile: %v", err)
	}
	sum := sha256.Sum256(scan)
	if up.Size != int64(len(scan)) || up.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("answer %+v does not describe the file", up)
	}
	if d := up.ExpiresAt.Sub(before); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Errorf("ExpiresAt is %s away, want 7 days", d)
	}
	resp, err := http.Get(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, scan) {
		t.Fatalf("GET %s: %d %q, want the file", up.URL, resp.StatusCode, got)
	}
	mu, err := c.Multiupload(ctx, MultiuploadRequest{ProductType: "PFL_CDL", Files: []Entry{{FileURL: up.URL, DocumentID: "pan.jpg"}}})
	if err != nil || len(mu.Entries) != 1 {
		t.Fatalf("Multiupload of the link: %v", err)
	}
}

// An answer lost on the way back is retried, and the retry stores nothing new.
func TestUploadFileRetryIsSafe(t *testing.T) {
	s, bs := newUploadServer(t)
	s.set(func() { s.lose[routeFiles] = 1 })
	up, err := s.client().UploadFile(context.Background(), bytes.NewReader(scan))
	if err != nil {
		t.Fatalf("UploadFile after a lost answer: %v", err)
	}
	if got := s.statusesOf(routeFiles); len(got) != 2 || got[0] != 503 || got[1] != 201 {
		t.Errorf("statuses %v, want 503 then 201", got)
	}
	sum := sha256.Sum256(scan)
	h := hex.EncodeToString(sum[:])
	if data, err := bs.Get(context.Background(), "sha256/"+h[:4]+"/"+h); err != nil || !bytes.Equal(data, scan) {
		t.Errorf("stored file: %v", err)
	}
	if !strings.Contains(up.URL, h) {
		t.Errorf("URL %s does not name the file's hash", up.URL)
	}
}

// errReader fails mid-file.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestUploadFileFailures(t *testing.T) {
	files, _ := newUploadServer(t)
	plain := newServer(t)
	tests := []struct {
		name   string
		s      *server
		r      io.Reader
		status int // the *APIError wanted, 0 for a local error
		sent   int // requests to POST /v1/bulk/files
	}{
		{"not an image", files, strings.NewReader("name,pan\nA,ABCDE1234F\n"), 415, 1},
		{"server without uploads", plain, bytes.NewReader(scan), 501, 1},
		{"empty file", files, strings.NewReader(""), 0, 0},
		{"unreadable file", files, errReader{}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.s.count(routeFiles)
			_, err := tt.s.client().UploadFile(context.Background(), tt.r)
			if err == nil {
				t.Fatal("UploadFile succeeded")
			}
			if tt.status != 0 && !IsStatus(err, tt.status) {
				t.Errorf("err = %v, want *APIError %d", err, tt.status)
			}
			var ae *APIError
			if tt.status == 0 && errors.As(err, &ae) {
				t.Errorf("err = %v, want a local error", err)
			}
			if n := tt.s.count(routeFiles) - before; n != tt.sent {
				t.Errorf("%d requests, want %d (client errors are not retried)", n, tt.sent)
			}
		})
	}
}
