package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/app"
	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

const devID, devSecret = "e2e", "e2e-secret-0123456789"

func TestMain(m *testing.M) {
	if os.Getenv("OMP_THREAD_LIMIT") == "" {
		// Too late for libgomp, which read it at load: say why OCR is slow.
		fmt.Fprintln(os.Stderr, "warning: OMP_THREAD_LIMIT is unset; run through `make test` for realistic OCR speed")
	}
	os.Exit(m.Run())
}

// docServer serves generated documents and misbehaving URLs on 127.0.0.2,
// the only private address the atlas under test may fetch from.
type docServer struct {
	base  string
	files map[string][]byte
	truth map[string]*docgen.Sample
}

func startDocServer(t *testing.T, apiAddr func() string) *docServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2 (Linux routes all of 127/8 to loopback): %v", err)
	}
	ds := &docServer{base: "http://" + ln.Addr().String(), files: map[string][]byte{}, truth: map[string]*docgen.Sample{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /doc/{name}", func(w http.ResponseWriter, r *http.Request) {
		b, ok := ds.files[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	})
	mux.HandleFunc("GET /expired.jpg", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", http.StatusForbidden)
	})
	mux.HandleFunc("GET /slow.jpg", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	})
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+apiAddr()+"/metrics", http.StatusFound)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ds
}

func (ds *docServer) addSample(t *testing.T, name string, seed int64, typ document.Type, c docgen.Condition) string {
	t.Helper()
	s, err := docgen.Generate(seed, typ, c)
	if err != nil {
		t.Fatal(err)
	}
	ds.files[name], ds.truth[name] = s.Data, s
	return ds.base + "/doc/" + name
}

func (ds *docServer) add(name string, b []byte) string {
	ds.files[name] = b
	return ds.base + "/doc/" + name
}

// startAtlas runs the real service in-process: SQLite in a temporary
// directory, Tesseract, River, the HTTP API on a free loopback port.
func startAtlas(t *testing.T, mod func(*config.Config)) (*app.App, func()) {
	t.Helper()
	cfg := config.Defaults()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.DevClient = devID + ":" + devSecret
	cfg.FetchAllow = "127.0.0.2/32"
	cfg.RetryDelay = 50 * time.Millisecond
	if mod != nil {
		mod(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, &cfg, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
	return a, stop
}

func blankPNG() []byte {
	img := image.NewGray(image.Rect(0, 0, 800, 500))
	for i := range img.Pix {
		img.Pix[i] = 250
	}
	img.Set(10, 10, color.Black)
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// norm upper-cases and collapses white space, for tolerant comparisons.
func norm(s string) string { return strings.Join(strings.Fields(strings.ToUpper(s)), " ") }

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end through Tesseract; run without -short")
	}
	var a *app.App
	ds := startDocServer(t, func() string { return a.Addr() })
	a, stop := startAtlas(t, func(c *config.Config) {
		c.MaxDocumentBytes = 2 << 20
		c.FetchTimeout = 300 * time.Millisecond
	})
	defer stop()
	bomb, err := os.ReadFile("../decode/testdata/bomb.pdf")
	if err != nil {
		t.Fatal(err)
	}

	type want struct {
		status, code string
		upstream     int
		msg          string // substring of the error message
		exact        []string
		tolerant     []string // fields compared after normalising
	}
	panExact, aadhaarExact := []string{"pan_number", "dob"}, []string{"aadhaar_number", "date_of_birth", "gender"}
	cases := []struct {
		id, url string
		want    want
	}{
		{"pan-clean", ds.addSample(t, "pan-clean.png", 11, document.TypePAN, docgen.Clean), want{status: "done", exact: panExact, tolerant: []string{"name_as_per_pan", "father_name"}}},
		{"aadhaar-clean", ds.addSample(t, "aadhaar-clean.png", 12, document.TypeAadhaar, docgen.Clean), want{status: "done", exact: aadhaarExact, tolerant: []string{"name"}}},
		{"pan-photo", ds.addSample(t, "pan-photo.jpg", 13, document.TypePAN, docgen.Photo), want{status: "done", exact: []string{"pan_number"}}},
		{"aadhaar-photo", ds.addSample(t, "aadhaar-photo.jpg", 14, document.TypeAadhaar, docgen.Photo), want{status: "done", exact: []string{"aadhaar_number"}}},
		{"pan-rotated", ds.addSample(t, "pan-rotated.png", 15, document.TypePAN, docgen.Rotated), want{status: "done", exact: []string{"pan_number"}}},
		{"expired", ds.base + "/expired.jpg", want{status: "failed", code: "FETCH_FAILED", upstream: 403, msg: "expired"}},
		{"missing", ds.base + "/doc/missing.jpg", want{status: "failed", code: "FETCH_FAILED", upstream: 404, msg: "expired"}},
		{"slow", ds.base + "/slow.jpg", want{status: "failed", code: "TIMEOUT"}},
		{"corrupt", ds.add("corrupt.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{0x42}, 500)...)), want{status: "failed", code: "UNREADABLE"}},
		{"html", ds.add("login.jpg", []byte("<!DOCTYPE html><html><body>Sign in</body></html>")), want{status: "failed", code: "UNSUPPORTED_FORMAT"}},
		{"too-large", ds.add("huge.png", bytes.Repeat([]byte{1}, 3<<20)), want{status: "failed", code: "TOO_LARGE"}},
		{"pdf-bomb", ds.add("bomb.pdf", bomb), want{status: "failed", code: "TOO_LARGE"}},
		{"blank", ds.add("blank.png", blankPNG()), want{status: "failed", code: "UNRECOGNISED"}},
		{"ssrf-loopback", "http://" + a.Addr() + "/metrics", want{status: "failed", code: "FETCH_FAILED", msg: "private or loopback"}},
		{"ssrf-localhost", "http://localhost:" + a.Addr()[strings.LastIndex(a.Addr(), ":")+1:] + "/metrics", want{status: "failed", code: "FETCH_FAILED", msg: "private or loopback"}},
		{"ssrf-metadata", "http://169.254.169.254/latest/meta-data/iam/", want{status: "failed", code: "FETCH_FAILED", msg: "private or loopback"}},
		{"ssrf-private", "http://10.0.0.1/x.jpg", want{status: "failed", code: "FETCH_FAILED", msg: "private or loopback"}},
		{"ssrf-redirect", ds.base + "/redirect", want{status: "failed", code: "FETCH_FAILED", msg: "private or loopback"}},
	}
	c := &apitest.Client{T: t, Base: "http://" + a.Addr()}
	c.Authenticate(devID, devSecret)
	var files []apitest.File
	for _, tc := range cases {
		files = append(files, apitest.File{URL: tc.url, DocumentID: tc.id})
	}
	batch := c.Upload(files)
	items := c.Wait(batch, 4*time.Minute)
	if len(items) != len(cases) {
		t.Fatalf("%d items, want %d", len(items), len(cases))
	}
	// Identity documents read from images carry their capture's quality,
	// and an Aadhaar a link to its redacted copy, served to its client.
	if got := items[0].Value("document_quality_flag"); got != "original" {
		t.Errorf("clean PAN's document_quality_flag = %q, want original", got)
	}
	link := items[1].Value("redact_url")
	if !strings.HasPrefix(link, c.Base+"/v1/bulk/redacted/"+items[1].FileUUID) {
		t.Fatalf("Aadhaar redact_url = %q", link)
	}
	req, _ := http.NewRequest("GET", link, nil)
	req.Header.Set("Token", c.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := apitest.CheckResponse(t, "GET", "/v1/bulk/redacted/{file_uuid}", resp)
	if img, err := jpeg.Decode(bytes.NewReader(body)); err != nil || img.Bounds().Dx() < 500 {
		t.Errorf("redacted copy is not the card as a JPEG: %d %v", resp.StatusCode, err)
	}

	// What was read shows in the metrics.
	resp, err = http.Get(c.Base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`atlas_documents_finished_total{document_type="PAN",error_code="",status="done"} 3`,
		`atlas_documents_finished_total{document_type="",error_code="UNRECOGNISED",status="failed"} 1`,
		`atlas_stage_duration_seconds_count{stage="ocr"}`,
		`atlas_documents{status="queued"} 0`, // the queue is empty once all are read
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	for i, tc := range cases {
		it := items[i]
		t.Run(tc.id, func(t *testing.T) {
			if it.DocumentID != tc.id {
				t.Fatalf("item %d is %q: not in upload order", i, it.DocumentID)
			}
			if it.Status != tc.want.status {
				t.Fatalf("status %s (error %+v), want %s", it.Status, it.Error, tc.want.status)
			}
			if tc.want.status == "failed" {
				if it.Error == nil || it.Error.Code != tc.want.code || it.ErrorCode != tc.want.code {
					t.Fatalf("error %+v, want code %s", it.Error, tc.want.code)
				}
				if it.Error.UpstreamStatus != tc.want.upstream {
					t.Errorf("upstream_status %d, want %d", it.Error.UpstreamStatus, tc.want.upstream)
				}
				if !strings.Contains(it.Error.Message, tc.want.msg) {
					t.Errorf("message %q does not say %q", it.Error.Message, tc.want.msg)
				}
				if strings.Contains(it.Error.Message, "X-Amz") {
					t.Errorf("message leaks a URL signature: %q", it.Error.Message)
				}
				return
			}
			s := ds.truth[tc.url[strings.LastIndex(tc.url, "/")+1:]]
			if got := it.DocumentType(); got != string(s.Type) {
				t.Fatalf("document_type %q, want %q", got, s.Type)
			}
			for _, f := range tc.want.exact {
				if got := it.Value(f); got != s.Truth[f] {
					t.Errorf("%s = %q, want %q", f, got, s.Truth[f])
				}
			}
			for _, f := range tc.want.tolerant {
				if got := it.Value(f); norm(got) != norm(s.Truth[f]) {
					t.Errorf("%s = %q, want %q", f, got, s.Truth[f])
				}
			}
		})
	}
}

// Two processes on one embedded data directory would fight over the
// SQLite writer and reclaim each other's jobs: the second is refused.
func TestDataDirIsExclusive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts OCR engines")
	}
	first, stop := startAtlas(t, nil)
	defer stop()
	cfg := config.Defaults()
	cfg.Addr, cfg.DataDir = "127.0.0.1:0", first.DataDir()
	_, err := app.New(context.Background(), &cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "in use by another atlas process") {
		t.Fatalf("second process on the same data dir: %v", err)
	}
}
