// Package udyam reads the fields of Udyam registration certificates (MSME),
// as printed from udyamregistration.gov.in: the Udyam number, the names of
// the enterprise and its owner, the official address, the enterprise type
// of the latest classification year and the date of Udyam registration.
//
// The certificate is a two-column table: labels left, values right. OCR
// does not always put a label and its value on one line (their fonts
// differ), so a value is read from the band of words level with its label
// rather than from the label's line. The address is a sub-table of
// label/value pairs, two pairs a row; the type of enterprise a sub-table of
// classification years.
package udyam

import (
	"errors"
	"fmt"
	"image"
	"slices"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// RulePINState is the validation rule on address: the PIN code's first
// digit is the postal zone of the printed state.
const RulePINState = "pin_state"

// RuleUnitName is the validation rule on enterprise_name: the "Name of
// Unit(s)" table repeats the name (without "M/S"), a second reading of it.
const RuleUnitName = "unit_name_match"

// Errors of the checks this package adds to validate's.
var (
	// ErrBeforeUdyam: Udyam registration opened on 1 July 2020; an
	// earlier date of registration is a misread.
	ErrBeforeUdyam = errors.New("date before Udyam registration opened")
	// ErrStateCode: the number's two letters are no state's Udyam code.
	ErrStateCode = errors.New("unknown Udyam state code")
	// ErrUnitName: the unit table reads another name.
	ErrUnitName = errors.New("name differs from the unit table's")
	// ErrPINZone: the PIN code belongs to another state.
	ErrPINZone = errors.New("PIN code outside the state's postal zone")
)

// udyamStart is the day Udyam registration opened.
var udyamStart = time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC)

// Extractor reads Udyam registration certificates. It has no state; New
// exists for symmetry with the other extractors.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns an Udyam certificate extractor.
func New() *Extractor { return &Extractor{} }

// The certificate's row labels, old (2020-21) and newer wording alike:
// Norm ignores case and punctuation.
const (
	keyNumber = iota
	keyEnterprise
	keyKind
	keyActivity
	keySocial
	keyOwner
	keyUnits
	keyAddress
	keyIncorporation
	keyCommencement
	keyNIC
	keyRegistration
	numKeys
)

var rowLabels = [numKeys][]string{
	keyNumber:        {"UDYAM REGISTRATION NUMBER"},
	keyEnterprise:    {"NAME OF ENTERPRISE"},
	keyKind:          {"TYPE OF ENTERPRISE"},
	keyActivity:      {"MAJOR ACTIVITY"},
	keySocial:        {"SOCIAL CATEGORY OF ENTREPRENEUR"},
	keyOwner:         {"NAME OF ENTREPRENEUR", "OWNER NAME", "NAME OF OWNER"},
	keyUnits:         {"NAME OF UNIT(S)"},
	keyAddress:       {"OFFICIAL ADDRESS OF ENTERPRISE"},
	keyIncorporation: {"DATE OF INCORPORATION / REGISTRATION OF", "DATE OF INCORPORATION"},
	keyCommencement:  {"DATE OF COMMENCEMENT OF", "DATE OF COMMENCEMENT OF PRODUCTION/BUSINESS"},
	keyNIC:           {"NATIONAL INDUSTRY CLASSIFICATION CODE(S)"},
	keyRegistration:  {"DATE OF UDYAM REGISTRATION"},
}

// minLabel is how alike a row label must read. "NAME OF ENTERPRISE" and
// "NAME OF ENTREPRENEUR" are 0.7 alike: a line goes to its best label only.
const minLabel = 0.78

// Extract reads the certificate fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypeUdyamCert)
	rows := findRows(lines)

	addr, addrState, okAddr := address(lines, rows)
	if okAddr {
		fd.Set("address", addr)
	}
	if f, ok := number(lines, addrState); ok {
		fd.Set("udyam_number", f)
	}
	if m, ok := rows[keyEnterprise]; ok {
		if f, ok := nameValue(lines, m); ok {
			fd.Set("enterprise_name", unitCheck(lines, rows, f))
		}
	}
	if m, ok := rows[keyOwner]; ok {
		if f, ok := nameValue(lines, m); ok {
			fd.Set("owner_name", f)
		}
	}
	if f, ok := kind(lines, rows); ok {
		fd.Set("type_of_enterprise", f)
	}
	if m, ok := rows[keyRegistration]; ok {
		if f, ok := registrationDate(lines, m); ok {
			fd.Set("date_of_registration", f)
		}
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeUdyamCert)
	}
	return fd, nil
}

// findRows finds each row label: a line is given to the label it matches
// best, and each label keeps its best line.
func findRows(lines []extract.Line) map[int]extract.Match {
	out := map[int]extract.Match{}
	for li := range lines {
		one := lines[li : li+1]
		bestKey, best := -1, extract.Match{Sim: -1}
		for k, vs := range rowLabels {
			if m, ok := extract.FindLabel(one, vs, minLabel); ok && m.Sim > best.Sim {
				bestKey, best = k, m
			}
		}
		if bestKey < 0 {
			continue
		}
		best.Line = li
		if cur, ok := out[bestKey]; !ok || best.Sim > cur.Sim {
			out[bestKey] = best
		}
	}
	return out
}

// band returns the words of m's page level with box (their vertical
// centres within the box's height, widened by slack heights) and right of
// it, left to right, without the words of exclude.
func band(lines []extract.Line, page int, box image.Rectangle, slack float64, exclude map[document.Word]bool) []document.Word {
	h := max(box.Dy(), 8)
	mid0 := (box.Min.Y + box.Max.Y) / 2
	lo, hi := mid0-h/2-int(slack*float64(h)), mid0+h/2+int(slack*float64(h))
	var out []document.Word
	slope := skew(lines, page)
	cx := (box.Min.X + box.Max.X) / 2
	for _, l := range lines {
		if l.Page != page {
			continue
		}
		for _, w := range l.Words {
			// The row runs along the page's skew.
			mid := (w.Box.Min.Y+w.Box.Max.Y)/2 - int(slope*float64((w.Box.Min.X+w.Box.Max.X)/2-cx))
			if mid < lo || mid > hi || w.Box.Min.X < box.Max.X-2 || exclude[w] {
				continue
			}
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b document.Word) int { return a.Box.Min.X - b.Box.Min.X })
	return out
}

// refBox is the label's box with the height of its flattest word: OCR
// gives some words boxes three times the text's height, which would make
// a band take in the rows above and below.
func refBox(lines []extract.Line, m extract.Match) image.Rectangle {
	b := m.Box
	h := 1 << 30
	mid := 0
	for _, w := range lines[m.Line].Words[m.Start:m.End] {
		if w.Box.Dy() < h {
			h, mid = w.Box.Dy(), (w.Box.Min.Y+w.Box.Max.Y)/2
		}
	}
	if h < 1<<30 {
		b.Min.Y, b.Max.Y = mid-h/2, mid-h/2+h
	}
	return b
}

// rowValue returns the words of m's row value: those after the label on
// its OCR line (OCR follows a skewed row better than a band does), else,
// when OCR put the value on a line of its own, the band level with the
// label.
func rowValue(lines []extract.Line, m extract.Match) []document.Word {
	if ws := value(extract.After(lines, m)); len(ws) > 0 {
		return ws
	}
	return value(band(lines, lines[m.Line].Page, refBox(lines, m), 0.9, labelWords(lines, m)))
}

// labelWords are the words of a match, to leave out of its band.
func labelWords(lines []extract.Line, m extract.Match) map[document.Word]bool {
	out := map[document.Word]bool{}
	for _, w := range lines[m.Line].Words[m.Start:m.End] {
		out[w] = true
	}
	return out
}

// value trims what OCR makes of rules and specks at both ends of a value.
func value(ws []document.Word) []document.Word {
	junk := func(w document.Word) bool {
		n := len([]rune(extract.Norm(w.Text)))
		return n == 0 || (n == 1 && w.Conf < 0.5 && !strings.ContainsAny(w.Text, "0123456789"))
	}
	for len(ws) > 0 && junk(ws[0]) {
		ws = ws[1:]
	}
	for len(ws) > 0 && junk(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// cleanText joins value words, trimming the punctuation OCR hangs on the
// ends of the value.
func cleanText(ws []document.Word) string {
	return strings.Trim(strings.Join(strings.Fields(extract.Text(ws)), " "), " .,:;|'‘’“”«»`\"_~")
}

// nameValue reads the enterprise's or owner's name right of its label: the
// first run of words (a wide gap starts another column).
func nameValue(lines []extract.Line, m extract.Match) (document.Field, bool) {
	ws := value(extract.Run(rowValue(lines, m), 3))
	v := cleanText(ws)
	if i := strings.IndexByte(v, ':'); i >= 0 && i < 2 {
		v = strings.TrimSpace(v[i+1:])
	}
	if len(extract.Norm(v)) < 3 {
		return document.Field{}, false
	}
	v, fix := upperSlips(v)
	// "M/S" (messrs) read as "MIS" or "M/s".
	if first, rest, ok := strings.Cut(v, " "); ok && rest != "" && first != "M/S" && first != "m/s" {
		if n := extract.Norm(first); n == "MIS" || n == "MS" || n == "M5" {
			v, fix = "M/S "+rest, fix+1
		}
	}
	return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim, Repaired: fix}), true
}

// registrationDate reads the date right of "Date of Udyam Registration".
// Only that row's band is read: the incorporation, commencement,
// classification and printing dates are elsewhere on the page.
func registrationDate(lines []extract.Line, m extract.Match) (document.Field, bool) {
	ws := slices.Clone(rowValue(lines, m))
	for i := range ws {
		// Specks read as « or = stick to the date.
		ws[i].Text = strings.TrimFunc(ws[i].Text, func(r rune) bool {
			return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '/')
		})
	}
	ds := extract.FindDates([]extract.Line{{Line: document.Line{Words: ws}, Page: lines[m.Line].Page}}, 0)
	if len(ds) == 0 {
		return document.Field{}, false
	}
	d := ds[0]
	t, _, check := validate.ParseDate(d.Value)
	if check.Passed() && (t.Before(udyamStart) || t.After(time.Now())) {
		check = validate.Result{Rule: validate.RuleDate, Err: ErrBeforeUdyam}
	}
	return extract.NewField(d.Value, lines[m.Line].Page, extract.Evidence{
		Words: d.Words, Check: &check, Repaired: d.Repaired, Label: m.Sim,
	}), true
}

// unitCheck compares the enterprise name with the unit table's first row
// (under "Name of Unit(s)", above the address). A match is reported, not
// rewarded: both readings may share a misread. A mismatch is a soft
// failure, as either reading may be the wrong one.
func unitCheck(lines []extract.Line, rows map[int]extract.Match, f document.Field) document.Field {
	mu, ok := rows[keyUnits]
	if !ok {
		return f
	}
	hi := 1 << 30
	if ma, ok := rows[keyAddress]; ok {
		hi = ma.Box.Min.Y
	}
	name := extract.Norm(strings.TrimPrefix(strings.ToUpper(fmt.Sprint(f.Value)), "M/S "))
	best := 0.0
	for li := mu.Line + 1; li < len(lines) && lines[li].Box.Min.Y < hi; li++ {
		ws := value(lines[li].Words)
		if len(ws) > 0 && extract.Norm(ws[0].Text) == "1" {
			ws = ws[1:]
		}
		if len(ws) == 0 {
			continue
		}
		best = max(best, extract.Similarity(extract.Text(ws), name))
	}
	if best == 0 {
		return f
	}
	r := validate.Result{Rule: RuleUnitName}
	if best < 1 {
		r.Err, r.Soft = ErrUnitName, true
		f.Confidence = min(f.Confidence, 0.7)
	}
	f.Validation = r.Validation()
	return f
}

// skew estimates the page's slope (dy/dx) from its OCR lines: OCR follows
// a skewed line, so the centres of a long line's words rise or fall along
// it. Words with boxes taller than the page's usual are left out: OCR
// inflates some boxes to the whole row. It is the median over lines.
func skew(lines []extract.Line, page int) float64 {
	var hs []int
	for _, l := range lines {
		if l.Page == page {
			for _, w := range l.Words {
				if len(extract.Norm(w.Text)) >= 3 {
					hs = append(hs, w.Box.Dy())
				}
			}
		}
	}
	if len(hs) == 0 {
		return 0
	}
	slices.Sort(hs)
	maxH := hs[len(hs)/2] * 13 / 10
	var slopes []float64
	for _, l := range lines {
		if l.Page != page {
			continue
		}
		var xs, ys []float64
		for _, w := range l.Words {
			if len(extract.Norm(w.Text)) >= 3 && w.Box.Dy() <= maxH {
				xs = append(xs, float64(w.Box.Min.X+w.Box.Max.X)/2)
				ys = append(ys, float64(w.Box.Min.Y+w.Box.Max.Y)/2)
			}
		}
		if len(xs) < 3 || xs[len(xs)-1]-xs[0] < 200 {
			continue
		}
		var mx, my float64
		for i := range xs {
			mx += xs[i]
			my += ys[i]
		}
		mx /= float64(len(xs))
		my /= float64(len(ys))
		var sxy, sxx float64
		for i := range xs {
			sxy += (xs[i] - mx) * (ys[i] - my)
			sxx += (xs[i] - mx) * (xs[i] - mx)
		}
		slopes = append(slopes, sxy/sxx)
	}
	if len(slopes) == 0 {
		return 0
	}
	slices.Sort(slopes)
	return slopes[len(slopes)/2]
}

// upperSlips upper-cases the letters OCR reads in lower case in a name
// printed in capitals ("BHASKAR GoGoI"): o, c, s, v, w, x, z look alike in
// both cases. It applies when capitals outnumber small letters three to one, and returns the
// name and the letters changed.
func upperSlips(v string) (string, int) {
	words := strings.Fields(v)
	upper, lower := 0, 0
	for _, r := range v {
		switch {
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= 'a' && r <= 'z':
			lower++
		}
	}
	if upper < 3*lower {
		return v, 0
	}
	n := 0
	for i, w := range words {
		if strings.ToUpper(w) == w {
			continue
		}
		lower := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' && !strings.ContainsRune("ocsvwxz", r) {
				return -1
			}
			return r
		}, w)
		if lower != w {
			continue // a real lower-case letter: leave the word alone
		}
		for _, r := range w {
			if r >= 'a' && r <= 'z' {
				n++
			}
		}
		words[i] = strings.ToUpper(w)
	}
	if n == 0 {
		return v, 0
	}
	return strings.Join(words, " "), n
}
