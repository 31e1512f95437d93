// Package statement reads Indian bank statements: the account's header
// fields (bank, holder, account number, IFSC, period, opening and closing
// balances) by their labels, and the transaction table by its columns.
// The table's running balance is arithmetic the document checks itself:
// each row must take the previous balance to its own, and that decides
// how far a row, and the list, is trusted.
package statement

import (
	"math"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// RuleBalance names the check that the opening balance plus the credits
// minus the debits is the closing balance, and that each row's running
// balance follows from the one before.
const RuleBalance = "balance_arithmetic"

// Transaction is one row of the statement, as the API returns it: amounts
// as plain decimals ("125000.00"), the empty side left out.
type Transaction struct {
	Date        string `json:"date"`
	Description string `json:"description"`
	Debit       string `json:"debit,omitempty"`
	Credit      string `json:"credit,omitempty"`
	Balance     string `json:"balance"`
}

// Extractor reads bank statements. It holds no state: one may be shared.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a bank statement extractor.
func New() *Extractor { return &Extractor{} }

// Labels of the header fields, as banks print them; matched fuzzily.
var (
	labelHolder  = []string{"Account Holder", "Account Name", "Customer Name", "Name"}
	labelAccount = []string{"Account Number", "Account No", "A/C No", "A/C Number"}
	labelIFSC    = []string{"IFSC", "IFSC Code", "IFS Code"}
	labelPeriod  = []string{"Statement Period", "Period", "Statement From"}
	labelOpening = []string{"Opening Balance", "Opening Bal"}
	labelClosing = []string{"Closing Balance", "Closing Bal"}
)

const minLabel = 0.75

// Extract reads the statement's header fields and transactions.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	fd := document.NewFileData(document.TypeBankStatement)
	var lines []extract.Line
	for _, p := range pages {
		lines = append(lines, extract.Rows(p)...)
	}
	tab := readTable(lines)
	// Header fields are read above the first table header; the closing
	// balance anywhere, as it is printed under the table.
	head := lines
	if tab.headerLine >= 0 {
		head = lines[:tab.headerLine]
	}

	if f, ok := bankName(head); ok {
		fd.Set("bank_name", f)
	}
	if m, ok := extract.FindLabel(head, labelHolder, minLabel); ok {
		ws := extract.NameWords(extract.Run(extract.After(head, m), 2.5), false)
		if len(ws) > 0 {
			f := extract.NewField(extract.CleanName(ws), head[m.Line].Page, extract.Evidence{Words: ws, Label: m.Sim})
			if extract.TruncatedName(head[m.Line].Words, ws) {
				f.Confidence = min(f.Confidence, extract.MaxTruncated)
			}
			fd.Set("account_holder_name", f)
		}
	}
	if f, ok := accountNumber(head); ok {
		fd.Set("account_number", f)
	}
	if f, ok := ifsc(head); ok {
		fd.Set("ifsc", f)
	}
	from, to, ok := period(head)
	if ok {
		fd.Set("statement_from", from)
		fd.Set("statement_to", to)
	}

	opening, hasOpening := labelAmount(head, labelOpening)
	// The closing balance is looked for off the table's rows: there are
	// many, and none is its label.
	var rest []extract.Line
	for i, l := range lines {
		if !tab.used[i] {
			rest = append(rest, l)
		}
	}
	closing, hasClosing := labelAmount(rest, labelClosing)
	if !hasOpening && tab.opening != nil {
		opening, hasOpening = *tab.opening, true
	}

	var txField document.Field
	var sumCheck *validate.Result
	if len(tab.rows) > 0 {
		var openPaise *int64
		if hasOpening {
			openPaise = &opening.paise
		}
		txs, conf := checkRows(tab.rows, openPaise)
		txField = document.Field{Value: txs, Confidence: conf, Page: tab.rows[0].page}
		if hasOpening && hasClosing {
			var sum int64
			for _, r := range tab.rows {
				sum += r.credit - r.debit
			}
			res := validate.Result{Rule: RuleBalance, Soft: true}
			if opening.paise+sum != closing.paise {
				res.Err = validate.ErrChecksum
			}
			sumCheck = &res
			txField.Validation = res.Validation()
			if !res.Passed() {
				txField.Confidence = math.Min(txField.Confidence, 0.7)
			}
		}
	}
	if hasOpening {
		fd.Set("opening_balance", opening.field(nil, sumCheck))
	}
	if hasClosing {
		fd.Set("closing_balance", closing.field(sumCheck, sumCheck))
	}
	if len(tab.rows) > 0 {
		fd.Set("transactions", txField)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeBankStatement)
	}
	return fd, nil
}

// bankName is the first line above the table naming a bank: the run of
// words that holds "BANK".
func bankName(lines []extract.Line) (document.Field, bool) {
	for _, l := range lines {
		if l.Page != lines[0].Page {
			break
		}
		ws := l.Words
		for len(ws) > 0 {
			run := extract.Run(ws, 2.5)
			ws = ws[len(run):]
			hasBank := false
			for _, w := range run {
				if extract.Similarity(w.Text, "BANK") >= 1 {
					hasBank = true
				}
			}
			if !hasBank || strings.Contains(extract.Norm(extract.Text(run)), "BANKSTATEMENT") {
				continue
			}
			name := extract.CleanName(run)
			if !extract.NameLike(strings.ReplaceAll(name, " ", "")) {
				continue
			}
			return extract.NewField(name, l.Page, extract.Evidence{Words: run, Label: 0.8}), true
		}
	}
	return document.Field{}, false
}

// accountNumber reads the number after its label: the first token of six
// or more digits (a masked one keeps its X's).
func accountNumber(lines []extract.Line) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labelAccount, minLabel) {
		for _, w := range extract.Run(extract.After(lines, m), 2.5) {
			t := strings.Trim(w.Text, ".,:;|'\"")
			digits, other := 0, 0
			for _, r := range t {
				switch {
				case r >= '0' && r <= '9':
					digits++
				case r == 'X' || r == 'x' || r == '*':
				default:
					other++
				}
			}
			if digits >= 4 && digits+other >= 6 && other == 0 {
				return extract.NewField(strings.ToUpper(t), lines[m.Line].Page, extract.Evidence{Words: []document.Word{w}, Label: m.Sim}), true
			}
		}
	}
	return document.Field{}, false
}

// ifsc reads the code after its label, else any token of the IFSC shape
// above the table.
func ifsc(lines []extract.Line) (document.Field, bool) {
	try := func(ws []document.Word, label float64, page int) (document.Field, bool) {
		for _, w := range ws {
			t := strings.Trim(w.Text, ".,:;|'\"()")
			if i := strings.LastIndexByte(t, ':'); i >= 0 {
				t = t[i+1:]
			}
			v, n, ok := validate.Repair(strings.ToUpper(t), validate.ShapeIFSC)
			if !ok || n > 2 {
				continue
			}
			res := validate.IFSC(v)
			return extract.NewField(v, page, extract.Evidence{Words: []document.Word{w}, Check: &res, Repaired: n, Label: label}), true
		}
		return document.Field{}, false
	}
	for _, m := range extract.FindLabels(lines, labelIFSC, 0.8) {
		if f, ok := try(extract.After(lines, m), m.Sim, lines[m.Line].Page); ok {
			return f, true
		}
	}
	for _, l := range lines {
		if f, ok := try(l.Words, 0.6, l.Page); ok {
			return f, true
		}
	}
	return document.Field{}, false
}

// period reads the statement's first and last dates from the line of its
// label, else from the first line above the table holding two dates.
func period(lines []extract.Line) (from, to document.Field, ok bool) {
	pick := func(li int, label float64) bool {
		ds := extract.FindDates(lines, li)
		if len(ds) < 2 {
			return false
		}
		mk := func(d extract.Date) document.Field {
			_, _, res := validate.ParseDate(d.Value)
			return extract.NewField(d.Value, lines[li].Page, extract.Evidence{Words: d.Words, Check: &res, Repaired: d.Repaired, Label: label})
		}
		from, to = mk(ds[0]), mk(ds[1])
		return true
	}
	for _, m := range extract.FindLabels(lines, labelPeriod, minLabel) {
		if pick(m.Line, m.Sim) {
			return from, to, true
		}
	}
	for li := range lines {
		if pick(li, 0.6) {
			return from, to, true
		}
	}
	return from, to, false
}

// amount is a money value read from a page.
type amount struct {
	paise int64
	words []document.Word
	page  int
	label float64
}

// field is the amount as an API field; check, when given, is the balance
// arithmetic it took part in, and vouches for its value when passed.
func (a amount) field(validation, check *validate.Result) document.Field {
	f := extract.NewField(formatPaise(a.paise), a.page, extract.Evidence{Words: a.words, Label: a.label, Check: check})
	if validation == nil {
		f.Validation = nil
	}
	return f
}

// labelAmount reads the amount right of the first matching label.
func labelAmount(lines []extract.Line, labels []string) (amount, bool) {
	for _, m := range extract.FindLabels(lines, labels, minLabel) {
		for _, w := range extract.Run(extract.After(lines, m), 2.5) {
			if p, ok := extract.ParseAmount(w.Text); ok {
				return amount{paise: p, words: []document.Word{w}, page: lines[m.Line].Page, label: m.Sim}, true
			}
		}
	}
	return amount{}, false
}

// formatPaise writes paise as a plain decimal, "125000.00".
func formatPaise(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + itoa(p/100) + "." + string(rune('0'+p%100/10)) + string(rune('0'+p%10))
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// row is one transaction as read from the table.
type row struct {
	date          string
	repaired      int      // characters OCR repair changed or added, in the date and amounts
	desc          []string // description lines, joined later
	debit, credit int64
	balance       int64
	hasBalance    bool
	words         []document.Word
	page          int
}

// checkRows turns rows into transactions and the list's confidence: a row
// whose balance follows from the previous one (prev - debit + credit)
// is trusted; one that does not, but would with its debit and credit
// swapped, had its amount put in the wrong column and is swapped. The
// list's confidence is the mean of the rows', which is the share of rows
// that check, weighted by how well their words were read.
func checkRows(rows []row, opening *int64) ([]Transaction, float64) {
	out := make([]Transaction, len(rows))
	var prev *int64
	if opening != nil {
		p := *opening
		prev = &p
	}
	sum := 0.0
	// The list is right only when every row is: a mean over rows hides one
	// bad row among thirty, so a row that fails the balance arithmetic (a
	// misread amount, a row missing before it) or holds a word OCR was
	// unsure of (a description's name, which nothing checks) caps the
	// whole list below the confident level.
	weak := false
	for i := range rows {
		r := &rows[i]
		conf := 0.85 // nothing to check the first row against
		if prev != nil && r.hasBalance {
			switch {
			case *prev-r.debit+r.credit == r.balance:
				conf = 0.99
			case *prev-r.credit+r.debit == r.balance:
				r.debit, r.credit = r.credit, r.debit
				conf = 0.9
			default:
				conf = 0.4
				weak = true
			}
		}
		if len(r.words) > 0 && extract.MinConf(r.words) < minRowWordConf {
			weak = true
		}
		ocr := 1.0
		if len(r.words) > 0 {
			ocr = 0
			for _, w := range r.words {
				ocr += w.Conf
			}
			ocr /= float64(len(r.words))
		}
		conf *= 0.8 + 0.2*ocr
		conf *= math.Pow(0.95, float64(r.repaired))
		sum += conf
		if r.hasBalance {
			b := r.balance
			prev = &b
		}
		// OCR splits a UPI handle at its "@" ("sajan41 @ibl"); no
		// description puts a space before one.
		desc := strings.ReplaceAll(joinDesc(r.desc), " @", "@")
		t := Transaction{Date: r.date, Description: desc, Balance: formatPaise(r.balance)}
		if r.debit != 0 {
			t.Debit = formatPaise(r.debit)
		}
		if r.credit != 0 {
			t.Credit = formatPaise(r.credit)
		}
		out[i] = t
	}
	c := math.Round(sum/float64(len(rows))*100) / 100
	if weak {
		c = min(c, maxWeakList)
	}
	return out, c
}

const (
	// minRowWordConf is the OCR confidence below which a row's word is
	// taken as possibly misread.
	minRowWordConf = 0.5
	// maxWeakList is the most a list with a doubtful row is trusted.
	maxWeakList = 0.85
)

// joinDesc joins a description's wrapped lines: a line ending in '/' or
// '-' was broken inside a reference and joins without a space.
func joinDesc(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && !strings.HasSuffix(lines[i-1], "/") && !strings.HasSuffix(lines[i-1], "-") {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return b.String()
}
