// Package aadhaar reads the fields of an Aadhaar card front or e-Aadhaar
// letter: the number (or its masked form), name, date or year of birth,
// gender, and the address where the document shows one.
//
// A card that prints only "Year of Birth: 1986" gets date_of_birth "1986"
// with the rule year_of_birth: the year is what the document states, and a
// lender would rather have it than nothing; the rule tells it apart from a
// full DD/MM/YYYY date.
package aadhaar

import (
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Extractor reads Aadhaar documents. The zero value is not usable: call New.
type Extractor struct {
	now func() time.Time
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns an Aadhaar extractor.
func New() *Extractor { return &Extractor{now: time.Now} }

var (
	labelDOB     = []string{"DOB", "Date of Birth", "जन्म तिथि"}
	labelYOB     = []string{"Year of Birth", "जन्म वर्ष"}
	labelAddress = []string{"Address", "पता"}
	labelVID     = []string{"VID"}
	labelNotDOB  = []string{"Issue Date", "Download Date", "Enrolment No"}
	labelYourNo  = []string{"Your Aadhaar No", "आपका आधार क्रमांक"}
	genders      = []struct{ word, value string }{
		{"MALE", "MALE"}, {"FEMALE", "FEMALE"}, {"TRANSGENDER", "TRANSGENDER"},
		{"पुरुष", "MALE"}, {"महिला", "FEMALE"}, {"ट्रांसजेंडर", "TRANSGENDER"},
	}
	notNames = []string{"Government of India", "Unique Identification Authority of India", "To", "Address", "भारत सरकार"}
)

const minLabel = 0.75

// Extract reads the Aadhaar fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypeAadhaar)
	if f, ok := number(lines); ok {
		fd.Set("aadhaar_number", f)
	}
	dob, dobLine, okDOB := e.birth(lines)
	if f, ok := name(lines, dobLine); ok {
		fd.Set("name", f)
	}
	if okDOB {
		fd.Set("date_of_birth", dob)
	}
	if f, ok := gender(lines); ok {
		fd.Set("gender", f)
	}
	if addr, ws, li, sim, ok := address(lines); ok {
		ev := extract.Evidence{Words: ws, Label: sim}
		fd.Set("address", extract.NewField(strings.Join(addr, ", "), lines[li].Page, ev))
		fd.Set("formatted_address", extract.NewField(formatted(addr), lines[li].Page, ev))
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeAadhaar)
	}
	return fd, nil
}

type numCandidate struct {
	value    string
	words    []document.Word
	repaired int
	check    validate.Result
	height   int
	line     int
}

// number finds the Aadhaar number: three 4-character groups (or fewer,
// longer tokens OCR merged) on one line that repair to 12 digits,
// preferring the reading that passes the Verhoeff check and the largest
// print. A 16-digit VID is skipped: its line carries the "VID" label.
func number(lines []extract.Line) (document.Field, bool) {
	var best *numCandidate
	for li, l := range lines {
		if len(extract.FindLabels(lines[li:li+1], labelVID, 1)) > 0 {
			continue
		}
		for i := range l.Words {
			raw := ""
			for k := i; k < len(l.Words) && k < i+3; k++ {
				raw += strings.Trim(l.Words[k].Text, ".,:;|'\"")
				if len(raw) > 12 {
					break
				}
				if len(raw) != 12 {
					continue
				}
				ws := l.Words[i : k+1]
				if k+1 < len(l.Words) && len(ws) == 3 && isGroup(l.Words[k+1].Text) && len(l.Words) == 4 {
					break // four groups on a line of four: a VID
				}
				c := candidate(raw, ws, li)
				if c != nil && (best == nil || better(c, best)) {
					best = c
				}
			}
		}
	}
	if best == nil {
		return document.Field{}, false
	}
	return extract.NewField(best.value, lines[best.line].Page, extract.Evidence{
		Words: best.words, Check: &best.check, Repaired: best.repaired, Label: 1,
	}), true
}

func isGroup(s string) bool {
	_, _, ok := validate.Repair(strings.Trim(s, ".,:;|'\""), "9999")
	return ok
}

func candidate(raw string, ws []document.Word, li int) *numCandidate {
	h := 0
	for _, w := range ws {
		h = max(h, w.Box.Dy())
	}
	up := strings.ToUpper(raw)
	if len(up) == 12 && strings.Count(up[:8], "X") >= 7 {
		// A masked card: its own form, no checksum possible.
		v, n, ok := validate.Repair(up[8:], "9999")
		if !ok {
			return nil
		}
		masked := "XXXX XXXX " + v
		return &numCandidate{value: masked, words: ws, repaired: n, check: validate.MaskedAadhaar(masked), height: h, line: li}
	}
	v, n, _, ok := validate.RepairAadhaar(raw)
	if !ok || n > 3 {
		return nil
	}
	return &numCandidate{value: v[0:4] + " " + v[4:8] + " " + v[8:12], words: ws, repaired: n, check: validate.Aadhaar(v), height: h, line: li}
}

func better(a, b *numCandidate) bool {
	if a.check.Passed() != b.check.Passed() {
		return a.check.Passed()
	}
	if a.repaired != b.repaired {
		return a.repaired < b.repaired
	}
	return a.height > b.height
}

// birth reads the date of birth from the line carrying its label ("DOB:",
// "Year of Birth"), never from an issue or download date.
func (e *Extractor) birth(lines []extract.Line) (document.Field, int, bool) {
	now := e.now()
	for _, m := range extract.FindLabels(lines, labelDOB, 0.8) {
		if ds := extract.FindDates(lines, m.Line); len(ds) > 0 {
			d := ds[0]
			_, check := validate.DOB(d.Value, now)
			return extract.NewField(d.Value, lines[m.Line].Page, extract.Evidence{Words: d.Words, Check: &check, Repaired: d.Repaired, Label: m.Sim}), m.Line, true
		}
	}
	for _, m := range extract.FindLabels(lines, labelYOB, 0.75) {
		for _, w := range extract.After(lines, m) {
			t := strings.Trim(w.Text, ".,:;|'\"")
			v, n, ok := validate.Repair(t, "9999")
			if !ok {
				continue
			}
			check := validate.YearOfBirth(v, now)
			return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: []document.Word{w}, Check: &check, Repaired: n, Label: m.Sim}), m.Line, true
		}
	}
	// No label read: a date on a line that is not an issue or download date.
	for li := range lines {
		if len(extract.FindLabels(lines[li:li+1], labelNotDOB, 0.7)) > 0 {
			continue
		}
		if ds := extract.FindDates(lines, li); len(ds) > 0 {
			d := ds[0]
			_, check := validate.DOB(d.Value, now)
			return extract.NewField(d.Value, lines[li].Page, extract.Evidence{Words: d.Words, Check: &check, Repaired: d.Repaired, Label: 0.6}), li, true
		}
	}
	return document.Field{}, -1, false
}

// name reads the holder's name: on a letter, the line after "To"; on a
// card, the name-like line just above the date of birth, in its column.
func name(lines []extract.Line, dobLine int) (document.Field, bool) {
	for li := range lines {
		if isTo(lines[li]) && li+1 < len(lines) {
			if f, ok := nameField(lines, li+1, lines[li+1].Words, 1); ok {
				return f, true
			}
		}
	}
	if dobLine <= 0 {
		return document.Field{}, false
	}
	left := lines[dobLine].Box.Min.X
	for li := dobLine - 1; li >= 0 && li >= dobLine-2; li-- {
		var ws []document.Word
		for _, w := range lines[li].Words {
			if w.Box.Max.X >= left-w.Box.Dy() {
				ws = append(ws, w)
			}
		}
		if f, ok := nameField(lines, li, ws, 0.9); ok {
			return f, true
		}
	}
	return document.Field{}, false
}

// isTo reports the "To" line heading a letter's address block.
func isTo(l extract.Line) bool {
	return len(l.Words) > 0 && extract.Norm(l.Words[0].Text) == "TO" && len(extract.NameWords(l.Words[1:], false)) == 0
}

// careOf is how an address line starts: S/O, D/O, W/O, C/O.
func careOf(ws []document.Word) bool {
	for _, w := range ws {
		if n := extract.Norm(w.Text); n != "" {
			return len(n) == 2 && strings.Contains("SDWC", n[:1]) && n[1] == 'O' && strings.Contains(w.Text, "/")
		}
	}
	return false
}

func nameField(lines []extract.Line, li int, ws []document.Word, sim float64) (document.Field, bool) {
	if careOf(ws) {
		return document.Field{}, false
	}
	ws = extract.NameWords(ws, false)
	// Drop a label glued on the right ("Sarita Gupta Address:").
	for len(ws) > 1 && extract.Similarity(ws[len(ws)-1].Text, "Address") > 0.8 {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 {
		return document.Field{}, false
	}
	for _, w := range ws {
		if !extract.NameLike(w.Text) {
			return document.Field{}, false
		}
	}
	v := extract.CleanName(ws)
	if len(extract.Norm(v)) < 3 {
		return document.Field{}, false
	}
	for _, k := range notNames {
		if extract.Similarity(v, k) > 0.7 {
			return document.Field{}, false
		}
	}
	return extract.NewField(v, lines[li].Page, extract.Evidence{Words: ws, Label: sim}), true
}

// gender reads MALE, FEMALE or TRANSGENDER (or the Hindi words), taking
// the best fuzzy match of any word.
func gender(lines []extract.Line) (document.Field, bool) {
	bestSim, bestVal := 0.0, ""
	var bestW document.Word
	page := 0
	for _, l := range lines {
		for _, w := range l.Words {
			// "पुरुष / MALE" may come as one word: try each part.
			for _, part := range strings.Split(w.Text, "/") {
				for _, g := range genders {
					if s := extract.Similarity(part, g.word); s > bestSim {
						bestSim, bestVal, bestW, page = s, g.value, w, l.Page
					}
				}
			}
		}
	}
	if bestSim < 0.8 {
		return document.Field{}, false
	}
	return extract.NewField(bestVal, page, extract.Evidence{Words: []document.Word{bestW}, Label: bestSim}), true
}

// address reads the address: on a letter, the lines after the name under
// "To"; else the lines under an "Address:" label, in its column. It stops
// after the line ending in the PIN code and returns the address elements
// (the last two: state, PIN).
func address(lines []extract.Line) ([]string, []document.Word, int, float64, bool) {
	for li := range lines {
		if isTo(lines[li]) && li+2 < len(lines) {
			var ws []document.Word
			var parts []string
			for k := li + 2; k < len(lines) && k <= li+8; k++ {
				kept := addressWords(lines[k].Words)
				parts = append(parts, extract.Text(kept))
				ws = append(ws, kept...)
				if extract.EndsWithPIN(kept) {
					if els, ok := elements(parts); ok {
						return els, ws, li + 2, 1, true
					}
					break
				}
			}
		}
	}
	for _, m := range extract.FindLabels(lines, labelAddress, 0.8) {
		left := m.Box.Min.X - m.Box.Dy()
		var ws []document.Word
		var parts []string
		if after := addressWords(extract.After(lines, m)); len(after) > 0 {
			parts = append(parts, extract.Text(after))
			ws = append(ws, after...)
		}
		for k := m.Line + 1; k < len(lines) && k <= m.Line+8; k++ {
			var col []document.Word
			for _, w := range lines[k].Words {
				if w.Box.Min.X >= left {
					col = append(col, w)
				}
			}
			if col = addressWords(col); len(col) == 0 {
				continue
			}
			parts = append(parts, extract.Text(col))
			ws = append(ws, col...)
			if extract.EndsWithPIN(col) {
				if els, ok := elements(parts); ok {
					return els, ws, m.Line, m.Sim, true
				}
				break
			}
		}
	}
	return nil, nil, 0, 0, false
}

// addressWords drops what OCR makes of specks and borders around an
// address: short words read with low confidence, and lone punctuation
// other than the "-" before the PIN code.
func addressWords(ws []document.Word) []document.Word {
	var out []document.Word
	for _, w := range ws {
		n := len([]rune(extract.Norm(w.Text)))
		if (n == 0 && w.Text != "-") || (n <= 3 && w.Conf < 0.35) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// elements splits the address text at its commas into elements and the
// closing "State - PIN" into state and PIN.
func elements(parts []string) ([]string, bool) {
	text := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
	var els []string
	for _, e := range strings.Split(text, ",") {
		if e = strings.TrimSpace(e); e != "" {
			els = append(els, e)
		}
	}
	if len(els) < 2 {
		return nil, false
	}
	last := els[len(els)-1]
	fs := strings.Fields(last)
	p, ok := extract.PIN(fs[len(fs)-1])
	if !ok {
		return nil, false
	}
	state := strings.TrimSpace(strings.TrimRight(strings.Join(fs[:len(fs)-1], " "), "-–—~ "))
	els = els[:len(els)-1]
	if state != "" {
		els = append(els, state)
	}
	return append(els, p), true
}

// formatted splits address elements into the API's formatted_address:
// postcode and state are the last two, city the one before; the rest is
// halved into two lines.
func formatted(els []string) map[string]string {
	n := len(els)
	out := map[string]string{"postcode": els[n-1]}
	rest := els[:n-1]
	if len(rest) > 0 {
		out["state"] = rest[len(rest)-1]
		rest = rest[:len(rest)-1]
	}
	if len(rest) > 0 {
		out["city"] = rest[len(rest)-1]
		rest = rest[:len(rest)-1]
	}
	h := (len(rest) + 1) / 2
	out["address_line_1"] = strings.Join(rest[:h], ", ")
	out["address_line_2"] = strings.Join(rest[h:], ", ")
	for k, v := range out {
		if v == "" {
			delete(out, k) // a part not on the document is left out
		}
	}
	return out
}
