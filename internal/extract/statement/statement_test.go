package statement

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// textPages generates the text-layer statement of seed and decodes it as
// the pipeline would.
func textPages(t testing.TB, dec *decode.Decoder, seed int64) ([]document.Page, *docgen.Sample) {
	t.Helper()
	s, err := docgen.GenerateStatement(seed, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := dec.Decode(context.Background(), s.Data)
	if err != nil {
		t.Fatalf("decode seed %d: %v", seed, err)
	}
	var pages []document.Page
	for i, p := range d.Pages {
		if p.TextLayer == nil {
			t.Fatalf("seed %d page %d has no text layer", seed, i+1)
		}
		pages = append(pages, *p.TextLayer)
	}
	return pages, s
}

// scoreTransactions counts the rows of want that got exactly right, in
// order (a missed or extra row shifts nothing: rows are matched by a
// longest common subsequence).
func scoreTransactions(got, want []Transaction) int {
	return scoreBy(got, want, func(t Transaction) Transaction { return t })
}

// scoreBy is scoreTransactions comparing rows by key.
func scoreBy(got, want []Transaction, key func(Transaction) Transaction) int {
	n, m := len(got), len(want)
	dp := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]int, m+1)
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			switch {
			case key(got[i-1]) == key(want[j-1]):
				dp[i][j] = dp[i-1][j-1] + 1
			default:
				dp[i][j] = max(dp[i-1][j], dp[i][j-1])
			}
		}
	}
	return dp[n][m]
}

func truthTransactions(t testing.TB, s *docgen.Sample) []Transaction {
	var want []Transaction
	if err := json.Unmarshal([]byte(s.Truth["transactions"]), &want); err != nil {
		t.Fatal(err)
	}
	return want
}

// headerFields are the truth fields compared as plain strings.
var headerFields = []string{"bank_name", "account_holder_name", "account_number", "ifsc", "statement_from", "statement_to", "opening_balance", "closing_balance"}

// TestTextStatements reads 20 generated text-layer statements (both
// layouts, 1-3 pages, Indian and international amounts) through the real
// decoder: every header field right, and at least 98% of the transaction
// rows exactly right.
func TestTextStatements(t *testing.T) {
	dec := decode.New(decode.Limits{})
	e := New()
	right, total := 0, 0
	layouts := map[string]int{}
	for seed := int64(1); seed <= 20; seed++ {
		pages, s := textPages(t, dec, seed)
		layouts[s.Layout]++
		fd, err := e.Extract(pages)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, k := range headerFields {
			f, ok := fd.Get(k)
			if !ok || f.Value != s.Truth[k] {
				t.Errorf("seed %d %s: got %v (present %v), want %q", seed, k, f.Value, ok, s.Truth[k])
			}
		}
		want := truthTransactions(t, s)
		f, ok := fd.Get("transactions")
		if !ok {
			t.Errorf("seed %d: no transactions", seed)
			total += len(want)
			continue
		}
		got := f.Value.([]Transaction)
		n := scoreTransactions(got, want)
		right += n
		total += max(len(want), len(got)) // an invented row counts as a miss
		if n == len(want) && (f.Confidence < 0.95 || f.Validation == nil || !f.Validation.Passed) {
			t.Errorf("seed %d: all rows right but confidence %.2f, validation %+v", seed, f.Confidence, f.Validation)
		}
		if cb, _ := fd.Get("closing_balance"); n == len(want) && (cb.Validation == nil || !cb.Validation.Passed) {
			t.Errorf("seed %d: closing balance not validated: %+v", seed, cb.Validation)
		}
	}
	recall := float64(right) / float64(total)
	t.Logf("transaction recall %.4f (%d/%d rows), layouts %v", recall, right, total, layouts)
	if recall < 0.98 {
		t.Errorf("transaction recall %.3f, want >= 0.98", recall)
	}
	if len(layouts) < 2 {
		t.Errorf("only layouts %v were generated; want both", layouts)
	}
}

func TestCheckRows(t *testing.T) {
	opening := int64(100000)
	rows := []row{
		{date: "01/01/2025", desc: []string{"ok"}, debit: 20000, balance: 80000, hasBalance: true},
		// Read into the wrong column: swapping makes it check.
		{date: "02/01/2025", desc: []string{"swapped"}, debit: 5000, balance: 85000, hasBalance: true},
		// Misread balance: does not check.
		{date: "03/01/2025", desc: []string{"bad"}, debit: 1000, balance: 99999, hasBalance: true},
	}
	txs, conf := checkRows(rows, &opening)
	if txs[1].Credit != "50.00" || txs[1].Debit != "" {
		t.Errorf("swapped row: got %+v, want a credit of 50.00", txs[1])
	}
	if txs[0].Debit != "200.00" || txs[0].Balance != "800.00" || txs[0].Credit != "" {
		t.Errorf("row 0: got %+v", txs[0])
	}
	if conf >= 0.8 || conf <= 0.5 {
		t.Errorf("confidence %.2f with one of three rows failing; want between 0.5 and 0.8", conf)
	}
	_, all := checkRows(rows[:1], &opening)
	if all < 0.95 {
		t.Errorf("confidence %.2f for a checking row; want >= 0.95", all)
	}
}

func TestJoinDesc(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"UPI/DR/123/RAVI", "KUMAR/ravi@ybl"}, "UPI/DR/123/RAVI KUMAR/ravi@ybl"},
		{[]string{"NEFT-", "SBINN123-RAVI"}, "NEFT-SBINN123-RAVI"},
		{[]string{"UPI/DR/", "123"}, "UPI/DR/123"},
		{[]string{"SALARY"}, "SALARY"},
	} {
		if got := joinDesc(tc.in); got != tc.want {
			t.Errorf("joinDesc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// BenchmarkTextPage measures decode (poppler's commands) plus extraction
// of one text-layer statement page, and extraction alone.
func BenchmarkTextPage(b *testing.B) {
	dec := decode.New(decode.Limits{})
	// The first generated statements of one and of three pages.
	byPages := map[int][]byte{}
	for seed := int64(1); len(byPages[1]) == 0 || len(byPages[3]) == 0; seed++ {
		s, err := docgen.GenerateStatement(seed, false)
		if err != nil {
			b.Fatal(err)
		}
		d, err := dec.Decode(context.Background(), s.Data)
		if err != nil {
			b.Fatal(err)
		}
		if byPages[len(d.Pages)] == nil {
			byPages[len(d.Pages)] = s.Data
		}
	}
	data := byPages[1]
	e := New()
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("decode+extract/%dpages", n), func(b *testing.B) {
			for b.Loop() {
				d, err := dec.Decode(context.Background(), byPages[n])
				if err != nil {
					b.Fatal(err)
				}
				var pages []document.Page
				for _, p := range d.Pages {
					pages = append(pages, *p.TextLayer)
				}
				if _, err := e.Extract(pages); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*n), "ms/page")
		})
	}
	b.Run("extract", func(b *testing.B) {
		d, err := dec.Decode(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		pages := []document.Page{*d.Pages[0].TextLayer}
		for b.Loop() {
			if _, err := e.Extract(pages); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzExtract feeds arbitrary words, laid out as rows of a table, to the
// extractor: it must not panic, whatever OCR makes of a page.
func FuzzExtract(f *testing.F) {
	f.Add("Date Narration Debit Credit Balance\n01/04/2025 UPI/DR/1 1,200.00 10,800.00\nKUMAR\nClosing Balance : 10,800.00")
	f.Add("Opening Balance 1,00,000.00\nTxn Date Particulars Withdrawal Deposit Balance\n01-04-2025 X 27210787; 1,85,818.90Cr")
	f.Fuzz(func(t *testing.T, s string) {
		var p document.Page
		p.Number = 1
		for i, l := range strings.Split(s, "\n") {
			x := 10
			for _, w := range strings.Fields(l) {
				p.Words = append(p.Words, document.Word{Text: w, Conf: 0.9, Box: image.Rect(x, 10+30*i, x+13*len(w), 34+30*i), Block: 1, Para: 1, Line: i + 1})
				x += 13*len(w) + 40
			}
		}
		fd, err := New().Extract([]document.Page{p})
		if err == nil && len(fd.Names()) == 0 {
			t.Error("no fields and no error")
		}
	})
}

// TestCheckRowsWeakRow: the list is right only when every row is, so one
// doubtful row among many checking ones keeps it below the confident
// level, whether it fails the balance or holds a word OCR was unsure of.
func TestCheckRowsWeakRow(t *testing.T) {
	opening := int64(100000)
	word := func(text string, conf float64) document.Word { return document.Word{Text: text, Conf: conf} }
	var rows []row
	bal := opening
	for i := range 20 {
		bal -= 1000
		rows = append(rows, row{date: "01/01/2025", desc: []string{"ok"}, debit: 1000, balance: bal, hasBalance: true,
			words: []document.Word{word("01/01/2025", 0.96), word(fmt.Sprint("ROW", i), 0.95)}})
	}
	if _, c := checkRows(rows, &opening); c < 0.9 {
		t.Fatalf("confidence %.2f for twenty checking, well-read rows; want >= 0.9", c)
	}
	bad := slices.Clone(rows)
	bad[7].balance += 9000 // misread balance
	if _, c := checkRows(bad, &opening); c >= 0.9 {
		t.Errorf("confidence %.2f with a row failing the balance; want < 0.9", c)
	}
	unsure := slices.Clone(rows)
	unsure[3].words = []document.Word{word("01/01/2025", 0.96), word("JJO", 0.2)}
	if _, c := checkRows(unsure, &opening); c >= 0.9 {
		t.Errorf("confidence %.2f with a row's word read at 0.2; want < 0.9", c)
	}
}
