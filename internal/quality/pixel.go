package quality

import (
	"image"
	"image/color"
	"math"
	"math/bits"
	"math/cmplx"
)

// pixels returns a reader of 8-bit RGB at a point of img, direct for the
// types decoders return (JPEG gives YCbCr or Gray, PNG RGBA, NRGBA or
// Gray) and through At otherwise. Assess samples a few hundred thousand
// points, so the interface call of At per point would dominate.
func pixels(img image.Image) func(x, y int) (r, g, b uint8) {
	switch m := img.(type) {
	case *image.RGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			p := m.Pix[m.PixOffset(x, y):]
			return p[0], p[1], p[2]
		}
	case *image.NRGBA:
		// Alpha ignored: captures are opaque.
		return func(x, y int) (uint8, uint8, uint8) {
			p := m.Pix[m.PixOffset(x, y):]
			return p[0], p[1], p[2]
		}
	case *image.Gray:
		return func(x, y int) (uint8, uint8, uint8) {
			v := m.Pix[m.PixOffset(x, y)]
			return v, v, v
		}
	case *image.YCbCr:
		return func(x, y int) (uint8, uint8, uint8) {
			return color.YCbCrToRGB(m.Y[m.YOffset(x, y)], m.Cb[m.COffset(x, y)], m.Cr[m.COffset(x, y)])
		}
	}
	return func(x, y int) (uint8, uint8, uint8) {
		r, g, b, _ := img.At(x, y).RGBA()
		return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
	}
}

// twiddle holds exp(-2πik/fftN) for k < fftN/2.
var twiddle = func() []complex128 {
	t := make([]complex128, fftN/2)
	for k := range t {
		t[k] = cmplx.Exp(complex(0, -2*math.Pi*float64(k)/fftN))
	}
	return t
}()

// fft1 transforms a (length fftN, a power of two) in place: iterative
// radix-2 Cooley-Tukey.
func fft1(a []complex128) {
	n := len(a)
	shift := 64 - uint(bits.Len(uint(n-1)))
	for i := range n {
		j := int(bits.Reverse64(uint64(i)) >> shift)
		if j > i {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half, step := size/2, n/size
		for start := 0; start < n; start += size {
			for k := range half {
				w := twiddle[k*step]
				u, v := a[start+k], a[start+k+half]*w
				a[start+k], a[start+k+half] = u+v, u-v
			}
		}
	}
}

// fft2 transforms the n x n row-major data in place.
func fft2(data []complex128, n int) {
	for j := range n {
		fft1(data[j*n : (j+1)*n])
	}
	col := make([]complex128, n)
	for i := range n {
		for j := range n {
			col[j] = data[j*n+i]
		}
		fft1(col)
		for j := range n {
			data[j*n+i] = col[j]
		}
	}
}
