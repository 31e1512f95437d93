package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/image/draw"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/review"
	"github.com/atlas-oss/atlas/internal/store"
)

// screenshotPath is the review page's screenshot the README shows.
const screenshotPath = "testdata/review-page.png"

// maxScreenshotBytes keeps the committed screenshot small.
const maxScreenshotBytes = 300 << 10

// chromiumPath returns Chromium's path: $ATLAS_CHROMIUM, else chromium on
// PATH. Without it the test is skipped, except in CI, where it fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ATLAS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "chromium is not installed: apt-get install -y chromium (or set ATLAS_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestBrowserReview drives the review page in headless Chromium against
// the real API server with the review handler mounted: it logs in through
// the form, opens a batch, sees the field boxes on the loaded image,
// corrects a field through its form and finds the correction, reviewed,
// through GET /v1/bulk/extracts. It keeps a screenshot of the page.
func TestBrowserReview(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	f := newFixture(t)
	iss, err := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New(f.st, "all", "test")
	srv := api.New(f.st, f.blobs, iss, api.Config{}, m, slog.New(slog.DiscardHandler), func(ctx context.Context) error { return f.st.Ping(ctx) })
	correct := review.CorrectorFunc(func(ctx context.Context, clientID, fileUUID, field, value, reviewer string) (*store.Document, error) {
		return api.Correct(ctx, f.st, m, clientID, fileUUID, field, value, reviewer)
	})
	srv.Handle(review.Prefix, newHandler(t, f, correct))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses its sandbox as root (containers)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()

	// The reader misread the father's name; the reviewer types it right.
	field, corrected := "father_name", f.sample.Truth["father_name"]
	row := `tr[data-field="` + field + `"]`
	img := `document.querySelector(".doc img")`
	// Log in through the form, then open the batch from the home page.
	err = chromedp.Do(ctx,
		chromedp.Navigate(hs.URL+"/review/"),
		chromedp.WaitVisible(chromedp.ID("client_id")),
		chromedp.SendKeys(chromedp.ID("client_id"), "client-a"),
		chromedp.SendKeys(chromedp.ID("client_secret"), secretA),
		chromedp.Submit(chromedp.ID("client_secret")),
		chromedp.WaitVisible(chromedp.ID("batch_id")),
		chromedp.SendKeys(chromedp.ID("batch_id"), f.batch["client-a"]),
		chromedp.Submit(chromedp.ID("batch_id")),
		chromedp.WaitVisible(chromedp.CSS(".doc img")),
	)
	if err != nil {
		t.Fatalf("log in and open the batch: %v", err)
	}
	if title := run(t, ctx, chromedp.Title()); !strings.Contains(title, f.batch["client-a"]) {
		t.Errorf("page title %q does not name the batch", title)
	}
	natural := run(t, ctx, chromedp.Poll[int](img+`.complete && `+img+`.naturalWidth`, chromedp.WithPollingTimeout(20*time.Second)))
	if natural != f.sample.Width {
		t.Errorf("image naturalWidth %d, want %d", natural, f.sample.Width)
	}
	rects := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".doc svg rect[data-field]").length`))
	if want := len(fieldNames(f.sample)); rects < want {
		t.Errorf("%d field boxes drawn, want at least %d", rects, want)
	}
	// The box is drawn inside the image as displayed (scaled with it).
	inside := run(t, ctx, chromedp.Evaluate[[]float64](`(() => {
		const i = `+img+`.getBoundingClientRect();
		const r = document.querySelector('.doc svg rect[data-field="`+field+`"]').getBoundingClientRect();
		return [r.width, r.height, r.left - i.left, r.top - i.top, i.right - r.right, i.bottom - r.bottom];
	})()`))
	if len(inside) != 6 || inside[0] <= 0 || inside[1] <= 0 || inside[2] < 0 || inside[3] < 0 || inside[4] < 0 || inside[5] < 0 {
		t.Errorf("the %s box is not drawn inside the image: %v", field, inside)
	}

	// Correct the field through its form.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(row+` input[name="value"]`), corrected),
		chromedp.Click(chromedp.CSS(row+` button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(row+` .reviewed`)),
	)
	if err != nil {
		t.Fatalf("correct %s: %v", field, err)
	}
	if shown := run(t, ctx, chromedp.Text(chromedp.CSS(row+` td.value`))); !strings.Contains(shown, corrected) {
		t.Errorf("the page shows %q after the correction, want %q", shown, corrected)
	}
	run(t, ctx, chromedp.Poll[bool](img+`.complete && `+img+`.naturalWidth > 0`, chromedp.WithPollingTimeout(20*time.Second)))
	shot := run(t, ctx, chromedp.FullScreenshot(100))
	saveScreenshot(t, shot)

	// The API returns the correction, marked reviewed.
	c := &apitest.Client{T: t, Base: hs.URL}
	c.Authenticate("client-a", secretA)
	items, err := c.Extracts(f.batch["client-a"])
	if err != nil || len(items) != 1 {
		t.Fatalf("extracts: %v, %d items", err, len(items))
	}
	var got struct {
		Value    string `json:"value"`
		Reviewed bool   `json:"reviewed"`
	}
	if err := json.Unmarshal(items[0].FileData[field], &got); err != nil {
		t.Fatalf("file_data.%s: %v", field, err)
	}
	if got.Value != corrected || !got.Reviewed {
		t.Fatalf("file_data.%s = %+v, want %q reviewed", field, got, corrected)
	}
	d, err := f.st.GetDocument(context.Background(), f.doc["client-a"])
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Corrections[field].Reviewer; r != "review:client-a" {
		t.Errorf("reviewer %q, want review:client-a", r)
	}
}

// run runs a browser action and returns its value, failing the test on
// error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

var updateScreenshot = flag.Bool("update", false, "rewrite "+screenshotPath+", the README's screenshot")

// saveScreenshot keeps the page's screenshot as a test artefact, in
// $ATLAS_TEST_ARTIFACTS (make test: bin/test-artifacts) or the system's
// temporary directory, and with -update, made small enough, in testdata
// for the README.
func saveScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	dir := os.Getenv("ATLAS_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "atlas-test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	artefact := filepath.Join(dir, "review-page.png")
	if err := os.WriteFile(artefact, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the review page: %s", artefact)
	if !*updateScreenshot {
		return
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	out := shot
	for len(out) > maxScreenshotBytes && img.Bounds().Dx() > 400 {
		b := img.Bounds()
		small := image.NewRGBA(image.Rect(0, 0, b.Dx()*3/4, b.Dy()*3/4))
		draw.CatmullRom.Scale(small, small.Bounds(), img, b, draw.Src, nil)
		img = small
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		out = buf.Bytes()
	}
	if len(out) > maxScreenshotBytes {
		t.Fatalf("screenshot is %d bytes, want at most %d", len(out), maxScreenshotBytes)
	}
	if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotPath, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
