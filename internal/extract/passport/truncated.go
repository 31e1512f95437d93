package passport

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
)

// placeCut reports whether a place read from a cell may be cut short: a
// name-like word follows it on its line with no column gap, left out by
// the cell's column bound ("SALEM, TAMIL" of "SALEM, TAMIL NADU" when the
// next column's label sits over "NADU").
func placeCut(line, kept []document.Word) bool {
	if len(kept) == 0 {
		return false
	}
	k := kept[len(kept)-1]
	for i, w := range line {
		if w.Box != k.Box || w.Text != k.Text || i+1 >= len(line) {
			continue
		}
		n := line[i+1]
		h := max(k.Box.Dy(), n.Box.Dy(), 1)
		t := strings.Trim(n.Text, "_-.,:;|!'‘’`\"")
		return float64(n.Box.Min.X-k.Box.Max.X) <= 2.5*float64(h) && extract.NameLike(t) && len([]rune(t)) >= 2
	}
	return false
}
