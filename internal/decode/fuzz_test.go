package decode

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{nil, []byte("<!doctype html><p>"), pngHeader(100000, 100000), pngHeader(3, 2)}
	for _, b := range imageInputs(f) {
		seeds = append(seeds, b)
	}
	seeds = append(seeds, withExif(imageInputs(f)["jpeg"], 6))
	seeds = append(seeds, tiffFrames([]*image.Gray{halves(4, 2), halves(2, 4)}, []uint16{6, 0}))
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzDecode feeds Decode arbitrary bytes: it must not panic or hang, must
// fail with a *document.Error, and must keep what it returns in bounds.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	lim := Limits{MaxPixels: 4_000_000, MaxSide: 8000, MaxPages: 5, CommandTimeout: 20 * time.Second}
	d := New(lim)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		got, err := d.Decode(ctx, data)
		if err != nil {
			var de *document.Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *document.Error", err)
			}
			return
		}
		if len(got.Pages) == 0 || len(got.Pages) > lim.MaxPages {
			t.Fatalf("%d pages", len(got.Pages))
		}
		for i, p := range got.Pages {
			if (p.TextLayer == nil) == (p.Image == nil) {
				t.Fatalf("page %d: want exactly one of text layer and image", i+1)
			}
			if p.Image != nil {
				r := p.Image.Bounds()
				if r.Dx() > lim.MaxSide || r.Dy() > lim.MaxSide || r.Dx()*r.Dy() > lim.MaxPixels {
					t.Fatalf("page %d is %v, over the limits", i+1, r)
				}
			}
		}
	})
}

func FuzzJPEGOrientation(f *testing.F) {
	jpg := imageInputs(f)["jpeg"]
	for o := range uint16(10) {
		f.Add(withExif(jpg, o)[:200])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		o, _, _ := readIFD(data, byteOrder(data[:min(2, len(data))]), 0)
		if o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

func FuzzPNM(f *testing.F) {
	f.Add([]byte("P5\n3 2\n255\n\x00\x01\x02\x03\x04\x05"))
	f.Add([]byte("P6 1 1 15 \x0f\x00\x07"))
	f.Add([]byte("P4\n# comment\n9 2\n\xff\x80\x00\x00"))
	d := New(Limits{MaxPixels: 1 << 20})
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := parsePNM(data, d.checkSize)
		if err == nil && img.Bounds().Dx()*img.Bounds().Dy() > 1<<20 {
			t.Fatalf("image %v over the limit", img.Bounds())
		}
	})
}

func FuzzBBoxLayout(f *testing.F) {
	f.Add([]byte(`<doc><page width="612" height="792"><flow><block><line><word xMin="1" yMin="2" xMax="3" yMax="4">a&amp;b</word></line></block></flow></page></doc>`))
	f.Add([]byte("<page width=\"1e308\"><word xMin=\"NaN\">\x01\xff</word>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pages, err := parseBBoxLayout(data, 300.0/72)
		if err != nil {
			return
		}
		for _, p := range pages {
			for _, w := range p.Words {
				if w.Text == "" || w.Block < 1 || w.Para < 1 || w.Line < 1 {
					t.Fatalf("word %+v", w)
				}
			}
		}
	})
}

func benchDecode(b *testing.B, data []byte, check func(*testing.B, image.Image)) {
	d := pdfDecoder(b, Limits{})
	cpu0 := cpuTime()
	for b.Loop() {
		got, err := d.Decode(b.Context(), data)
		if err != nil {
			b.Fatal(err)
		}
		if check != nil {
			check(b, got.Pages[0].Image)
		}
	}
	// On a shared machine the wall time is mostly waiting for a core;
	// the CPU spent, here and in poppler, is the steadier figure.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuTime is the CPU this process and its waited-for children have used.
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

// BenchmarkTextPDFPage is pdftotext -bbox-layout on one page: no pdfinfo.
func BenchmarkTextPDFPage(b *testing.B) {
	benchDecode(b, readTestdata(b, "text.pdf"), nil)
}

func wantSize(w, h int) func(*testing.B, image.Image) {
	return func(b *testing.B, img image.Image) {
		if r := img.Bounds(); r.Dx() != w || r.Dy() != h {
			b.Fatalf("bounds %v, want %dx%d", r, w, h)
		}
	}
}

// BenchmarkScannedPDFPage is a letter page scanned at 300 dpi: one JPEG
// covering the page, extracted and decoded.
func BenchmarkScannedPDFPage(b *testing.B) {
	benchDecode(b, imagePDF(scanJPEG(2550, 3300), 2550, 3300, 612, 792), wantSize(2550, 3300))
}

// BenchmarkScannedPDFPageRender is the same scan placed so it does not
// cover the page: the page is drawn at 300 dpi.
func BenchmarkScannedPDFPageRender(b *testing.B) {
	benchDecode(b, imagePDF(scanJPEG(2550, 3300), 2550, 3300, 600, 780), wantSize(2550, 3300))
}

// BenchmarkPhonePhoto is a 12-megapixel JPEG with EXIF orientation 6.
func BenchmarkPhonePhoto(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 4000, 3000)), nil); err != nil {
		b.Fatal(err)
	}
	data := withExif(buf.Bytes(), 6)
	d := New(Limits{})
	cpu0 := cpuTime()
	for b.Loop() {
		got, err := d.Decode(b.Context(), data)
		if err != nil {
			b.Fatal(err)
		}
		if r := got.Pages[0].Image.Bounds(); r.Dx() != 3000 {
			b.Fatalf("bounds %v, want it turned upright", r)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}
