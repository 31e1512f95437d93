// Package invoice reads the fields of an Indian GST tax invoice: the
// invoice number and date, the seller's name, address and GSTIN, the
// buyer's name and GSTIN, and the taxable amount, total tax and total
// amount. The seller heads the page under the title; the buyer follows a
// "Bill To" label; each amount is the last amount on its label's line. The
// amounts are checked against each other: taxable + tax = total.
package invoice

import (
	"errors"
	"fmt"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// RuleTaxArithmetic is the validation rule on total_amount: the taxable
// amount plus the total tax equals the total, within a rupee of rounding.
const RuleTaxArithmetic = "tax_arithmetic"

// ErrTaxMismatch is the tax_arithmetic failure.
var ErrTaxMismatch = errors.New("taxable amount plus tax does not equal the total")

// tolerance is how far, in paise, the sum may be off: invoices round
// each tax line and sometimes the total.
const tolerance = 100

// Extractor reads GST invoices. It has no state; New exists for symmetry
// with the other extractors.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns an invoice extractor.
func New() *Extractor { return &Extractor{} }

var (
	labelTitle    = []string{"TAX INVOICE", "INVOICE"}
	labelNumber   = []string{"Invoice No", "Invoice Number", "Bill No"}
	labelDate     = []string{"Invoice Date", "Dated"}
	labelBuyer    = []string{"Bill To", "Billed To", "Buyer", "Details of Receiver"}
	labelTaxable  = []string{"Taxable Amount", "Taxable Value"}
	labelTotalTax = []string{"Total Tax", "Total GST", "Total Tax Amount"}
	labelTotal    = []string{"Total Amount", "Grand Total", "Invoice Total"}
	labelTaxLines = []string{"CGST", "SGST", "IGST", "UTGST"}
)

const (
	minLabel  = 0.75
	minAmount = 0.8 // "Taxable Amount" and "Total Amount" are alike
)

// Extract reads the invoice fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypeInvoice)
	if f, ok := number(lines); ok {
		fd.Set("invoice_number", f)
	}
	if f, ok := date(lines); ok {
		fd.Set("invoice_date", f)
	}
	buyerLine := -1
	if m, ok := extract.FindLabel(lines, labelBuyer, minLabel); ok {
		buyerLine = m.Line
		if f, ok := nameNear(lines, m); ok {
			fd.Set("buyer_name", f)
		}
	}
	if m, ok := extract.FindLabel(lines, labelTitle, minLabel); ok {
		if f, ok := nameNear(lines, m); ok {
			fd.Set("seller_name", f)
			if a, ok := extract.Address(lines, []string{fmt.Sprint(f.Value)}); ok {
				a.Value = cleanAddress(fmt.Sprint(a.Value))
				fd.Set("seller_address", a)
			}
		}
	}
	seller, buyer := gstins(lines, buyerLine)
	if seller != nil {
		fd.Set("seller_gstin", *seller)
	}
	if buyer != nil {
		fd.Set("buyer_gstin", *buyer)
	}
	amounts(lines, fd)
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeInvoice)
	}
	return fd, nil
}

// number reads the first token with a digit after "Invoice No".
func number(lines []extract.Line) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labelNumber, minLabel) {
		for _, w := range extract.After(lines, m) {
			t := w.Text
			if i := strings.LastIndexByte(t, ':'); i >= 0 {
				t = t[i+1:]
			}
			t = strings.Trim(t, ".,;|'\"‘’`")
			// OCR reads the hyphen of "2024-25" as a dash.
			t = strings.NewReplacer("—", "-", "–", "-").Replace(t)
			if !strings.ContainsAny(t, "0123456789") {
				continue
			}
			return extract.NewField(t, lines[m.Line].Page, extract.Evidence{Words: []document.Word{w}, Label: m.Sim}), true
		}
	}
	return document.Field{}, false
}

// date reads the date on the "Invoice Date" line, else the page's first.
func date(lines []extract.Line) (document.Field, bool) {
	var pick *extract.Date
	sim := 0.7
	if m, ok := extract.FindLabel(lines, labelDate, minLabel); ok {
		if ds := extract.FindDates(lines, m.Line); len(ds) > 0 {
			pick, sim = &ds[0], m.Sim
		}
	}
	for li := 0; pick == nil && li < len(lines); li++ {
		if ds := extract.FindDates(lines, li); len(ds) > 0 {
			pick = &ds[0]
		}
	}
	if pick == nil {
		return document.Field{}, false
	}
	_, _, check := validate.ParseDate(pick.Value)
	return extract.NewField(pick.Value, lines[pick.Line].Page, extract.Evidence{
		Words: pick.Words, Check: &check, Repaired: pick.Repaired, Label: sim,
	}), true
}

// nameNear reads a party's name: after the label on its line ("Bill To:
// Name"), else the first name-like line of the next three under it.
func nameNear(lines []extract.Line, m extract.Match) (document.Field, bool) {
	if ws := extract.NameWords(extract.After(lines, m), false); len(extract.Norm(extract.CleanName(ws))) >= 3 {
		return partyName(lines, m.Line, ws, m.Sim), true
	}
	for k := m.Line + 1; k < len(lines) && k <= m.Line+3; k++ {
		if lines[k].Page != lines[m.Line].Page {
			break
		}
		ws := extract.NameWords(lines[k].Words, false)
		v := extract.CleanName(ws)
		if len(extract.Norm(v)) < 3 || strings.Contains(strings.ToUpper(v), "GSTIN") {
			continue
		}
		return partyName(lines, k, ws, m.Sim), true
	}
	return document.Field{}, false
}

// partyName is the field of a party's name read from words ws of line li.
// Its confidence is capped when the value does not look like a firm's
// name: a digit or a printed label in it means the party's own line was
// missed and the address line ("Plot No 98 Station Road") or a header
// line ("Invoice Date") under it was read instead; a low-confidence word
// beside it means it may be cut short.
func partyName(lines []extract.Line, li int, ws []document.Word, sim float64) document.Field {
	v := extract.CleanName(ws)
	f := extract.NewField(v, lines[li].Page, extract.Evidence{Words: ws, Label: sim})
	if notPartyName(v) {
		f.Confidence = min(f.Confidence, 0.5)
	}
	if extract.TruncatedName(lines[li].Words, ws) {
		f.Confidence = min(f.Confidence, extract.MaxTruncated)
	}
	return f
}

// notPartyName reports whether v has a digit or reads as one of the
// invoice's labels rather than a name.
func notPartyName(v string) bool {
	if strings.ContainsAny(v, "0123456789") {
		return true
	}
	for _, set := range [][]string{labelTitle, labelNumber, labelDate, labelBuyer, labelTaxable, labelTotalTax, labelTotal, {"GSTIN", "Address"}} {
		for _, l := range set {
			if extract.Similarity(v, l) >= 0.75 {
				return true
			}
		}
	}
	// An address line read for the name: its first words are a unit's.
	for _, p := range []string{"plot no", "shop no", "gala no", "unit no", "flat no", "door no", "house no", "office no"} {
		if strings.HasPrefix(strings.ToLower(v), p) {
			return true
		}
	}
	return false
}

// cleanAddress trims the quotes OCR reads from specks off each element.
func cleanAddress(s string) string {
	els := strings.Split(s, ", ")
	for i, e := range els {
		els[i] = strings.Trim(e, "‘’“”\"'`")
	}
	return strings.Join(els, ", ")
}

// gstin is a GSTIN read from the page.
type gstin struct {
	value    string
	words    []document.Word
	line     int
	repaired int
	check    validate.Result
}

// gstins finds the GSTINs on the page, one word or two adjacent ones
// (a "GSTIN:" prefix stripped), repaired towards a valid one. The seller's
// is the first above the buyer label, the buyer's the first below it;
// without the label, the first and second on the page.
func gstins(lines []extract.Line, buyerLine int) (seller, buyer *document.Field) {
	var found []gstin
	for li, l := range lines {
		for i := 0; i < len(l.Words); i++ {
			raw := ""
			for k := i; k < len(l.Words) && k < i+2; k++ {
				t := l.Words[k].Text
				if j := strings.LastIndexByte(t, ':'); j >= 0 {
					t = t[j+1:]
				}
				raw += strings.Trim(t, ".,;|'\"‘’`")
				if len(raw) != 15 {
					continue
				}
				fixed, pre := gstinSlips(raw)
				v, n, passed, ok := validate.RepairGSTIN(fixed)
				n += pre
				if !ok || (!passed && n > 2) {
					continue
				}
				found = append(found, gstin{v, l.Words[i : k+1], li, n, validate.GSTIN(v)})
				i = k
				break
			}
		}
	}
	field := func(g gstin) *document.Field {
		f := extract.NewField(g.value, lines[g.line].Page, extract.Evidence{Words: g.words, Check: &g.check, Repaired: g.repaired, Label: 1})
		return &f
	}
	var before, after []gstin
	for _, g := range found {
		if buyerLine >= 0 && g.line > buyerLine {
			after = append(after, g)
		} else {
			before = append(before, g)
		}
	}
	if buyerLine < 0 && len(before) > 1 {
		after = before[1:]
		before = before[:1]
	}
	if len(before) > 0 {
		seller = field(before[0])
	}
	if len(after) > 0 {
		buyer = field(after[0])
	}
	return seller, buyer
}

// gstinSlips undoes what validate's repair does not: the slashed zero of
// some fonts read as '@', a scanned E read as '€', and the fixed 'Z' (14th) read as '2'. It returns
// the token and the characters it changed.
func gstinSlips(raw string) (string, int) {
	n := strings.Count(raw, "€")
	b := []byte(strings.ReplaceAll(raw, "€", "E"))
	for i, c := range b {
		if c == '@' {
			b[i] = '0'
			n++
		}
	}
	if len(b) == 15 && b[13] == '2' {
		b[13] = 'Z'
		n++
	}
	return string(b), n
}

// amount is an amount read from its label's line.
type amount struct {
	paise int64
	words []document.Word
	line  int
	sim   float64
}

func (a amount) field(lines []extract.Line, check *validate.Result) document.Field {
	return extract.NewField(fmt.Sprintf("%d.%02d", a.paise/100, a.paise%100), lines[a.line].Page,
		extract.Evidence{Words: a.words, Check: check, Label: a.sim})
}

// lineAmount reads the last amount after the label m: one word, or two
// when OCR split it.
func lineAmount(lines []extract.Line, m extract.Match) (amount, bool) {
	ws := extract.After(lines, m)
	// A speck after the amount reads as a full stop: "106,375.36.".
	text := func(w document.Word) string { return strings.TrimRight(w.Text, ".,:;|'\"") }
	for i := len(ws) - 1; i >= 0; i-- {
		if p, ok := extract.ParseAmount(text(ws[i])); ok {
			return amount{p, ws[i : i+1], m.Line, m.Sim}, true
		}
		if i > 0 {
			if p, ok := extract.ParseAmount(ws[i-1].Text + text(ws[i])); ok {
				return amount{p, ws[i-1 : i+1], m.Line, m.Sim}, true
			}
		}
	}
	return amount{}, false
}

func labelAmount(lines []extract.Line, labels []string) (amount, bool) {
	m, ok := extract.FindLabel(lines, labels, minAmount)
	if !ok {
		return amount{}, false
	}
	return lineAmount(lines, m)
}

// amounts reads the taxable amount, total tax and total, and checks that
// the first two add up to the third.
func amounts(lines []extract.Line, fd *document.FileData) {
	taxable, okTaxable := labelAmount(lines, labelTaxable)
	tax, okTax := labelAmount(lines, labelTotalTax)
	if !okTax {
		// No "Total Tax" line: the sum of the CGST, SGST or IGST lines.
		for _, m := range extract.FindLabels(lines, labelTaxLines, 1) {
			if a, ok := lineAmount(lines, m); ok {
				tax.paise += a.paise
				tax.words = append(tax.words, a.words...)
				tax.line, tax.sim, okTax = a.line, 0.8, true
			}
		}
	}
	total, okTotal := labelAmount(lines, labelTotal)
	if okTaxable {
		fd.Set("taxable_amount", taxable.field(lines, nil))
	}
	if okTax {
		fd.Set("total_tax", tax.field(lines, nil))
	}
	if !okTotal {
		return
	}
	var check *validate.Result
	if okTaxable && okTax {
		r := validate.Result{Rule: RuleTaxArithmetic}
		if d := taxable.paise + tax.paise - total.paise; d > tolerance || d < -tolerance {
			r.Err = ErrTaxMismatch
		}
		check = &r
	}
	fd.Set("total_amount", total.field(lines, check))
}
