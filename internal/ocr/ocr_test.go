package ocr

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// specimen is the public PAN card specimen (448x289, placeholder values).
func specimen(tb testing.TB) image.Image {
	tb.Helper()
	f, err := os.Open("testdata/pan_sharp.png")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

// rotateCW returns img turned clockwise by deg (a multiple of 90).
func rotateCW(img image.Image, deg int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.RGBA
	switch deg {
	case 90, 270:
		out = image.NewRGBA(image.Rect(0, 0, h, w))
	default:
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	for y := range h {
		for x := range w {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			switch deg {
			case 90:
				out.Set(h-1-y, x, c)
			case 180:
				out.Set(w-1-x, h-1-y, c)
			case 270:
				out.Set(y, w-1-x, c)
			default:
				out.Set(x, y, c)
			}
		}
	}
	return out
}

var (
	sharedOnce sync.Once
	shared     *Engine
	sharedErr  error
)

// engine returns one engine shared by the package's tests: loading the
// model is the slow part, and reuse across pages is what production does.
func engine(tb testing.TB) *Engine {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = New(Config{}) })
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return shared
}

// normalise keeps upper-case letters and digits, so that assertions do not
// depend on how Tesseract spaced or punctuated a line.
func normalise(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, s)
}

// containsInOrder reports whether s holds each of subs, in order.
func containsInOrder(s string, subs ...string) bool {
	for _, sub := range subs {
		i := strings.Index(s, sub)
		if i < 0 {
			return false
		}
		s = s[i+len(sub):]
	}
	return true
}

func checkPage(t *testing.T, p document.Page) {
	t.Helper()
	if p.Source != "ocr" {
		t.Errorf("Source = %q, want ocr", p.Source)
	}
	bounds := image.Rect(0, 0, p.Width, p.Height)
	for _, w := range p.Words {
		if !w.Box.In(bounds) || w.Box.Empty() {
			t.Errorf("word box %v not inside page %v", w.Box, bounds)
		}
		if w.Conf < 0 || w.Conf > 1 {
			t.Errorf("word confidence %v not in [0, 1]", w.Conf)
		}
		if w.Block < 1 || w.Para < 1 || w.Line < 1 {
			t.Errorf("word numbered block %d para %d line %d, want all >= 1", w.Block, w.Para, w.Line)
		}
		if strings.TrimSpace(w.Text) != w.Text || w.Text == "" {
			t.Errorf("word text %q is empty or padded", w.Text)
		}
	}
}

func TestRecognizeSpecimen(t *testing.T) {
	e := engine(t)
	src := specimen(t)
	tests := []struct {
		turned       int // how the input is turned, clockwise
		wantRotation int // the correction Recognize must apply
	}{
		{0, 0},
		{90, 270},
		{180, 180},
		{270, 90},
	}
	for _, tt := range tests {
		t.Run("turned"+strconv.Itoa(tt.turned), func(t *testing.T) {
			reads, osdRuns := e.reads, e.osdRuns
			p, err := e.Recognize(t.Context(), rotateCW(src, tt.turned))
			if err != nil {
				t.Fatal(err)
			}
			// The cost of the orientation policy: an upright card is read
			// once; a turned one is read, its orientation detected, and
			// read again.
			wantReads, wantOSD := 2, 1
			if tt.turned == 0 {
				wantReads, wantOSD = 1, 0
			}
			if e.reads-reads != wantReads || e.osdRuns-osdRuns != wantOSD {
				t.Errorf("%d reads and %d orientation detections, want %d and %d", e.reads-reads, e.osdRuns-osdRuns, wantReads, wantOSD)
			}
			if p.Rotation != tt.wantRotation {
				t.Errorf("Rotation = %d, want %d", p.Rotation, tt.wantRotation)
			}
			if p.Width != 448 || p.Height != 289 {
				t.Errorf("page is %dx%d, want the upright 448x289", p.Width, p.Height)
			}
			if got := normalise(p.Text()); !containsInOrder(got, "INCOMETAX", "AAAAA1234A") {
				t.Errorf("text does not hold INCOME TAX then AAAAA1234A (normalised: %q)", got)
			}
			checkPage(t, p)
		})
	}
}

func TestRecognizePANBox(t *testing.T) {
	// The PAN's box must be where the PAN is printed on the upright card,
	// whichever way the card came in: boxes are in corrected coordinates.
	e := engine(t)
	src := specimen(t)
	var want image.Rectangle
	for _, turned := range []int{0, 90} {
		p, err := e.Recognize(t.Context(), rotateCW(src, turned))
		if err != nil {
			t.Fatal(err)
		}
		var box image.Rectangle
		for _, w := range p.Words {
			if strings.Contains(normalise(w.Text), "AAAAA1234A") {
				box = w.Box
			}
		}
		if box.Empty() {
			t.Fatalf("turned %d: no word reads AAAAA1234A", turned)
		}
		if turned == 0 {
			want = box
			continue
		}
		if d := max(abs(box.Min.X-want.Min.X), abs(box.Min.Y-want.Min.Y), abs(box.Max.X-want.Max.X), abs(box.Max.Y-want.Max.Y)); d > 4 {
			t.Errorf("turned %d: PAN box %v, upright %v", turned, box, want)
		}
	}
}

func abs(i int) int { return max(i, -i) }

func TestRecognizeBlank(t *testing.T) {
	e := engine(t)
	img := image.NewGray(image.Rect(0, 0, 800, 500))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	p, err := e.Recognize(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Words) != 0 || p.Rotation != 0 || p.Width != 800 || p.Height != 500 {
		t.Errorf("blank page read as %d words, rotation %d, %dx%d", len(p.Words), p.Rotation, p.Width, p.Height)
	}
}

func TestRecognizeEmptyImage(t *testing.T) {
	p, err := engine(t).Recognize(t.Context(), image.NewGray(image.Rectangle{}))
	if err != nil || len(p.Words) != 0 {
		t.Errorf("empty image: %d words, err %v", len(p.Words), err)
	}
}

func TestRecognizeCancelled(t *testing.T) {
	e := engine(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	reads := e.reads
	_, err := e.Recognize(ctx, specimen(t))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if e.reads != reads {
		t.Errorf("a cancelled Recognize still ran Tesseract")
	}
}

func TestRecognizeTimeout(t *testing.T) {
	e, err := New(Config{PageTimeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	_, err = e.Recognize(t.Context(), specimen(t))
	var de *document.Error
	if !errors.As(err, &de) || de.Code != document.CodeTimeout {
		t.Fatalf("err = %v, want a *document.Error with code TIMEOUT", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want it to wrap context.DeadlineExceeded", err)
	}
}

func TestCancelFlagStopsRecognition(t *testing.T) {
	// The flag Tesseract polls between words, set before the read begins:
	// the read must stop at once and yield none of the card's text. This
	// checks the mid-read cancellation path without racing a timer.
	e := engine(t)
	g := toGray(specimen(t))
	g = g.scale(scaleFor(g.w, g.h))
	e.flag.set(true)
	defer e.flag.set(false)
	ws, _ := e.read(g)
	var text strings.Builder
	for _, w := range ws {
		text.WriteString(w.text)
	}
	if got := normalise(text.String()); strings.Contains(got, "AAAAA1234A") || strings.Contains(got, "INCOME") {
		t.Errorf("cancelled read still recognised the card: %q", got)
	}
}

func TestPageSegMode(t *testing.T) {
	if got := engine(t).main.pageSegMode(); got != defaultPageSegMode {
		t.Errorf("page segmentation mode = %d, want %d", got, defaultPageSegMode)
	}
}

func TestNewBadLanguage(t *testing.T) {
	_, err := New(Config{Languages: "xx-none"})
	if !errors.Is(err, ErrInit) {
		t.Errorf("err = %v, want ErrInit", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero is defaults", Config{}, ""},
		{"psm 3", Config{PageSegMode: 3}, ""},
		{"negative psm", Config{PageSegMode: -1}, "PageSegMode"},
		{"psm too big", Config{PageSegMode: 14}, "PageSegMode"},
		{"negative timeout", Config{PageTimeout: -time.Second}, "PageTimeout"},
		{"path as language", Config{Languages: "../eng"}, "Languages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.withDefaults().validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("validate() = %v, want error naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestCloseTwice(t *testing.T) {
	e, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	e.Close()
	if _, err := e.Recognize(t.Context(), specimen(t)); !errors.Is(err, ErrClosed) {
		t.Errorf("Recognize after Close: err = %v, want ErrClosed", err)
	}
}
