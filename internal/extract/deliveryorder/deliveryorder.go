// Package deliveryorder reads the fields of vehicle and consumer-durable
// delivery orders: the letter a dealer sends a financier asking it to pay
// for what its customer takes on loan. The dealer heads the page on its
// letterhead (name, address, GSTIN) and signs "For <dealer>"; the DO
// number, date, customer, product and model follow their labels; the
// amounts are the last amount on their label's line, in a table or a
// label-value list. The invoice amount must equal the loan amount plus the
// down payment: agreement vouches for all three, disagreement caps them.
package deliveryorder

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// RuleAmounts is the validation rule on invoice_amount, loan_amount and
// down_payment: the loan plus the down payment equals the invoice amount,
// within a rupee of rounding.
const RuleAmounts = "loan_plus_down_payment"

// ErrAmountMismatch is the loan_plus_down_payment failure.
var ErrAmountMismatch = errors.New("loan amount plus down payment does not equal the invoice amount")

// tolerance is how far, in paise, the sum may be off.
const tolerance = 100

// Extractor reads delivery orders. It has no state; New exists for
// symmetry with the other extractors.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a delivery order extractor.
func New() *Extractor { return &Extractor{} }

var (
	labelNumber   = []string{"DO No", "D.O. No", "D0 No", "DO Number", "Delivery Order No", "DO Ref No"}
	labelDate     = []string{"Date", "Dated", "DO Date"}
	labelCustomer = []string{"Customer Name", "Name of Customer", "Customer", "Borrower Name", "Applicant Name"}
	labelProduct  = []string{"Product", "Asset", "Product Category", "Vehicle Type", "Asset Category"}
	labelModel    = []string{"Make / Model", "Make/Model", "Make & Model", "Model", "Vehicle Model", "Make and Model"}
	labelInvoice  = []string{"Invoice Amount", "Total Amount", "Total Invoice Value", "Invoice Value", "On Road Price", "On-road Price", "Total Cost"}
	labelLoan     = []string{"Loan Amount", "Finance Amount", "Amount Financed", "Loan Amt"}
	labelDown     = []string{"Down Payment", "Margin Money", "Down Payment Amount"}

	// products are the categories lenders finance, as they are printed:
	// a read value this close to one is that one.
	products = []string{"Two Wheeler", "Four Wheeler", "Three Wheeler", "Tractor", "Commercial Vehicle", "LED TV", "Television", "Refrigerator", "Washing Machine", "Air Conditioner", "Laptop", "Mobile Phone", "Microwave Oven", "Water Purifier"}
)

const (
	minLabel  = 0.75
	minNumber = 0.8 // "Delivery Order No" is close to the title's "Delivery Order Cum"
	minAmount = 0.8 // "Total Amount" and "Loan Amount" are alike
	minSnap   = 0.8
)

// Extract reads the delivery order fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypeDeliveryOrder)
	if f, ok := number(lines); ok {
		fd.Set("do_number", f)
	}
	if f, ok := date(lines); ok {
		fd.Set("do_date", f)
	}
	if f, li, ok := dealer(lines); ok {
		fd.Set("dealer_name", f)
		if a, ok := address(lines, li); ok {
			fd.Set("dealer_address", a)
		}
	}
	if f, ok := customer(lines); ok {
		fd.Set("customer_name", f)
	}
	if f, ok := product(lines); ok {
		fd.Set("product", f)
	}
	if f, ok := model(lines); ok {
		fd.Set("model", f)
	}
	amounts(lines, fd)
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeDeliveryOrder)
	}
	if noisy(pages) {
		// On a speckled scan OCR misreads letters with high confidence
		// ("RAQ" for "RAO", "Di" for "DI"); values no check vouches for
		// are less sure there.
		for _, name := range []string{"dealer_name", "dealer_address", "customer_name", "model", "do_number"} {
			if f, ok := fd.Get(name); ok {
				f.Confidence = math.Round(f.Confidence*noisyFactor*100) / 100
				fd.Set(name, f)
			}
		}
	}
	return fd, nil
}

// noisyShare is the share of specks among a page's words above which the
// page counts as noisy: clean renderings have under 7%, scans over 18%.
const (
	noisyShare  = 0.12
	noisyFactor = 0.92
)

// noisy reports pages whose words are often specks.
func noisy(pages []document.Page) bool {
	n, all := 0, 0
	for _, p := range pages {
		for _, w := range p.Words {
			all++
			if scrap(w) && w.Conf < 0.5 {
				n++
			}
		}
	}
	return all > 0 && float64(n) > noisyShare*float64(all)
}

// number reads the DO number: the first token with two digits or more
// after a DO number label that starts its line; without the label (OCR
// reads "D.O." as "0.0."), the first token on the page shaped like one
// ("DO/2024/01234", "ST/DO/3054"), with less confidence.
func number(lines []extract.Line) (document.Field, bool) {
	for _, m := range labelled(lines, labelNumber, minNumber) {
		ws := extract.After(lines, m)
		for i, w := range ws {
			t, n := doToken(w.Text)
			if countDigits(t) < 2 || len(t) < 4 || dateLike(t) {
				continue
			}
			used := ws[i : i+1]
			// OCR splits a long number in two ("DO/202" "3/48773"): join
			// a digit-led piece that nearly touches it.
			if i+1 < len(ws) {
				next := ws[i+1]
				h := max(w.Box.Dy(), 1)
				if nt, nn := doToken(next.Text); nt != "" && nt[0] >= '0' && nt[0] <= '9' && next.Box.Min.X-w.Box.Max.X < h/2 {
					t, n, used = t+nt, n+nn, ws[i:i+2]
				}
			}
			return extract.NewField(t, lines[m.Line].Page, extract.Evidence{Words: used, Label: m.Sim, Repaired: n}), true
		}
	}
	for li := 0; li < len(lines) && li < 12; li++ {
		for _, w := range lines[li].Words {
			t, n := doToken(w.Text)
			segs := strings.FieldsFunc(t, func(r rune) bool { return r == '/' || r == '-' })
			if len(segs) < 2 || countDigits(t) < 3 || !strings.Contains("/"+strings.Join(segs, "/")+"/", "/DO/") && !strings.HasPrefix(t, "DO") {
				continue
			}
			return extract.NewField(t, lines[li].Page, extract.Evidence{Words: []document.Word{w}, Label: 0.5, Repaired: n}), true
		}
	}
	return document.Field{}, false
}

// doToken cleans a DO number token: the label's colon and OCR's stray
// punctuation cut off, dashes made hyphens, and a 0 in a segment of
// letters ("D0") read as the O it is. It returns the token and the
// characters changed.
func doToken(s string) (string, int) {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Trim(s, ".,;|'\"‘’“”`_-~")
	s = strings.NewReplacer("—", "-", "–", "-").Replace(s)
	n := 0
	// DO numbers are printed in capitals: "sT/DO/3054" is a misread.
	if u := strings.ToUpper(s); u != s && len(u) == len(s) {
		for i := range s {
			if s[i] != u[i] {
				n++
			}
		}
		s = u
	}
	b := []byte(s)
	for start := 0; start < len(b); {
		end := start
		for end < len(b) && b[end] != '/' && b[end] != '-' {
			end++
		}
		letters, zeros := 0, 0
		for _, c := range b[start:end] {
			switch {
			case c >= 'A' && c <= 'Z':
				letters++
			case c == '0':
				zeros++
			}
		}
		if letters > 0 && letters+zeros == end-start && zeros > 0 {
			for k := start; k < end; k++ {
				if b[k] == '0' {
					b[k] = 'O'
					n++
				}
			}
		}
		start = end + 1
	}
	return string(b), n
}

// dateLike reports a token of a date's shape: the DO date shares the DO
// number's line, and OCR may lose the number.
func dateLike(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	return len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4 && countDigits(s) >= 6
}

func countDigits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// date reads the date on a date label's line, else the page's first: a
// delivery order prints one date.
func date(lines []extract.Line) (document.Field, bool) {
	var pick *extract.Date
	sim := 0.7
	// The DO number shares the date's line and can read as a date
	// ("ST/DO/3054"): only dates right of the label count.
	for _, m := range extract.FindLabels(lines, labelDate, minLabel) {
		for _, d := range extract.FindDates(lines, m.Line) {
			if d.Words[0].Box.Min.X >= m.Box.Max.X {
				pick, sim = &d, m.Sim
				break
			}
		}
		if pick != nil {
			break
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

// dealer reads the dealer's name and returns the line it heads. The
// letterhead's first line and the "For <dealer>" over the signature name
// the same firm: when they agree, the name is sure; either alone is less
// so (a photo's background can put scraps above the letterhead).
func dealer(lines []extract.Line) (document.Field, int, bool) {
	var signed []document.Word
	for _, l := range lines {
		ws := l.Words
		for len(ws) > 0 && extract.Norm(ws[0].Text) == "" {
			ws = ws[1:]
		}
		if len(ws) < 3 || extract.Norm(ws[0].Text) != "FOR" {
			continue
		}
		if n := extract.NameWords(ws[1:], false); len(n) >= 2 {
			signed = n
		}
	}
	top := -1
	var topWords []document.Word
	for li := 0; li < len(lines) && li < 4; li++ {
		ws := extract.NameWords(lines[li].Words, false)
		if len(extract.Norm(extract.CleanName(ws))) < 5 {
			continue
		}
		if signed != nil && extract.Similarity(extract.CleanName(ws), extract.CleanName(signed)) >= minSnap {
			top, topWords = li, ws
			break
		}
		if top < 0 {
			top, topWords = li, ws
		}
	}
	switch {
	case top >= 0 && signed != nil:
		sim := extract.Similarity(extract.CleanName(topWords), extract.CleanName(signed))
		if sim >= minSnap {
			return extract.NewField(extract.CleanName(topWords), lines[top].Page, extract.Evidence{Words: topWords, Label: sim}), top, true
		}
		return extract.NewField(extract.CleanName(topWords), lines[top].Page, extract.Evidence{Words: topWords, Label: 0.4}), top, true
	case top >= 0:
		return extract.NewField(extract.CleanName(topWords), lines[top].Page, extract.Evidence{Words: topWords, Label: 0.5}), top, true
	}
	return document.Field{}, -1, false
}

// address reads the letterhead's address: the lines under the dealer's
// name up to the one that ends with the PIN code. The lines are centred,
// so, unlike extract.Address, it keeps words left of the name.
func address(lines []extract.Line, nameLine int) (document.Field, bool) {
	var ws []document.Word
	var parts []string
	for k := nameLine + 1; k < len(lines) && k <= nameLine+4; k++ {
		if lines[k].Page != lines[nameLine].Page {
			break
		}
		col := addressWords(lines[k].Words)
		if len(parts) == 0 {
			// Specks left of the letterhead's first address line.
			for len(col) > 0 && scrapEnd(col[0]) {
				col = col[1:]
			}
		}
		if len(col) == 0 {
			continue
		}
		if strings.Contains(strings.ToUpper(extract.Text(col)), "GSTIN") {
			break
		}
		parts = append(parts, extract.Text(col))
		ws = append(ws, col...)
		if extract.EndsWithPIN(col) {
			v, ok := joinAddress(parts)
			if !ok {
				break
			}
			return extract.NewField(v, lines[nameLine].Page, extract.Evidence{Words: ws, Label: 1}), true
		}
	}
	return document.Field{}, false
}

// addressWords drops what OCR makes of specks: short words read with low
// confidence, lone punctuation other than the dash before the PIN code,
// and scraps right of the PIN.
func addressWords(ws []document.Word) []document.Word {
	var out []document.Word
	for _, w := range ws {
		n := len([]rune(extract.Norm(w.Text)))
		dash := w.Text == "-" || w.Text == "—" || w.Text == "–"
		if (n == 0 && !dash) || (n <= 2 && w.Conf < 0.5) {
			continue
		}
		out = append(out, w)
	}
	for len(out) > 1 && !extract.EndsWithPIN(out) && len(extract.Norm(out[len(out)-1].Text)) <= 2 {
		out = out[:len(out)-1]
	}
	return out
}

// joinAddress splits the address text at its commas into elements, the
// closing "State - PIN" into state and PIN, and joins them with ", ".
func joinAddress(parts []string) (string, bool) {
	words := strings.Fields(strings.Join(parts, " "))
	for i, w := range words {
		// Quotes OCR reads from specks, and a comma read as a semicolon.
		w = strings.Trim(w, "‘’“”\"'`|_")
		words[i] = strings.TrimRight(strings.ReplaceAll(w, ";", ","), ":")
	}
	text := strings.Join(words, " ")
	var els []string
	for _, e := range strings.Split(text, ",") {
		if e = strings.Trim(e, " .;:‘’“”\"'`"); e != "" {
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
	state := strings.TrimSpace(strings.TrimRight(strings.Join(fs[:len(fs)-1], " "), "-–—~ "))
	state = snapState(state)
	els = els[:len(els)-1]
	if state != "" {
		els = append(els, state)
	}
	return strings.Join(append(els, p), ", "), true
}

// states are the states and union territories a GSTIN's state code
// names: a letterhead's state is one of them.
var states = []string{"Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa", "Gujarat", "Haryana", "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala", "Madhya Pradesh", "Maharashtra", "Manipur", "Meghalaya", "Mizoram", "Nagaland", "Odisha", "Punjab", "Rajasthan", "Sikkim", "Tamil Nadu", "Telangana", "Tripura", "Uttar Pradesh", "Uttarakhand", "West Bengal", "Delhi", "Jammu and Kashmir", "Ladakh", "Puducherry", "Chandigarh"}

// snapState returns the state s is a misreading of ("Dethi"), or s.
func snapState(s string) string {
	best, sim := s, 0.0
	for _, st := range states {
		if v := extract.Similarity(s, st); v > sim {
			best, sim = st, v
		}
	}
	if sim >= minSnap {
		return best
	}
	return s
}

// labelled returns the matches of labels that start their line, best
// first: a label word inside a sentence ("... the down payment ...") is
// not a label.
func labelled(lines []extract.Line, labels []string, minSim float64) []extract.Match {
	var out []extract.Match
	for _, m := range extract.FindLabels(lines, labels, minSim) {
		lead := 0
		for _, w := range lines[m.Line].Words[:m.Start] {
			if !scrap(w) {
				lead++
			}
		}
		if lead == 0 {
			out = append(out, m)
		}
	}
	// Stable: equal similarities keep top-to-bottom order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Sim > out[j-1].Sim; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// scrap reports a word OCR made of a speck or a border: no letters or
// digits, two or fewer, or three read with low confidence.
func scrap(w document.Word) bool {
	n := len([]rune(extract.Norm(w.Text)))
	return n <= 2 || n == 3 && w.Conf < 0.5
}

// customer reads the name after the customer label.
func customer(lines []extract.Line) (document.Field, bool) {
	for _, m := range labelled(lines, labelCustomer, minLabel) {
		ws := extract.NameWords(extract.After(lines, m), false)
		// A lower-case letter or two before the name is a speck: names
		// are printed in title or upper case.
		for len(ws) > 1 && len(extract.Norm(ws[0].Text)) <= 2 && strings.ToLower(ws[0].Text) == ws[0].Text {
			ws = ws[1:]
		}
		if v := extract.CleanName(ws); len(extract.Norm(v)) >= 3 {
			label := m.Sim
			if droppedWord(extract.After(lines, m), ws) {
				// OCR read a word of the name too poorly to keep it
				// ("Riya" at 0): what is left is likely a part.
				label = 0.3
			}
			return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: label}), true
		}
	}
	return document.Field{}, false
}

// droppedWord reports a word of three letters or more in all that kept
// leaves out, next to the kept run: a part of the value OCR read too
// poorly to keep.
func droppedWord(all, kept []document.Word) bool {
	if len(kept) == 0 {
		return false
	}
	first, last := -1, -1
	for i, w := range all {
		if w.Box == kept[0].Box {
			first = i
		}
		if w.Box == kept[len(kept)-1].Box {
			last = i
		}
	}
	for _, i := range []int{first - 1, last + 1} {
		if first >= 0 && i >= 0 && i < len(all) && len(extract.Norm(all[i].Text)) >= 3 && extract.NameLike(all[i].Text) {
			return true
		}
	}
	return false
}

// valueAfter is the text after a label up to a wide gap, OCR's stray
// punctuation trimmed.
func valueAfter(lines []extract.Line, m extract.Match) ([]document.Word, string) {
	ws := extract.After(lines, m)
	// Scraps between the label and its colon: the value follows the colon.
	for i := 0; i < len(ws) && i < 3; i++ {
		if strings.Trim(ws[i].Text, ":;") == "" && strings.Contains(ws[i].Text, ":") || strings.HasSuffix(ws[i].Text, ":") && scrap(ws[i]) {
			ws = ws[i+1:]
			break
		}
	}
	ws = extract.Run(ws, 3)
	for len(ws) > 0 && scrapEnd(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	for len(ws) > 0 && scrapEnd(ws[0]) {
		ws = ws[1:]
	}
	parts := make([]string, 0, len(ws))
	for _, w := range ws {
		if t := strings.Trim(w.Text, "|'\"‘’`_"); t != "" {
			parts = append(parts, t)
		}
	}
	return ws, strings.TrimRight(strings.Join(parts, " "), ".,;:")
}

// scrapEnd reports a word at a value's end that is OCR's and not the
// value's: punctuation only, or short and read with low confidence.
func scrapEnd(w document.Word) bool {
	n := len([]rune(extract.Norm(w.Text)))
	return n == 0 || n <= 2 && w.Conf < 0.5 || n == 3 && w.Conf < 0.5 && countDigits(w.Text) == 0
}

// product reads the product category. The categories lenders finance
// are few: a run of words after the label close to one is that one, its
// misread letters counted as repairs, and an exact match vouches for
// words OCR read with low confidence (it reads "LED TV" at 0.16). A value
// that is no known category is kept as read, with less confidence.
func product(lines []extract.Line) (document.Field, bool) {
	for _, m := range labelled(lines, labelProduct, minLabel) {
		after := extract.After(lines, m)
		best, sim, from, to := "", 0.0, 0, 0
		for i := range after {
			for j := i + 1; j <= len(after) && j <= i+3; j++ {
				v := extract.Text(after[i:j])
				for _, p := range products {
					if s := extract.Similarity(v, p); s > sim {
						best, sim, from, to = p, s, i, j
					}
				}
			}
		}
		if sim >= minSnap {
			ws := append([]document.Word(nil), after[from:to]...)
			n := extract.EditDistance([]rune(extract.Norm(extract.Text(ws))), []rune(extract.Norm(best)))
			if n == 0 {
				for i := range ws {
					ws[i].Conf = max(ws[i].Conf, 0.95)
				}
			}
			return extract.NewField(best, lines[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim, Repaired: n}), true
		}
		ws, v := valueAfter(lines, m)
		if len(extract.Norm(v)) < 2 {
			continue
		}
		return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: 0.5 * m.Sim}), true
	}
	return document.Field{}, false
}

// oddCase reports a capital letter after a small one in a short word
// ("iS", "oN"), which model names print rarely and OCR makes of digits.
func oddCase(w string) bool {
	lower := false
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z' && lower:
			return len(w) <= 4
		}
	}
	return false
}

// model reads the make and model after its label.
func model(lines []extract.Line) (document.Field, bool) {
	for _, m := range labelled(lines, labelModel, minLabel) {
		ws, v := valueAfter(lines, m)
		// A comma inside a model name is a speck read as one.
		v = strings.ReplaceAll(v, ", ", " ")
		label := m.Sim
		for _, w := range strings.Fields(v) {
			if oddCase(w) {
				// "Core iS" for "Core i5": a model has no checksum, and a
				// capital after a small letter is a misread more often.
				label = 0.4
			}
		}
		if len(extract.Norm(v)) < 2 {
			continue
		}
		return extract.NewField(v, lines[m.Line].Page, extract.Evidence{Words: ws, Label: label}), true
	}
	return document.Field{}, false
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

// ParseAmount reads a printed amount in paise: what statement.ParseAmount
// reads ("1,25,000.00", "Rs.85,499.00"), and whole rupees with Indian or
// international grouping and the "/-" dealers end them with
// ("Rs. 85,499/-", "85,499").
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), "/-—–_.")
	// What precedes the digits: a currency sign, and the quotes and
	// specks OCR reads around it ("“Rs.", "Rs.°").
	if i := strings.IndexAny(s, "0123456789"); i > 0 && i <= 5 {
		s = s[i:]
	}
	// Dealers print decimal points, never decimal commas: "85,49" is
	// "85,499" with a digit lost, not 85.49.
	if len(s) >= 3 && s[len(s)-3] == ',' {
		return 0, false
	}
	if p, ok := extract.ParseAmount(s); ok {
		return p, true
	}
	groups := strings.Split(s, ",")
	if len(groups) < 2 || len(groups[0]) == 0 || len(groups[0]) > 3 {
		return 0, false
	}
	var v int64
	for i, g := range groups {
		if i > 0 && i < len(groups)-1 && len(g) != 2 && len(g) != 3 || i == len(groups)-1 && len(g) != 3 {
			return 0, false
		}
		for _, c := range g {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int64(c-'0')
		}
	}
	return v * 100, true
}

// lineAmount reads the last amount after the label m: one word, or two
// when OCR split it ("Rs." "85,499/-" is one word's worth).
func lineAmount(lines []extract.Line, m extract.Match) (amount, bool) {
	ws := extract.After(lines, m)
	text := func(w document.Word) string { return strings.TrimRight(w.Text, ".,:;|'\"") }
	for i := len(ws) - 1; i >= 0; i-- {
		if p, ok := ParseAmount(text(ws[i])); ok {
			return amount{p, ws[i : i+1], m.Line, m.Sim}, true
		}
		if i > 0 {
			if p, ok := ParseAmount(ws[i-1].Text + text(ws[i])); ok {
				return amount{p, ws[i-1 : i+1], m.Line, m.Sim}, true
			}
		}
	}
	return amount{}, false
}

// rowCandidates returns the amounts right of the label m on other OCR
// lines, near its level: in a photo's warped table OCR can cut a row in
// two at the wide gap between a label and its amount, and the amount's
// line may sit nearer the next row's label than its own. Which candidate
// is the label's is left to the arithmetic.
func rowCandidates(lines []extract.Line, m extract.Match) []amount {
	h := max(m.Box.Dy(), 1)
	mid := m.Box.Min.Y + h/2
	var out []amount
	for li, l := range lines {
		if li == m.Line || l.Page != lines[m.Line].Page {
			continue
		}
		for _, w := range l.Words {
			wm := w.Box.Min.Y + w.Box.Dy()/2
			if w.Box.Min.X <= m.Box.Max.X || wm < mid-2*h || wm > mid+2*h {
				continue
			}
			if p, ok := ParseAmount(strings.TrimRight(w.Text, ".,:;|'\"")); ok {
				// The row is inferred, not read: less sure, unless the
				// arithmetic vouches for it.
				out = append(out, amount{p, []document.Word{w}, li, 0.6 * m.Sim})
			}
		}
	}
	return out
}

// labelAmount reads the amount of the best label that has one on its
// line; without one, it returns the candidates level with the best label.
func labelAmount(lines []extract.Line, labels []string) (amount, []amount, bool) {
	ms := labelled(lines, labels, minAmount)
	for _, m := range ms {
		if a, ok := lineAmount(lines, m); ok {
			return a, nil, true
		}
	}
	if len(ms) == 0 {
		return amount{}, nil, false
	}
	return amount{}, rowCandidates(lines, ms[0]), false
}

// agree reports whether loan + down = invoice within the tolerance.
func agree(inv, loan, down int64) bool {
	d := loan + down - inv
	return d <= tolerance && d >= -tolerance
}

// solve fills in the amounts not read on their label's line from their
// candidates, when exactly one choice makes the arithmetic hold.
func solve(got [3]*amount, cands [3][]amount) ([3]*amount, bool) {
	opts := [3][]amount{}
	for i := range got {
		if got[i] != nil {
			opts[i] = []amount{*got[i]}
		} else {
			opts[i] = cands[i]
		}
	}
	var pick [3]*amount
	n := 0
	for i := range opts[0] {
		for j := range opts[1] {
			for k := range opts[2] {
				if agree(opts[0][i].paise, opts[1][j].paise, opts[2][k].paise) {
					if n > 0 && (pick[0].paise != opts[0][i].paise || pick[1].paise != opts[1][j].paise || pick[2].paise != opts[2][k].paise) {
						return pick, false // two answers: neither is sure
					}
					pick, n = [3]*amount{&opts[0][i], &opts[1][j], &opts[2][k]}, n+1
				}
			}
		}
	}
	return pick, n > 0
}

// amounts reads the invoice amount, loan amount and down payment, and
// checks that the last two add up to the first. An amount OCR put on
// another line than its label is taken only when the arithmetic picks it.
func amounts(lines []extract.Line, fd *document.FileData) {
	var got [3]*amount
	var cands [3][]amount
	for i, labels := range [][]string{labelInvoice, labelLoan, labelDown} {
		a, c, ok := labelAmount(lines, labels)
		if ok {
			got[i] = &a
		}
		cands[i] = c
	}
	if got[0] == nil || got[1] == nil || got[2] == nil {
		if solved, ok := solve(got, cands); ok {
			got = solved
		}
	}
	var check *validate.Result
	if got[0] != nil && got[1] != nil && got[2] != nil {
		r := validate.Result{Rule: RuleAmounts}
		if !agree(got[0].paise, got[1].paise, got[2].paise) {
			r.Err = ErrAmountMismatch
		}
		check = &r
	}
	for i, name := range []string{"invoice_amount", "loan_amount", "down_payment"} {
		if got[i] != nil {
			fd.Set(name, got[i].field(lines, check))
		}
	}
}
