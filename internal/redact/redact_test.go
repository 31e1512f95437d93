package redact

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/ocr"
)

// The number of the hand-built tests: synthetic; the Verhoeff check does
// not matter to redaction.
const number = "2345 6789 0124"

var paper = color.RGBA{230, 225, 210, 255}

func plain(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Rect, image.NewUniform(paper), image.Point{}, draw.Src)
	return m
}

func word(text string, line, x0, y0, x1, y1 int) document.Word {
	return document.Word{Text: text, Conf: 0.9, Box: image.Rect(x0, y0, x1, y1), Block: 1, Para: 1, Line: line}
}

// allBlack and untouched check every pixel of r in img.
func allBlack(img image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if cr, cg, cb, _ := img.At(x, y).RGBA(); cr|cg|cb != 0 {
				return false
			}
		}
	}
	return true
}

func untouched(img image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) != paper {
				return false
			}
		}
	}
	return true
}

func TestAadhaarHandBuilt(t *testing.T) {
	vid := []document.Word{
		word("VID", 9, 60, 240, 110, 262), word(":", 9, 115, 240, 120, 262),
		word("9123", 9, 130, 240, 190, 262), word("4567", 9, 200, 240, 260, 262),
		word("8901", 9, 270, 240, 330, 262), word("2345", 9, 340, 240, 400, 262),
	}
	tests := []struct {
		name      string
		words     []document.Word
		number    string
		black     []image.Rectangle // must be black
		clear     []image.Rectangle // must be untouched
		wantErr   error
		unchanged bool
	}{
		{
			name:   "three words",
			words:  []document.Word{word("2345", 1, 100, 100, 180, 140), word("6789", 1, 200, 100, 280, 140), word("0124", 1, 300, 100, 380, 140)},
			number: number,
			black:  []image.Rectangle{image.Rect(100, 100, 180, 140), image.Rect(200, 100, 280, 140)},
			clear:  []image.Rectangle{image.Rect(300, 100, 380, 140)},
		},
		{
			name:   "one word",
			words:  []document.Word{word("234567890124", 1, 100, 100, 340, 140)},
			number: "234567890124",
			black:  []image.Rectangle{image.Rect(100, 100, 260, 140)},
			clear:  []image.Rectangle{image.Rect(261, 100, 340, 140)},
		},
		{
			name:   "split 7 and 5, label glued on",
			words:  []document.Word{word("No:2345678", 1, 40, 100, 240, 140), word("90124", 1, 250, 100, 350, 140)},
			number: number,
			// "No:" is 3 of 10 runes: digits from x=100.
			black: []image.Rectangle{image.Rect(100, 100, 240, 140), image.Rect(250, 100, 270, 140)},
			clear: []image.Rectangle{image.Rect(271, 100, 350, 140), image.Rect(40, 160, 350, 200)},
		},
		{
			name: "twice, with a VID and an OCR slip",
			words: append([]document.Word{
				word("2345", 1, 100, 40, 180, 80), word("6789", 1, 200, 40, 280, 80), word("0124", 1, 300, 40, 380, 80),
				word("Aadhaar", 2, 20, 150, 90, 180), word("no.", 2, 95, 150, 120, 180),
				word("2345", 2, 130, 150, 190, 180), word("6780", 2, 200, 150, 260, 180), word("O124", 2, 270, 150, 330, 180),
			}, vid...),
			number: number,
			black:  []image.Rectangle{image.Rect(100, 40, 180, 80), image.Rect(200, 40, 280, 80), image.Rect(130, 150, 190, 180), image.Rect(200, 150, 260, 180)},
			clear:  []image.Rectangle{image.Rect(300, 40, 380, 80), image.Rect(270, 150, 330, 180), image.Rect(60, 235, 400, 265)},
		},
		{
			name:      "masked number given",
			words:     []document.Word{word("2345", 1, 100, 100, 180, 140)},
			number:    "XXXX XXXX 0124",
			unchanged: true,
		},
		{
			name:      "page shows it masked",
			words:     []document.Word{word("XXXX", 1, 100, 100, 180, 140), word("XXXX", 1, 200, 100, 280, 140), word("0124", 1, 300, 100, 380, 140)},
			number:    number,
			unchanged: true,
		},
		{
			name:    "not on page",
			words:   append([]document.Word{word("2345", 1, 100, 100, 180, 140), word("6789", 1, 200, 100, 280, 140)}, vid...),
			number:  number,
			wantErr: ErrNumberNotFound,
		},
		{
			name:    "only inside the VID",
			words:   []document.Word{word("9234", 1, 100, 100, 180, 140), word("5678", 1, 200, 100, 280, 140), word("9012", 1, 300, 100, 380, 140), word("4000", 1, 400, 100, 480, 140)},
			number:  "2345 6789 0124",
			wantErr: ErrNumberNotFound,
		},
		{name: "short number", number: "2345 6789", wantErr: ErrInvalidNumber},
		{name: "letters", number: "2345 6789 O124", wantErr: ErrInvalidNumber},
		{name: "half masked", number: "XXXX 6789 0124", wantErr: ErrInvalidNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := plain(500, 300)
			page := document.Page{Number: 1, Width: 500, Height: 300, Source: "ocr", Words: tt.words}
			got, err := Aadhaar(img, page, tt.number)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("Aadhaar = %v, %v; want nil, %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Aadhaar: %v", err)
			}
			if got.Bounds() != img.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), img.Bounds())
			}
			if tt.unchanged && !untouched(got, got.Bounds()) {
				t.Errorf("image changed")
			}
			for _, r := range tt.black {
				if !allBlack(got, r) {
					t.Errorf("%v not all black", r)
				}
			}
			for _, r := range tt.clear {
				if !untouched(got, r) {
					t.Errorf("%v touched", r)
				}
			}
			if !untouched(img, img.Rect) {
				t.Errorf("input image modified")
			}
		})
	}
}

// TestAadhaarRotated gives an image lying on its side, as a page read
// with Rotation 90: the boxes are in the turned image, the result is
// upright.
func TestAadhaarRotated(t *testing.T) {
	for _, rot := range []int{90, 180, 270} {
		upright := plain(500, 300)
		// A marker that must land where the boxes say.
		draw.Draw(upright, image.Rect(10, 10, 20, 20), image.NewUniform(color.RGBA{255, 0, 0, 255}), image.Point{}, draw.Src)
		in := rotate(upright, (360-rot)%360) // what the camera gave
		page := document.Page{Width: 500, Height: 300, Rotation: rot, Words: []document.Word{
			word("2345", 1, 100, 100, 180, 140), word("6789", 1, 200, 100, 280, 140), word("0124", 1, 300, 100, 380, 140),
		}}
		got, err := Aadhaar(in, page, number)
		if err != nil {
			t.Fatalf("rotation %d: %v", rot, err)
		}
		if got.Bounds() != upright.Rect {
			t.Fatalf("rotation %d: bounds %v, want %v", rot, got.Bounds(), upright.Rect)
		}
		if c := color.RGBAModel.Convert(got.At(15, 15)).(color.RGBA); c.R != 255 || c.G != 0 {
			t.Errorf("rotation %d: marker not upright, got %v", rot, c)
		}
		if !allBlack(got, image.Rect(100, 100, 180, 140)) || !allBlack(got, image.Rect(200, 100, 280, 140)) || !untouched(got, image.Rect(300, 100, 380, 140)) {
			t.Errorf("rotation %d: wrong area blacked out", rot)
		}
	}
	if _, err := Aadhaar(plain(10, 10), document.Page{Rotation: 45}, number); !errors.Is(err, ErrRotation) {
		t.Errorf("rotation 45: err = %v, want ErrRotation", err)
	}
}

func TestEncodeJPEG(t *testing.T) {
	b, err := EncodeJPEG(plain(64, 32))
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil || m.Bounds().Dx() != 64 || m.Bounds().Dy() != 32 {
		t.Fatalf("decode = %v, %v", m, err)
	}
}

// TestAadhaarOCR reads a generated card with Tesseract, redacts it, and
// reads it again: the first eight digits must be gone and the last four
// still readable.
func TestAadhaarOCR(t *testing.T) {
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		t.Fatalf("ocr: %v", err)
	}
	defer eng.Close()
	s, err := docgen.Generate(3, document.TypeAadhaar, docgen.Clean)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(s.Data))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	page, err := eng.Recognize(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	num := s.Truth["aadhaar_number"]
	groups := strings.Fields(num)
	if !strings.Contains(page.Text(), num) {
		t.Fatalf("the card's number was not read before redaction (layout %s)", s.Layout)
	}
	red, err := Aadhaar(img, page, num)
	if err != nil {
		t.Fatalf("Aadhaar: %v", err)
	}
	// Sparse-text mode for the second read: in the default uniform-block
	// mode Tesseract drops the whole line next to the black bars, as
	// non-text; sparse mode reads the words that are left.
	sparse, err := ocr.New(ocr.Config{PageSegMode: 11})
	if err != nil {
		t.Fatalf("ocr: %v", err)
	}
	defer sparse.Close()
	after, err := sparse.Recognize(ctx, red)
	if err != nil {
		t.Fatal(err)
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, after.Text())
	for _, g := range groups[:2] {
		for _, w := range after.Words {
			if strings.Contains(w.Text, g) {
				t.Errorf("a redacted group is still read")
			}
		}
	}
	if strings.Contains(digits, groups[0]+groups[1]) {
		t.Errorf("the first eight digits are still read")
	}
	found := false
	for _, w := range after.Words {
		found = found || strings.Contains(w.Text, groups[2])
	}
	if !found {
		t.Errorf("the last four digits are no longer read")
	}
}
