package extract

import (
	"image"
	"sort"
	"strings"
	"unicode"

	"github.com/atlas-oss/atlas/internal/document"
)

// Line is one line of a document, with the page it is on.
type Line struct {
	document.Line
	Page int
}

// Lines returns the lines of every page, page by page, top to bottom.
func Lines(pages []document.Page) []Line {
	var out []Line
	for _, p := range pages {
		for _, l := range p.Lines() {
			out = append(out, Line{Line: l, Page: p.Number})
		}
	}
	return out
}

// Norm reduces text to what fuzzy matching compares: letters (Latin upper
// cased, and Devanagari) and digits, nothing else. OCR drops and invents
// spaces and punctuation far more than letters.
func Norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToUpper(r))
		case r >= 0x0900 && r <= 0x097F && r != 0x0964 && r != 0x0965:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Similarity is 1 minus the edit distance of the normalised texts over the
// longer one's length, in [0, 1].
func Similarity(a, b string) float64 {
	ra, rb := []rune(Norm(a)), []rune(Norm(b))
	n := max(len(ra), len(rb))
	if n == 0 {
		return 0
	}
	return 1 - float64(EditDistance(ra, rb))/float64(n)
}

// EditDistance is the Levenshtein distance of a and b: the fewest rune
// insertions, deletions and substitutions that turn one into the other.
func EditDistance(a, b []rune) int {
	var e editBuf
	return e.distance(a, b)
}

// editBuf keeps EditDistance's rows between calls: label search computes
// thousands of distances a page.
type editBuf struct{ prev, cur []int }

func (e *editBuf) distance(a, b []rune) int {
	if cap(e.prev) < len(b)+1 {
		e.prev, e.cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev, cur := e.prev[:len(b)+1], e.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Match is where a label was found: words [Start, End) of lines[Line].
type Match struct {
	Line       int
	Start, End int
	Sim        float64
	Box        image.Rectangle
}

// FindLabels returns, for each line, the best window of words matching one
// of variants with a similarity of at least minSim, top to bottom.
func FindLabels(lines []Line, variants []string, minSim float64) []Match {
	type variant struct {
		r []rune
		k int
	}
	vs := make([]variant, len(variants))
	for i, v := range variants {
		vs[i] = variant{[]rune(Norm(v)), len(strings.Fields(v))}
	}
	var (
		out    []Match
		norms  [][]rune
		joined []rune
		ed     editBuf
	)
	for li, l := range lines {
		// Norm works rune by rune, so the normalised window is the
		// concatenation of its normalised words: normalise each word once.
		norms = norms[:0]
		for _, w := range l.Words {
			norms = append(norms, []rune(Norm(w.Text)))
		}
		best := Match{Sim: -1}
		for _, v := range vs {
			for s := range l.Words {
				if len(norms[s]) == 0 {
					continue // a window starts and ends on a word
				}
				joined = joined[:0]
				for e := s + 1; e <= len(l.Words) && e <= s+v.k+1; e++ {
					joined = append(joined, norms[e-1]...)
					if e-s < v.k-1 || len(norms[e-1]) == 0 {
						continue
					}
					n := max(len(joined), len(v.r))
					// The edit distance is at least the difference in
					// length: skip windows that cannot beat the best so
					// far or reach minSim (the result is the same).
					if bound := 1 - float64(abs(len(joined)-len(v.r)))/float64(n); bound <= best.Sim || bound < minSim {
						continue
					}
					if sim := 1 - float64(ed.distance(joined, v.r))/float64(n); sim > best.Sim {
						best = Match{Line: li, Start: s, End: e, Sim: sim}
					}
				}
			}
		}
		if best.Sim >= minSim {
			for _, w := range l.Words[best.Start:best.End] {
				best.Box = best.Box.Union(w.Box)
			}
			out = append(out, best)
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// FindLabel returns the best match of any variant over all lines.
func FindLabel(lines []Line, variants []string, minSim float64) (Match, bool) {
	var best Match
	ok := false
	for _, m := range FindLabels(lines, variants, minSim) {
		if !ok || m.Sim > best.Sim {
			best, ok = m, true
		}
	}
	return best, ok
}

// After returns the words right of the match on its line, without the
// separators (":", "/", "-") printed between a label and its value.
func After(lines []Line, m Match) []document.Word {
	ws := lines[m.Line].Words[m.End:]
	for len(ws) > 0 && Norm(ws[0].Text) == "" {
		ws = ws[1:]
	}
	return ws
}

// Below returns the index and the in-column words of the nearest line
// under the match, within four label heights: words that end left of the
// label's column (a photo, another column) are dropped. The label's column
// starts at the left of its printed run (a Hindi label before the English
// one counts). It returns -1 when there is no such line. Lines are judged
// by their in-column words only: OCR may put a QR code's or photo's scraps
// on the value's line, higher than the value itself.
func Below(lines []Line, m Match) (int, []document.Word) { return near(lines, m, 1) }

// Above is Below's mirror: the nearest in-column line over the match.
func Above(lines []Line, m Match) (int, []document.Word) { return near(lines, m, -1) }

func near(lines []Line, m Match, dir int) (int, []document.Word) {
	lab := lines[m.Line]
	h := max(m.Box.Dy(), 1)
	left := m.Box.Min.X
	for k := m.Start; k > 0; k-- {
		a, b := lab.Words[k-1], lab.Words[k]
		if b.Box.Min.X-a.Box.Max.X > 5*h/2 {
			break
		}
		left = a.Box.Min.X
	}
	best, bestTop := -1, 0
	var bestWords []document.Word
	for i, l := range lines {
		if i == m.Line || l.Page != lab.Page {
			continue
		}
		var ws []document.Word
		top := -1
		for _, w := range l.Words {
			mid := w.Box.Min.Y + w.Box.Dy()/2
			if w.Box.Max.X < left-h || (dir > 0 && mid <= m.Box.Max.Y) || (dir < 0 && mid >= m.Box.Min.Y) {
				continue
			}
			ws = append(ws, w)
			// top is the distance from the label, in either direction.
			d := w.Box.Min.Y - m.Box.Max.Y
			if dir < 0 {
				d = m.Box.Min.Y - w.Box.Max.Y
			}
			if top < 0 || d < top {
				top = max(d, 0)
			}
		}
		if len(ws) == 0 || top > 4*h {
			continue
		}
		if best < 0 || top < bestTop {
			best, bestTop, bestWords = i, top, ws
		}
	}
	return best, bestWords
}

// Text joins words with single spaces.
func Text(ws []document.Word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Text
	}
	return strings.Join(parts, " ")
}

// Run returns the leading words of ws up to the first gap wider than gap
// times the words' height: what follows a wide gap is another column (a
// photo's noise, a QR code's).
func Run(ws []document.Word, gap float64) []document.Word {
	for i := 1; i < len(ws); i++ {
		h := max(ws[i-1].Box.Dy(), ws[i].Box.Dy(), 1)
		if float64(ws[i].Box.Min.X-ws[i-1].Box.Max.X) > gap*float64(h) {
			return ws[:i]
		}
	}
	return ws
}

// TrimNoise drops the words at both ends that are not name-like: the
// scraps OCR makes of photos, emblems and QR codes. A word at an end stays
// when it is name-like (letters, with dots, apostrophes or hyphens), upper case if
// upper is set (PAN cards print names in capitals; OCR's scraps are mostly
// lower case), and either read with confidence 0.5 or more, or at least
// four letters long and above 0.15 (OCR reads a real name under a stamp or
// blur with low confidence; scraps are short).
func TrimNoise(ws []document.Word, upper bool) []document.Word {
	ok := func(w document.Word) bool {
		if !NameLike(w.Text) || (upper && strings.ToUpper(w.Text) != w.Text) {
			return false
		}
		return w.Conf >= 0.5 || (len(Norm(w.Text)) >= 4 && w.Conf >= 0.15)
	}
	for len(ws) > 0 && !ok(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	for len(ws) > 0 && !ok(ws[0]) {
		ws = ws[1:]
	}
	return ws
}

// NameWords keeps the name in a line's words: scraps trimmed from both
// ends, then the first run of words without a wide gap, trimmed again.
func NameWords(ws []document.Word, upper bool) []document.Word {
	return TrimNoise(Run(TrimNoise(ws, upper), 2.5), upper)
}

// CleanName joins name words, dropping the punctuation OCR hangs on their
// ends ("-ARVIND", "JAIN.", "Gupta,").
func CleanName(ws []document.Word) string {
	parts := make([]string, 0, len(ws))
	for _, w := range ws {
		t := strings.Trim(w.Text, "_.,:;-'‘’`\"|")
		// A dot between two words OCR ran together ("AJAY.JHA"); an
		// initial's dot ("D.") has a single letter before it.
		if i := strings.IndexByte(t, '.'); i >= 2 && i < len(t)-2 {
			t = t[:i] + " " + t[i+1:]
		}
		if t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// NameLike reports whether s looks like a word of a person's name: Latin
// letters, possibly with dots, apostrophes or hyphens; punctuation OCR hangs
// on its ends is ignored.
func NameLike(s string) bool {
	s = strings.Trim(s, "_-.,:;|'‘’`\"")
	letters := 0
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			letters++
		case r == '.' || r == '\'' || r == '-':
		default:
			return false
		}
	}
	return letters > 0
}

// MinConf is the lowest confidence among ws's words, 0 for none.
func MinConf(ws []document.Word) float64 {
	if len(ws) == 0 {
		return 0
	}
	c := 1.0
	for _, w := range ws {
		c = min(c, w.Conf)
	}
	return c
}

// LineHasWord reports whether a word of m's line, up to the label's end,
// is more than 0.7 alike one of words. It tells a qualified label from a
// bare one: the "Name" of "Father's Name" from the holder's "Name".
func LineHasWord(lines []Line, m Match, words []string) bool {
	for _, w := range lines[m.Line].Words[:m.End] {
		for _, r := range words {
			if Similarity(w.Text, r) > 0.7 {
				return true
			}
		}
	}
	return false
}

// Rows groups a page's words into visual rows by their vertical centres,
// left to right. The recogniser's own lines are not used: a PDF's text
// layer often puts each table column in its own block, and a row must
// span the page.
func Rows(p document.Page) []Line {
	ws := make([]document.Word, 0, len(p.Words))
	for _, w := range p.Words {
		if strings.TrimSpace(w.Text) != "" {
			ws = append(ws, w)
		}
	}
	cy := func(w document.Word) int { return w.Box.Min.Y + w.Box.Dy()/2 }
	sort.SliceStable(ws, func(i, j int) bool { return cy(ws[i]) < cy(ws[j]) })
	var out []Line
	var mid, h int
	for _, w := range ws {
		if n := len(out); n > 0 && abs(cy(w)-mid)*2 <= max(h, w.Box.Dy()) {
			l := &out[n-1]
			l.Words = append(l.Words, w)
			l.Box = l.Box.Union(w.Box)
			continue
		}
		out = append(out, Line{Line: document.Line{Words: []document.Word{w}, Box: w.Box}, Page: p.Number})
		mid, h = cy(w), w.Box.Dy()
	}
	for i := range out {
		ws := out[i].Words
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].Box.Min.X < ws[b].Box.Min.X })
		// Tesseract numbers lines itself; give each row one number so
		// that helpers keyed on them see one line.
		for k := range ws {
			ws[k].Block, ws[k].Para, ws[k].Line = 1, 1, i+1
		}
	}
	return out
}
