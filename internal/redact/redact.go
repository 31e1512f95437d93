// Package redact blacks out the first eight digits of an Aadhaar number
// on a document image, as the Aadhaar (Data Security) regulations require
// of anyone who keeps a copy: only the last four may stay visible.
package redact

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
)

// Errors of this package.
var (
	// ErrNumberNotFound is returned when the number is not among the
	// page's words: the image is not returned, since an unredacted copy
	// must never pass for a redacted one.
	ErrNumberNotFound = errors.New("aadhaar number not found on page")
	// ErrInvalidNumber is returned for a number that is not 12 digits
	// (spaces allowed) nor masked ("XXXX XXXX 1234").
	ErrInvalidNumber = errors.New("invalid aadhaar number")
	// ErrRotation is returned for a page rotation other than 0, 90, 180
	// or 270.
	ErrRotation = errors.New("page rotation not a multiple of 90 degrees")
)

// maxMismatch is how many digits of a 12-digit group of words may differ
// from the number and still be taken for it. OCR misreads a digit now and
// then; a second printing of the number read with one wrong digit must be
// redacted too. Two random 12-digit numbers agree in 10 places with odds
// of about 1 in 10^8.
const maxMismatch = 2

// Aadhaar returns a copy of img with the first eight digits of number
// blacked out wherever page shows them, with a small margin. The VID
// (16 digits) is left alone, as is anything already masked.
//
// page's word boxes are in the pixels of img turned clockwise by
// page.Rotation (what ocr.Recognize returns), so the copy is turned the
// same way first: the result is the upright image, sized page.Width x
// page.Height. If the page was read from a resized copy (Width and Height
// differ from the turned image's), the boxes are scaled to fit.
//
// A masked number ("XXXX XXXX 1234") needs nothing: the upright copy is
// returned as is. So is a page that shows the number only masked. If the
// number is nowhere, the error is ErrNumberNotFound and no image.
func Aadhaar(img image.Image, page document.Page, number string) (image.Image, error) {
	digits, masked, err := parseNumber(number)
	if err != nil {
		return nil, err
	}
	if page.Rotation%90 != 0 {
		return nil, fmt.Errorf("redact rotation %d: %w", page.Rotation, ErrRotation)
	}
	out := rotate(img, page.Rotation)
	if masked {
		return out, nil
	}
	var boxes []mark
	maskedSeen := false
	for _, line := range page.Lines() {
		for _, run := range runs(line.Words) {
			switch {
			case len(run.digits) == 12 && mismatches(run.digits, digits) <= maxMismatch:
				boxes = append(boxes, run.boxes(8)...)
			case len(run.digits) == 4 && run.maskedBefore && run.digits == digits[8:]:
				maskedSeen = true
			}
		}
	}
	if len(boxes) == 0 {
		if maskedSeen {
			return out, nil
		}
		return nil, ErrNumberNotFound
	}
	sx, sy := 1.0, 1.0
	if page.Width > 0 && page.Height > 0 {
		sx = float64(out.Rect.Dx()) / float64(page.Width)
		sy = float64(out.Rect.Dy()) / float64(page.Height)
	}
	for _, mk := range boxes {
		b := mk.box
		r := image.Rect(int(float64(b.Min.X)*sx), int(float64(b.Min.Y)*sy),
			int(float64(b.Max.X)*sx+0.999), int(float64(b.Max.Y)*sy+0.999))
		// A margin of a tenth of the digit height all round, so that no
		// edge of a digit survives an OCR box drawn tight; none on the
		// right of a cut inside a word, where the ninth digit begins.
		m := max(2, r.Dy()/10)
		right := r.Max.X
		r = r.Inset(-m)
		if mk.cut {
			r.Max.X = right
		}
		r = r.Intersect(out.Rect)
		draw.Draw(out, r, image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	return out, nil
}

// parseNumber returns the number's 12 digits, or masked if its first
// eight are masked.
func parseNumber(s string) (digits string, masked bool, err error) {
	var b strings.Builder
	maskChars := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'X' || r == 'x' || r == '*':
			maskChars++
			b.WriteRune('X')
		case r == ' ' || r == '-':
		default:
			return "", false, fmt.Errorf("parse number: %w", ErrInvalidNumber)
		}
	}
	d := b.String()
	if len(d) != 12 || strings.Contains(d[8:], "X") {
		return "", false, fmt.Errorf("parse number: %w", ErrInvalidNumber)
	}
	if maskChars > 0 {
		if d[:8] != "XXXXXXXX" {
			return "", false, fmt.Errorf("parse number: %w", ErrInvalidNumber)
		}
		return d, true, nil
	}
	return d, false, nil
}

func mismatches(a, b string) int {
	n := 0
	for i := range len(a) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// part is the digits of one word and where they sit in its text.
type part struct {
	word       document.Word
	start, end int // rune offsets of the digits in the word's text
	runes      int // runes in the word's text
}

// run is a group of adjacent words of one line whose digits read as one
// number, e.g. "2345" "6789" "0124", or "234567890124".
type run struct {
	digits string
	parts  []part
	// maskedBefore says the run follows mask characters ("XXXX XXXX").
	maskedBefore bool
}

// mark is a box to black out; cut says its right edge falls inside a word.
type mark struct {
	box image.Rectangle
	cut bool
}

// boxes returns the boxes covering the run's first n digits: whole words,
// and the share of a word's box its leading digits take (digits are about
// equally wide) where the n-th digit falls inside a word.
func (r run) boxes(n int) []mark {
	var out []mark
	for _, p := range r.parts {
		if n <= 0 {
			break
		}
		k := p.end - p.start
		if k <= n {
			out = append(out, mark{box: p.word.Box})
			n -= k
			continue
		}
		b := p.word.Box
		cut := b.Min.X + (b.Dx()*(p.start+n)+p.runes-1)/p.runes
		out = append(out, mark{box: image.Rect(b.Min.X, b.Min.Y, cut, b.Max.Y), cut: true})
		n = 0
	}
	return out
}

// ocrDigit maps the letters OCR most often reads for digits in a number.
var ocrDigit = map[rune]rune{'O': '0', 'o': '0', 'D': '0', 'I': '1', 'l': '1', '|': '1', 'S': '5', 'B': '8', 'Z': '2'}

// runs splits a line's words into digit runs. A word is digits with, at
// most, punctuation or a label before or after ("No:2345", "0124,"); a
// label before starts a new run, anything after ends it. Letters OCR
// confuses with digits count as digits inside a word that has at least
// two real ones.
func runs(words []document.Word) []run {
	var out []run
	var cur *run
	masks := 0 // mask groups ("XXXX") seen just before
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, w := range words {
		rs := []rune(w.Text)
		if isMask(rs) {
			flush()
			masks++
			continue
		}
		start, end, d := digitSpan(rs)
		if d == "" {
			flush()
			masks = 0
			continue
		}
		if start > 0 {
			flush()
		}
		if cur == nil {
			cur = &run{maskedBefore: masks > 0}
		}
		masks = 0
		cur.digits += d
		cur.parts = append(cur.parts, part{word: w, start: start, end: end, runes: len(rs)})
		if end < len(rs) {
			flush()
		}
	}
	flush()
	return out
}

// digitSpan finds the word's digits: one stretch from its first to its
// last real digit, widened by OCR look-alikes ("O124") next to it. It is
// empty if the word has fewer than two real digits or anything else
// inside that stretch ("12/05/1990").
func digitSpan(rs []rune) (start, end int, digits string) {
	first, last, real := -1, -1, 0
	for i, r := range rs {
		if r >= '0' && r <= '9' {
			if first < 0 {
				first = i
			}
			last = i
			real++
		}
	}
	if real < 2 {
		return 0, 0, ""
	}
	start, end = first, last+1
	for start > 0 && ocrDigit[rs[start-1]] != 0 {
		start--
	}
	for end < len(rs) && ocrDigit[rs[end]] != 0 {
		end++
	}
	var b strings.Builder
	for _, r := range rs[start:end] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case ocrDigit[r] != 0:
			b.WriteRune(ocrDigit[r])
		default:
			return 0, 0, ""
		}
	}
	return start, end, b.String()
}

func isMask(rs []rune) bool {
	if len(rs) < 2 {
		return false
	}
	for _, r := range rs {
		if r != 'X' && r != 'x' && r != '*' {
			return false
		}
	}
	return true
}

// rotate returns an RGBA copy of img turned clockwise by deg (0, 90, 180,
// 270), with its origin at (0, 0).
func rotate(img image.Image, deg int) *image.RGBA {
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Rect, img, b.Min, draw.Src)
	deg = ((deg % 360) + 360) % 360
	if deg == 0 {
		return src
	}
	w, h := b.Dx(), b.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	if deg == 180 {
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	for y := range h {
		for x := range w {
			var nx, ny int
			switch deg {
			case 90:
				nx, ny = h-1-y, x
			case 180:
				nx, ny = w-1-x, h-1-y
			default:
				nx, ny = y, w-1-x
			}
			copy(out.Pix[out.PixOffset(nx, ny):][:4], src.Pix[src.PixOffset(x, y):][:4])
		}
	}
	return out
}

// EncodeJPEG encodes img as a JPEG of quality 85: small enough to store,
// and sharp enough for a person to read the card.
func EncodeJPEG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return b.Bytes(), nil
}
