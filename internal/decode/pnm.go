package decode

import (
	"errors"
	"fmt"
	"image"
)

var errBadPNM = errors.New("malformed PNM")

// parsePNM reads the binary PNM poppler writes: P5 (gray) from pdftoppm
// -gray, and P4 (bitmap), P5 or P6 (RGB) from pdfimages. check vets the
// declared size before any allocation.
func parsePNM(data []byte, check func(where string, w, h int) error) (image.Image, error) {
	if len(data) < 2 || data[0] != 'P' || (data[1] != '4' && data[1] != '5' && data[1] != '6') {
		return nil, errBadPNM
	}
	kind := data[1]
	pos := 2
	fields := 3
	if kind == '4' {
		fields = 2
	}
	var v [3]int
	for i := range fields {
		// Whitespace and comments before each number.
		for pos < len(data) {
			if c := data[pos]; c == '#' {
				for pos < len(data) && data[pos] != '\n' {
					pos++
				}
			} else if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				pos++
			} else {
				break
			}
		}
		start := pos
		for pos < len(data) && data[pos] >= '0' && data[pos] <= '9' && pos-start < 9 {
			v[i] = v[i]*10 + int(data[pos]-'0')
			pos++
		}
		if pos == start {
			return nil, fmt.Errorf("%w: header", errBadPNM)
		}
	}
	// One whitespace byte ends the header.
	if pos >= len(data) || (data[pos] != ' ' && data[pos] != '\t' && data[pos] != '\n' && data[pos] != '\r') {
		return nil, fmt.Errorf("%w: header end", errBadPNM)
	}
	pos++
	w, h, maxval := v[0], v[1], v[2]
	if err := check("the page image", w, h); err != nil {
		return nil, err
	}
	if kind != '4' && (maxval < 1 || maxval > 255) {
		return nil, fmt.Errorf("%w: maxval %d", errBadPNM, maxval)
	}
	body := data[pos:]
	switch kind {
	case '4':
		rowBytes := (w + 7) / 8
		if len(body) < rowBytes*h {
			return nil, fmt.Errorf("%w: truncated", errBadPNM)
		}
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			row := body[y*rowBytes:]
			for x := range w {
				if row[x/8]&(0x80>>(x%8)) == 0 { // 1 is black
					img.Pix[y*img.Stride+x] = 255
				}
			}
		}
		return img, nil
	case '5':
		if len(body) < w*h {
			return nil, fmt.Errorf("%w: truncated", errBadPNM)
		}
		img := &image.Gray{Pix: body[: w*h : w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
		if maxval != 255 {
			img.Pix = make([]byte, w*h)
			for i, c := range body[:w*h] {
				img.Pix[i] = byte(min(int(c), maxval) * 255 / maxval)
			}
		}
		return img, nil
	default:
		if len(body) < 3*w*h {
			return nil, fmt.Errorf("%w: truncated", errBadPNM)
		}
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range w * h {
			for c := range 3 {
				img.Pix[4*i+c] = byte(min(int(body[3*i+c]), maxval) * 255 / maxval)
			}
			img.Pix[4*i+3] = 255
		}
		return img, nil
	}
}
