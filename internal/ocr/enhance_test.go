package ocr

import (
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// textPage draws w×h paper with lines of word-like dark bars, turned
// clockwise by deg about the centre: each pixel is inked when its
// un-turned position falls in a bar, so the skew is exact.
func textPage(w, h int, deg float64, seed uint64) *gray {
	r := rand.New(rand.NewPCG(seed, 1))
	// Bars of line i span y in [60+42i, 76+42i).
	type bar struct{ x0, x1 float64 }
	var lines [][]bar
	for y := 60.0; y < float64(h)-60; y += 42 {
		var bars []bar
		for x := 50.0; x < float64(w)-120; {
			bw := 30 + r.Float64()*90
			bars = append(bars, bar{x, x + bw})
			x += bw + 12 + r.Float64()*10
		}
		lines = append(lines, bars)
	}
	a := -deg * math.Pi / 180
	c, s := math.Cos(a), math.Sin(a)
	cx, cy := float64(w)/2, float64(h)/2
	g := &gray{pix: make([]byte, w*h), w: w, h: h}
	for y := range h {
		for x := range w {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			ux, uy := c*dx-s*dy+cx, s*dx+c*dy+cy
			v := byte(235)
			if i := int(math.Floor((uy - 60) / 42)); i >= 0 && i < len(lines) && uy-60-42*float64(i) < 16 {
				for _, b := range lines[i] {
					if ux >= b.x0 && ux < b.x1 {
						v = 30
						break
					}
				}
			}
			g.pix[y*w+x] = v
		}
	}
	return g
}

func TestSkewAngle(t *testing.T) {
	for _, deg := range []float64{1.5, -2.0, 0.8, -0.5, 3.2} {
		g := textPage(1000, 640, deg, 3)
		got, ok := skewAngle(g)
		if !ok || math.Abs(got-deg) > 0.15 {
			t.Errorf("skewAngle of a page skewed %.2f° = %.2f° (ok %v)", deg, got, ok)
		}
		// Deskewing leaves a level page: nothing more to correct.
		d, _ := rotateSmall(g, got)
		if again, ok := skewAngle(d); ok && math.Abs(again) >= minSkew {
			t.Errorf("after deskewing %.2f°, skewAngle = %.2f°", deg, again)
		}
	}
	if got, ok := skewAngle(textPage(1000, 640, 0, 4)); ok && math.Abs(got) >= minSkew {
		t.Errorf("skewAngle of a level page = %.2f°, want < %v", got, minSkew)
	}
	blank := &gray{pix: make([]byte, 500*300), w: 500, h: 300}
	for i := range blank.pix {
		blank.pix[i] = 240
	}
	if _, ok := skewAngle(blank); ok {
		t.Error("skewAngle of a blank page: ok, want no estimate")
	}
}

// photoOf lays a w×h-pixel card of text onto a textured surface with the
// card's corners at q, as a phone photo would show it.
func photoOf(card *gray, fw, fh int, q [4][2]float64, seed uint64) *gray {
	r := rand.New(rand.NewPCG(seed, 2))
	rect := [4][2]float64{{0, 0}, {float64(card.w), 0}, {float64(card.w), float64(card.h)}, {0, float64(card.h)}}
	h, _ := homography(q, rect) // frame -> card
	out := &gray{pix: make([]byte, fw*fh), w: fw, h: fh}
	for y := range fh {
		for x := range fw {
			cx, cy := h.apply(float64(x)+0.5, float64(y)+0.5)
			if cx >= 0 && cy >= 0 && cx < float64(card.w) && cy < float64(card.h) {
				out.pix[y*fw+x] = card.at(cx-0.5, cy-0.5, 235)
				continue
			}
			// Wood-like surface: slow bands and grain.
			v := 120 + 25*math.Sin(float64(x)/40+float64(y)/90) + r.NormFloat64()*4
			out.pix[y*fw+x] = byte(min(max(v, 0), 255))
		}
	}
	return out
}

func TestFindQuad(t *testing.T) {
	card := textPage(1000, 630, 0, 5)
	q := [4][2]float64{{130, 180}, {1120, 160}, {1135, 820}, {110, 790}}
	g := photoOf(card, 1280, 980, q, 6)
	got, ok := findQuad(g)
	if !ok {
		t.Fatal("findQuad found no card in a photo")
	}
	for i := range q {
		if d := math.Hypot(got[i][0]-q[i][0], got[i][1]-q[i][1]); d > 6 {
			t.Errorf("corner %d = %.1f, want %.1f (off by %.1f px)", i, got[i], q[i], d)
		}
	}
	// A card filling the frame, or a page, has no edges to find; the
	// specimen's thin white margin is not worth a resample.
	if q, ok := findQuad(card); ok {
		t.Errorf("findQuad on a card filling the frame = %v, want none", q)
	}
	if q, ok := findQuad(toGray(specimen(t)).scale(scaleFor(448, 289))); ok {
		t.Errorf("findQuad on the clean specimen = %v, want none", q)
	}
}

func TestPrepareNoOpOnClean(t *testing.T) {
	for name, g := range map[string]*gray{
		"specimen":   toGray(specimen(t)).scale(scaleFor(448, 289)),
		"level page": textPage(1000, 640, 0, 7),
	} {
		out, warp := prepare(g)
		if out != g || warp != nil {
			t.Errorf("%s: prepare changed a clean, level image (warp %v)", name, warp)
		}
	}
}

// TestTurn pins turn to rotate: the centre of pixel (x, y) goes to the
// centre of the pixel that rotate moves it to.
func TestTurn(t *testing.T) {
	g := &gray{pix: []byte{1, 2, 3, 4, 5, 6}, w: 3, h: 2}
	for _, deg := range []int{0, 90, 180, 270} {
		r := g.rotate(deg)
		for y := range g.h {
			for x := range g.w {
				tx, ty := turn(float64(x)+0.5, float64(y)+0.5, g.w, g.h, deg)
				if got := r.pix[int(ty)*r.w+int(tx)]; got != g.pix[y*g.w+x] {
					t.Errorf("turn %d: (%d,%d) -> (%.1f,%.1f) holds %d, want %d", deg, x, y, tx, ty, got, g.pix[y*g.w+x])
				}
			}
		}
	}
}

// TestRecognizePhotoBoxes reads a generated card photo that perspective
// correction and deskew crop and warp, and checks that word boxes are in
// the photo's own pixels: the photo cut at the PAN number's box reads as
// the PAN number.
func TestRecognizePhotoBoxes(t *testing.T) {
	e := engine(t)
	s, err := docgen.Generate(7, document.TypePAN, docgen.Photo)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decode.New(decode.Limits{}).Decode(t.Context(), s.Data)
	if err != nil {
		t.Fatal(err)
	}
	img := d.Pages[0].Image
	if _, ok := findQuad(toGray(img).scale(scaleFor(img.Bounds().Dx(), img.Bounds().Dy()))); !ok {
		t.Fatal("no card found in the generated photo: the test would not exercise the warp")
	}
	p, err := e.Recognize(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	want := s.Truth["pan_number"]
	var box image.Rectangle
	for _, w := range p.Words {
		if strings.Contains(w.Text, want) {
			box = w.Box
		}
	}
	if box.Empty() {
		t.Fatalf("PAN number %s not read; words: %v", want, p.Words)
	}
	g := toGray(img)
	b := img.Bounds()
	box = box.Inset(-8).Intersect(image.Rect(0, 0, b.Dx(), b.Dy()))
	crop := &gray{pix: make([]byte, box.Dx()*box.Dy()), w: box.Dx(), h: box.Dy()}
	for y := range crop.h {
		copy(crop.pix[y*crop.w:(y+1)*crop.w], g.pix[(box.Min.Y+y)*g.w+box.Min.X:])
	}
	ws, err := e.read(crop.scale(2))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, w := range ws {
		text.WriteString(w.text)
	}
	if !strings.Contains(text.String(), want) {
		t.Errorf("the photo at the PAN number's box %v reads %q, want %s", box, text.String(), want)
	}
}

// BenchmarkPrepare is the cost of perspective correction and deskew alone,
// to set against one Tesseract pass (BenchmarkIDCard's raw, ~150-200 ms).
func BenchmarkPrepare(b *testing.B) {
	dec := decode.New(decode.Limits{})
	for _, c := range []struct {
		name string
		cond docgen.Condition
	}{{"pan-clean", docgen.Clean}, {"pan-scan", docgen.Scan}, {"pan-photo", docgen.Photo}} {
		s, err := docgen.Generate(7, document.TypePAN, c.cond)
		if err != nil {
			b.Fatal(err)
		}
		d, err := dec.Decode(b.Context(), s.Data)
		if err != nil {
			b.Fatal(err)
		}
		g := toGray(d.Pages[0].Image)
		g = g.scale(scaleFor(g.w, g.h))
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				prepare(g)
			}
		})
	}
}
