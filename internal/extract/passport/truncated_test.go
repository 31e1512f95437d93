package passport

import (
	"image"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
)

// TestPlaceCut: a place whose line goes on with a name-like word, with no
// column gap, may have been cut by the cell's bound; one followed by a far
// column, or by nothing, was not.
func TestPlaceCut(t *testing.T) {
	w := func(text string, x0, x1 int) document.Word {
		return document.Word{Text: text, Conf: 0.95, Box: image.Rect(x0, 300, x1, 324)}
	}
	line := []document.Word{w("SALEM,", 100, 180), w("TAMIL", 190, 260), w("NADU", 270, 330), w("03/04/2031", 700, 820)}
	if !placeCut(line, line[:2]) {
		t.Errorf("SALEM, TAMIL followed closely by NADU: not reported cut")
	}
	if placeCut(line, line[:3]) {
		t.Errorf("SALEM, TAMIL NADU followed by a far date: reported cut")
	}
	if placeCut(line[:3], line[:3]) {
		t.Errorf("place at the end of its line: reported cut")
	}
}
