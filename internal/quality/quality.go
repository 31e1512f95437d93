// Package quality flags how an identity document was captured: the
// original colour document (photographed or scanned), a black-and-white
// or grey photocopy, or a photo of a screen or of a printout. Lenders
// treat the last two with suspicion; the flag is a hint for review, not
// a verdict.
//
// The heuristic is deliberately cheap (a few milliseconds): it looks at
// three things only.
//
//   - Colour. A photocopy has no chroma anywhere; a colour card has some,
//     at least in its artwork. Measured as the share of sampled pixels
//     whose max-min channel spread is clearly above noise, and the
//     Hasler-Süsstrunk colourfulness.
//   - Periodicity. A camera looking at a screen resolves (or aliases) the
//     screen's pixel grid into strong, narrow peaks in the spectrum of a
//     grey crop; printed text and card artwork give a broad spectrum.
//     Measured as the strongest peak of the power spectrum of a 256x256
//     crop, at periods of 2-6 pixels, against the bins around it.
//   - Colour fringing. A screen breaks white into red, green and blue
//     subpixels; paper stays locally neutral. Measured as the change of
//     chroma between nearby bright pixels.
//
// A screen (periodicity or fringing) wins over the colour test; then no
// colour means a photocopy; else original.
//
// What it will miss, honestly:
//
//   - A photo of a screen taken from far away or out of focus, so that
//     the grid is blurred away and no moiré survives: read as original.
//     So will a capture a phone denoises or resamples heavily, or a
//     screenshot (no camera, no grid at all).
//   - A colour laser print of the card, photographed: no grid, colour
//     present: read as original. Print halftones are too fine at phone
//     resolution to be seen reliably.
//   - A photocopy photographed on a coloured desk or under warm light:
//     the desk and the colour cast bring chroma; colour is measured on the
//     central part of the frame to limit this, but a small copy in a big
//     frame reads as original.
//   - A photocopy made with a coarse halftone screen (some copiers dither
//     grey areas): periodic, so it may read as photo_of_photo.
//   - A colour photocopy: read as original.
//   - An original whose own print has a fine regular pattern (guilloche
//     security printing on newer PVC cards) at capture resolution could
//     raise the periodicity score.
//
// It was tuned on synthetic images only (see the tests), not on real
// captures: its thresholds are a starting point to be re-fitted on
// labelled real data.
package quality

import (
	"image"
	"math"
	"math/cmplx"
)

// The flags Assess returns.
const (
	Original     = "original"
	XeroxCopy    = "xerox_copy"
	PhotoOfPhoto = "photo_of_photo"
)

// Thresholds, fitted on the synthetic set of the tests (see the confusion
// table there) with margin on both sides.
const (
	// periodicMin is the log10 prominence of the strongest spectral peak
	// above which the capture is called a screen. Synthetic originals and
	// copies reach 1.4, synthetic screen captures 1.6-3.9.
	periodicMin = 2.0
	// fringeMin is the chroma change in bright areas above which the
	// capture is called a screen. Synthetic originals reach 2, synthetic
	// screens 38-91: the simulation's subpixels are crisper than a real
	// camera's, which demosaics and blurs them, so real screens will
	// score lower; 12 leaves room for that and for chromatic aberration.
	fringeMin = 12.0
	// chromaShareMin is the share of sampled pixels with a clear colour
	// below which the capture is called a photocopy.
	chromaShareMin = 0.02
	// chromaLevel is the max-min channel spread (0-255) that counts as a
	// clear colour: above JPEG and sensor noise on grey paper.
	chromaLevel = 24
)

// Features are the measurements Assess decides on; exported for tests
// and for tuning on real data.
type Features struct {
	// ChromaShare is the share of sampled pixels (central 80% of the
	// frame) whose channel spread exceeds chromaLevel.
	ChromaShare float64
	// Colourfulness is Hasler and Süsstrunk's metric over the same pixels.
	Colourfulness float64
	// Fringe is the mean change of chroma between pixels two apart, in
	// bright areas: colour fringing of a screen's subpixels.
	Fringe float64
	// Periodic is log10 of the prominence of the strongest peak of the
	// power spectrum of a grey crop, at periods of 2-6 pixels.
	Periodic float64
}

// Assess classifies a capture of an identity document as Original,
// XeroxCopy or PhotoOfPhoto, with a confidence in [0.5, 1] that grows with
// the distance of the deciding measurement from its threshold. An empty
// image is Original with confidence 0.
func Assess(img image.Image) (flag string, confidence float64) {
	if img.Bounds().Empty() {
		return Original, 0
	}
	f := Measure(img)
	return decide(f)
}

func decide(f Features) (string, float64) {
	// A screen capture is a screen capture even of a photocopy, so the
	// periodicity test goes first.
	if f.Periodic >= periodicMin || f.Fringe >= fringeMin {
		return PhotoOfPhoto, max(conf(f.Periodic-periodicMin, 1.0), conf(f.Fringe-fringeMin, 10))
	}
	if f.ChromaShare < chromaShareMin {
		return XeroxCopy, conf(chromaShareMin-f.ChromaShare, chromaShareMin)
	}
	// Original: the weakest of the margins.
	return Original, min(conf(periodicMin-f.Periodic, 1.0), conf(fringeMin-f.Fringe, 10), conf(f.ChromaShare-chromaShareMin, 0.1))
}

// conf maps a margin past a threshold to [0.5, 1]: 0.5 on the threshold,
// about 0.88 at one scale away.
func conf(margin, scale float64) float64 {
	return 0.5 + 0.5*math.Tanh(max(margin, 0)/scale*1.4)
}

// Measure computes the features of img.
func Measure(img image.Image) Features {
	px := pixels(img)
	var f Features
	f.ChromaShare, f.Colourfulness = colour(img.Bounds(), px)
	f.Periodic = periodicity(img.Bounds(), px)
	f.Fringe = fringe(img.Bounds(), px)
	return f
}

// colourSamples is the number of samples along the longer side for the
// colour measures: enough to see a card's coloured artwork.
const colourSamples = 256

func colour(b image.Rectangle, px func(x, y int) (r, g, bl uint8)) (share, colourfulness float64) {
	// The central 80%: the document, less the desk it lies on.
	in := image.Rect(b.Min.X+b.Dx()/10, b.Min.Y+b.Dy()/10, b.Max.X-b.Dx()/10, b.Max.Y-b.Dy()/10)
	if in.Empty() {
		in = b
	}
	step := max(1, max(in.Dx(), in.Dy())/colourSamples)
	var n, coloured int
	var srg, syb, srg2, syb2 float64
	for y := in.Min.Y + step/2; y < in.Max.Y; y += step {
		for x := in.Min.X + step/2; x < in.Max.X; x += step {
			r, g, bl := px(x, y)
			hi, lo := max(r, g, bl), min(r, g, bl)
			if int(hi)-int(lo) > chromaLevel {
				coloured++
			}
			rg := float64(r) - float64(g)
			yb := 0.5*(float64(r)+float64(g)) - float64(bl)
			srg += rg
			syb += yb
			srg2 += rg * rg
			syb2 += yb * yb
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	fn := float64(n)
	mrg, myb := srg/fn, syb/fn
	vrg, vyb := max(srg2/fn-mrg*mrg, 0), max(syb2/fn-myb*myb, 0)
	colourfulness = math.Sqrt(vrg+vyb) + 0.3*math.Hypot(mrg, myb)
	return float64(coloured) / fn, colourfulness
}

// fringe measures how much the colour of bright areas changes between
// pixels two apart (two, not one: JPEG stores chroma at half resolution).
// Paper, even photographed, is locally neutral or uniformly tinted; a
// screen seen by a camera breaks into red, green and blue subpixels.
func fringe(b image.Rectangle, px func(x, y int) (r, g, bl uint8)) float64 {
	step := max(1, max(b.Dx(), b.Dy())/colourSamples)
	var sum float64
	var n int
	for y := b.Min.Y + step/2; y < b.Max.Y-2; y += step {
		for x := b.Min.X + step/2; x < b.Max.X-2; x += step {
			r, g, bl := px(x, y)
			if int(r)+int(g)+int(bl) < 3*150 {
				continue
			}
			r2, g2, b2 := px(x+2, y)
			r3, g3, b3 := px(x, y+2)
			c1, c2 := int(r)-int(g), int(bl)-int(g)
			sum += float64(abs(c1-(int(r2)-int(g2))) + abs(c2-(int(b2)-int(g2))) +
				abs(c1-(int(r3)-int(g3))) + abs(c2-(int(b3)-int(g3))))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n) / 4
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// fftN is the side of the grey crop whose spectrum is examined.
const fftN = 256

func periodicity(b image.Rectangle, px func(x, y int) (r, g, bl uint8)) float64 {
	// On big photos the crop is point-sampled every step pixels, which
	// keeps a grid's peaks (aliased elsewhere, still narrow) where a box
	// filter would average them away, and widens the crop's view.
	step := max(1, min(b.Dx(), b.Dy())/1200)
	side := fftN * step
	x0 := b.Min.X + max(0, (b.Dx()-side)/2)
	y0 := b.Min.Y + max(0, (b.Dy()-side)/2)
	data := make([]complex128, fftN*fftN)
	var sum float64
	for j := range fftN {
		y := min(y0+j*step, b.Max.Y-1)
		for i := range fftN {
			x := min(x0+i*step, b.Max.X-1)
			r, g, bl := px(x, y)
			v := 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)
			data[j*fftN+i] = complex(v, 0)
			sum += v
		}
	}
	mean := sum / (fftN * fftN)
	for j := range fftN {
		for i := range fftN {
			data[j*fftN+i] = complex((real(data[j*fftN+i])-mean)*hann[i]*hann[j], 0)
		}
	}
	fft2(data, fftN)

	// Power over half the plane (a real crop's spectrum is symmetric),
	// rows v = -3..N/2+3 so that every band bin has its ring.
	const rows = fftN/2 + 7
	pow := make([]float64, rows*fftN)
	for r := range rows {
		v := (r - 3 + fftN) % fftN
		for u := range fftN {
			pow[r*fftN+u] = sq(cmplx.Abs(data[v*fftN+u]))
		}
	}
	at := func(u, v int) float64 { return pow[(v+3)*fftN+(u+fftN)%fftN] }

	// A peak's prominence is its power over the mean power of the ring of
	// bins three away (the Hann window spreads a pure tone over ±2 bins).
	// Text and artwork have a broad, locally smooth spectrum whose
	// largest prominence is that of noise, about ln(bins) ≈ 10; a screen
	// grid stands 100-1000 times above its ring. The band is periods of
	// 2-6 pixels: text strokes and character pitch at card resolutions
	// reach periods of 8-12 and make strong, broad peaks of their own.
	// Bins on or next to multiples of N/8 on either axis are left out:
	// JPEG's 8x8 blocks put energy there in every JPEG.
	const lo = fftN / 6
	best := 0.0
	for v := 0; v <= fftN/2; v++ {
		for u := -fftN/2 + 1; u <= fftN/2; u++ {
			if v == 0 && u <= 0 {
				continue
			}
			if u*u+v*v < lo*lo || nearBlock(u) || nearBlock(v) {
				continue
			}
			p := at(u, v)
			var ring float64
			for k := -3; k <= 3; k++ {
				ring += at(u+k, v-3) + at(u+k, v+3)
			}
			for k := -2; k <= 2; k++ {
				ring += at(u-3, v+k) + at(u+3, v+k)
			}
			ring /= 24
			if ring <= 0 {
				continue
			}
			best = max(best, p/ring)
		}
	}
	if best <= 0 {
		return 0
	}
	return math.Log10(best)
}

func nearBlock(u int) bool {
	m := ((u % (fftN / 8)) + fftN/8) % (fftN / 8)
	return m <= 1 || m >= fftN/8-1
}

func sq(x float64) float64 { return x * x }

var hann = func() []float64 {
	w := make([]float64, fftN)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(fftN-1))
	}
	return w
}()
