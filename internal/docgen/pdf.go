package docgen

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// A4 in PDF points.
const (
	pageWidthPt  = 595.0
	pageHeightPt = 842.0
)

// drawing is one page of a generated PDF: text and rules placed in points
// from the page's top-left corner, the way the page is laid out. It is
// written either as a PDF text layer or rasterised for a scanned PDF.
type drawing struct {
	texts []placedText
	rules []rule
}

// placedText is one run of text: x is its left edge, or its right edge
// when right is set (amount columns); y is its baseline.
type placedText struct {
	x, y, size  float64
	bold, right bool
	s           string
}

// rule is a horizontal or vertical line.
type rule struct{ x0, y0, x1, y1, w float64 }

func (d *drawing) text(x, y, size float64, bold bool, s string) {
	d.texts = append(d.texts, placedText{x: x, y: y, size: size, bold: bold, s: s})
}

func (d *drawing) rightText(x, y, size float64, bold bool, s string) {
	d.texts = append(d.texts, placedText{x: x, y: y, size: size, bold: bold, right: true, s: s})
}

func (d *drawing) line(x0, y0, x1, y1, w float64) {
	d.rules = append(d.rules, rule{x0, y0, x1, y1, w})
}

// helveticaWidth is the advance of s in Helvetica (and Helvetica-Bold, whose
// digits and punctuation are as wide), in points. Digits, commas and
// points are exact, from the standard font metrics, so right-aligned
// amounts line up; other characters are estimates, used only for layout.
func helveticaWidth(s string, size float64, bold bool) float64 {
	w := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			w += 556
		case r == ',' || r == '.' || r == ' ' || r == '/' || r == ':':
			w += 278
		case r == '-' || r == '(' || r == ')':
			w += 333
		case r >= 'A' && r <= 'Z':
			w += 680
		default:
			w += 520
		}
		if bold && !(r >= '0' && r <= '9') {
			w += 40
		}
	}
	return float64(w) * size / 1000
}

// pdfString escapes s as a PDF literal string. Generated text is ASCII, a
// subset of WinAnsi.
func pdfString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return "(" + r.Replace(s) + ")"
}

// textContent is a page's content stream: rules, then text in the standard
// Helvetica fonts (F1 regular, F2 bold).
func textContent(d drawing) []byte {
	var b bytes.Buffer
	for _, r := range d.rules {
		fmt.Fprintf(&b, "%.2f w %.2f %.2f m %.2f %.2f l S\n", r.w, r.x0, pageHeightPt-r.y0, r.x1, pageHeightPt-r.y1)
	}
	for _, t := range d.texts {
		f := "F1"
		if t.bold {
			f = "F2"
		}
		x := t.x
		if t.right {
			x -= helveticaWidth(t.s, t.size, t.bold)
		}
		fmt.Fprintf(&b, "BT /%s %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", f, t.size, x, pageHeightPt-t.y, pdfString(t.s))
	}
	return b.Bytes()
}

// pdfImage is a scanned page: a greyscale JPEG covering the page.
type pdfImage struct {
	jpeg []byte
	w, h int
}

// writePDF writes a PDF of A4 pages: each page either draws the text of
// drawings[i] or, when images is not nil, shows images[i] and nothing else
// (a scan has no text layer).
func writePDF(drawings []drawing, images []pdfImage) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body func()) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n", len(offsets))
		body()
		b.WriteString("\nendobj\n")
	}
	stream := func(dict string, data []byte) {
		fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", dict, len(data))
		b.Write(data)
		b.WriteString("\nendstream")
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

	n := len(drawings)
	// Objects: 1 catalog, 2 page tree, 3-4 fonts, then per page: the page,
	// its content and, when scanned, its image.
	perPage := 2
	if images != nil {
		perPage = 3
	}
	pageObj := func(i int) int { return 5 + i*perPage }
	obj(func() { b.WriteString("<< /Type /Catalog /Pages 2 0 R >>") })
	obj(func() {
		kids := make([]string, n)
		for i := range n {
			kids[i] = fmt.Sprintf("%d 0 R", pageObj(i))
		}
		fmt.Fprintf(&b, "<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	})
	obj(func() {
		b.WriteString("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	})
	obj(func() {
		b.WriteString("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	})
	for i := range n {
		p := pageObj(i)
		obj(func() {
			res := "/Font << /F1 3 0 R /F2 4 0 R >>"
			if images != nil {
				res = fmt.Sprintf("/XObject << /Im0 %d 0 R >>", p+2)
			}
			fmt.Fprintf(&b, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << %s >> /Contents %d 0 R >>",
				pageWidthPt, pageHeightPt, res, p+1)
		})
		if images == nil {
			obj(func() { stream("", textContent(drawings[i])) })
			continue
		}
		obj(func() {
			stream("", fmt.Appendf(nil, "q %.0f 0 0 %.0f 0 0 cm /Im0 Do Q", pageWidthPt, pageHeightPt))
		})
		obj(func() {
			im := images[i]
			stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", im.w, im.h), im.jpeg)
		})
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// scanDPI is the resolution scanned pages are drawn at.
const scanDPI = 200

// Scans are drawn in Noto Sans, a Helvetica-like face, when Debian's
// fonts-noto-core is installed: the Go fonts' slashed zero, which no bank
// prints, is read by Tesseract as "@" or "9". Without it, the Go fonts.
const (
	scanRegularPath = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
	scanBoldPath    = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
)

var loadScanFonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	fs, err := loadFonts()
	if err != nil {
		return [2]*opentype.Font{}, err
	}
	out := [2]*opentype.Font{fs.regular, fs.bold}
	var noto [2]*opentype.Font
	for i, p := range []string{scanRegularPath, scanBoldPath} {
		b, err := os.ReadFile(p)
		if err != nil {
			return out, nil
		}
		if noto[i], err = opentype.Parse(b); err != nil {
			return out, nil // a broken file counts as absent
		}
	}
	return noto, nil
})

// rasterise draws a page as a flatbed scan would see it: greyscale at
// scanDPI, a slightly uneven paper tone and noise.
func rasterise(d drawing, r *rand.Rand) (*image.Gray, error) {
	fs, err := loadScanFonts()
	if err != nil {
		return nil, fmt.Errorf("load fonts: %w", err)
	}
	k := float64(scanDPI) / 72
	img := image.NewGray(image.Rect(0, 0, int(pageWidthPt*k), int(pageHeightPt*k)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 245}), image.Point{}, draw.Src)
	faces := map[faceKey]font.Face{}
	face := func(f *opentype.Font, size float64) (font.Face, error) {
		key := faceKey{f, size}
		if fc, ok := faces[key]; ok {
			return fc, nil
		}
		fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("make face: %w", err)
		}
		faces[key] = fc
		return fc, nil
	}
	ink := image.NewUniform(color.Gray{Y: 25})
	for _, ru := range d.rules {
		w := max(1, int(ru.w*k+0.5))
		rect := image.Rect(int(ru.x0*k), int(ru.y0*k), int(ru.x1*k)+w, int(ru.y1*k)+w)
		draw.Draw(img, rect, ink, image.Point{}, draw.Src)
	}
	for _, t := range d.texts {
		f := fs[0]
		if t.bold {
			f = fs[1]
		}
		fc, err := face(f, t.size*k)
		if err != nil {
			return nil, err
		}
		x := t.x * k
		if t.right {
			x -= float64(font.MeasureString(fc, t.s).Ceil())
		}
		dr := font.Drawer{Dst: img, Src: ink, Face: fc, Dot: fixed.P(int(x), int(t.y*k))}
		dr.DrawString(t.s)
	}
	for _, fc := range faces {
		fc.Close()
	}
	// Paper grain and sensor noise; a few dark specks.
	for i := range img.Pix {
		v := float64(img.Pix[i]) + r.NormFloat64()*6
		img.Pix[i] = clamp8(v)
	}
	for range 150 + r.IntN(150) {
		img.Pix[r.IntN(len(img.Pix))] = uint8(40 + r.IntN(60))
	}
	return img, nil
}

// encodeScan encodes a rasterised page as a JPEG for a DCTDecode image.
func encodeScan(img *image.Gray, r *rand.Rand) (pdfImage, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70 + r.IntN(15)}); err != nil {
		return pdfImage{}, fmt.Errorf("encode scan: %w", err)
	}
	return pdfImage{jpeg: buf.Bytes(), w: img.Bounds().Dx(), h: img.Bounds().Dy()}, nil
}
