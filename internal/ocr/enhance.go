package ocr

import (
	"math"
	"slices"
)

// prepare corrects g's geometry before reading: a photographed card is
// cut from its background and squared (perspective correction), then a
// skewed page is levelled. It returns the image to read and the transform
// from its pixels to g's, or nil when g is read as it is.
//
// Measured on generated cards (10 per cell, field accuracy): PAN, Aadhaar
// and driving licence scans and photos together 91.7% -> 94.1%, invoice
// scans 86.7% -> 91.7%; clean and rotated cards unchanged. Two more steps
// were tried on the same cards and lost, so they are not here: background
// flattening (divide by a max-filtered background, stretch), 85.2%, worst
// on driving licence scans (71.2%); Tesseract's Sauvola thresholding
// (thresholding_method 2), 71.6%, with cards misclassified.
func prepare(g *gray) (*gray, *proj) {
	var h *proj
	if q, ok := findQuad(g); ok {
		var hq proj
		g, hq = unwarp(g, q)
		h = &hq
	}
	if a, ok := skewAngle(g); ok && math.Abs(a) >= minSkew {
		var hr proj
		g, hr = rotateSmall(g, a)
		if h == nil {
			h = &hr
		} else {
			c := h.mul(hr)
			h = &c
		}
	}
	return g, h
}

// proj is a 3x3 projective transform, row-major.
type proj [9]float64

func (h proj) apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// mul returns h∘k: apply k first, then h.
func (h proj) mul(k proj) proj {
	var out proj
	for r := range 3 {
		for c := range 3 {
			for i := range 3 {
				out[3*r+c] += h[3*r+i] * k[3*i+c]
			}
		}
	}
	return out
}

// homography returns the projective transform taking each from[i] to
// to[i] (the usual 8x8 linear system, Gaussian elimination).
func homography(from, to [4][2]float64) (proj, bool) {
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := range 8 {
		p := col
		for row := col + 1; row < 8; row++ {
			if math.Abs(a[row][col]) > math.Abs(a[p][col]) {
				p = row
			}
		}
		if math.Abs(a[p][col]) < 1e-12 {
			return proj{}, false
		}
		a[col], a[p] = a[p], a[col]
		for row := range 8 {
			if row == col {
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
	return h, true
}

// at samples g bilinearly at (x, y) in pixel-centre coordinates, bg
// outside.
func (g *gray) at(x, y float64, bg byte) byte {
	if x < -1 || y < -1 || x >= float64(g.w) || y >= float64(g.h) {
		return bg
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	px := func(px, py int) float64 {
		if px < 0 || py < 0 || px >= g.w || py >= g.h {
			return float64(bg)
		}
		return float64(g.pix[py*g.w+px])
	}
	v := (px(x0, y0)*(1-fx)+px(x0+1, y0)*fx)*(1-fy) + (px(x0, y0+1)*(1-fx)+px(x0+1, y0+1)*fx)*fy
	return byte(min(max(v+0.5, 0), 255))
}

// warp returns a w×h image whose pixel (u, v) is g at h(u, v), with
// continuous coordinates (pixel centres at +0.5).
func (g *gray) warp(w, hgt int, h proj, bg byte) *gray {
	out := &gray{pix: make([]byte, w*hgt), w: w, h: hgt}
	for v := range hgt {
		row := out.pix[v*w : (v+1)*w]
		for u := range row {
			sx, sy := h.apply(float64(u)+0.5, float64(v)+0.5)
			row[u] = g.at(sx-0.5, sy-0.5, bg)
		}
	}
	return out
}

// percentile returns the value below which a share p of g's pixels lie.
func (g *gray) percentile(p float64) byte {
	var hist [256]int
	for _, v := range g.pix {
		hist[v]++
	}
	n, want := 0, int(p*float64(len(g.pix)))
	for v, c := range hist {
		n += c
		if n > want {
			return byte(v)
		}
	}
	return 255
}

// Deskew. Scanned cards arrive skewed by up to a few degrees; under page
// segmentation mode 6 Tesseract then runs neighbouring lines together
// across a wide card. The angle is the one whose horizontal projection of
// ink is the most peaked (lines of text line up with rows).
const (
	minSkew    = 0.3 // degrees; below this a rotation only blurs
	maxSkew    = 5.0 // degrees searched either way
	skewLong   = 700 // px: the long side the estimate works at
	skewMinInk = 200 // ink pixels below which there is nothing to align
	skewGain   = 1.03
)

// skewAngle estimates how far g's text is turned clockwise, in degrees. ok
// is false when g has too little ink or no angle beats level clearly.
func skewAngle(g *gray) (deg float64, ok bool) {
	s := g
	if f := float64(skewLong) / float64(max(g.w, g.h)); f < 1 {
		s = g.shrink(max(1, int(float64(g.w)*f)), max(1, int(float64(g.h)*f)))
	}
	xs, ys := inkPoints(s)
	if len(xs) < skewMinInk {
		return 0, false
	}
	rows := make([]float64, s.h+2*s.w)
	profile := func(a float64) float64 {
		clear(rows)
		t := math.Tan(a * math.Pi / 180)
		off := float64(s.w) // keeps the sheared row index positive
		for i := range xs {
			r := int(ys[i] - xs[i]*t + off)
			if r >= 0 && r < len(rows) {
				rows[r]++
			}
		}
		sum := 0.0
		for _, c := range rows {
			sum += c * c
		}
		return sum
	}
	best, bestA := profile(0), 0.0
	level := best
	for a := -maxSkew; a <= maxSkew+1e-9; a += 0.25 {
		if v := profile(a); v > best {
			best, bestA = v, a
		}
	}
	for a := bestA - 0.25; a <= bestA+0.25+1e-9; a += 0.05 {
		if v := profile(a); v > best {
			best, bestA = v, a
		}
	}
	if best < skewGain*level {
		return 0, false
	}
	return bestA, true
}

// inkPoints returns the coordinates of pixels clearly darker than their
// neighbourhood: strokes of text and rules, not tints or artwork shading.
func inkPoints(g *gray) (xs, ys []float64) {
	ii := integral(g)
	r := max(4, max(g.w, g.h)/60)
	for y := range g.h {
		y0, y1 := max(0, y-r), min(g.h, y+r+1)
		for x := range g.w {
			x0, x1 := max(0, x-r), min(g.w, x+r+1)
			n := (y1 - y0) * (x1 - x0)
			sum := ii[y1*(g.w+1)+x1] - ii[y0*(g.w+1)+x1] - ii[y1*(g.w+1)+x0] + ii[y0*(g.w+1)+x0]
			v := int(g.pix[y*g.w+x])
			if v*4*n < 3*int(sum) && v < 170 {
				xs = append(xs, float64(x)+0.5)
				ys = append(ys, float64(y)+0.5)
			}
		}
	}
	return xs, ys
}

// integral returns g's summed-area table, (w+1)×(h+1).
func integral(g *gray) []int {
	w := g.w + 1
	ii := make([]int, w*(g.h+1))
	for y := range g.h {
		run := 0
		for x := range g.w {
			run += int(g.pix[y*g.w+x])
			ii[(y+1)*w+x+1] = ii[y*w+x+1] + run
		}
	}
	return ii
}

// rotateSmall turns g by deg counter-clockwise about its centre, undoing a
// clockwise skew of deg, keeping its size; the corners it brings in are
// paper. It returns the transform from the new pixels to g's.
func rotateSmall(g *gray, deg float64) (*gray, proj) {
	a := deg * math.Pi / 180
	c, s := math.Cos(a), math.Sin(a)
	cx, cy := float64(g.w)/2, float64(g.h)/2
	// src = centre + R(a)(p - centre)
	h := proj{c, -s, cx - c*cx + s*cy, s, c, cy - s*cx - c*cy, 0, 0, 1}
	return g.warp(g.w, g.h, h, g.percentile(0.9)), h
}

// Perspective correction. A photographed card lies on a surface that is
// not paper; its four edges are the first strong steps met coming in from
// the frame's sides. Each edge is fitted robustly to a line; the card is
// kept only when all four lines are well supported, the quadrilateral is
// plausible and its inside differs from its outside, so that a clean card
// or a page filling the frame is never cropped.
const (
	quadLong      = 480  // px: the long side the search works at
	quadStep      = 12   // minimum grey step of an edge
	quadReach     = 0.3  // share of the width or height searched from each side
	quadInliers   = 0.6  // share of scan lines that must lie on each edge
	quadMinArea   = 0.35 // share of the frame the card must cover
	quadMaxArea   = 0.85 // and beyond which there is nothing to gain
	quadMinMargin = 0.01 // share of the frame each edge must keep from it
	quadContrast  = 15   // grey levels between inside and outside
	quadInset     = 0.01 // share of the card cut from each side
)

// findQuad returns the card's corners in g's pixels, clockwise from top
// left, when it finds them with confidence.
func findQuad(g *gray) ([4][2]float64, bool) {
	var q [4][2]float64
	f := float64(quadLong) / float64(max(g.w, g.h))
	s := g
	if f < 1 {
		s = g.shrink(max(1, int(float64(g.w)*f)), max(1, int(float64(g.h)*f)))
	} else {
		f = 1
	}
	// Lines: left and right edges as x = a*y + b, top and bottom as
	// y = a*x + b, in s's pixels.
	var lines [4][2]float64
	for side := range 4 {
		a, b, ok := edgeLine(s, side)
		if !ok {
			return q, false
		}
		lines[side] = [2]float64{a, b}
	}
	// Corners: top-left (left ∩ top), top-right, bottom-right, bottom-left.
	corner := func(v, hz int) [2]float64 {
		av, bv := lines[v][0], lines[v][1]
		ah, bh := lines[hz][0], lines[hz][1]
		y := (ah*bv + bh) / (1 - ah*av)
		x := av*y + bv
		return [2]float64{x, y}
	}
	const left, top, right, bottom = 0, 1, 2, 3
	c := [4][2]float64{corner(left, top), corner(right, top), corner(right, bottom), corner(left, bottom)}
	W, H := float64(s.w), float64(s.h)
	mx, my := quadMinMargin*W, quadMinMargin*H
	for _, p := range c {
		if p[0] < mx || p[1] < my || p[0] > W-mx || p[1] > H-my {
			return q, false
		}
	}
	area := 0.0
	for i := range 4 {
		j := (i + 1) % 4
		area += c[i][0]*c[j][1] - c[j][0]*c[i][1]
	}
	// A card filling most of the frame (a scan cropped to it, a clean
	// card with a thin margin) gains nothing from a resample; deskew
	// handles its slant.
	if area/2 < quadMinArea*W*H || area/2 > quadMaxArea*W*H {
		return q, false
	}
	// Convex with corners near right angles: a card seen in mild
	// perspective, not a chance alignment.
	for i := range 4 {
		p, a, b := c[i], c[(i+3)%4], c[(i+1)%4]
		ux, uy := a[0]-p[0], a[1]-p[1]
		vx, vy := b[0]-p[0], b[1]-p[1]
		cos := (ux*vx + uy*vy) / math.Hypot(ux, uy) / math.Hypot(vx, vy)
		if math.Abs(cos) > 0.2 || ux*vy-uy*vx >= 0 {
			return q, false
		}
	}
	if !distinct(s, c) {
		return q, false
	}
	for i, p := range c {
		q[i] = [2]float64{p[0] / f, p[1] / f}
	}
	return q, true
}

// edgeLine finds one side's edge (0 left, 1 top, 2 right, 3 bottom) in s
// and fits a line to it: x = a*y + b for left and right, y = a*x + b for
// top and bottom.
func edgeLine(s *gray, side int) (a, b float64, ok bool) {
	along, across := s.h, s.w // scan lines run across the edge
	if side == 1 || side == 3 {
		along, across = s.w, s.h
	}
	px := func(t, u int) int { // t along the edge, u across, from outside
		if side == 2 || side == 3 {
			u = across - 1 - u
		}
		if side == 0 || side == 2 {
			return int(s.pix[t*s.w+u])
		}
		return int(s.pix[u*s.w+t])
	}
	reach := int(quadReach * float64(across))
	var ts, us []float64
	lines := 0
	for t := along / 6; t < along*5/6; t += 2 {
		lines++
		// Smooth along the edge over 5 px to quieten texture and noise.
		val := func(u int) int {
			sum := 0
			for k := max(0, t-2); k <= min(along-1, t+2); k++ {
				sum += px(k, u)
			}
			return sum / (min(along-1, t+2) - max(0, t-2) + 1)
		}
		for u := 3; u < reach; u++ {
			if d := val(u+2) - val(u-2); d >= quadStep || -d >= quadStep {
				// The step's middle: where the change is steepest nearby.
				// Looking a little further in passes over a shadow the
				// card casts to the card's own, larger, step.
				bu, bd := u, 0
				for k := u; k < min(u+7, reach); k++ {
					if d := iabs(val(k+1) - val(k-1)); d > bd {
						bu, bd = k, d
					}
				}
				uu := float64(bu) + 0.5
				if side == 2 || side == 3 {
					uu = float64(across) - uu
				}
				ts = append(ts, float64(t)+0.5)
				us = append(us, uu)
				break
			}
		}
	}
	if float64(len(ts)) < quadInliers*float64(lines) {
		return 0, 0, false
	}
	a, b = theilSen(ts, us)
	in := 0
	for i := range ts {
		if math.Abs(us[i]-(a*ts[i]+b)) <= 1.5 {
			in++
		}
	}
	if float64(in) < quadInliers*float64(lines) {
		return 0, 0, false
	}
	return a, b, true
}

// theilSen fits u = a*t + b: the median of pairwise slopes, then the
// median intercept; a third of the points may be wild.
func theilSen(ts, us []float64) (a, b float64) {
	var slopes []float64
	for i := range ts {
		for j := i + 1; j < len(ts); j++ {
			if dt := ts[j] - ts[i]; dt != 0 {
				slopes = append(slopes, (us[j]-us[i])/dt)
			}
		}
	}
	a = median(slopes)
	icpt := make([]float64, len(ts))
	for i := range ts {
		icpt[i] = us[i] - a*ts[i]
	}
	return a, median(icpt)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// distinct says whether the band just inside quadrilateral c differs
// clearly from the band just outside it, as a card from the surface under
// it does and a card from its own margin does not.
func distinct(s *gray, c [4][2]float64) bool {
	cx, cy := 0.0, 0.0
	for _, p := range c {
		cx += p[0] / 4
		cy += p[1] / 4
	}
	var in, out []float64
	for i := range 4 {
		p, q := c[i], c[(i+1)%4]
		for k := 1; k < 20; k++ {
			t := float64(k) / 20
			x, y := p[0]+(q[0]-p[0])*t, p[1]+(q[1]-p[1])*t
			dx, dy := cx-x, cy-y
			d := math.Hypot(dx, dy)
			dx, dy = dx/d, dy/d
			in = append(in, float64(s.at(x+6*dx-0.5, y+6*dy-0.5, 0)))
			out = append(out, float64(s.at(x-6*dx-0.5, y-6*dy-0.5, 0)))
		}
	}
	diff := 0
	for i := range in {
		if math.Abs(in[i]-out[i]) >= quadContrast {
			diff++
		}
	}
	return diff*4 >= len(in)*3
}

// unwarp maps quadrilateral q of g to an upright rectangle as large as the
// card's mean side lengths, and returns it with the transform from its
// pixels to g's.
func unwarp(g *gray, q [4][2]float64) (*gray, proj) {
	// Inset a little, so that the card's own edge and any shadow line
	// stay out: Tesseract reads them as slivers of words. Cards keep a
	// margin of several per cent around their text.
	var cx, cy float64
	for _, p := range q {
		cx, cy = cx+p[0]/4, cy+p[1]/4
	}
	for i, p := range q {
		q[i] = [2]float64{p[0] + (cx-p[0])*quadInset, p[1] + (cy-p[1])*quadInset}
	}
	w := (math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1]) + math.Hypot(q[2][0]-q[3][0], q[2][1]-q[3][1])) / 2
	h := (math.Hypot(q[3][0]-q[0][0], q[3][1]-q[0][1]) + math.Hypot(q[2][0]-q[1][0], q[2][1]-q[1][1])) / 2
	rw, rh := max(1, int(w+0.5)), max(1, int(h+0.5))
	rect := [4][2]float64{{0, 0}, {float64(rw), 0}, {float64(rw), float64(rh)}, {0, float64(rh)}}
	hm, ok := homography(rect, q)
	if !ok {
		return g, proj{1, 0, 0, 0, 1, 0, 0, 0, 1}
	}
	return g.warp(rw, rh, hm, g.percentile(0.9)), hm
}

func iabs(i int) int { return max(i, -i) }

// turn maps point (x, y) of a w×h image to the image turned clockwise by
// deg (a multiple of 90), in continuous coordinates, as rotate turns
// pixels. w and h are the dimensions before the turn.
func turn(x, y float64, w, h, deg int) (float64, float64) {
	switch ((deg % 360) + 360) % 360 {
	case 90:
		return float64(h) - y, x
	case 180:
		return float64(w) - x, float64(h) - y
	case 270:
		return y, float64(w) - x
	}
	return x, y
}

// mapWord maps a word's box through f, keeping the bounding box of its
// mapped corners.
func mapWord(w rawWord, f func(x, y float64) (float64, float64)) rawWord {
	x0, y0 := math.Inf(1), math.Inf(1)
	x1, y1 := math.Inf(-1), math.Inf(-1)
	for _, p := range [4][2]int{{w.left, w.top}, {w.right, w.top}, {w.right, w.bottom}, {w.left, w.bottom}} {
		x, y := f(float64(p[0]), float64(p[1]))
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
	}
	w.left, w.top = int(math.Floor(x0)), int(math.Floor(y0))
	w.right, w.bottom = int(math.Ceil(x1)), int(math.Ceil(y1))
	return w
}
