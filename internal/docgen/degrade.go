package docgen

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// rotate turns img clockwise by deg (90, 180 or 270), pixel for pixel.
func rotate(img *image.RGBA, deg int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var out *image.RGBA
	if deg == 180 {
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, h, w))
	}
	for y := range h {
		for x := range w {
			var nx, ny int
			switch deg {
			case 90:
				nx, ny = h-1-y, x
			case 180:
				nx, ny = w-1-x, h-1-y
			default: // 270
				nx, ny = y, w-1-x
			}
			copy(out.Pix[out.PixOffset(nx, ny):][:4], img.Pix[img.PixOffset(x, y):][:4])
		}
	}
	return out
}

// scan simulates a flatbed scan: greyscale, on a white bed, skewed by
// 0.5-2 degrees, resampled to 150-300 dpi (the card is drawn at 300),
// slightly blurred, with sensor noise and dust specks.
func scan(card *image.RGBA, r *rand.Rand) image.Image {
	dpi := 150 + r.Float64()*150
	scale := dpi / 300
	angle := (0.5 + r.Float64()*1.5) * math.Pi / 180
	if r.IntN(2) == 0 {
		angle = -angle
	}
	cw, ch := float64(card.Rect.Dx()), float64(card.Rect.Dy())
	margin := (0.03 + r.Float64()*0.05) * cw
	ow := int(math.Ceil((cw*math.Cos(math.Abs(angle))+ch*math.Sin(math.Abs(angle))+2*margin)*scale)) + 1
	oh := int(math.Ceil((ch*math.Cos(math.Abs(angle))+cw*math.Sin(math.Abs(angle))+2*margin)*scale)) + 1

	grey := image.NewGray(card.Rect)
	for i, j := 0, 0; i < len(card.Pix); i, j = i+4, j+1 {
		// Rec. 601 luma; scanners also lift light tints towards white.
		y := (299*int(card.Pix[i]) + 587*int(card.Pix[i+1]) + 114*int(card.Pix[i+2])) / 1000
		y = min(255, y*105/100)
		grey.Pix[j] = uint8(y)
	}

	// Blurring at full resolution both softens the print, as a scanner's
	// optics do, and keeps the downsampling below from aliasing.
	blur(grey.Pix, grey.Rect.Dx(), grey.Rect.Dy(), grey.Stride, 1, 1+r.IntN(2))

	bed := float64(238 + r.IntN(15))
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	// Destination to source: undo the move to the output's centre, the
	// rotation and the scale, then move to the card's centre.
	cos, sin := math.Cos(angle)/scale, math.Sin(angle)/scale
	ocx, ocy := float64(ow)/2, float64(oh)/2
	for y := range oh {
		dy := float64(y) + 0.5 - ocy
		for x := range ow {
			dx := float64(x) + 0.5 - ocx
			sx := cos*dx + sin*dy + cw/2 - 0.5
			sy := -sin*dx + cos*dy + ch/2 - 0.5
			out.Pix[y*out.Stride+x] = clamp8(sampleGray(grey, sx, sy, bed))
		}
	}

	sigma := 3 + r.Float64()*4
	for i := range out.Pix {
		out.Pix[i] = clamp8(float64(out.Pix[i]) + r.NormFloat64()*sigma)
	}
	// Dust and toner specks.
	for range ow * oh / 3000 {
		x, y := r.IntN(ow), r.IntN(oh)
		v := uint8(r.IntN(90))
		if r.IntN(4) == 0 {
			v = 255
		}
		sz := 1 + r.IntN(2)
		for dy := range sz {
			for dx := range sz {
				if p := (image.Point{x + dx, y + dy}); p.In(out.Rect) {
					out.Pix[out.PixOffset(p.X, p.Y)] = v
				}
			}
		}
	}
	return out
}

// photo simulates a phone photo: the card lies on a textured surface
// larger than itself, seen in mild perspective (each corner moved by up
// to 3% of the card), under uneven light, slightly out of focus. The
// caller encodes it as a JPEG.
func photo(card *image.RGBA, r *rand.Rand) image.Image {
	cw, ch := float64(card.Rect.Dx()), float64(card.Rect.Dy())
	ow, oh := int(cw*(1.2+r.Float64()*0.2)), int(ch*(1.3+r.Float64()*0.25))
	out := texture(ow, oh, r)

	s := 0.92 + r.Float64()*0.08
	ox := (float64(ow) - cw*s) * (0.3 + r.Float64()*0.4)
	oy := (float64(oh) - ch*s) * (0.3 + r.Float64()*0.4)
	jit := func() float64 { return (r.Float64()*2 - 1) * 0.03 }
	dst := [4][2]float64{
		{ox + jit()*cw, oy + jit()*ch},
		{ox + cw*s + jit()*cw, oy + jit()*ch},
		{ox + cw*s + jit()*cw, oy + ch*s + jit()*ch},
		{ox + jit()*cw, oy + ch*s + jit()*ch},
	}
	src := [4][2]float64{{0, 0}, {cw, 0}, {cw, ch}, {0, ch}}
	h := homography(dst, src)

	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range dst {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	box := image.Rect(int(minX)-1, int(minY)-1, int(maxX)+2, int(maxY)+2).Intersect(out.Rect)

	// A soft shadow below and to the right of the card.
	sdx, sdy := 6+r.Float64()*6, 8+r.Float64()*6
	for y := box.Min.Y; y < min(box.Max.Y+int(sdy)+1, oh); y++ {
		for x := box.Min.X; x < min(box.Max.X+int(sdx)+1, ow); x++ {
			sx, sy := h.apply(float64(x)-sdx+0.5, float64(y)-sdy+0.5)
			if sx >= 0 && sy >= 0 && sx < cw && sy < ch {
				i := out.PixOffset(x, y)
				for k := range 3 {
					out.Pix[i+k] = uint8(int(out.Pix[i+k]) * 3 / 5)
				}
			}
		}
	}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			sx, sy := h.apply(float64(x)+0.5, float64(y)+0.5)
			if sx < 0 || sy < 0 || sx >= cw || sy >= ch {
				continue
			}
			sampleBilinear(card, sx-0.5, sy-0.5, out.Pix[out.PixOffset(x, y):][:3])
		}
	}

	// Light falls off across the frame, with a brighter patch where the
	// lamp is. Both terms are separable in x and y, so they are tabulated.
	ang := r.Float64() * 2 * math.Pi
	gx, gy := math.Cos(ang), math.Sin(ang)
	lo := 0.72 + r.Float64()*0.12
	hx, hy := r.Float64()*float64(ow), r.Float64()*float64(oh)
	hr := float64(max(ow, oh)) * (0.3 + r.Float64()*0.3)
	diag := math.Hypot(float64(ow), float64(oh))
	k := 1.02 - lo
	linX, spotX := make([]float64, ow), make([]float64, ow)
	for x := range ow {
		linX[x] = k * (float64(x) - float64(ow)/2) * gx / diag
		d := (float64(x) - hx) / hr
		spotX[x] = 0.08 * math.Exp(-d*d)
	}
	for y := range oh {
		base := lo + k*(0.5+(float64(y)-float64(oh)/2)*gy/diag)
		d := (float64(y) - hy) / hr
		spotY := math.Exp(-d * d)
		row := out.Pix[y*out.Stride:]
		for x := range ow {
			f := base + linX[x] + spotX[x]*spotY
			p := row[4*x : 4*x+3 : 4*x+3]
			p[0] = clamp8(float64(p[0]) * f)
			p[1] = clamp8(float64(p[1]) * f)
			p[2] = clamp8(float64(p[2]) * f)
		}
	}
	blur(out.Pix, ow, oh, out.Stride, 4, 1)
	sigma := 2 + r.Float64()*2
	for i := 0; i < len(out.Pix); i += 4 {
		n := r.NormFloat64() * sigma
		for k := range 3 {
			out.Pix[i+k] = clamp8(float64(out.Pix[i+k]) + n)
		}
	}
	return out
}

// texture fills a w x h image with a surface a card might lie on: a base
// colour with low-frequency blotches, grain and fine noise.
func texture(w, h int, r *rand.Rand) *image.RGBA {
	bases := []color.RGBA{{150, 105, 70, 255}, {118, 118, 124, 255}, {62, 82, 122, 255}, {196, 182, 158, 255}, {52, 52, 58, 255}, {120, 60, 50, 255}}
	base := bases[r.IntN(len(bases))]
	const cell = 64
	gw, gh := w/cell+2, h/cell+2
	grid := make([]float64, gw*gh)
	for i := range grid {
		grid[i] = r.Float64()*2 - 1
	}
	grainF := 0.05 + r.Float64()*0.15
	grainA := r.Float64() * 0.08
	row := make([]float64, w)
	for x := range row {
		row[x] = r.Float64()*0.06 - 0.03
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		grain := grainA * math.Sin(float64(y)*grainF)
		gy, fy := y/cell, float64(y%cell)/cell
		for x := range w {
			gx, fx := x/cell, float64(x%cell)/cell
			n := grid[gy*gw+gx]*(1-fx)*(1-fy) + grid[gy*gw+gx+1]*fx*(1-fy) +
				grid[(gy+1)*gw+gx]*(1-fx)*fy + grid[(gy+1)*gw+gx+1]*fx*fy
			f := 1 + 0.12*n + grain + row[(x+y*7)%w]
			i := img.PixOffset(x, y)
			img.Pix[i] = clamp8(float64(base.R) * f)
			img.Pix[i+1] = clamp8(float64(base.G) * f)
			img.Pix[i+2] = clamp8(float64(base.B) * f)
			img.Pix[i+3] = 255
		}
	}
	return img
}

// proj is a 3x3 projective transform, row-major, h[8] = 1.
type proj [9]float64

func (h *proj) apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// homography returns the projective transform taking each from[i] to
// to[i], by solving the usual 8x8 linear system.
func homography(from, to [4][2]float64) proj {
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	// Gaussian elimination with partial pivoting.
	for col := range 8 {
		p := col
		for row := col + 1; row < 8; row++ {
			if math.Abs(a[row][col]) > math.Abs(a[p][col]) {
				p = row
			}
		}
		a[col], a[p] = a[p], a[col]
		for row := range 8 {
			if row == col || a[col][col] == 0 {
				continue
			}
			f := a[row][col] / a[col][col]
			for k := col; k < 9; k++ {
				a[row][k] -= f * a[col][k]
			}
		}
	}
	var h proj
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h
}

// sampleBilinear writes the RGB of img at (x, y), in pixel-centre
// coordinates, interpolated from its four neighbours, into dst.
func sampleBilinear(img *image.RGBA, x, y float64, dst []uint8) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	cl := func(v, n int) int { return max(0, min(n-1, v)) }
	xa, xb, ya, yb := cl(x0, w), cl(x0+1, w), cl(y0, h), cl(y0+1, h)
	for k := range 3 {
		p00 := float64(img.Pix[ya*img.Stride+xa*4+k])
		p10 := float64(img.Pix[ya*img.Stride+xb*4+k])
		p01 := float64(img.Pix[yb*img.Stride+xa*4+k])
		p11 := float64(img.Pix[yb*img.Stride+xb*4+k])
		dst[k] = clamp8((p00*(1-fx)+p10*fx)*(1-fy) + (p01*(1-fx)+p11*fx)*fy)
	}
}

// blur applies a [1 2 1]/4 kernel in both directions, passes times: a
// small Gaussian, as a slightly defocused lens or scanner gives. bpp is
// the bytes per pixel (1 for Gray, 4 for RGBA; alpha is 255 and stays).
func blur(pix []uint8, w, h, stride, bpp, passes int) {
	tmp := make([]uint8, len(pix))
	for range passes {
		for y := range h {
			row := y * stride
			for x := range w {
				l, rr := max(0, x-1), min(w-1, x+1)
				for k := range bpp {
					tmp[row+x*bpp+k] = uint8((int(pix[row+l*bpp+k]) + 2*int(pix[row+x*bpp+k]) + int(pix[row+rr*bpp+k]) + 2) / 4)
				}
			}
		}
		for y := range h {
			u, d := max(0, y-1)*stride, min(h-1, y+1)*stride
			row := y * stride
			for x := range w * bpp {
				pix[row+x] = uint8((int(tmp[u+x]) + 2*int(tmp[row+x]) + int(tmp[d+x]) + 2) / 4)
			}
		}
	}
}

func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// sampleGray interpolates img at (x, y), in pixel-centre coordinates;
// outside the image it blends towards bg, which anti-aliases the edge.
func sampleGray(img *image.Gray, x, y, bg float64) float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if x < -1 || y < -1 || x >= float64(w) || y >= float64(h) {
		return bg
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(px, py int) float64 {
		if px < 0 || py < 0 || px >= w || py >= h {
			return bg
		}
		return float64(img.Pix[py*img.Stride+px])
	}
	return (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
}
