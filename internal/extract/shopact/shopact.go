// Package shopact reads the fields of shop-act licences: registrations
// under a state's Shops and Establishments Act (Maharashtra's Form F
// intimation receipt, Delhi's Form B and Karnataka's Form C certificates).
// They print one field per row, "label : value", the label in a left
// column: each line is given to the field whose label it starts with (a
// serial number may come first), and the value is what follows the label.
// The registration number is checked against its state's shape, the dates
// against the calendar and each other.
package shopact

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Validation rules of the registration number, one per state shape, and
// of the validity date.
const (
	// RuleMHNumber: Maharashtra, 16 digits starting with the state code
	// 27, or an older 9-digit number with its office ("/COMMERCIAL II").
	RuleMHNumber = "shopact_mh_number"
	// RuleDLNumber: Delhi, 13 digits, the first four the year of
	// registration.
	RuleDLNumber = "shopact_dl_number"
	// RuleKANumber: Karnataka, "OFFICE/CIRCLE/SA/SERIAL/YEAR", the year
	// that of registration.
	RuleKANumber = "shopact_ka_number"
	// RuleNumber is the failure of a number that fits no state's shape.
	RuleNumber = "shopact_number"
	// RuleValidity: valid_till is a real date after date_of_registration.
	RuleValidity = "valid_after_registration"
)

// Errors of the checks above.
var (
	ErrNumberShape = errors.New("registration number fits no known state format")
	ErrNumberYear  = errors.New("registration number's year is not the year of registration")
	ErrValidity    = errors.New("valid till is not after the date of registration")
	// ErrImplausibleDate: a real calendar date, but not one a licence can
	// carry (before 1948, or years ahead).
	ErrImplausibleDate = errors.New("date outside the years a licence can carry")
)

// Extractor reads shop-act licences. It has no state; New exists for
// symmetry with the other extractors.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a shop-act extractor.
func New() *Extractor { return &Extractor{} }

// label is a field's printed labels. Fields starting with "-" are rows
// read only so that their lines are not taken for another field's.
type label struct {
	field    string
	variants []string
}

var labels = []label{
	{"registration_number", []string{"Registration No", "Reg No", "Registration Number"}},
	{"establishment_name", []string{"Name of the Establishment", "Name of Establishment", "Name of Shop"}},
	{"employer_name", []string{"Name of Employer", "Name of the Employer", "Name of the Occupier/Owner", "Name of the Occupier"}},
	{"address", []string{"Postal address of the establishment", "Postal Address", "Address"}},
	{"nature_of_business", []string{"Nature of Business", "Category of Business"}},
	{"date_of_registration", []string{"Date of Registration", "Date of Issue", "Issued on"}},
	{"valid_till", []string{"Valid till", "Valid up to", "Valid upto"}},
	{"-commencement", []string{"Date of commencement"}},
	{"-workers", []string{"Total number of workers", "Number of Employees", "Number of workers"}},
}

// minLabel is how alike a line's start must be to a label.
const minLabel = 0.75

// row is a line given to a field: the label match and the value's words.
type row struct {
	m     extract.Match
	value []document.Word
}

// Extract reads the shop-act fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	rows := assign(lines)
	fd := document.NewFileData(document.TypeShopAct)
	page := func(r row) int { return lines[r.m.Line].Page }

	var regDate time.Time
	if r, ok := rows["date_of_registration"]; ok {
		if f, t, ok := dateField(lines, r, nil); ok {
			fd.Set("date_of_registration", f)
			regDate = t
		}
	}
	if r, ok := rows["valid_till"]; ok {
		var after *time.Time
		if !regDate.IsZero() {
			after = &regDate
		}
		if f, _, ok := dateField(lines, r, after); ok {
			fd.Set("valid_till", f)
		}
	}
	if r, ok := rows["registration_number"]; ok {
		if v, n, check, ok := number(r.value, regDate); ok {
			fd.Set("registration_number", extract.NewField(v, page(r), extract.Evidence{Words: r.value, Check: &check, Repaired: n, Label: r.m.Sim}))
			if errors.Is(check.Err, ErrNumberYear) {
				// The number and the date disagree on the year: either
				// may be the misread one.
				if f, ok := fd.Get("date_of_registration"); ok {
					f.Confidence = min(f.Confidence, 0.7)
					fd.Set("date_of_registration", f)
				}
			}
		}
	}
	for _, k := range []string{"establishment_name", "employer_name"} {
		r, ok := rows[k]
		if !ok {
			continue
		}
		ws := nameWords(r.value)
		if v := fold(extract.CleanName(ws)); len(extract.Norm(v)) >= 3 {
			fd.Set(k, textField(v, page(r), extract.Evidence{Words: ws, Label: r.m.Sim}))
		}
	}
	if r, ok := rows["nature_of_business"]; ok {
		ws := trimScraps(extract.Run(r.value, 3))
		if v := strings.Trim(fold(extract.Text(ws)), " .,;:|'\"‘’-—–_~*"); len(extract.Norm(v)) >= 3 {
			fd.Set("nature_of_business", textField(v, page(r), extract.Evidence{Words: ws, Label: r.m.Sim}))
		}
	}
	if r, ok := rows["address"]; ok {
		if f, ok := address(lines, r, rows); ok {
			fd.Set("address", f)
		}
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeShopAct)
	}
	return fd, nil
}

// assign gives each line whose start matches a label to that label's
// field (the best-matching field when several match), and each field its
// best-matching line. Words before the label may only be a serial number
// ("4.", "(a)"): a label inside a sentence, as in the Act's title, is not
// a row.
func assign(lines []extract.Line) map[string]row {
	type cand struct {
		field string
		m     extract.Match
	}
	best := map[int]cand{}
	for _, lb := range labels {
		for _, m := range extract.FindLabels(lines, lb.variants, minLabel) {
			if !serialOnly(lines[m.Line].Words[:m.Start]) {
				continue
			}
			if c, ok := best[m.Line]; !ok || m.Sim > c.m.Sim {
				best[m.Line] = cand{lb.field, m}
			}
		}
	}
	out := map[string]row{}
	for li, c := range best {
		v := valueWords(extract.After(lines, c.m))
		if len(v) == 0 {
			continue
		}
		if r, ok := out[c.field]; ok && (r.m.Sim > c.m.Sim || (r.m.Sim == c.m.Sim && r.m.Line < li)) {
			continue
		}
		out[c.field] = row{c.m, v}
	}
	return out
}

// trimScraps drops lower-case words of three letters or fewer read with
// low confidence from both ends: specks' readings ("aus Stationery
// Shop"); an abbreviation ("IT Services") is upper case.
func trimScraps(ws []document.Word) []document.Word {
	scrap := func(w document.Word) bool {
		return len(extract.Norm(w.Text)) <= 3 && w.Conf < 0.4 && strings.ToUpper(w.Text) != w.Text
	}
	for len(ws) > 0 && scrap(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	for len(ws) > 0 && scrap(ws[0]) {
		ws = ws[1:]
	}
	return ws
}

// textField is extract.NewField for free text (names, addresses), which
// no check can vouch for: a field with a word OCR was less than sure of
// stays under 0.9, as a misread letter in a name ("Mathotra") often comes
// with a confidence only a little lower than its neighbours'.
func textField(v string, page int, e extract.Evidence) document.Field {
	f := extract.NewField(v, page, e)
	if extract.MinConf(e.Words) < minTextConf {
		f.Confidence = min(f.Confidence, 0.85)
	}
	return f
}

// minTextConf is the OCR confidence every word of a free-text field
// needs for the field to reach 0.9.
const minTextConf = 0.9

func serialOnly(ws []document.Word) bool {
	for _, w := range ws {
		// A longer word read with low confidence is a speck's reading.
		if len(extract.Norm(w.Text)) > 2 && w.Conf >= 0.5 {
			return false
		}
	}
	return true
}

// valueWords drops what OCR makes of colons, rules and specks: words with
// no letter or digit (except the dash of "State - PIN" and "Retail -
// Grocery"), and one- or two-character words read with low confidence
// standing apart from the value ("i MN/36/SA/0731/2018"; the "IT" of "IT
// Services" stays). Quotes OCR hangs on words' ends are trimmed.
func valueWords(ws []document.Word) []document.Word {
	var kept []document.Word
	for _, w := range ws {
		w.Text = strings.Trim(w.Text, quotes)
		if extract.Norm(w.Text) == "" && !isDash(w.Text) {
			continue
		}
		kept = append(kept, w)
	}
	var out []document.Word
	for i, w := range kept {
		n := len([]rune(extract.Norm(w.Text)))
		if n > 0 && n <= 2 && w.Conf < 0.5 && isolated(kept, i) {
			continue
		}
		out = append(out, w)
	}
	for len(out) > 0 && isDash(out[0].Text) {
		out = out[1:]
	}
	for len(out) > 0 && isDash(out[len(out)-1].Text) {
		out = out[:len(out)-1]
	}
	return out
}

// isolated reports whether ws[i] is further than a word height from both
// of its neighbours: a speck, not a word of the value.
func isolated(ws []document.Word, i int) bool {
	h := max(ws[i].Box.Dy(), 1)
	if i > 0 && ws[i].Box.Min.X-ws[i-1].Box.Max.X <= h {
		return false
	}
	if i+1 < len(ws) && ws[i+1].Box.Min.X-ws[i].Box.Max.X <= h {
		return false
	}
	return true
}

const quotes = "‘’“”\"'`"

// nameWords keeps a name's words: the value's words without those at
// either end that are not name-like, or are scraps (two letters or fewer
// read with low confidence, or lower case beside an upper-case name).
// Unlike extract.NameWords it keeps a longer name-like word OCR read with
// low confidence: the value is right more often than not, and the low
// confidence says it is doubtful.
func nameWords(ws []document.Word) []document.Word {
	ws = extract.Run(ws, 3)
	upper := 0
	for _, w := range ws {
		if strings.ToUpper(w.Text) == w.Text {
			upper++
		}
	}
	scrap := func(w document.Word) bool {
		if !extract.NameLike(w.Text) {
			return true
		}
		if len(extract.Norm(w.Text)) <= 2 && w.Conf < 0.5 {
			return true
		}
		// Most words upper case: a lower-case end word is a speck's reading.
		return 2*upper > len(ws) && strings.ToUpper(w.Text) != w.Text && w.Conf < 0.7
	}
	for len(ws) > 0 && scrap(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	for len(ws) > 0 && scrap(ws[0]) {
		ws = ws[1:]
	}
	return ws
}

func isDash(s string) bool { return s == "-" || s == "—" || s == "–" }

// dateField reads the first date on a row. With after set, the date must
// also come after it (a validity after registration).
func dateField(lines []extract.Line, r row, after *time.Time) (document.Field, time.Time, bool) {
	ds := extract.FindDates(lines, r.m.Line)
	if len(ds) == 0 {
		return document.Field{}, time.Time{}, false
	}
	d := ds[0]
	t, _, check := validate.ParseDate(d.Value)
	// A year OCR misread ("2622") is still a calendar date: registrations
	// are after the first Act (1948) and not in the future.
	if check.Passed() && (t.Year() < 1948 || t.After(time.Now().AddDate(1, 0, 0))) {
		check.Err = ErrImplausibleDate
	}
	if after != nil && check.Passed() {
		check.Rule = RuleValidity
		if !t.After(*after) {
			check.Err = ErrValidity
		}
	}
	f := extract.NewField(d.Value, lines[r.m.Line].Page, extract.Evidence{Words: d.Words, Check: &check, Repaired: d.Repaired, Label: r.m.Sim})
	if !check.Passed() {
		t = time.Time{}
	}
	return f, t, true
}

var (
	reKA         = regexp.MustCompile(`^[A-Z]{2}/\d{2}/[A-Z]{2}/\d{4}/(\d{4})$`)
	reMHOffice   = regexp.MustCompile(`^COMMERCIAL(I{1,3})$`)
	shapeKA      = "AA/99/AA/9999/9999"
	shapeDigits  = func(n int) string { return strings.Repeat("9", n) }
	numberStrip  = ".,:;|'\"‘’`"
	officeRepair = strings.NewReplacer("1", "I", "L", "I", "|", "I", "!", "I", "T", "I")
)

// number reads the registration number from its row's words (spaces
// removed, upper case), repaired and checked against the state shape it
// fits. regDate, when known, must have the year the number carries.
func number(ws []document.Word, regDate time.Time) (string, int, validate.Result, bool) {
	v, n, check, ok := numberShape(ws, regDate)
	return v, n + slips(ws), check, ok
}

func slips(ws []document.Word) int {
	n := 0
	for _, w := range ws {
		n += strings.Count(w.Text, "@")
	}
	return n
}

func numberShape(ws []document.Word, regDate time.Time) (string, int, validate.Result, bool) {
	raw := ""
	for _, w := range extract.Run(ws, 3) {
		raw += w.Text
	}
	if i := strings.LastIndexByte(raw, ':'); i >= 0 {
		raw = raw[i+1:]
	}
	raw = strings.ToUpper(strings.Trim(raw, numberStrip))
	raw = strings.TrimRight(strings.NewReplacer("—", "-", "–", "-").Replace(raw), "-")
	// Some fonts' slashed zero reads as '@', which Repair does not know.
	raw = strings.ReplaceAll(raw, "@", "0")
	if len(extract.Norm(raw)) < 6 {
		return "", 0, validate.Result{}, false
	}
	year := func(rule, y string) validate.Result {
		r := validate.Result{Rule: rule}
		if !regDate.IsZero() && y != strconv.Itoa(regDate.Year()) {
			r.Err = ErrNumberYear
		}
		return r
	}
	switch {
	case strings.Count(raw, "/") == 4:
		// A speck after the number reads as letters glued to it
		// ("2023FON"): they count as repairs.
		extra := 0
		if rs := []rune(raw); len(rs) > len(shapeKA) {
			extra = len(rs) - len(shapeKA)
			raw = string(rs[:len(shapeKA)])
		}
		if v, n, ok := validate.Repair(raw, shapeKA); ok && reKA.MatchString(v) {
			return v, n + extra, year(RuleKANumber, v[len(v)-4:]), true
		}
	case strings.Count(raw, "/") == 1:
		left, right, _ := strings.Cut(raw, "/")
		if v, n, ok := validate.Repair(left, shapeDigits(9)); ok {
			off := right
			if strings.HasPrefix(off, "COMMERCIAL") {
				fixed := "COMMERCIAL" + officeRepair.Replace(off[len("COMMERCIAL"):])
				n += countDiff(off, fixed)
				off = fixed
			}
			if reMHOffice.MatchString(off) {
				return v + "/" + off, n, validate.Result{Rule: RuleMHNumber}, true
			}
		}
	case len(raw) == 16:
		if v, n, ok := validate.Repair(raw, shapeDigits(16)); ok && strings.HasPrefix(v, "27") {
			return v, n, validate.Result{Rule: RuleMHNumber}, true
		}
	case len(raw) == 13:
		if v, n, ok := validate.Repair(raw, shapeDigits(13)); ok {
			if y, _ := strconv.Atoi(v[:4]); y >= 1990 && y <= 2040 {
				return v, n, year(RuleDLNumber, v[:4]), true
			}
		}
	}
	return raw, 0, validate.Result{Rule: RuleNumber, Err: ErrNumberShape}, true
}

func countDiff(a, b string) int {
	n := 0
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// address reads the address row: the words after its label, then the
// value column of the lines under it, up to the line ending with the PIN
// code. A line that is another field's row ends it.
func address(lines []extract.Line, r row, rows map[string]row) (document.Field, bool) {
	taken := map[int]bool{}
	for _, o := range rows {
		taken[o.m.Line] = true
	}
	first := cutAtPIN(r.value)
	ws := append([]document.Word(nil), first...)
	parts := []string{extract.Text(first)}
	done := extract.EndsWithPIN(first)
	// OCR starts a line early on a quote or speck before it.
	left := r.value[0].Box.Min.X - 3*r.value[0].Box.Dy()
	for k := r.m.Line + 1; !done && k < len(lines) && k <= r.m.Line+4; k++ {
		if taken[k] || lines[k].Page != lines[r.m.Line].Page {
			break
		}
		var col []document.Word
		for _, w := range lines[k].Words {
			if w.Box.Min.X >= left {
				col = append(col, w)
			}
		}
		col = cutAtPIN(valueWords(col))
		if len(col) == 0 {
			continue
		}
		ws = append(ws, col...)
		parts = append(parts, extract.Text(col))
		done = extract.EndsWithPIN(col)
	}
	if !done {
		return document.Field{}, false
	}
	v, ok := joinAddress(parts)
	if !ok {
		return document.Field{}, false
	}
	return textField(v, lines[r.m.Line].Page, extract.Evidence{Words: ws, Label: r.m.Sim}), true
}

// cutAtPIN drops what follows a PIN code on a line: scraps of specks.
func cutAtPIN(ws []document.Word) []document.Word {
	for i, w := range ws {
		if _, ok := extract.PIN(w.Text); ok {
			return ws[:i+1]
		}
	}
	return ws
}

// joinAddress splits the address text at its commas into elements, the
// closing "State - PIN" into state and PIN, and joins them with ", ". It
// is extract's private joinAddress, copied: that one is not exported.
func joinAddress(parts []string) (string, bool) {
	// OCR reads a comma as a semicolon, and an e as an é.
	text := strings.Join(strings.Fields(fold(strings.ReplaceAll(strings.Join(parts, " "), ";", ","))), " ")
	var els []string
	for _, e := range strings.Split(text, ",") {
		if e = strings.Trim(e, " .;:‘’“”\"'`*_~-–—"); e != "" {
			els = append(els, e)
		}
	}
	if len(els) < 2 {
		return "", false
	}
	fs := strings.Fields(els[len(els)-1])
	p, ok := extract.PIN(fs[len(fs)-1])
	if !ok {
		return "", false
	}
	state := canonicalState(strings.TrimSpace(strings.TrimRight(strings.Join(fs[:len(fs)-1], " "), "-–—~ ")))
	els = els[:len(els)-1]
	if state != "" {
		// A city named like its state (Delhi, Delhi) is misread alike.
		if k := len(els) - 1; k >= 0 && els[k] != state && extract.Similarity(els[k], state) >= 0.75 {
			els[k] = state
		}
		els = append(els, state)
	}
	return strings.Join(append(els, p), ", "), true
}

// fold replaces the accented letters OCR reads for plain ones.
var fold = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "É", "E", "á", "a", "à", "a", "â", "a", "í", "i", "ó", "o", "ö", "o", "ú", "u", "ü", "u").Replace

// states are the names an address's state element is repaired to.
var states = []string{
	"Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa", "Gujarat",
	"Haryana", "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala", "Madhya Pradesh",
	"Maharashtra", "Manipur", "Meghalaya", "Mizoram", "Nagaland", "Odisha", "Punjab",
	"Rajasthan", "Sikkim", "Tamil Nadu", "Telangana", "Tripura", "Uttar Pradesh",
	"Uttarakhand", "West Bengal", "Delhi", "Jammu and Kashmir", "Chandigarh", "Puducherry",
}

// canonicalState repairs a state name OCR misread by a letter or two
// ("Dethi") to the state it is most like, when it is clearly one.
func canonicalState(s string) string {
	best, sim := s, 0.0
	for _, st := range states {
		if v := extract.Similarity(s, st); v > sim {
			best, sim = st, v
		}
	}
	if sim >= 0.75 {
		return best
	}
	return s
}
