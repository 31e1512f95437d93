package extracttest

import (
	"image"
	"path/filepath"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
)

// Placed is a line of text at a position, for hand-built pages.
type Placed struct {
	X, Y int
	Text string
	// Conf is every word's confidence; 0 means 0.95.
	Conf float64
}

// Build lays placed lines out as OCR would report them: a word per
// space-separated token, 24 px high, 14 px a character, each Placed its own
// OCR line.
func Build(lines ...Placed) []document.Page {
	p := document.Page{Number: 1, Width: 1011, Height: 638, Source: "ocr"}
	for i, l := range lines {
		conf := l.Conf
		if conf == 0 {
			conf = 0.95
		}
		x := l.X
		for _, w := range strings.Fields(l.Text) {
			n := len([]rune(w))
			p.Words = append(p.Words, document.Word{Text: w, Conf: conf, Box: image.Rect(x, l.Y, x+14*n, l.Y+24), Block: 1, Para: 1, Line: i + 1})
			x += 14*n + 12
		}
	}
	return []document.Page{p}
}

// Specimen returns the path of a recorded OCR output of the public PAN
// specimen images (shared/data/pan-specimen): "pan_sharp.tsv",
// "pan_result_sample.tsv".
func Specimen(name string) string {
	return filepath.Join(filepath.Dir(Dir()), "specimen", name)
}
