package docgen

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"os"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// devanagariPath is the Noto font Debian's fonts-noto-core installs. When
// it is missing, Hindi text is left out rather than failing: the Latin
// text, which carries the ground truth, is drawn from embedded fonts.
const devanagariPath = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf"

// withoutDevanagari makes canvases act as if the Devanagari font were
// missing; tests set it to cover machines without fonts-noto-core.
var withoutDevanagari bool

type fontSet struct {
	regular, bold, mono *opentype.Font
	deva                *opentype.Font // nil when the font file is absent
}

var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	var fs fontSet
	var err error
	if fs.regular, err = opentype.Parse(goregular.TTF); err != nil {
		return nil, err
	}
	if fs.bold, err = opentype.Parse(gobold.TTF); err != nil {
		return nil, err
	}
	if fs.mono, err = opentype.Parse(gomono.TTF); err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(devanagariPath); err == nil {
		fs.deva, _ = opentype.Parse(b) // a broken file counts as absent
	}
	return &fs, nil
})

// canvas draws on one card image. Faces are made per canvas because an
// opentype face is not safe for concurrent use.
type canvas struct {
	img   *image.RGBA
	fonts *fontSet
	faces map[faceKey]font.Face
}

type faceKey struct {
	f    *opentype.Font
	size float64
}

func newCanvas(w, h int, bg color.Color) *canvas {
	fs, err := loadFonts()
	if err != nil {
		// The fonts are embedded in the binary: failing to parse them is
		// a build defect, not a runtime condition.
		panic("docgen: parse embedded fonts: " + err.Error())
	}
	if withoutDevanagari {
		noDeva := *fs
		noDeva.deva = nil
		fs = &noDeva
	}
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), fonts: fs, faces: map[faceKey]font.Face{}}
	draw.Draw(c.img, c.img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return c
}

func (c *canvas) hindi() bool { return c.fonts.deva != nil }

func (c *canvas) face(f *opentype.Font, size float64) font.Face {
	k := faceKey{f, size}
	if fc, ok := c.faces[k]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("docgen: make font face: " + err.Error())
	}
	c.faces[k] = fc
	return fc
}

// style is a font and size; the zero font means regular.
type style struct {
	f    *opentype.Font
	size float64
	col  color.Color
}

func (c *canvas) width(st style, s string) int {
	if st.f == nil {
		return 0
	}
	return font.MeasureString(c.face(st.f, st.size), s).Ceil()
}

// text draws s with its baseline at y, starting at x, and returns the x
// where it ends.
func (c *canvas) text(st style, x, y int, s string) int {
	if st.f == nil {
		return x
	}
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(st.col), Face: c.face(st.f, st.size), Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Ceil()
}

// centered draws s centred on cx.
func (c *canvas) centered(st style, cx, y int, s string) {
	c.text(st, cx-c.width(st, s)/2, y, s)
}

// bilingual draws "hindi / english" (hindi in Devanagari) or, without the
// Devanagari font or when hi is empty, english alone.
func (c *canvas) bilingual(lat style, x, y int, hi, en string) int {
	if c.hindi() && hi != "" {
		dv := style{c.fonts.deva, lat.size * 1.05, lat.col}
		x = c.text(dv, x, y, hi)
		x = c.text(lat, x, y, " / ")
	}
	return c.text(lat, x, y, en)
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// blend mixes col into the pixel at (x, y) with weight a in [0, 1].
func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if !(image.Point{x, y}.In(c.img.Rect)) || a <= 0 {
		return
	}
	a = min(a, 1)
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+3 : i+3]
	p[0] = uint8(float64(p[0])*(1-a) + float64(col.R)*a + 0.5)
	p[1] = uint8(float64(p[1])*(1-a) + float64(col.G)*a + 0.5)
	p[2] = uint8(float64(p[2])*(1-a) + float64(col.B)*a + 0.5)
}

// ellipse fills an ellipse, anti-aliased on its edge.
func (c *canvas) ellipse(cx, cy, rx, ry float64, col color.RGBA, clip image.Rectangle) {
	r := image.Rect(int(cx-rx-1), int(cy-ry-1), int(cx+rx+2), int(cy+ry+2)).Intersect(clip)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			d := (math.Sqrt(dx*dx+dy*dy) - 1) * min(rx, ry)
			c.blend(x, y, col, 0.5-d)
		}
	}
}

// line draws a thick anti-aliased segment.
func (c *canvas) line(x0, y0, x1, y1, w float64, col color.RGBA) {
	r := image.Rect(int(min(x0, x1)-w-1), int(min(y0, y1)-w-1), int(max(x0, x1)+w+2), int(max(y0, y1)+w+2))
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = max(0, min(1, ((px-x0)*dx+(py-y0)*dy)/l2))
			}
			ex, ey := px-(x0+t*dx), py-(y0+t*dy)
			c.blend(x, y, col, w/2+0.5-math.Sqrt(ex*ex+ey*ey))
		}
	}
}

// photoBox draws a passport-photo placeholder: a plain backdrop with a
// head-and-shoulders silhouette, so the card has a face-like block where
// real cards do.
func (c *canvas) photoBox(r image.Rectangle, rng *rand.Rand) {
	bgs := []color.RGBA{{214, 226, 238, 255}, {235, 235, 230, 255}, {205, 215, 225, 255}}
	c.fill(r, bgs[rng.IntN(len(bgs))])
	skin := []color.RGBA{{150, 110, 85, 255}, {176, 132, 100, 255}, {120, 86, 66, 255}, {196, 150, 118, 255}}[rng.IntN(4)]
	cloth := []color.RGBA{{40, 50, 80, 255}, {90, 30, 40, 255}, {60, 60, 60, 255}, {30, 80, 70, 255}}[rng.IntN(4)]
	w, h := float64(r.Dx()), float64(r.Dy())
	x0, y0 := float64(r.Min.X), float64(r.Min.Y)
	c.ellipse(x0+w/2, y0+h*1.05, w*0.48, h*0.36, cloth, r)
	c.ellipse(x0+w/2, y0+h*0.68, w*0.12, h*0.12, skin, r)
	c.ellipse(x0+w/2, y0+h*0.42, w*0.24, h*0.25, skin, r)
	c.ellipse(x0+w/2, y0+h*0.25, w*0.25, h*0.11, color.RGBA{30, 25, 25, 255}, r)
	c.rectOutline(r, 2, color.RGBA{120, 120, 120, 255})
}

func (c *canvas) rectOutline(r image.Rectangle, w int, col color.Color) {
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), col)
	c.fill(image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), col)
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Max.Y), col)
	c.fill(image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Max.Y), col)
}

// qr draws a QR-code-like block: three finder squares and random modules.
// It is not a decodable code, only the clutter a real one puts near text.
func (c *canvas) qr(r image.Rectangle, rng *rand.Rand) {
	const n = 29
	m := r.Dx() / n
	black := color.RGBA{20, 20, 20, 255}
	c.fill(image.Rect(r.Min.X, r.Min.Y, r.Min.X+n*m, r.Min.Y+n*m), color.White)
	for y := range n {
		for x := range n {
			if rng.IntN(2) == 0 {
				c.fill(image.Rect(r.Min.X+x*m, r.Min.Y+y*m, r.Min.X+(x+1)*m, r.Min.Y+(y+1)*m), black)
			}
		}
	}
	for _, p := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		ox, oy := r.Min.X+p[0]*m, r.Min.Y+p[1]*m
		c.fill(image.Rect(ox-m, oy-m, ox+8*m, oy+8*m).Intersect(image.Rect(r.Min.X, r.Min.Y, r.Min.X+n*m, r.Min.Y+n*m)), color.White)
		c.fill(image.Rect(ox, oy, ox+7*m, oy+7*m), black)
		c.fill(image.Rect(ox+m, oy+m, ox+6*m, oy+6*m), color.White)
		c.fill(image.Rect(ox+2*m, oy+2*m, ox+5*m, oy+5*m), black)
	}
}

// signature scribbles a cursive-looking stroke inside r.
func (c *canvas) signature(r image.Rectangle, rng *rand.Rand) {
	col := color.RGBA{20, 30, 90, 255}
	x, y := float64(r.Min.X), float64(r.Min.Y+r.Dy()/2)
	ph := rng.Float64() * 6
	for x < float64(r.Max.X) {
		nx := x + 3
		ny := float64(r.Min.Y+r.Dy()/2) + float64(r.Dy())*0.35*math.Sin(nx/9+ph)*math.Sin(nx/37+ph*2)
		c.line(x, y, nx, ny, 2.2, col)
		x, y = nx, ny
	}
}

// emblem draws a simple round seal standing in for the state emblem.
func (c *canvas) emblem(cx, cy, r float64, col color.RGBA) {
	clip := c.img.Rect
	c.ellipse(cx, cy, r, r, col, clip)
	c.ellipse(cx, cy, r*0.8, r*0.8, color.RGBA{255, 255, 255, 255}, clip)
	c.ellipse(cx, cy-r*0.15, r*0.35, r*0.45, col, clip)
	c.fill(image.Rect(int(cx-r*0.55), int(cy+r*0.35), int(cx+r*0.55), int(cy+r*0.5)), col)
}

// waves draws faint guilloche-like lines over the whole card: the
// security background real cards have, which OCR has to see through.
func (c *canvas) waves(col color.RGBA, alpha float64, rng *rand.Rand) {
	b := c.img.Rect
	f1, f2 := 0.012+rng.Float64()*0.01, 0.03+rng.Float64()*0.02
	ph := rng.Float64() * 6
	colTerm := make([]float64, b.Dx())
	for x := range colTerm {
		colTerm[x] = 9 * math.Sin(float64(x)*f1+ph)
	}
	diag := make([]float64, b.Dx()+b.Dy())
	for k := range diag {
		diag[k] = 4 * math.Sin(float64(k)*f2)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			v := math.Sin(float64(y)*0.25 + colTerm[x-b.Min.X] + diag[x-b.Min.X+y-b.Min.Y])
			if v > 0.8 {
				c.blend(x, y, col, alpha*(v-0.8)*5)
			}
		}
	}
}

// gradient fills r with a vertical gradient from top to bottom colour.
func (c *canvas) gradient(r image.Rectangle, top, bottom color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		t := float64(y-r.Min.Y) / float64(max(1, r.Dy()-1))
		col := color.RGBA{
			uint8(float64(top.R)*(1-t) + float64(bottom.R)*t),
			uint8(float64(top.G)*(1-t) + float64(bottom.G)*t),
			uint8(float64(top.B)*(1-t) + float64(bottom.B)*t), 255}
		c.fill(image.Rect(r.Min.X, y, r.Max.X, y+1), col)
	}
}

// wrap splits the comma-separated elements into lines no wider than w,
// breaking only after a comma as e-Aadhaar letters do.
func (c *canvas) wrap(st style, elems []string, w int) []string {
	var lines []string
	cur := ""
	for i, e := range elems {
		piece := e
		if i < len(elems)-1 {
			piece += ","
		}
		try := piece
		if cur != "" {
			try = cur + " " + piece
		}
		if cur != "" && c.width(st, try) > w {
			lines = append(lines, cur)
			cur = piece
			continue
		}
		cur = try
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
