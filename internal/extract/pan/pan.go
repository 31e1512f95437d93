// Package pan reads the fields of an Indian PAN card: the number, the
// holder's and father's names and the date of birth, from the words and
// boxes OCR found, in both the old unlabelled layout and the newer
// labelled one ("Permanent Account Number Card").
package pan

import (
	"strings"
	"time"
	"unicode"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Extractor reads PAN cards. The zero value is not usable: call New.
type Extractor struct {
	now func() time.Time
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a PAN extractor.
func New() *Extractor { return &Extractor{now: time.Now} }

// Labels as printed, English and Hindi; matched fuzzily.
var (
	labelPAN    = []string{"Permanent Account Number", "स्थायी लेखा संख्या"}
	labelName   = []string{"Name", "नाम"}
	labelFather = []string{"Father's Name", "पिता का नाम"}
	labelDOB    = []string{"Date of Birth", "जन्म की तारीख"}
	labelHeader = []string{"INCOME TAX DEPARTMENT", "आयकर विभाग"}
	// Lines that are never a holder's name on a PAN card.
	notNames = []string{"INCOME TAX DEPARTMENT", "GOVT. OF INDIA", "Permanent Account Number", "Signature", "Date of Birth", "Government of India"}
)

const minLabel = 0.75

// Extract reads the PAN fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypePAN)

	panLabel, hasPANLabel := extract.FindLabel(lines, labelPAN, minLabel)
	if f, ok := panNumber(lines, panLabel, hasPANLabel); ok {
		fd.Set("pan_number", f)
	}

	father, hasFather := extract.FindLabel(lines, labelFather, minLabel)
	var nameLabel extract.Match
	hasName := false
	for _, m := range extract.FindLabels(lines, labelName, minLabel) {
		if hasFather && m.Line >= father.Line {
			break
		}
		// A label stands alone on its line (after its Hindi twin): "NAME"
		// inside a value is not one.
		alone := len(extract.NameWords(extract.After(lines, m), true)) == 0
		if alone && !isFatherLine(lines, m) {
			nameLabel, hasName = m, true
		}
	}

	var nameF, fatherF document.Field
	var okName, okFather bool
	if hasName || hasFather {
		// Newer layout: each value on the line below its label.
		if hasName {
			nameF, okName = nameBelow(lines, nameLabel)
		}
		if hasFather {
			fatherF, okFather = nameBelow(lines, father)
			if !okName {
				// "Name" unread: the holder's name is the line over
				// the father's label.
				if li, ws := extract.Above(lines, father); li >= 0 {
					nameF, okName = nameField(lines, li, extract.NameWords(ws, true), 0.8)
				}
			}
		}
	}
	if !okName && !okFather {
		// Old layout: the first two name-like lines under the header.
		nameF, okName, fatherF, okFather = oldLayoutNames(lines)
	}
	if okName {
		fd.Set("name_as_per_pan", nameF)
	}
	if okFather {
		fd.Set("father_name", fatherF)
	}

	dobLabel, hasDOB := extract.FindLabel(lines, labelDOB, minLabel)
	if f, ok := e.dob(lines, dobLabel, hasDOB); ok {
		fd.Set("dob", f)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypePAN)
	}
	return fd, nil
}

// isFatherLine reports whether the "Name" match m is the end of "Father's
// Name".
func isFatherLine(lines []extract.Line, m extract.Match) bool {
	for _, w := range lines[m.Line].Words[:m.Start] {
		if extract.Similarity(w.Text, "Father's") > 0.7 || extract.Similarity(w.Text, "पिता") > 0.7 {
			return true
		}
	}
	return false
}

type panCandidate struct {
	value    string
	words    []document.Word
	repaired int
	check    validate.Result
	near     bool
	line     int
}

// panNumber finds the PAN: a token (or two adjacent ones) that repairs to
// the PAN shape, preferring one that passes the structure check, sits
// near the "Permanent Account Number" label, and needed fewer repairs.
func panNumber(lines []extract.Line, label extract.Match, hasLabel bool) (document.Field, bool) {
	var best *panCandidate
	better := func(a, b *panCandidate) bool {
		if b == nil {
			return true
		}
		if a.check.Passed() != b.check.Passed() {
			return a.check.Passed()
		}
		if a.near != b.near {
			return a.near
		}
		return a.repaired < b.repaired
	}
	for li, l := range lines {
		for i := range l.Words {
			for k := 1; k <= 2 && i+k <= len(l.Words); k++ {
				ws := l.Words[i : i+k]
				raw, dropped := "", 0
				for _, w := range ws {
					// Keep what Repair can read; drop the marks OCR puts
					// inside a token ("LKNPS0@171Y"), each a repair.
					for _, r := range strings.Trim(w.Text, ".,:;|'\"‘’`_-") {
						if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '|' || r == '$') {
							raw += string(r)
						} else {
							dropped++
						}
					}
				}
				// OCR may glue a scrap to either end ("TVQPD4624Xx"): try
				// each 10-character window, a dropped character counting
				// as a repair.
				extra := len(raw) - 10
				if extra < 0 || extra > 2 {
					continue
				}
				v, n, ok := "", 0, false
				for off := 0; off <= extra; off++ {
					if v, n, ok = validate.Repair(raw[off:off+10], validate.ShapePAN); ok && validate.PAN(v).Passed() {
						break
					}
				}
				n += extra + dropped
				if !ok || n > 3 {
					continue
				}
				c := &panCandidate{value: v, words: ws, repaired: n, check: validate.PAN(v), line: li}
				c.near = hasLabel && (li == label.Line || (li > label.Line && li <= label.Line+2) || (li < label.Line && li >= label.Line-2))
				if better(c, best) {
					best = c
				}
			}
		}
	}
	if best == nil {
		return document.Field{}, false
	}
	sim := 0.85 // found by its shape alone
	if best.near {
		sim = max(label.Sim, sim)
	}
	return extract.NewField(best.value, lines[best.line].Page, extract.Evidence{
		Words: best.words, Check: &best.check, Repaired: best.repaired, Label: sim,
	}), true
}

// nameBelow reads the name on the line below a label, in its column.
func nameBelow(lines []extract.Line, m extract.Match) (document.Field, bool) {
	li, ws := extract.Below(lines, m)
	if li < 0 {
		return document.Field{}, false
	}
	ws = extract.NameWords(ws, true)
	return nameField(lines, li, ws, m.Sim)
}

func nameField(lines []extract.Line, li int, ws []document.Word, labelSim float64) (document.Field, bool) {
	if len(ws) == 0 {
		return document.Field{}, false
	}
	for _, w := range ws {
		if !extract.NameLike(w.Text) || extract.Similarity(w.Text, "Father's") > 0.8 {
			return document.Field{}, false
		}
	}
	v := strings.ToUpper(extract.CleanName(ws))
	if len(extract.Norm(v)) < 2 || isKnownText(v) {
		return document.Field{}, false
	}
	f := extract.NewField(v, lines[li].Page, extract.Evidence{Words: ws, Label: labelSim})
	if extract.TruncatedName(lines[li].Words, ws) {
		f.Confidence = min(f.Confidence, extract.MaxTruncated)
	}
	return f, true
}

func isKnownText(s string) bool {
	for _, k := range notNames {
		if extract.Similarity(s, k) > 0.7 {
			return true
		}
	}
	return false
}

// oldLayoutNames reads the old layout, which prints no labels: under the
// header, the holder's name, then the father's name, then the date of
// birth. Positional evidence is weaker than a label: label match 0.8.
func oldLayoutNames(lines []extract.Line) (name document.Field, okName bool, father document.Field, okFather bool) {
	hdr, ok := extract.FindLabel(lines, labelHeader, 0.7)
	start := 0
	if ok {
		start = hdr.Line + 1
	}
	var found []document.Field
	for li := start; li < len(lines) && len(found) < 2; li++ {
		if len(extract.FindDates(lines, li)) > 0 {
			break
		}
		t := extract.Text(lines[li].Words)
		if extract.Similarity(t, labelPAN[0]) > 0.7 {
			break
		}
		ws := extract.NameWords(lines[li].Words, true)
		if len(ws) == 0 || extract.MinConf(ws) < 0.15 {
			continue
		}
		if f, ok := nameField(lines, li, ws, 0.8); ok && len(extract.Norm(f.Value.(string))) >= 4 {
			found = append(found, f)
		}
	}
	if len(found) > 0 {
		name, okName = found[0], true
	}
	if len(found) > 1 {
		father, okFather = found[1], true
	}
	return
}

// dob reads the date of birth: the date below its label on the newer
// layout, else the card's only date.
func (e *Extractor) dob(lines []extract.Line, label extract.Match, hasLabel bool) (document.Field, bool) {
	var pick *extract.Date
	sim := 0.8
	if hasLabel {
		for li := label.Line; li < len(lines) && li <= label.Line+2; li++ {
			if ds := extract.FindDates(lines, li); len(ds) > 0 {
				pick, sim = &ds[0], label.Sim
				break
			}
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
	_, check := validate.DOB(pick.Value, e.now())
	return extract.NewField(pick.Value, lines[pick.Line].Page, extract.Evidence{
		Words: pick.Words, Check: &check, Repaired: pick.Repaired, Label: sim,
	}), true
}
