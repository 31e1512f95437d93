package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

func TestFormatAmount(t *testing.T) {
	for _, tc := range []struct {
		paise  int64
		indian bool
		want   string
	}{
		{12500000, true, "1,25,000.00"},
		{12500000, false, "125,000.00"},
		{5, true, "0.05"},
		{99999, true, "999.99"},
		{100000, true, "1,000.00"},
		{1000000099, true, "1,00,00,000.99"},
		{1000000099, false, "10,000,000.99"},
	} {
		if got := formatAmount(tc.paise, tc.indian); got != tc.want {
			t.Errorf("formatAmount(%d, %v) = %q, want %q", tc.paise, tc.indian, got, tc.want)
		}
	}
}

func TestWrapDesc(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		{"SALARY JUN 2024 ACME SOFTWARE PVT LTD", 30, []string{"SALARY JUN 2024 ACME SOFTWARE", "PVT LTD"}},
		{"UPI/DR/123456789012/RAVI KUMAR/ravi12@ybl", 30, []string{"UPI/DR/123456789012/RAVI", "KUMAR/ravi12@ybl"}},
		{"ACH D- TATA CAPITAL 12345678", 8, []string{"ACH", "D- TATA", "CAPITAL", "12345678"}},
		{"ATM WDL", 30, []string{"ATM WDL"}},
	} {
		got := wrapDesc(tc.in, tc.n)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapDesc(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// checkXref checks that every xref entry points at its object.
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	off, err := strconv.Atoi(strings.Fields(string(pdf[i+len("startxref\n"):]))[0])
	if err != nil || !bytes.HasPrefix(pdf[off:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", off)
	}
	lines := strings.Split(string(pdf[off:]), "\n")
	var n int
	fmt.Sscanf(lines[1], "0 %d", &n)
	for k := 1; k < n; k++ {
		o, _ := strconv.Atoi(lines[2+k][:10])
		if want := fmt.Sprintf("%d 0 obj", k); !bytes.HasPrefix(pdf[o:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", k, pdf[o:min(o+12, len(pdf))])
		}
	}
}

// TestGenerateStatement checks generated statements: deterministic, a
// valid xref, 1-3 pages, a structurally valid IFSC, and a truth whose
// running balances add up from the opening to the closing balance.
func TestGenerateStatement(t *testing.T) {
	layouts := map[string]bool{}
	pageCounts := map[int]bool{}
	for seed := int64(1); seed <= 30; seed++ {
		s, err := GenerateStatement(seed, false)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := GenerateStatement(seed, false)
		if !bytes.Equal(s.Data, again.Data) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		if s.Type != document.TypeBankStatement || s.Format != "pdf" {
			t.Errorf("seed %d: type %s format %s", seed, s.Type, s.Format)
		}
		checkXref(t, s.Data)
		pages := bytes.Count(s.Data, []byte("/Type /Page /Parent"))
		pageCounts[pages] = true
		if pages < 1 || pages > 3 {
			t.Errorf("seed %d: %d pages", seed, pages)
		}
		layouts[s.Layout] = true
		if !validate.IFSC(s.Truth["ifsc"]).Passed() {
			t.Errorf("seed %d: IFSC %q fails", seed, s.Truth["ifsc"])
		}
		var txns []StatementTxn
		if err := json.Unmarshal([]byte(s.Truth["transactions"]), &txns); err != nil {
			t.Fatal(err)
		}
		if len(txns) < 10 || len(txns) > 40 {
			t.Errorf("seed %d: %d transactions", seed, len(txns))
		}
		bal := paise(t, s.Truth["opening_balance"])
		for i, tx := range txns {
			if (tx.Debit == "") == (tx.Credit == "") {
				t.Errorf("seed %d row %d: debit %q credit %q, want exactly one", seed, i, tx.Debit, tx.Credit)
			}
			bal += paise(t, tx.Credit) - paise(t, tx.Debit)
			if bal != paise(t, tx.Balance) {
				t.Fatalf("seed %d row %d: balance %s, running %d", seed, i, tx.Balance, bal)
			}
		}
		if bal != paise(t, s.Truth["closing_balance"]) {
			t.Errorf("seed %d: closing %s, running %d", seed, s.Truth["closing_balance"], bal)
		}
	}
	if len(layouts) != len(stmtLayouts) || len(pageCounts) < 3 {
		t.Errorf("layouts %v, page counts %v: want every layout and 1, 2 and 3 pages", layouts, pageCounts)
	}
}

var plainRe = regexp.MustCompile(`^\d+\.\d\d$`)

func paise(t *testing.T, s string) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	if !plainRe.MatchString(s) {
		t.Fatalf("amount %q is not a plain decimal", s)
	}
	v, _ := strconv.ParseInt(strings.Replace(s, ".", "", 1), 10, 64)
	return v
}

// TestGenerateStatementScanned checks a scanned statement: one JPEG image
// a page, no text, the same truth as the unscanned one.
func TestGenerateStatementScanned(t *testing.T) {
	s, err := GenerateStatement(2, true)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := GenerateStatement(2, false)
	checkXref(t, s.Data)
	pages := bytes.Count(s.Data, []byte("/Type /Page /Parent"))
	if n := bytes.Count(s.Data, []byte("/DCTDecode")); n != pages {
		t.Errorf("%d images for %d pages", n, pages)
	}
	if bytes.Contains(s.Data, []byte("BT /F")) {
		t.Error("scanned PDF has text")
	}
	if s.Condition != Scan || s.Width < 1600 || s.Truth["transactions"] != text.Truth["transactions"] {
		t.Errorf("condition %s width %d, truth same as text: %v", s.Condition, s.Width, s.Truth["transactions"] == text.Truth["transactions"])
	}
}
