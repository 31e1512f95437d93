package decode

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// jpegOrientation returns the EXIF Orientation (1-8) of a JPEG, 1 when it
// has none. Phone cameras store the sensor's pixels and record the turn a
// viewer must apply in this tag; without it the pipeline would read a
// portrait photo lying on its side.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return 1
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 1
		}
		m := data[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		if m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7) { // no length
			i += 2
			continue
		}
		if m == 0xd9 || m == 0xda { // end of image, start of scan: no more metadata
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if m == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation reads tag 0x0112 of IFD0 of the TIFF structure t.
func exifOrientation(t []byte) int {
	if len(t) < 8 || (string(t[:2]) != "II" && string(t[:2]) != "MM") {
		return 1
	}
	bo := byteOrder(t[:2])
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	o, _, _ := readIFD(t, bo, bo.Uint32(t[4:]))
	return o
}

// readIFD reads the image file directory at off in t: its Orientation
// (1 when absent or invalid) and the offset of the next directory. ok is
// false when the directory does not fit in t.
func readIFD(t []byte, bo binary.ByteOrder, off uint32) (orientation int, next uint32, ok bool) {
	orientation = 1
	if uint64(off)+2 > uint64(len(t)) {
		return 1, 0, false
	}
	n := int(bo.Uint16(t[off:]))
	start := int(off) + 2
	if start+12*n > len(t) {
		return 1, 0, false
	}
	for e := range n {
		p := t[start+12*e:]
		tag, typ, count := bo.Uint16(p), bo.Uint16(p[2:]), bo.Uint32(p[4:])
		if tag == 0x0112 && typ == 3 && count == 1 {
			if v := int(bo.Uint16(p[8:])); v >= 1 && v <= 8 {
				orientation = v
			}
		}
	}
	if end := start + 12*n; end+4 <= len(t) {
		next = bo.Uint32(t[end:])
	}
	return orientation, next, true
}

// orient returns img turned upright for EXIF orientation o.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	var (
		pix    []byte
		stride int
		bpp    int
		r      = img.Bounds()
	)
	w, h := r.Dx(), r.Dy()
	dw, dh := w, h
	if o >= 5 { // the turns that swap the sides
		dw, dh = h, w
	}
	var dst image.Image
	var dpix []byte
	var dstride int
	if g, ok := img.(*image.Gray); ok {
		pix, stride, bpp = g.Pix[g.PixOffset(r.Min.X, r.Min.Y):], g.Stride, 1
		d := image.NewGray(image.Rect(0, 0, dw, dh))
		dst, dpix, dstride = d, d.Pix, d.Stride
	} else {
		rgba, ok := img.(*image.RGBA)
		if !ok {
			// draw's fast paths convert YCbCr (every JPEG) in one pass.
			rgba = image.NewRGBA(image.Rect(0, 0, w, h))
			draw.Draw(rgba, rgba.Rect, img, r.Min, draw.Src)
			r = rgba.Rect
		}
		pix, stride, bpp = rgba.Pix[rgba.PixOffset(r.Min.X, r.Min.Y):], rgba.Stride, 4
		d := image.NewRGBA(image.Rect(0, 0, dw, dh))
		dst, dpix, dstride = d, d.Pix, d.Stride
	}
	for y := range dh {
		row := dpix[y*dstride:]
		for x := range dw {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			copy(row[x*bpp:x*bpp+bpp], pix[sy*stride+sx*bpp:])
		}
	}
	return dst
}
