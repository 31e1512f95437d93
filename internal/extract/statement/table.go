package statement

import (
	"image"
	"sort"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
)

// colKind is what a table column holds.
type colKind int

const (
	colOther colKind = iota
	colDate
	colDesc
	colDebit
	colCredit
	colBalance
)

// headerWords are the words that name a column in the table's header
// row, normalised; matched fuzzily, one word each ("Txn Date",
// "Withdrawal Amt." and "Closing Balance" are found by their key word).
var headerWords = []struct {
	kind  colKind
	words []string
}{
	{colDate, []string{"DATE"}},
	{colDesc, []string{"NARRATION", "DESCRIPTION", "PARTICULARS", "DETAILS", "REMARKS"}},
	{colDebit, []string{"DEBIT", "DEBITS", "WITHDRAWAL", "WITHDRAWALS"}},
	{colCredit, []string{"CREDIT", "CREDITS", "DEPOSIT", "DEPOSITS"}},
	{colBalance, []string{"BALANCE"}},
}

// column is one column of the table: its kind and its header's box.
type column struct {
	kind colKind
	box  image.Rectangle
}

// headerColumns reads a table header row: it needs date, debit, credit
// and balance columns. Words next to a key word ("Txn", "(Dr)", "Amt.")
// widen its column; other words are columns of their own (a cheque
// number, a value date) whose contents are ignored.
func headerColumns(l extract.Line) ([]column, bool) {
	// A header row names four columns or more and holds no amounts or
	// dates: most rows are ruled out before any fuzzy matching.
	if len(l.Words) < 4 {
		return nil, false
	}
	digits := 0
	for _, w := range l.Words {
		for _, r := range w.Text {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
	}
	if digits > 2 {
		return nil, false
	}
	kinds := make([]colKind, len(l.Words))
	seen := map[colKind]bool{}
	for i, w := range l.Words {
		n := extract.Norm(w.Text)
		if len(n) < 4 {
			continue
		}
		for _, hw := range headerWords {
			if seen[hw.kind] {
				continue // "Value Date" after "Txn Date"
			}
			for _, k := range hw.words {
				if extract.Similarity(n, k) >= 0.8 {
					kinds[i] = hw.kind
					seen[hw.kind] = true
					break
				}
			}
			if kinds[i] != colOther {
				break
			}
		}
	}
	if !seen[colDate] || !seen[colDebit] || !seen[colCredit] || !seen[colBalance] {
		return nil, false
	}
	var cols []column
	for i, w := range l.Words {
		h := max(w.Box.Dy(), 1)
		if kinds[i] == colOther && len(cols) > 0 {
			last := &cols[len(cols)-1]
			near := w.Box.Min.X-last.box.Max.X <= h*6/5
			// A modifier word joins the key word before it ("(Dr)").
			if near {
				last.box = last.box.Union(w.Box)
				continue
			}
		}
		if kinds[i] != colOther && len(cols) > 0 {
			last := &cols[len(cols)-1]
			// A word just before a key word is its qualifier ("Txn Date").
			if last.kind == colOther && w.Box.Min.X-last.box.Max.X <= h*6/5 {
				last.kind = kinds[i]
				last.box = last.box.Union(w.Box)
				continue
			}
		}
		cols = append(cols, column{kind: kinds[i], box: w.Box})
	}
	return cols, true
}

// table is what was read of the transaction table.
type table struct {
	rows []row
	// headerLine indexes the first header row in the lines; -1 when no
	// table was found.
	headerLine int
	// used marks the lines read as rows or their continuations.
	used map[int]bool
	// opening is a balance brought forward printed as the table's first
	// row, when there is one.
	opening *amount
}

// readTable reads the transactions of every page: rows under a header
// row (or under the top of a page after one), a row starting at a date,
// its wrapped description lines joined to it.
func readTable(lines []extract.Line) table {
	t := table{headerLine: -1, used: map[int]bool{}}
	var cols []column
	inTable := false
	var cur *row
	page := -1
	for i, l := range lines {
		if l.Page != page {
			page = l.Page
			inTable, cur = cols != nil, nil
		}
		if c, ok := headerColumns(l); ok {
			cols, inTable, cur = c, true, nil
			if t.headerLine < 0 {
				t.headerLine = i
			}
			continue
		}
		if !inTable {
			continue
		}
		cells := assign(cols, l)
		date := dateOf(cells[colDate])
		debit, r1, hasDebit := amountOf(cells[colDebit])
		credit, r2, hasCredit := amountOf(cells[colCredit])
		bal, r3, hasBal := amountOf(cells[colBalance])
		repaired := 0
		for _, r := range []bool{r1, r2, r3} {
			if r {
				repaired++
			}
		}
		descText := extract.Text(cells[colDesc])
		switch {
		case date != nil && hasBal:
			t.rows = append(t.rows, row{
				date: date.Value, repaired: date.Repaired + repaired,
				debit: debit, credit: credit, balance: bal, hasBalance: true,
				words: l.Words, page: l.Page,
			})
			if descText != "" {
				t.rows[len(t.rows)-1].desc = []string{descText}
			}
			cur = &t.rows[len(t.rows)-1]
			t.used[i] = true
		case date == nil && !hasDebit && !hasCredit && !hasBal && descText != "" && cur != nil &&
			len(cells[colDesc]) == len(l.Words) && l.Box.Min.Y-lines[i-1].Box.Max.Y <= lines[i-1].Box.Dy()*6/5:
			cur.desc = append(cur.desc, descText)
			cur.words = append(cur.words, l.Words...)
			t.used[i] = true
		case date == nil && hasBal && !hasDebit && !hasCredit && len(t.rows) == 0 && broughtForward(extract.Text(l.Words)):
			t.opening = &amount{paise: bal, words: cells[colBalance], page: l.Page, label: 0.9}
			cur = nil
		default:
			cur = nil
			if date == nil && endOfTable(extract.Text(l.Words)) {
				inTable = false
			}
		}
	}
	return t
}

func broughtForward(s string) bool {
	n := extract.Norm(s)
	return strings.Contains(n, "OPENING") || strings.Contains(n, "BROUGHTFORWARD") || strings.HasPrefix(n, "BF")
}

func endOfTable(s string) bool {
	n := extract.Norm(s)
	return strings.Contains(n, "CLOSINGBALANCE") || strings.HasPrefix(n, "TOTAL") || strings.Contains(n, "STATEMENTSUMMARY")
}

// assign puts each word of a row in a column. An amount goes to the
// amount column whose header it lines up with best (amounts are printed
// right-aligned, centred or left-aligned under their header: the nearest
// of the right edges, centres and left edges decides); any other word to
// the text column whose header starts at or left of it. A word over an
// amount column that is not an amount (a "Cr" after a balance) is
// dropped.
func assign(cols []column, l extract.Line) map[colKind][]document.Word {
	out := map[colKind][]document.Word{}
	var amountCols, textCols []column
	for _, c := range cols {
		switch c.kind {
		case colDebit, colCredit, colBalance:
			amountCols = append(amountCols, c)
		default:
			textCols = append(textCols, c)
		}
	}
	sort.Slice(textCols, func(i, j int) bool { return textCols[i].box.Min.X < textCols[j].box.Min.X })
	amountLeft := amountCols[0].box.Min.X
	for _, c := range amountCols {
		amountLeft = min(amountLeft, c.box.Min.X)
	}
	descRight := 0
	for _, c := range textCols {
		if c.kind == colDesc {
			descRight = c.box.Max.X
		}
	}
	for _, w := range l.Words {
		h := max(w.Box.Dy(), 1)
		cx := (w.Box.Min.X + w.Box.Max.X) / 2
		if _, ok := extract.ParseAmount(w.Text); (ok && cx > descRight) || (w.Box.Min.X >= amountLeft-h && amountish(w.Text)) {
			best, bestD := -1, 0
			for i, c := range amountCols {
				d := min(abs(w.Box.Max.X-c.box.Max.X), abs(cx-(c.box.Min.X+c.box.Max.X)/2), abs(w.Box.Min.X-c.box.Min.X))
				if best < 0 || d < bestD {
					best, bestD = i, d
				}
			}
			k := amountCols[best].kind
			out[k] = append(out[k], w)
			continue
		}
		if w.Box.Min.X >= amountLeft-h {
			continue
		}
		k := colOther
		for _, c := range textCols {
			if c.box.Min.X-h <= w.Box.Min.X {
				k = c.kind
			}
		}
		if k == colOther && len(textCols) > 0 && w.Box.Min.X < textCols[0].box.Min.X {
			k = textCols[0].kind
		}
		out[k] = append(out[k], w)
	}
	return out
}

// amountish reports a token mostly of digits: over an amount column, a
// misread amount ("27210787;") rather than a word.
func amountish(s string) bool {
	d := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d++
		}
	}
	return d >= 3 && d*10 >= 7*len([]rune(s))
}

// dateOf reads the date in a row's date cell.
func dateOf(ws []document.Word) *extract.Date {
	if len(ws) == 0 {
		return nil
	}
	ds := extract.FindDates([]extract.Line{{Line: document.Line{Words: ws}}}, 0)
	if len(ds) == 0 {
		return nil
	}
	return &ds[0]
}

// amountOf reads the amount in a cell; OCR may split one amount into
// several words, so they are read joined. A cell holds nothing but an
// amount, so a token whose decimal point OCR lost ("27210787",
// "1,87,91213") is read as paise; repaired says so, and the running
// balance then decides whether the reading holds.
func amountOf(ws []document.Word) (paise int64, repaired, ok bool) {
	if len(ws) == 0 {
		return 0, false, false
	}
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.Text)
	}
	if v, ok := extract.ParseAmount(b.String()); ok {
		return v, false, true
	}
	t := strings.Trim(b.String(), ";:'\"|_~`")
	var v int64
	n := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			n++
		case c == ',' && i < len(t)-3:
		default:
			return 0, false, false
		}
	}
	if n < 3 || n > 15 {
		return 0, false, false
	}
	return v, true, true
}

// TableEvidence says how much pages look like a statement's transaction
// table, in [0, 1]: 0.5 for a header row naming date, debit, credit and
// balance columns, and up to 0.5 more for rows under it that start with a
// date and carry a balance (three or more give the full half). The
// classifier uses it; the words are regrouped into rows, as the
// recogniser's own lines may split a table row.
func TableEvidence(lines []extract.Line) float64 {
	byPage := map[int]*document.Page{}
	var order []int
	for _, l := range lines {
		p, ok := byPage[l.Page]
		if !ok {
			p = &document.Page{Number: l.Page}
			byPage[l.Page] = p
			order = append(order, l.Page)
		}
		p.Words = append(p.Words, l.Words...)
	}
	var rows []extract.Line
	for _, n := range order {
		rows = append(rows, extract.Rows(*byPage[n])...)
	}
	t := readTable(rows)
	if t.headerLine < 0 {
		return 0
	}
	return 0.5 + 0.5*min(float64(len(t.rows))/3, 1)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
