// Package voterid reads the fields of an Indian voter identity card (EPIC):
// the EPIC number, the elector's and relation's names, gender, date of
// birth and address, in the older "IDENTITY CARD" layout ("Elector's
// Name", "Sex") and the newer "ELECTOR PHOTO IDENTITY CARD" one ("Name",
// "Gender"), where each value follows its label on the same line.
package voterid

import (
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Extractor reads voter identity cards. The zero value is not usable: call
// New.
type Extractor struct {
	now func() time.Time
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a voter id extractor.
func New() *Extractor { return &Extractor{now: time.Now} }

var (
	labelName     = []string{"Elector's Name", "Name", "निर्वाचक का नाम", "नाम"}
	labelRelation = []string{"Father's Name", "Husband's Name", "Mother's Name", "पिता का नाम", "पति का नाम"}
	labelGender   = []string{"Sex", "Gender", "लिंग"}
	labelDOB      = []string{"Date of Birth / Age", "Date of Birth", "जन्म तिथि"}
	labelAddress  = []string{"Address", "पता"}
	relationWords = []string{"Father's", "Husband's", "Mother's", "पिता", "पति"}
	genders       = map[string]string{"MALE": "MALE", "FEMALE": "FEMALE", "TRANSGENDER": "TRANSGENDER", "पुरुष": "MALE", "महिला": "FEMALE"}
)

const minLabel = 0.75

// Extract reads the voter id fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypeVoterID)
	if f, ok := epic(lines); ok {
		fd.Set("voter_id", f)
	}
	if f, ok := nameAfter(lines, labelName, false); ok {
		fd.Set("name", f)
	}
	if f, ok := nameAfter(lines, labelRelation, true); ok {
		fd.Set("relation_name", f)
	}
	if f, ok := gender(lines); ok {
		fd.Set("gender", f)
	}
	if f, ok := e.dob(lines); ok {
		fd.Set("date_of_birth", f)
	}
	if f, ok := address(lines); ok {
		fd.Set("address", f)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeVoterID)
	}
	return fd, nil
}

// epic finds the EPIC number: a token, or two adjacent ones, that repairs
// to three letters and seven digits, preferring one that passes the Luhn
// check and needed fewer repairs.
func epic(lines []extract.Line) (document.Field, bool) {
	var (
		best      string
		bestWords []document.Word
		bestN     = 99
		bestCheck validate.Result
		bestLine  int
	)
	for li, l := range lines {
		for i := range l.Words {
			raw := ""
			for k := i; k < len(l.Words) && k < i+2; k++ {
				raw += strings.Trim(l.Words[k].Text, ".,:;|'\"‘’`")
				if len(raw) != 10 {
					continue
				}
				v, n, ok := validate.Repair(raw, validate.ShapeVoterID)
				if !ok || n > 2 {
					continue
				}
				check := validate.VoterID(v)
				if best == "" || (check.Passed() && !bestCheck.Passed()) || (check.Passed() == bestCheck.Passed() && n < bestN) {
					best, bestWords, bestN, bestCheck, bestLine = v, l.Words[i:k+1], n, check, li
				}
			}
		}
	}
	if best == "" {
		return document.Field{}, false
	}
	return extract.NewField(best, lines[bestLine].Page, extract.Evidence{
		Words: bestWords, Check: &bestCheck, Repaired: bestN, Label: 1,
	}), true
}

// isRelation reports whether the match m is the "Name" of "Father's Name"
// and the like.
func isRelation(lines []extract.Line, m extract.Match) bool {
	for _, w := range lines[m.Line].Words[:m.End] {
		for _, r := range relationWords {
			if extract.Similarity(w.Text, r) > 0.7 {
				return true
			}
		}
	}
	return false
}

// nameAfter reads the name right of a label on its line. For the holder's
// name, labels that are a relation's ("Father's Name") are skipped.
func nameAfter(lines []extract.Line, labels []string, relation bool) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labels, minLabel) {
		if isRelation(lines, m) != relation {
			continue
		}
		ws := extract.NameWords(extract.After(lines, m), false)
		v := extract.CleanName(ws)
		if len(extract.Norm(v)) < 2 {
			continue
		}
		return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim}), true
	}
	return document.Field{}, false
}

// gender reads the word after "Sex" or "Gender", else a lone gender word.
func gender(lines []extract.Line) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labelGender, minLabel) {
		for _, w := range extract.After(lines, m) {
			if v, ok := genderWord(w.Text); ok {
				return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: []document.Word{w}, Label: m.Sim}), true
			}
		}
	}
	for li, l := range lines {
		for _, w := range l.Words {
			if v, ok := genderWord(w.Text); ok {
				return extract.NewField(v, lines[li].Page, extract.Evidence{Words: []document.Word{w}, Label: 0.8}), true
			}
		}
	}
	return document.Field{}, false
}

func genderWord(s string) (string, bool) {
	n := extract.Norm(s)
	if v, ok := genders[n]; ok {
		return v, true
	}
	// One misread letter in the longer words ("Fernale").
	for k, v := range genders {
		if len([]rune(k)) >= 6 && extract.Similarity(n, k) >= 0.8 {
			return v, true
		}
	}
	return "", false
}

// dob reads the date on the "Date of Birth" line, else the card's only
// date.
func (e *Extractor) dob(lines []extract.Line) (document.Field, bool) {
	var pick *extract.Date
	sim := 0.8
	if m, ok := extract.FindLabel(lines, labelDOB, minLabel); ok {
		if ds := extract.FindDates(lines, m.Line); len(ds) > 0 {
			pick, sim = &ds[0], m.Sim
		}
	}
	if pick == nil {
		for li := range lines {
			if ds := extract.FindDates(lines, li); len(ds) > 0 {
				pick = &ds[0]
				break
			}
		}
	}
	if pick == nil {
		return document.Field{}, false
	}
	v, check := validate.DOB(pick.Value, e.now())
	if v == "" {
		v = pick.Value
	}
	return extract.NewField(v, lines[pick.Line].Page, extract.Evidence{
		Words: pick.Words, Check: &check, Repaired: pick.Repaired, Label: sim,
	}), true
}

// address reads the lines from the "Address" label to the line that ends
// with the PIN code, as "elements, State, PIN".
func address(lines []extract.Line) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labelAddress, 0.8) {
		var ws []document.Word
		var parts []string
		if after := addressWords(extract.After(lines, m)); len(after) > 0 {
			parts = append(parts, extract.Text(after))
			ws = append(ws, after...)
		}
		// The address is in the label's column: what is left of it is
		// a photo's scraps.
		left := m.Box.Min.X - m.Box.Dy()
		for k := m.Line + 1; k < len(lines) && k <= m.Line+6; k++ {
			var col []document.Word
			for _, w := range lines[k].Words {
				if w.Box.Min.X >= left {
					col = append(col, w)
				}
			}
			col = addressWords(col)
			if len(col) == 0 {
				continue
			}
			parts = append(parts, extract.Text(col))
			ws = append(ws, col...)
			if endsWithPIN(col) {
				if v, ok := joinAddress(parts); ok {
					return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim}), true
				}
				break
			}
		}
	}
	return document.Field{}, false
}

// addressWords drops what OCR makes of specks and borders around an
// address: short words read with low confidence, and lone punctuation
// other than the dash before the PIN code.
func addressWords(ws []document.Word) []document.Word {
	var out []document.Word
	for _, w := range ws {
		n := len([]rune(extract.Norm(w.Text)))
		if (n == 0 && !isDash(w.Text)) || (n <= 2 && w.Conf < 0.5) {
			continue
		}
		out = append(out, w)
	}
	// Trailing scraps right of the PIN code.
	for len(out) > 1 && !endsWithPIN(out) && len(extract.Norm(out[len(out)-1].Text)) <= 2 {
		out = out[:len(out)-1]
	}
	return out
}

func isDash(s string) bool { return s == "-" || s == "—" || s == "–" }

func endsWithPIN(ws []document.Word) bool {
	if len(ws) == 0 {
		return false
	}
	_, ok := pin(ws[len(ws)-1].Text)
	return ok
}

func pin(s string) (string, bool) {
	v, _, ok := validate.Repair(strings.Trim(s, ".,:;|'\""), "999999")
	return v, ok && v[0] != '0'
}

// joinAddress splits the address text at its commas into elements, the
// closing "State - PIN" into state and PIN, and joins them with ", ".
func joinAddress(parts []string) (string, bool) {
	text := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
	var els []string
	for _, e := range strings.Split(text, ",") {
		if e = strings.Trim(e, " .;:"); e != "" {
			els = append(els, e)
		}
	}
	if len(els) < 2 {
		return "", false
	}
	fs := strings.Fields(els[len(els)-1])
	p, ok := pin(fs[len(fs)-1])
	if !ok {
		return "", false
	}
	state := strings.TrimSpace(strings.TrimRight(strings.Join(fs[:len(fs)-1], " "), "-–—~ "))
	els = els[:len(els)-1]
	if state != "" {
		els = append(els, state)
	}
	return strings.Join(append(els, p), ", "), true
}
