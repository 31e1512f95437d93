package quality

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// sample is one synthetic capture with its expected flag.
type sample struct {
	name string
	want string
	img  image.Image
}

func generate(t testing.TB, seed int64, typ document.Type, c docgen.Condition) image.Image {
	t.Helper()
	s, err := docgen.Generate(seed, typ, c)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	img, _, err := image.Decode(bytes.NewReader(s.Data))
	if err != nil {
		t.Fatalf("decode %s: %v", s.Format, err)
	}
	return img
}

// threshold makes a hard black-and-white copy: grey, a contrast stretch
// and a fixed cut, as cheap copiers and fax-like scans give, with toner
// speckle.
func threshold(img image.Image, r *rand.Rand) image.Image {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	cut := uint8(120 + r.IntN(60))
	px := pixels(img)
	for y := range b.Dy() {
		for x := range b.Dx() {
			g, _, _ := px(b.Min.X+x, b.Min.Y+y) // a scan is grey already
			v := uint8(255)
			if g < cut {
				v = 0
			}
			if r.IntN(400) == 0 {
				v = 0
			}
			out.Pix[y*out.Stride+x] = v
		}
	}
	return out
}

// screenCapture simulates a phone photo of the card shown on a screen:
// the card is shown at a quarter to a third of its resolution on an RGB
// stripe display with a black matrix between pixels; the camera sees
// each screen pixel over 2.2-3.6 of its own, in slight perspective and
// rotation, with a low-frequency moiré, a glare patch and JPEG.
func screenCapture(card image.Image, r *rand.Rand) image.Image {
	cb := card.Bounds()
	d := 2.6 + r.Float64()*1.2 // card pixels per screen pixel
	p := 2.2 + r.Float64()*1.4
	sw, sh := float64(cb.Dx())/d, float64(cb.Dy())/d // screen pixels showing the card
	ow, oh := int(sw*p*1.1), int(sh*p*1.15)
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	draw.Draw(out, out.Rect, image.NewUniform(color.RGBA{20, 20, 24, 255}), image.Point{}, draw.Src)

	// Output -> screen: rotate by a degree or two, scale by 1/p, shear a
	// little in y for perspective, centre.
	th := (r.Float64()*2 - 1) * 2 * math.Pi / 180
	cos, sin := math.Cos(th)/p, math.Sin(th)/p
	persp := (r.Float64()*2 - 1) * 0.00004
	cx, cy := float64(ow)/2, float64(oh)/2
	toScreen := func(x, y float64) (float64, float64) {
		dx, dy := x-cx, y-cy
		w := 1 + persp*dx
		return (cos*dx+sin*dy)/w + sw/2, (-sin*dx+cos*dy)/w + sh/2
	}
	px := pixels(card)
	// Two samples a pixel, across the subpixel stripes.
	lo := []float64{0.25, 0.75}
	for y := range oh {
		for x := range ow {
			var acc [3]float64
			n := 0.0
			for _, oy := range lo[:1] {
				oy += 0.25
				for _, ox := range lo {
					u, v := toScreen(float64(x)+ox, float64(y)+oy)
					n++
					if u < 0 || v < 0 || u >= sw || v >= sh {
						continue
					}
					fu, fv := u-math.Floor(u), v-math.Floor(v)
					if fv > 0.85 { // black matrix between rows
						continue
					}
					cr, cg, cbl := px(cb.Min.X+int(math.Floor(u)*d), cb.Min.Y+int(math.Floor(v)*d))
					ch := int(fu * 3)
					acc[ch] += 2.6 * float64([3]uint8{cr, cg, cbl}[ch])
				}
			}
			i := out.PixOffset(x, y)
			if acc == [3]float64{} {
				continue
			}
			for k := range 3 {
				out.Pix[i+k] = clamp(acc[k] / n)
			}
		}
	}
	// Moiré bands, glare.
	phi := r.Float64() * math.Pi
	lam := 25 + r.Float64()*40
	gx, gy, gr := r.Float64()*float64(ow), r.Float64()*float64(oh), float64(ow)*(0.1+r.Float64()*0.15)
	for y := range oh {
		for x := range ow {
			m := 1 + 0.08*math.Sin(2*math.Pi*(float64(x)*math.Cos(phi)+float64(y)*math.Sin(phi))/lam)
			dd := math.Hypot(float64(x)-gx, float64(y)-gy) / gr
			g := 90 * math.Exp(-dd*dd)
			i := out.PixOffset(x, y)
			for k := range 3 {
				out.Pix[i+k] = clamp(float64(out.Pix[i+k])*m + g)
			}
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 75 + r.IntN(15)}); err != nil {
		panic(err)
	}
	img, err := jpeg.Decode(&buf)
	if err != nil {
		panic(err)
	}
	return img
}

func clamp(v float64) uint8 {
	return uint8(max(0, min(255, v+0.5)))
}

var (
	setOnce sync.Once
	set     []sample
)

// syntheticSet builds perClass captures of each class, once per test binary.
func syntheticSet(t testing.TB) []sample {
	setOnce.Do(func() {
		types := []document.Type{document.TypePAN, document.TypeAadhaar}
		r := rand.New(rand.NewPCG(7, 7))
		for i := range perClass {
			seed := int64(100 + i)
			typ := types[i%2]
			cond := docgen.Clean
			if i >= perClass/2 {
				cond = docgen.Photo
			}
			set = append(set, sample{fmt.Sprintf("original/%s/%s/%d", typ, cond, seed), Original, generate(t, seed, typ, cond)})
		}
		for i := range perClass {
			seed := int64(200 + i)
			typ := types[i%2]
			img := generate(t, seed, typ, docgen.Scan)
			name := fmt.Sprintf("xerox/%s/scan/%d", typ, seed)
			if i >= perClass*6/10 {
				img = threshold(img, r)
				name = fmt.Sprintf("xerox/%s/bw/%d", typ, seed)
			}
			set = append(set, sample{name, XeroxCopy, img})
		}
		for i := range perClass {
			seed := int64(300 + i)
			typ := types[i%2]
			set = append(set, sample{fmt.Sprintf("photo_of_photo/%s/screen/%d", typ, seed), PhotoOfPhoto, screenCapture(generate(t, seed, typ, docgen.Clean), r)})
		}
	})
	return set
}

func TestAssessSynthetic(t *testing.T) {
	classes := []string{Original, XeroxCopy, PhotoOfPhoto}
	confusion := map[[2]string]int{}
	for _, s := range syntheticSet(t) {
		f := Measure(s.img)
		got, c := Assess(s.img)
		confusion[[2]string{s.want, got}]++
		t.Logf("%-40s %5dx%-5d share=%.3f colourful=%5.1f fringe=%5.1f periodic=%.2f -> %s (%.2f)", s.name, s.img.Bounds().Dx(), s.img.Bounds().Dy(), f.ChromaShare, f.Colourfulness, f.Fringe, f.Periodic, got, c)
		if got != s.want {
			t.Errorf("%s: Assess = %s (%.2f), want %s", s.name, got, c, s.want)
		}
		if c < 0.5 || c > 1 {
			t.Errorf("%s: confidence %.2f outside [0.5, 1]", s.name, c)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "confusion (rows: truth, columns: assessed)\n%-16s", "")
	for _, c := range classes {
		fmt.Fprintf(&b, "%16s", c)
	}
	for _, w := range classes {
		fmt.Fprintf(&b, "\n%-16s", w)
		for _, g := range classes {
			fmt.Fprintf(&b, "%16d", confusion[[2]string{w, g}])
		}
	}
	t.Log(b.String())
}

func TestAssessEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		img  image.Image
		want string
	}{
		{"empty", image.NewRGBA(image.Rect(0, 0, 0, 0)), Original},
		{"one pixel", image.NewRGBA(image.Rect(0, 0, 1, 1)), XeroxCopy},
		{"flat white", image.NewUniform(color.White), XeroxCopy},
		{"offset grey", image.NewGray(image.Rect(-50, 30, 300, 200)), XeroxCopy},
		{"flat red", image.NewUniform(color.RGBA{200, 30, 30, 255}), Original},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := tt.img
			if u, ok := img.(*image.Uniform); ok {
				m := image.NewRGBA(image.Rect(0, 0, 120, 80))
				draw.Draw(m, m.Rect, u, image.Point{}, draw.Src)
				img = m
			}
			got, _ := Assess(img)
			if got != tt.want {
				t.Errorf("Assess = %s, want %s", got, tt.want)
			}
		})
	}
}

// BenchmarkAssess measures the two sizes of the budget: a 1011x638 card
// as a PNG decodes it (RGBA), and a 4000x3000 phone photo as a JPEG
// decodes it (YCbCr).
func BenchmarkAssess(b *testing.B) {
	card := generate(b, 1, document.TypeAadhaar, docgen.Clean)
	big := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range big.Y {
		big.Y[i] = uint8(128 + r.IntN(64))
	}
	for i := range big.Cb {
		big.Cb[i], big.Cr[i] = uint8(120+r.IntN(16)), uint8(120+r.IntN(16))
	}
	for _, bb := range []struct {
		name string
		img  image.Image
	}{{"card1011x638", card}, {"photo4000x3000", big}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				Assess(bb.img)
			}
		})
	}
}
