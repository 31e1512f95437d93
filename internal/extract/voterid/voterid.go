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
	if f, ok := extract.Address(lines, labelAddress); ok {
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

// nameAfter reads the name right of a label on its line. For the holder's
// name, labels that are a relation's ("Father's Name") are skipped.
func nameAfter(lines []extract.Line, labels []string, relation bool) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labels, minLabel) {
		if extract.LineHasWord(lines, m, relationWords) != relation {
			continue
		}
		ws := extract.NameWords(extract.After(lines, m), false)
		v := extract.CleanName(ws)
		if len(extract.Norm(v)) < 2 {
			continue
		}
		f := extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim})
		if extract.TruncatedName(lines[m.Line].Words, ws) {
			f.Confidence = min(f.Confidence, extract.MaxTruncated)
		}
		return f, true
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
