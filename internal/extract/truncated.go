package extract

import (
	"strings"
	"unicode"

	"github.com/atlas-oss/atlas/internal/document"
)

// TruncatedName reports whether the name kept from a line may be missing a
// word: a name-like, capitalised word right beside it (no column gap) that
// the noise trim dropped for its low OCR confidence. Tesseract gives a
// real surname under a stamp or blur a confidence near 0 ("Pillai" 0.09),
// so the words kept read well and the value looks sure while it is cut.
func TruncatedName(line, kept []document.Word) bool {
	if len(kept) == 0 {
		return false
	}
	first, last := -1, -1
	for i, w := range line {
		if w.Box == kept[0].Box && w.Text == kept[0].Text {
			first = i
		}
		if w.Box == kept[len(kept)-1].Box && w.Text == kept[len(kept)-1].Text {
			last = i
		}
	}
	near := func(a, b document.Word) bool {
		h := max(a.Box.Dy(), b.Box.Dy(), 1)
		gap := max(b.Box.Min.X-a.Box.Max.X, a.Box.Min.X-b.Box.Max.X)
		return float64(gap) <= 2.5*float64(h)
	}
	dropped := func(w document.Word) bool {
		t := strings.Trim(w.Text, "_-.,:;|!'‘’`\"")
		r := []rune(t)
		return w.Conf < 0.5 && NameLike(t) && len(r) >= 2 && unicode.IsUpper(r[0])
	}
	if last >= 0 && last+1 < len(line) && near(line[last], line[last+1]) && dropped(line[last+1]) {
		return true
	}
	return first > 0 && near(line[first-1], line[first]) && dropped(line[first-1])
}

// MaxTruncated is the most a name that may be cut short is trusted.
const MaxTruncated = 0.8
