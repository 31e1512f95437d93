// Package gstcert reads the fields of GST registration certificates (Form
// GST REG-06): the GSTIN after "Registration Number", and the numbered
// table's values right of their labels (the address wrapped over several
// lines of the value column). The annexures, which repeat the names and
// list other addresses, are not read. The GSTIN carries two facts the
// table states again: its first two digits are the state of the address,
// and the 4th letter of its embedded PAN the constitution of business.
// Both are checked and reported as those fields' validation.
package gstcert

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Rules of the cross-field checks, as they appear in validation.rule.
const (
	// RuleStateCode: the address's state is the GSTIN's state code.
	RuleStateCode = "gstin_state_code"
	// RuleHolderType: the constitution of business is the holder type of
	// the PAN inside the GSTIN (P, F, C, H, ...).
	RuleHolderType = "gstin_pan_holder_type"
)

// Extractor reads GST registration certificates (Form GST REG-06). It
// holds no state: one may be shared.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns an extractor.
func New() *Extractor { return &Extractor{} }

// Labels of the certificate's table, old and new wordings, matched
// fuzzily; the longer wording first, so that it wins over its prefix and
// its tail ("if any") is not read as the value.
var (
	labelGSTIN        = []string{"Registration Number", "GSTIN"}
	labelLegal        = []string{"Legal Name"}
	labelTrade        = []string{"Trade Name, if any", "Trade Name"}
	labelConstitution = []string{"Constitution of Business"}
	labelAddress      = []string{"Address of Principal Place of Business"}
	labelLiability    = []string{"Date of Liability (Effective Date)", "Date of Liability"}
	labelKind         = []string{"Type of Registration"}
	labelIssue        = []string{"Date of issue of Certificate", "Date of issue"}
	labelAnnexure     = []string{"Annexure A", "Annexure B"}
)

const minLabel = 0.8

// constitutions are the constitutions of business the GST portal prints,
// with the PAN holder-type letter each must carry.
var constitutions = []struct {
	name   string
	holder byte
}{
	{"Proprietorship", 'P'},
	{"Partnership", 'F'},
	{"Limited Liability Partnership", 'F'},
	{"Private Limited Company", 'C'},
	{"Public Limited Company", 'C'},
	{"Public Sector Undertaking", 'C'},
	{"Unlimited Company", 'C'},
	{"Foreign Company", 'C'},
	{"Hindu Undivided Family", 'H'},
	{"Society/ Club/ Trust/ AOP", 'A'},
	{"Trust", 'T'},
	{"Government Department", 'G'},
	{"Local Authority", 'L'},
	{"Statutory Body", 'J'},
}

// kinds are the types of registration.
var kinds = []string{"Regular", "Composition", "Casual Taxable Person", "Input Service Distributor", "Non Resident Taxable Person", "Tax Deductor", "Tax Collector"}

// Extract reads the certificate's fields.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	fd := document.NewFileData(document.TypeGSTCert)
	var lines []extract.Line
	for _, p := range pages {
		lines = append(lines, extract.Rows(p)...)
	}
	// The certificate ends where the annexures begin.
	if as := extract.FindLabels(lines, labelAnnexure, 0.85); len(as) > 0 {
		lines = lines[:as[0].Line]
	}
	if len(lines) == 0 {
		return nil, extract.Unreadable(document.TypeGSTCert)
	}
	t := table{lines: lines}

	gstin, hasGSTIN := t.gstin()
	if hasGSTIN {
		fd.Set("gst_number", gstin.field)
	}
	if f, ok := t.name(labelLegal); ok {
		fd.Set("legal_name", f)
	}
	if f, ok := t.name(labelTrade); ok {
		fd.Set("trade_name", f)
	}
	if f, ok := t.constitution(gstin, hasGSTIN); ok {
		fd.Set("constitution_of_business", f)
	}
	if a, ok := t.address(gstin, hasGSTIN); ok {
		fd.Set("address", a.field)
		fd.Set("formatted_address", document.Field{Value: formatted(a.elems), Confidence: a.field.Confidence, Page: a.field.Page, Box: a.field.Box})
	}
	if f, ok := t.date(labelLiability); ok {
		fd.Set("date_of_liability", f)
	}
	if f, ok := t.date(labelIssue); ok {
		fd.Set("date_of_issue", f)
	}
	if f, ok := t.kind(); ok {
		fd.Set("type_of_registration", f)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeGSTCert)
	}
	return fd, nil
}

// table is the certificate's rows, page 1 first, up to the annexures.
type table struct {
	lines []extract.Line
}

// find returns the best match of one of labels.
func (t table) find(labels []string) (extract.Match, bool) {
	return extract.FindLabel(t.lines, labels, minLabel)
}

// isRule reports a word that is a table's ruling read by OCR ("|", "[",
// "l" beside the value) or punctuation alone.
func isRule(w document.Word) bool {
	s := strings.TrimSpace(w.Text)
	if extract.Norm(s) == "" {
		return true
	}
	switch s {
	case "|", "||", "[", "]", "l", "I", "i", "!", "{", "}", "(", ")":
		return true
	}
	return false
}

// value returns the words of the label's row right of it, without the
// table's rulings at either end.
func (t table) value(m extract.Match) []document.Word {
	ws := extract.After(t.lines, m)
	for len(ws) > 0 && isRule(ws[0]) {
		ws = ws[1:]
	}
	for len(ws) > 0 && isRule(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// name reads a name or trade name: the run of words right of its label.
func (t table) name(labels []string) (document.Field, bool) {
	m, ok := t.find(labels)
	if !ok {
		return document.Field{}, false
	}
	ws := extract.Run(t.value(m), 3)
	if len(ws) == 0 {
		return document.Field{}, false
	}
	v := cleanText(ws)
	if v == "" {
		return document.Field{}, false
	}
	return extract.NewField(v, t.lines[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim}), true
}

// cleanText joins words, trimming the stray marks OCR hangs on a value's
// ends.
func cleanText(ws []document.Word) string {
	parts := make([]string, 0, len(ws))
	for _, w := range ws {
		if s := strings.Trim(w.Text, "|_:;'`\"‘’"); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.TrimRight(strings.Join(parts, " "), ",.")
}

// gstinRead is the certificate's GSTIN with what it says of the holder.
type gstinRead struct {
	value string
	field document.Field
}

// gstin reads the registration number: a token after its label that
// repairs to a GSTIN passing the check character, else any such token on
// the certificate. OCR may split it in two.
func (t table) gstin() (gstinRead, bool) {
	try := func(li int, ws []document.Word, label float64) (gstinRead, bool) {
		for i := range ws {
			raw := ""
			for k := i; k < len(ws) && k < i+3; k++ {
				raw += strings.Trim(ws[k].Text, ".,:;|'\"‘’`")
				if len(raw) < 15 {
					continue
				}
				if len(raw) > 16 {
					break
				}
				v, n, guessed, ok := repairGSTIN(strings.ToUpper(brackets.Replace(raw)))
				if !ok {
					break
				}
				check := validate.GSTIN(v)
				f := extract.NewField(v, t.lines[li].Page, extract.Evidence{Words: ws[i : k+1], Check: &check, Repaired: n, Label: label})
				if guessed {
					f.Confidence = min(f.Confidence, maxGuessed)
				}
				return gstinRead{value: v, field: f}, true
			}
		}
		return gstinRead{}, false
	}
	if m, ok := t.find(labelGSTIN); ok {
		if g, ok := try(m.Line, t.value(m), m.Sim); ok {
			return g, true
		}
	}
	// No label read: a token passing its check is the GSTIN by itself.
	for li, l := range t.lines {
		if g, ok := try(li, l.Words, 0.8); ok && g.field.Validation.Passed {
			return g, true
		}
	}
	return gstinRead{}, false
}

// repairGSTIN repairs a 15-character token to a GSTIN: OCR's letter and
// digit confusions by the shape, then, when the check character rejects
// that reading, swaps of look-alike digits until it passes. A reading
// found by swaps is a guess the check happens to accept (one in 36 wrong
// ones does), and so is a 16-character token passing without one of its
// characters (OCR doubles one, "0O8"): guessed says so.
func repairGSTIN(raw string) (v string, repaired int, guessed, ok bool) {
	if len(raw) == 15 {
		plain, n, shaped := validate.Repair(raw, validate.ShapeGSTIN)
		if shaped && validate.GSTIN(plain).Passed() {
			return plain, n, false, true
		}
		v, n, passed, ok := validate.RepairGSTIN(raw)
		return v, n, passed && v != plain, ok && (passed || n <= 2)
	}
	if len(raw) != 16 {
		return "", 0, false, false
	}
	best, bestN := "", -1
	for i := range raw {
		v, n, passed, ok := validate.RepairGSTIN(raw[:i] + raw[i+1:])
		if ok && passed && (bestN < 0 || n < bestN) {
			best, bestN = v, n
		}
	}
	return best, bestN + 1, true, bestN >= 0
}

// brackets maps what OCR reads for the letters J and C in a GSTIN, which
// validate.Repair does not know; the check character vouches for it.
var brackets = strings.NewReplacer(")", "J", "(", "C")

// maxGuessed is the most confidence a guessed GSTIN reading gets.
const maxGuessed = 0.75

// holderOK is the cross-check of a constitution with the GSTIN's PAN.
func holderOK(holder byte, g gstinRead) validate.Result {
	r := validate.Result{Rule: RuleHolderType, Soft: true}
	if g.value[5] != holder {
		r.Err = validate.ErrComponent
	}
	return r
}

// constitution reads the constitution of business, spelt as the portal
// spells it when the reading is close to one of its names.
func (t table) constitution(g gstinRead, hasGSTIN bool) (document.Field, bool) {
	m, ok := t.find(labelConstitution)
	if !ok {
		return document.Field{}, false
	}
	ws := extract.Run(t.value(m), 3)
	if len(ws) == 0 {
		return document.Field{}, false
	}
	read := cleanText(ws)
	best, bestSim := -1, 0.0
	for i, c := range constitutions {
		if s := extract.Similarity(read, c.name); s > bestSim {
			best, bestSim = i, s
		}
	}
	ev := extract.Evidence{Words: ws, Label: m.Sim}
	v := read
	if bestSim >= 0.8 {
		v = constitutions[best].name
		if bestSim < 1 {
			ev.Repaired = 1
		}
		if hasGSTIN && g.field.Validation.Passed {
			r := holderOK(constitutions[best].holder, g)
			ev.Check = &r
		}
	} else {
		ev.Repaired = 2 // not a constitution the portal prints
	}
	return extract.NewField(v, t.lines[m.Line].Page, ev), true
}

// kind reads the type of registration, spelt as the portal spells it.
func (t table) kind() (document.Field, bool) {
	m, ok := t.find(labelKind)
	if !ok {
		return document.Field{}, false
	}
	ws := extract.Run(t.value(m), 3)
	if len(ws) == 0 {
		return document.Field{}, false
	}
	read := cleanText(ws)
	best, bestSim := "", 0.0
	for _, k := range kinds {
		if s := extract.Similarity(read, k); s > bestSim {
			best, bestSim = k, s
		}
	}
	ev := extract.Evidence{Words: ws, Label: m.Sim}
	v := read
	if bestSim >= 0.75 {
		v = best
		if bestSim < 1 {
			ev.Repaired = 1
		}
	} else {
		ev.Repaired = 2
	}
	return extract.NewField(v, t.lines[m.Line].Page, ev), true
}

// date reads the first real date right of a label.
func (t table) date(labels []string) (document.Field, bool) {
	m, ok := t.find(labels)
	if !ok {
		return document.Field{}, false
	}
	start := m.Box.Max.X
	for _, d := range extract.FindDates(t.lines, m.Line) {
		if d.Words[0].Box.Min.X < start {
			continue
		}
		_, canon, r := validate.ParseDate(d.Value)
		if !r.Passed() {
			continue
		}
		return extract.NewField(canon, t.lines[m.Line].Page, extract.Evidence{Words: d.Words, Check: &r, Repaired: d.Repaired, Label: m.Sim}), true
	}
	return document.Field{}, false
}

// addressRead is the address as the API returns it and its elements.
type addressRead struct {
	field document.Field
	elems []string // elements, then state and PIN
}

// address reads the principal place of business: the label's row right of
// the label, then the rows below whose words all stand in the value
// column, up to the PIN code. Its state is checked against the GSTIN's
// state code, and its spelling repaired to that state's when close.
func (t table) address(g gstinRead, hasGSTIN bool) (addressRead, bool) {
	m, ok := t.find(labelAddress)
	if !ok {
		return addressRead{}, false
	}
	first := t.value(m)
	if len(first) == 0 {
		return addressRead{}, false
	}
	col := first[0].Box.Min.X - 2*max(first[0].Box.Dy(), 1)
	ws := append([]document.Word(nil), first...)
	page := t.lines[m.Line].Page
	for k := m.Line + 1; k < len(t.lines) && k <= m.Line+5 && !extract.EndsWithPIN(ws); k++ {
		l := t.lines[k]
		if l.Page != page {
			break
		}
		var in []document.Word
		newRow := false
		for _, w := range l.Words {
			switch {
			case w.Box.Min.X >= col:
				in = append(in, w)
			case !isRule(w):
				newRow = true // a label: the next row of the table
			}
		}
		if newRow {
			break
		}
		for len(in) > 0 && isRule(in[len(in)-1]) {
			in = in[:len(in)-1]
		}
		ws = append(ws, in...)
	}
	var kept []document.Word
	for _, w := range ws {
		if !isRule(w) || w.Text == "-" {
			kept = append(kept, w)
		}
	}
	elems, ok := splitAddress(extract.Text(kept))
	if !ok {
		return addressRead{}, false
	}
	ev := extract.Evidence{Words: kept, Label: m.Sim}
	if hasGSTIN && g.field.Validation.Passed {
		r, repaired := checkState(elems, g.value[:2])
		ev.Check = &r
		ev.Repaired = repaired
	}
	return addressRead{
		field: extract.NewField(strings.Join(elems, ", "), page, ev),
		elems: elems,
	}, true
}

// splitAddress splits the address text at its commas into elements and
// ends it with the state and the PIN code, which may share an element
// ("Maharashtra - 411001") when the comma between them is missing.
func splitAddress(text string) ([]string, bool) {
	var els []string
	for _, e := range strings.Split(strings.Join(strings.Fields(text), " "), ",") {
		if e = strings.Trim(e, " .;:"); e != "" {
			els = append(els, e)
		}
	}
	if len(els) < 3 {
		return nil, false
	}
	fs := strings.Fields(els[len(els)-1])
	if len(fs) == 0 {
		return nil, false // white space Trim does not know (NBSP)
	}
	pin, ok := extract.PIN(fs[len(fs)-1])
	if !ok {
		return nil, false
	}
	els = els[:len(els)-1]
	if state := strings.TrimSpace(strings.TrimRight(strings.Join(fs[:len(fs)-1], " "), "-–—~ ")); state != "" {
		els = append(els, state)
	}
	return append(els, pin), true
}

// checkState compares the address's state (the element before the PIN)
// with the GSTIN's state code. A state read close to the code's state is
// respelt as the code's (one repair); one that names another state, or
// none, fails the check.
func checkState(elems []string, code string) (validate.Result, int) {
	r := validate.Result{Rule: RuleStateCode, Soft: true}
	want, known := stateCodes[code]
	i := len(elems) - 2
	if !known || i < 0 {
		r.Err = validate.ErrComponent
		return r, 0
	}
	got := elems[i]
	if got == want {
		return r, 0
	}
	if extract.Similarity(got, want) >= 0.8 {
		elems[i] = want
		return r, 1
	}
	r.Err = validate.ErrComponent
	return r, 0
}

// formatted splits address elements into the API's formatted_address:
// postcode and state are the last two; the GST portal prints the city
// and then its district before the state, so the city is the element
// before the district when there are enough; the rest is halved into two
// lines.
func formatted(els []string) map[string]string {
	n := len(els)
	out := map[string]string{"postcode": els[n-1], "state": els[n-2]}
	rest := els[:n-2]
	switch {
	case len(rest) >= 4:
		out["city"] = rest[len(rest)-2]
		rest = rest[:len(rest)-2]
	case len(rest) >= 1:
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

// stateCodes are the GST state codes (the GSTIN's first two digits).
var stateCodes = map[string]string{
	"01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh",
	"05": "Uttarakhand", "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh",
	"10": "Bihar", "11": "Sikkim", "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur",
	"15": "Mizoram", "16": "Tripura", "17": "Meghalaya", "18": "Assam", "19": "West Bengal",
	"20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh", "23": "Madhya Pradesh", "24": "Gujarat",
	"26": "Dadra and Nagar Haveli and Daman and Diu", "27": "Maharashtra", "29": "Karnataka",
	"30": "Goa", "31": "Lakshadweep", "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry",
	"35": "Andaman and Nicobar Islands", "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh",
}
