package ocr

import (
	"image"
	"image/color"
	"slices"
	"testing"
)

func TestScaleFor(t *testing.T) {
	tests := []struct {
		w, h int
		want float64
	}{
		{448, 289, 1200.0 / 448}, // small card crop: up to ~300 dpi
		{289, 448, 1200.0 / 448}, // the same, on its side
		{1011, 638, 1},           // a card at 300 dpi: as is
		{999, 630, 1200.0 / 999}, // just under: up to ~300 dpi
		{1200, 757, 1},
		{2480, 3508, 1},             // A4 at 300 dpi keeps its resolution
		{6000, 4000, 4200.0 / 6000}, // very large: capped
		{100, 60, maxUpscale},       // tiny: bounded upscale
		{0, 0, 1},
	}
	for _, tt := range tests {
		if got := scaleFor(tt.w, tt.h); got != tt.want {
			t.Errorf("scaleFor(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
		}
	}
}

func TestRotate(t *testing.T) {
	// 3x2:  1 2 3
	//       4 5 6
	g := &gray{pix: []byte{1, 2, 3, 4, 5, 6}, w: 3, h: 2}
	tests := []struct {
		deg  int
		w, h int
		want []byte
	}{
		{0, 3, 2, []byte{1, 2, 3, 4, 5, 6}},
		{90, 2, 3, []byte{4, 1, 5, 2, 6, 3}},
		{180, 3, 2, []byte{6, 5, 4, 3, 2, 1}},
		{270, 2, 3, []byte{3, 6, 2, 5, 1, 4}},
		{-90, 2, 3, []byte{3, 6, 2, 5, 1, 4}},
	}
	for _, tt := range tests {
		got := g.rotate(tt.deg)
		if got.w != tt.w || got.h != tt.h || !slices.Equal(got.pix, tt.want) {
			t.Errorf("rotate(%d) = %dx%d %v, want %dx%d %v", tt.deg, got.w, got.h, got.pix, tt.w, tt.h, tt.want)
		}
	}
	// Four quarter turns are the identity, and rotateCW in the tests
	// agrees with rotate (the rotation tests depend on both).
	if r := g.rotate(90).rotate(90).rotate(90).rotate(90); !slices.Equal(r.pix, g.pix) {
		t.Errorf("four quarter turns changed the image: %v", r.pix)
	}
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(img.Pix, g.pix)
	for _, deg := range []int{90, 180, 270} {
		if got, want := toGray(rotateCW(img, deg)).pix, g.rotate(deg).pix; !slices.Equal(got, want) {
			t.Errorf("rotateCW(%d) = %v, rotate = %v", deg, got, want)
		}
	}
}

func TestToGray(t *testing.T) {
	r := image.Rect(0, 0, 2, 1)
	nrgba := image.NewNRGBA(r)
	nrgba.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 0})   // transparent: paper
	nrgba.SetNRGBA(1, 0, color.NRGBA{0, 0, 0, 255}) // black ink
	rgba := image.NewRGBA(r)
	rgba.SetRGBA(0, 0, color.RGBA{0, 0, 0, 0})
	rgba.SetRGBA(1, 0, color.RGBA{255, 255, 255, 255})
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	ycc.Y[0], ycc.Y[1] = 10, 200
	grayImg := image.NewGray(r)
	grayImg.Pix[0], grayImg.Pix[1] = 7, 9
	pal := image.NewPaletted(r, color.Palette{color.Black, color.White})
	pal.Pix[0], pal.Pix[1] = 1, 0
	sub := image.NewGray(image.Rect(0, 0, 4, 3)).SubImage(image.Rect(1, 1, 3, 2)).(*image.Gray)
	sub.SetGray(1, 1, color.Gray{5})
	sub.SetGray(2, 1, color.Gray{6})

	tests := []struct {
		name string
		img  image.Image
		want []byte
	}{
		{"nrgba transparent on white", nrgba, []byte{255, 0}},
		{"rgba transparent on white", rgba, []byte{255, 255}},
		{"ycbcr luma", ycc, []byte{10, 200}},
		{"gray", grayImg, []byte{7, 9}},
		{"paletted (generic path)", pal, []byte{255, 0}},
		{"gray sub-image", sub, []byte{5, 6}},
	}
	for _, tt := range tests {
		if got := toGray(tt.img); got.w != 2 || got.h != 1 || !slices.Equal(got.pix, tt.want) {
			t.Errorf("%s: got %dx%d %v, want 2x1 %v", tt.name, got.w, got.h, got.pix, tt.want)
		}
	}
}

func TestScale(t *testing.T) {
	// A uniform image stays uniform whichever way it is scaled, and sizes
	// round to the nearest pixel.
	g := &gray{pix: slices.Repeat([]byte{77}, 10*6), w: 10, h: 6}
	for _, f := range []float64{0.25, 0.5, 0.7, 1, 1.5, 2.68, 4} {
		s := g.scale(f)
		if s.w != int(10*f+0.5) || s.h != max(1, int(6*f+0.5)) {
			t.Errorf("scale(%v) is %dx%d", f, s.w, s.h)
		}
		for _, v := range s.pix {
			if v != 77 {
				t.Fatalf("scale(%v) changed a uniform grey to %d", f, v)
			}
		}
	}
	// Shrinking by 2 averages 2x2 blocks.
	g = &gray{pix: []byte{0, 255, 100, 100, 255, 0, 100, 100}, w: 4, h: 2}
	if s := g.scale(0.5); !slices.Equal(s.pix, []byte{128, 100}) {
		t.Errorf("shrink = %v, want [128 100]", s.pix)
	}
}

func BenchmarkPreprocess(b *testing.B) {
	img := specimen(b)
	for b.Loop() {
		g := toGray(img)
		g.scale(scaleFor(g.w, g.h))
	}
}

// FuzzScale checks that scaling and turning any image size stays in bounds:
// image sizes come from untrusted documents.
func FuzzScale(f *testing.F) {
	f.Add(uint16(448), uint16(289), uint8(7))
	f.Add(uint16(1), uint16(1), uint8(0))
	f.Add(uint16(5000), uint16(3), uint8(3))
	f.Fuzz(func(t *testing.T, w, h uint16, seed uint8) {
		if w == 0 || h == 0 || int(w)*int(h) > 1<<22 {
			return
		}
		g := &gray{pix: make([]byte, int(w)*int(h)), w: int(w), h: int(h)}
		for i := range g.pix {
			g.pix[i] = byte(i) ^ seed
		}
		s := g.scale(scaleFor(g.w, g.h))
		if long := max(s.w, s.h); len(s.pix) != s.w*s.h || long > maxLong+1 {
			t.Fatalf("%dx%d scaled to %dx%d (%d pixels)", w, h, s.w, s.h, len(s.pix))
		}
		for _, f := range []float64{0.3, 1.7} {
			if s := g.scale(f); len(s.pix) != s.w*s.h || s.w < 1 || s.h < 1 {
				t.Fatalf("%dx%d scaled by %v to %dx%d", w, h, f, s.w, s.h)
			}
		}
		r := g.rotate(90 * int(seed%4))
		if len(r.pix) != len(g.pix) {
			t.Fatalf("rotate changed the pixel count")
		}
	})
}
