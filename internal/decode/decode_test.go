package decode

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

var update = flag.Bool("update", false, "rewrite the generated PDFs in testdata")

// The PDFs in testdata are written by the generators in helpers_test.go;
// tiny.webp is `cwebp -lossless` (libwebp 1.2.4) of a 16x8 gray PNG, black
// on the left half, white on the right.
var generated = map[string]func() []byte{
	"text.pdf": func() []byte {
		return textPDF("INCOME TAX DEPARTMENT", "Permanent Account Number Card", "ABCDE1234F", "Name: SPECIMEN &amp; <co>")
	},
	"few_words.pdf":    func() []byte { return textPDF("Page 1 of 2") },
	"scanned.pdf":      func() []byte { return imagePDF(scanJPEG(850, 1100), 850, 1100, 612, 792) },
	"scanned_part.pdf": func() []byte { return imagePDF(scanJPEG(425, 550), 425, 550, 306, 396) },
	"bomb.pdf":         func() []byte { return pagesPDF(1, "0 0 200000 200000") },
	"crop_bomb.pdf": func() []byte {
		return textPDFPage("/MediaBox [0 0 200000 200000] /CropBox [0 0 612 792]", "a b c d e f")
	},
	"rotated.pdf": func() []byte {
		return textPDFPage("/MediaBox [0 0 612 792] /Rotate 90", "INCOME TAX DEPARTMENT GOVT OF INDIA")
	},
	"many_pages.pdf": func() []byte { return pagesPDF(101, "0 0 612 792") },
	"not_a_pdf.pdf": func() []byte {
		return []byte("%PDF-1.7\n\x00\x01 this is not a PDF past its header, just junk\n%%EOF\n")
	},
}

func TestTestdata(t *testing.T) {
	for name, gen := range generated {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, gen(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(got, gen()) {
			t.Errorf("%s differs from its generator: run go test -update", name)
		}
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// halves is a w x h gray image, black on the left half, white on the right.
func halves(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := w / 2; x < w; x++ {
			img.SetGray(x, y, color.Gray{255})
		}
	}
	return img
}

func encode(t testing.TB, f func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b, halves(16, 8)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func imageInputs(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"jpeg": encode(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) }),
		"png":  encode(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) }),
		"tiff": encode(t, func(b *bytes.Buffer, m image.Image) error { return tiff.Encode(b, m, nil) }),
		"bmp":  encode(t, func(b *bytes.Buffer, m image.Image) error { return bmp.Encode(b, m) }),
		"webp": readTestdata(t, "tiny.webp"),
	}
}

func gray(img image.Image, x, y int) uint8 {
	return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
}

func TestDecodeImages(t *testing.T) {
	d := New(Limits{})
	for format, data := range imageInputs(t) {
		t.Run(format, func(t *testing.T) {
			got, err := d.Decode(t.Context(), data)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != format || len(got.Pages) != 1 || got.Pages[0].Image == nil {
				t.Fatalf("got format %q, %d pages", got.Format, len(got.Pages))
			}
			img := got.Pages[0].Image
			if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 8 {
				t.Fatalf("bounds %v, want 16x8", b)
			}
			if l, r := gray(img, 2, 4), gray(img, 13, 4); l > 64 || r < 192 {
				t.Errorf("left %d, right %d: want black then white", l, r)
			}
		})
	}
}

func wantCode(t *testing.T, err error, code document.ErrorCode, msg string) {
	t.Helper()
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want a *document.Error %s", err, code)
	}
	if de.Code != code {
		t.Fatalf("code %s (%s), want %s", de.Code, de.Message, code)
	}
	if !strings.Contains(de.Message, msg) {
		t.Errorf("message %q, want it to contain %q", de.Message, msg)
	}
}

func TestDecodeRefuses(t *testing.T) {
	jpg := imageInputs(t)["jpeg"]
	pngData := imageInputs(t)["png"]
	tests := []struct {
		name string
		data []byte
		code document.ErrorCode
		msg  string
	}{
		{"empty", nil, document.CodeUnsupportedFormat, "empty"},
		{"blank", []byte(" \r\n"), document.CodeUnsupportedFormat, "empty"},
		{"html", []byte("\xef\xbb\xbf\n<!DOCTYPE html><html><body>Sign in</body></html>"), document.CodeUnsupportedFormat, "HTML page"},
		{"html no doctype", []byte("<HTML><head>"), document.CodeUnsupportedFormat, "login or error page"},
		{"json", []byte(`{"error":"AccessDenied"}`), document.CodeUnsupportedFormat, "JSON"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), document.CodeUnsupportedFormat, "ZIP"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), document.CodeUnsupportedFormat, "GIF"},
		{"text", []byte("hello, this is plain text"), document.CodeUnsupportedFormat, "unknown format"},
		{"text starting BM", []byte("BMW 320d invoice, this is plain text"), document.CodeUnsupportedFormat, "unknown format"},
		{"html quoting a pdf header", []byte("<html><body>Expected %PDF-1.4 here</body></html>"), document.CodeUnsupportedFormat, "HTML page"},
		{"pixel bomb", pngHeader(100000, 100000), document.CodeTooLarge, "100000 x 100000 pixels (10000.0 megapixels), over the limit of 40.0"},
		{"long side", pngHeader(40000, 2), document.CodeTooLarge, "over the limit of 30000 pixels"},
		{"no pixels", pngHeader(0, 5), document.CodeUnreadable, ""},
		{"truncated png", pngData[:len(pngData)/2], document.CodeUnreadable, "corrupt or truncated"},
		{"truncated jpeg", jpg[:len(jpg)/2], document.CodeUnreadable, "corrupt or truncated"},
		{"png header only", pngData[:20], document.CodeUnreadable, "corrupt or truncated"},
		{"tiff header only", []byte("II*\x00\x08\x00\x00\x00"), document.CodeUnreadable, ""},
	}
	d := New(Limits{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Decode(t.Context(), tt.data)
			wantCode(t, err, tt.code, tt.msg)
		})
	}
}

func TestDecodeEXIFOrientation(t *testing.T) {
	// 40 x 20, black on the left half: turned 90° clockwise (EXIF 6) it
	// is 20 x 40, black on the top half.
	var b bytes.Buffer
	if err := jpeg.Encode(&b, halves(40, 20), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	got, err := New(Limits{}).Decode(t.Context(), withExif(b.Bytes(), 6))
	if err != nil {
		t.Fatal(err)
	}
	img := got.Pages[0].Image
	if r := img.Bounds(); r.Dx() != 20 || r.Dy() != 40 {
		t.Fatalf("bounds %v, want 20x40", r)
	}
	if top, bottom := gray(img, 10, 5), gray(img, 10, 35); top > 64 || bottom < 192 {
		t.Errorf("top %d, bottom %d: want black on top", top, bottom)
	}
}

// TestOrient checks all eight EXIF orientations on a 3 x 2 image whose
// pixels are numbered 1..6 row by row.
func TestOrient(t *testing.T) {
	src := &image.Gray{Pix: []uint8{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	tests := []struct {
		o    int
		w    int
		want []uint8
	}{
		{1, 3, []uint8{1, 2, 3, 4, 5, 6}},
		{2, 3, []uint8{3, 2, 1, 6, 5, 4}},
		{3, 3, []uint8{6, 5, 4, 3, 2, 1}},
		{4, 3, []uint8{4, 5, 6, 1, 2, 3}},
		{5, 2, []uint8{1, 4, 2, 5, 3, 6}},
		{6, 2, []uint8{4, 1, 5, 2, 6, 3}},
		{7, 2, []uint8{6, 3, 5, 2, 4, 1}},
		{8, 2, []uint8{3, 6, 2, 5, 1, 4}},
		{9, 3, []uint8{1, 2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		got := orient(src, tt.o).(*image.Gray)
		if got.Rect.Dx() != tt.w || !bytes.Equal(got.Pix, tt.want) {
			t.Errorf("orientation %d: %dx%d %v, want width %d %v", tt.o, got.Rect.Dx(), got.Rect.Dy(), got.Pix, tt.w, tt.want)
		}
		// The RGBA path, through a YCbCr-free conversion, agrees.
		rgba := image.NewRGBA(src.Rect)
		for i, v := range src.Pix {
			rgba.Pix[4*i], rgba.Pix[4*i+3] = v, 255
		}
		gotRGBA := orient(rgba, tt.o).(*image.RGBA)
		for i, v := range tt.want {
			if gotRGBA.Pix[4*i] != v {
				t.Errorf("orientation %d RGBA: pixel %d is %d, want %d", tt.o, i, gotRGBA.Pix[4*i], v)
				break
			}
		}
	}
}

func TestJPEGOrientation(t *testing.T) {
	jpg := imageInputs(t)["jpeg"]
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"none", jpg, 1},
		{"6", withExif(jpg, 6), 6},
		{"8", withExif(jpg, 8), 8},
		{"out of range", withExif(jpg, 9), 1},
		{"truncated segment", withExif(jpg, 6)[:20], 1},
		{"not jpeg", []byte("hello"), 1},
	}
	for _, tt := range tests {
		if got := jpegOrientation(tt.data); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestDecodeTIFFFrames(t *testing.T) {
	// Two frames; the second carries Orientation 3 (upside down).
	data := tiffFrames([]*image.Gray{halves(16, 8), halves(10, 30)}, []uint16{0, 3})
	got, err := New(Limits{}).Decode(t.Context(), data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) != 2 {
		t.Fatalf("%d pages, want 2", len(got.Pages))
	}
	if r := got.Pages[0].Image.Bounds(); r.Dx() != 16 || r.Dy() != 8 {
		t.Errorf("page 1 bounds %v", r)
	}
	p2 := got.Pages[1].Image
	if r := p2.Bounds(); r.Dx() != 10 || r.Dy() != 30 {
		t.Errorf("page 2 bounds %v", r)
	}
	if l, r := gray(p2, 1, 15), gray(p2, 8, 15); l < 192 || r > 64 {
		t.Errorf("page 2 left %d, right %d: want it turned (white on the left)", l, r)
	}

	_, err = New(Limits{MaxPages: 1}).Decode(t.Context(), data)
	wantCode(t, err, document.CodeTooLarge, "more than 1 pages")
}

func pdfDecoder(t testing.TB, lim Limits) *Decoder {
	t.Helper()
	d := New(lim)
	if err := d.CheckTools(); err != nil {
		t.Skip(err) // poppler-utils is a documented dependency
	}
	return d
}

func TestDecodeTextPDF(t *testing.T) {
	pdf := readTestdata(t, "text.pdf")
	t.Run("plain", func(t *testing.T) { testTextPDF(t, pdf) })
	t.Run("junk before the header", func(t *testing.T) { testTextPDF(t, append([]byte("junk\r\n"), pdf...)) })
}

func testTextPDF(t *testing.T, pdf []byte) {
	got, err := pdfDecoder(t, Limits{}).Decode(t.Context(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != "pdf" || len(got.Pages) != 1 {
		t.Fatalf("format %q, %d pages", got.Format, len(got.Pages))
	}
	p := got.Pages[0].TextLayer
	if p == nil || got.Pages[0].Image != nil {
		t.Fatal("want a text layer and no image")
	}
	if p.Number != 1 || p.Source != "pdf_text" || p.Width != 2550 || p.Height != 3300 {
		t.Errorf("page %d %q %dx%d, want 1 pdf_text 2550x3300", p.Number, p.Source, p.Width, p.Height)
	}
	lines := p.Lines()
	want := []string{"INCOME TAX DEPARTMENT", "Permanent Account Number Card", "ABCDE1234F", "Name: SPECIMEN &amp; <co>"}
	if len(lines) != len(want) {
		t.Fatalf("%d lines %q, want %d", len(lines), p.Text(), len(want))
	}
	for i, l := range lines {
		if l.Text() != want[i] || l.Conf() != 1 {
			t.Errorf("line %d %q conf %v, want %q conf 1", i, l.Text(), l.Conf(), want[i])
		}
	}
	// "INCOME" starts 1 inch from the left, its baseline 1 inch from the
	// top less 12 pt: 300 px and about 264-310 px at 300 dpi.
	w := lines[0].Words[0]
	if w.Box.Min.X != 300 || w.Box.Min.Y < 250 || w.Box.Max.Y > 320 || w.Box.Dx() < 150 {
		t.Errorf("box of %q is %v", w.Text, w.Box)
	}
}

func TestDecodeRotatedTextPDF(t *testing.T) {
	got, err := pdfDecoder(t, Limits{}).Decode(t.Context(), readTestdata(t, "rotated.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	p := got.Pages[0].TextLayer
	if p == nil || p.Width != 3300 || p.Height != 2550 {
		t.Fatalf("got %+v, want a 3300 x 2550 text page", p)
	}
	// Turned a quarter clockwise, the line runs down the right side.
	for _, w := range p.Words {
		if !w.Box.In(image.Rect(0, 0, p.Width, p.Height)) || w.Box.Min.X < p.Width/2 {
			t.Errorf("%q at %v, want it on the right of the turned page", w.Text, w.Box)
		}
	}
}

func TestDecodeScannedPDF(t *testing.T) {
	d := pdfDecoder(t, Limits{})
	tests := []struct {
		file string
		w, h int
		dark image.Rectangle // where something is drawn, in the image
	}{
		// The image covers the page: extracted as it is, 100 dpi. Its
		// first bar is at 10% down, from 10% across.
		{"scanned.pdf", 850, 1100, image.Rect(85, 110, 680, 137)},
		// It covers the bottom-left quarter: the page is drawn at 300 dpi.
		{"scanned_part.pdf", 2550, 3300, image.Rect(127, 1650+165, 1020, 1650+206)},
		// Four words are not a text layer: the page is drawn; "Page 1
		// of 2" sits an inch from the left and top.
		{"few_words.pdf", 2550, 3300, image.Rect(300, 260, 550, 300)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := d.Decode(t.Context(), readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Pages) != 1 || got.Pages[0].TextLayer != nil || got.Pages[0].Image == nil {
				t.Fatalf("want one page with an image, got %+v", got.Pages)
			}
			img := got.Pages[0].Image
			if r := img.Bounds(); r.Dx() != tt.w || r.Dy() != tt.h {
				t.Fatalf("bounds %v, want %dx%d", r, tt.w, tt.h)
			}
			if n := darkPixels(img, tt.dark); n < tt.dark.Dx()*tt.dark.Dy()/20 {
				t.Errorf("%d dark pixels in %v, want the drawing there", n, tt.dark)
			}
			if n := darkPixels(img, image.Rect(tt.w-50, 0, tt.w, 50)); n > 0 {
				t.Errorf("%d dark pixels in the top right corner, want white", n)
			}
		})
	}
}

func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if gray(img, x, y) < 96 {
				n++
			}
		}
	}
	return n
}

func TestDecodePDFRefuses(t *testing.T) {
	tests := []struct {
		name string
		lim  Limits
		data []byte
		code document.ErrorCode
		msg  string
	}{
		{"bomb", Limits{}, readTestdata(t, "bomb.pdf"), document.CodeTooLarge, "page 1 is 833334 x 833334 pixels at 300 dpi (200000 x 200000 pt), over the limit of 40.0 megapixels"},
		{"crop box hides a bomb", Limits{}, readTestdata(t, "crop_bomb.pdf"), document.CodeTooLarge, "833334 x 833334 pixels"},
		{"many pages", Limits{}, readTestdata(t, "many_pages.pdf"), document.CodeTooLarge, "101 pages, over the limit of 100"},
		{"junk before the header", Limits{}, append([]byte("junk\n"), readTestdata(t, "not_a_pdf.pdf")...), document.CodeUnreadable, "corrupt or not a PDF"},
		{"not a pdf", Limits{}, readTestdata(t, "not_a_pdf.pdf"), document.CodeUnreadable, "corrupt or not a PDF"},
		{"text over output cap", Limits{MaxCommandOutput: 512}, readTestdata(t, "text.pdf"), document.CodeTooLarge, "output"},
		{"scans over total", Limits{MaxTotalPixels: 1000}, readTestdata(t, "scanned.pdf"), document.CodeTooLarge, "add up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pdfDecoder(t, tt.lim).Decode(t.Context(), tt.data)
			wantCode(t, err, tt.code, tt.msg)
		})
	}
}

func TestDecodePDFDeadline(t *testing.T) {
	ctx, cancel := context.WithDeadline(t.Context(), time.Unix(1, 0))
	defer cancel()
	_, err := pdfDecoder(t, Limits{}).Decode(ctx, readTestdata(t, "text.pdf"))
	wantCode(t, err, document.CodeTimeout, "")
}

func TestDecodePDFWithoutPoppler(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := New(Limits{}).Decode(t.Context(), readTestdata(t, "text.pdf"))
	wantCode(t, err, document.CodeInternal, "poppler-utils")
	if !errors.Is(err, ErrPopplerMissing) {
		t.Errorf("%v is not ErrPopplerMissing", err)
	}
}

func TestDecodePDFLeavesNoTempFiles(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	d := pdfDecoder(t, Limits{})
	for _, f := range []string{"text.pdf", "scanned.pdf", "not_a_pdf.pdf"} {
		d.Decode(t.Context(), readTestdata(t, f))
	}
	left, _ := os.ReadDir(os.Getenv("TMPDIR"))
	if len(left) > 0 {
		t.Errorf("%d files left in the temp dir", len(left))
	}
}

func TestLimitsValidate(t *testing.T) {
	if err := (Limits{}).Validate(); err != nil {
		t.Error(err)
	}
	if err := (Limits{MaxPages: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "MaxPages") {
		t.Errorf("got %v, want an error naming MaxPages", err)
	}
}

func TestParsePDFInfoForgedTitle(t *testing.T) {
	out := "Title:           x\nPage    1 size:  10 x 10 pts\nPages:           1\nPage    1 size:  612 x 792 pts (letter)\nPage    1 rot:   0\n"
	n, pages, err := parsePDFInfo([]byte(out), 100)
	if err != nil || n != 1 || len(pages) != 1 || pages[0].w != 612 {
		t.Errorf("got %d %+v %v, want the last size of page 1", n, pages, err)
	}
}

var _ pipeline.Decoder = New(Limits{})
