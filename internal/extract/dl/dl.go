// Package dl reads the fields of an Indian driving licence: the licence
// number, the state it was issued in (from the number's state code), the
// holder's and relation's names, date of birth, address, issue date and
// validity, in the older state card layout ("DL No", "DOI", "S/D/W of")
// and the newer smart card one ("Licence No.", "Issue Date", "Validity").
package dl

import (
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Extractor reads driving licences. The zero value is not usable: call New.
type Extractor struct {
	now func() time.Time
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a driving licence extractor.
func New() *Extractor { return &Extractor{now: time.Now} }

// RuleDL is the rule of a licence number's structure: a known state code,
// a two-digit RTO code, a plausible year of issue and a 7-digit serial.
// The number has no check digit.
const RuleDL = "dl_structure"

var (
	labelNumber   = []string{"DL No", "Licence No", "License No", "DL Number"}
	labelName     = []string{"Name"}
	labelRelation = []string{"S/D/W of", "Son/Daughter/Wife of", "S/O", "Father's Name"}
	labelDOB      = []string{"DOB", "Date of Birth"}
	labelIssue    = []string{"DOI", "Issue Date", "Date of Issue"}
	labelValid    = []string{"Valid Till", "Validity (NT)", "Validity"}
	labelAddress  = []string{"Address"}
	relationWords = []string{"S/D/W", "Son/Daughter/Wife", "Father's"}
)

// stateCodes maps licence state codes to state names.
var stateCodes = map[string]string{
	"AN": "Andaman and Nicobar Islands", "AP": "Andhra Pradesh", "AR": "Arunachal Pradesh", "AS": "Assam",
	"BR": "Bihar", "CG": "Chhattisgarh", "CH": "Chandigarh", "DD": "Dadra and Nagar Haveli and Daman and Diu",
	"DL": "Delhi", "GA": "Goa", "GJ": "Gujarat", "HP": "Himachal Pradesh", "HR": "Haryana", "JH": "Jharkhand",
	"JK": "Jammu and Kashmir", "KA": "Karnataka", "KL": "Kerala", "LA": "Ladakh", "LD": "Lakshadweep",
	"MH": "Maharashtra", "ML": "Meghalaya", "MN": "Manipur", "MP": "Madhya Pradesh", "MZ": "Mizoram",
	"NL": "Nagaland", "OD": "Odisha", "OR": "Odisha", "PB": "Punjab", "PY": "Puducherry", "RJ": "Rajasthan",
	"SK": "Sikkim", "TN": "Tamil Nadu", "TR": "Tripura", "TS": "Telangana", "UK": "Uttarakhand",
	"UA": "Uttarakhand", "UP": "Uttar Pradesh", "WB": "West Bengal",
}

const minLabel = 0.75

// Extract reads the driving licence fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypeDrivingLicense)
	if f, state, ok := e.number(lines); ok {
		fd.Set("dl_number", f)
		if name, known := stateCodes[state]; known {
			st := f
			st.Value, st.Validation = name, nil
			fd.Set("state", st)
		}
	}
	if f, ok := nameAfter(lines, labelName, false); ok {
		fd.Set("name", f)
	}
	if f, ok := nameAfter(lines, labelRelation, true); ok {
		fd.Set("relation_name", f)
	}
	if f, ok := e.date(lines, labelDOB, true); ok {
		fd.Set("date_of_birth", f)
	}
	if f, ok := e.date(lines, labelIssue, false); ok {
		fd.Set("issue_date", f)
	}
	if f, ok := e.date(lines, labelValid, false); ok {
		fd.Set("valid_till", f)
	}
	if f, ok := extract.Address(lines, labelAddress); ok {
		fd.Set("address", f)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeDrivingLicense)
	}
	return fd, nil
}

// shapeDL is the licence number without separators: state letters, RTO
// digits, year, serial.
const shapeDL = "AA9999999999999"

// number reads the licence number right of its label (printed "MH12
// 20110012345" or "MH-1220110012345"), else any token run of its shape.
func (e *Extractor) number(lines []extract.Line) (document.Field, string, bool) {
	try := func(li int, ws []document.Word, sim float64) (document.Field, string, bool) {
		raw := ""
		for k, w := range ws {
			raw += strings.NewReplacer("-", "", "–", "", "—", "").Replace(strings.Trim(w.Text, ".,:;|'\"‘’`"))
			if len(raw) < len(shapeDL) {
				continue
			}
			if len(raw) > len(shapeDL) {
				break
			}
			v, n, ok := validate.Repair(raw, shapeDL)
			if !ok || n > 3 {
				break
			}
			check := e.check(v)
			return extract.NewField(v, lines[li].Page, extract.Evidence{Words: ws[:k+1], Check: &check, Repaired: n, Label: sim}), v[:2], true
		}
		return document.Field{}, "", false
	}
	for _, m := range extract.FindLabels(lines, labelNumber, minLabel) {
		if f, st, ok := try(m.Line, extract.After(lines, m), m.Sim); ok {
			return f, st, true
		}
	}
	for li, l := range lines {
		for i := range l.Words {
			if f, st, ok := try(li, l.Words[i:], 0.8); ok {
				return f, st, true
			}
		}
	}
	return document.Field{}, "", false
}

// check checks a licence number's structure.
func (e *Extractor) check(v string) validate.Result {
	year := 0
	for _, c := range v[4:8] {
		year = year*10 + int(c-'0')
	}
	_, known := stateCodes[v[:2]]
	if !known || v[2:4] == "00" || year < 1950 || year > e.now().Year() {
		return validate.Result{Rule: RuleDL, Err: validate.ErrComponent}
	}
	return validate.Result{Rule: RuleDL}
}

// nameAfter reads the name right of a label on its line. For the holder's
// name, labels that are a relation's are skipped.
func nameAfter(lines []extract.Line, labels []string, relation bool) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labels, minLabel) {
		if !relation && extract.LineHasWord(lines, m, relationWords) {
			continue
		}
		ws := extract.NameWords(extract.After(lines, m), true)
		v := strings.ToUpper(extract.CleanName(ws))
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

// date reads the first date on the line of one of labels; a date of birth
// is checked as one.
func (e *Extractor) date(lines []extract.Line, labels []string, birth bool) (document.Field, bool) {
	m, ok := extract.FindLabel(lines, labels, minLabel)
	if !ok {
		return document.Field{}, false
	}
	ds := extract.FindDates(lines, m.Line)
	if len(ds) == 0 {
		return document.Field{}, false
	}
	d := ds[0]
	v, check := d.Value, validate.Result{}
	if birth {
		var canon string
		if canon, check = validate.DOB(d.Value, e.now()); canon != "" {
			v = canon
		}
	} else {
		_, _, check = validate.ParseDate(d.Value)
	}
	return extract.NewField(v, lines[m.Line].Page, extract.Evidence{
		Words: d.Words, Check: &check, Repaired: d.Repaired, Label: m.Sim,
	}), true
}
