package ocr

import (
	"image"
)

// gray is an 8-bit grey image with no padding between rows: the layout
// TessBaseAPISetImage takes as is.
type gray struct {
	pix  []byte
	w, h int
}

// Scaling bounds for the longer side of the image Tesseract reads. Measured
// here: a card at 90 dpi loses most fields, at ~300 dpi (about 1000-1300 px
// across) reads all of them; 600 dpi costs 2.5x for nothing. An A4 page at
// 300 dpi is 3508 px long and must keep its resolution, so only images above
// maxLong are scaled down.
//
// An image already about 300 dpi for a card (enoughLong or more) is read as
// it is: scaling a 1011 px card up to 1200 px made Tesseract drop the
// large Aadhaar number line on 3 of 20 generated cards (read at 1011 px),
// and cost 1.4 times the pixels.
const (
	enoughLong   = 1000
	minLong      = 1200
	maxLong      = 4200
	maxUpscale   = 4.0 // beyond this, upscaling invents nothing legible
	defaultScale = 1.0
)

// scaleFor returns the factor that brings the longer side of a w×h image
// smaller than enoughLong up to minLong, and of one larger than maxLong
// down to maxLong.
func scaleFor(w, h int) float64 {
	long := max(w, h)
	switch {
	case long <= 0:
		return defaultScale
	case long < enoughLong:
		return min(float64(minLong)/float64(long), maxUpscale)
	case long > maxLong:
		return float64(maxLong) / float64(long)
	}
	return defaultScale
}

// toGray converts img to 8-bit luma, flattening transparency onto white
// (a transparent PNG background is paper, not ink). The common decoder
// outputs take fast paths; JPEG's YCbCr already carries luma as its Y plane.
func toGray(img image.Image) *gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := &gray{pix: make([]byte, w*h), w: w, h: h}
	switch m := img.(type) {
	case *image.Gray:
		for y := range h {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(g.pix[y*w:(y+1)*w], m.Pix[i:i+w])
		}
	case *image.YCbCr:
		for y := range h {
			i := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(g.pix[y*w:(y+1)*w], m.Y[i:i+w])
		}
	case *image.NRGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				p := row[4*x : 4*x+4 : 4*x+4]
				l := luma(uint32(p[0]), uint32(p[1]), uint32(p[2]))
				a := uint32(p[3])
				out[x] = byte((l*a + 255*(255-a) + 127) / 255)
			}
		}
	case *image.RGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				p := row[4*x : 4*x+4 : 4*x+4]
				// Premultiplied: luma is already scaled by alpha.
				out[x] = byte(min(luma(uint32(p[0]), uint32(p[1]), uint32(p[2]))+255-uint32(p[3]), 255))
			}
		}
	default:
		for y := range h {
			out := g.pix[y*w : (y+1)*w]
			for x := range out {
				r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // 16-bit, premultiplied
				l := luma(r>>8, gg>>8, bb>>8) + (0xffff-a)>>8
				out[x] = byte(min(l, 255))
			}
		}
	}
	return g
}

// luma is ITU-R BT.601 luma of 8-bit components, as image/color uses.
func luma(r, g, b uint32) uint32 {
	return (19595*r + 38470*g + 7471*b + 1<<15) >> 16
}

// scale resizes g by factor f: bilinear when enlarging, area averaging
// when shrinking (bilinear would skip pixels and break thin strokes).
func (g *gray) scale(f float64) *gray {
	w, h := max(1, int(float64(g.w)*f+0.5)), max(1, int(float64(g.h)*f+0.5))
	if w == g.w && h == g.h {
		return g
	}
	if f < 1 {
		return g.shrink(w, h)
	}
	return g.enlarge(w, h)
}

func (g *gray) enlarge(w, h int) *gray {
	out := &gray{pix: make([]byte, w*h), w: w, h: h}
	// Fixed point, 8 fractional bits; pixel centres aligned.
	const one = 256
	sx := float64(g.w) / float64(w)
	sy := float64(g.h) / float64(h)
	x0s := make([]int, w)
	fxs := make([]uint32, w)
	for x := range w {
		fx := max((float64(x)+0.5)*sx-0.5, 0)
		x0 := min(int(fx), g.w-1)
		x0s[x] = x0
		fxs[x] = uint32((fx - float64(x0)) * one)
	}
	for y := range h {
		fy := max((float64(y)+0.5)*sy-0.5, 0)
		y0 := min(int(fy), g.h-1)
		y1 := min(y0+1, g.h-1)
		wy := uint32((fy - float64(y0)) * one)
		r0 := g.pix[y0*g.w : (y0+1)*g.w]
		r1 := g.pix[y1*g.w : (y1+1)*g.w]
		dst := out.pix[y*w : (y+1)*w]
		for x := range dst {
			x0 := x0s[x]
			x1 := min(x0+1, g.w-1)
			wx := fxs[x]
			top := uint32(r0[x0])*(one-wx) + uint32(r0[x1])*wx
			bot := uint32(r1[x0])*(one-wx) + uint32(r1[x1])*wx
			dst[x] = byte((top*(one-wy) + bot*wy + one*one/2) / (one * one))
		}
	}
	return out
}

func (g *gray) shrink(w, h int) *gray {
	out := &gray{pix: make([]byte, w*h), w: w, h: h}
	for y := range h {
		sy0, sy1 := y*g.h/h, max((y+1)*g.h/h, y*g.h/h+1)
		dst := out.pix[y*w : (y+1)*w]
		for x := range dst {
			sx0, sx1 := x*g.w/w, max((x+1)*g.w/w, x*g.w/w+1)
			var sum uint32
			for sy := sy0; sy < sy1; sy++ {
				for _, v := range g.pix[sy*g.w+sx0 : sy*g.w+sx1] {
					sum += uint32(v)
				}
			}
			n := uint32((sy1 - sy0) * (sx1 - sx0))
			dst[x] = byte((sum + n/2) / n)
		}
	}
	return out
}

// rotate turns g clockwise by deg, a multiple of 90.
func (g *gray) rotate(deg int) *gray {
	switch ((deg % 360) + 360) % 360 {
	case 90:
		out := &gray{pix: make([]byte, len(g.pix)), w: g.h, h: g.w}
		for y := range g.h {
			for x := range g.w {
				// (x, y) goes to (h-1-y, x).
				out.pix[x*out.w+(g.h-1-y)] = g.pix[y*g.w+x]
			}
		}
		return out
	case 180:
		out := &gray{pix: make([]byte, len(g.pix)), w: g.w, h: g.h}
		n := len(g.pix)
		for i, v := range g.pix {
			out.pix[n-1-i] = v
		}
		return out
	case 270:
		out := &gray{pix: make([]byte, len(g.pix)), w: g.h, h: g.w}
		for y := range g.h {
			for x := range g.w {
				// (x, y) goes to (y, w-1-x).
				out.pix[(g.w-1-x)*out.w+y] = g.pix[y*g.w+x]
			}
		}
		return out
	}
	return g
}
