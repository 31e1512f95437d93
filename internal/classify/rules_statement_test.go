package classify

import (
	"context"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestStatementFromTextLayer classifies generated statements (both
// layouts) from the text layer the decoder reads out of their PDFs.
func TestStatementFromTextLayer(t *testing.T) {
	c := Default()
	dec := decode.New(decode.Limits{})
	for seed := int64(1); seed <= 4; seed++ {
		s, err := docgen.GenerateStatement(seed, false)
		if err != nil {
			t.Fatal(err)
		}
		d, err := dec.Decode(context.Background(), s.Data)
		if err != nil {
			t.Fatal(err)
		}
		var pages []document.Page
		for _, p := range d.Pages {
			pages = append(pages, *p.TextLayer)
		}
		got, conf, ok := c.Classify(pages)
		if !ok || got != document.TypeBankStatement {
			t.Errorf("seed %d (%s): got %s %.2f %v, want BANK_STATEMENT", seed, s.Layout, got, conf, ok)
		}
		// Page 2 alone (a table without the title) is still a statement.
		if len(pages) > 1 {
			if got, _, ok := c.Classify(pages[1:2]); !ok || got != document.TypeBankStatement {
				t.Errorf("seed %d page 2 alone: got %s %v, want BANK_STATEMENT", seed, got, ok)
			}
		}
	}
}

// TestStatementRulesLeaveIDs checks that the recorded PAN and Aadhaar
// samples keep their type with the statement rules registered.
func TestStatementRulesLeaveIDs(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(extracttest.Dir(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded samples")
	}
	for _, s := range samples {
		for _, sc := range c.Scores(s.Pages) {
			if sc.Type == document.TypeBankStatement && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: statement rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
			}
		}
		if got, _, ok := c.Classify(s.Pages); ok && got == document.TypeBankStatement {
			t.Errorf("%s: classified as BANK_STATEMENT", s.Name)
		}
	}
}

func TestStatementRulesSynthetic(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  document.Type
	}{
		{"statement header and table", page("STATE BANK OF INDIA", "Account Statement", "Account Number 12345678901", "IFSC SBIN0001234", "Date Narration Debit Credit Balance",
			"01/04/2025 UPI/DR/1234/RAVI 1,200.00 10,800.00", "03/04/2025 SALARY 50,000.00 60,800.00", "05/04/2025 ATM WDL 5,000.00 55,800.00"), document.TypeBankStatement},
		// Each cell its own OCR line, as Tesseract often splits tables.
		{"table only", extracttest.Build(
			extracttest.Placed{X: 10, Y: 10, Text: "Txn Date"}, extracttest.Placed{X: 200, Y: 10, Text: "Particulars"},
			extracttest.Placed{X: 600, Y: 10, Text: "Withdrawal"}, extracttest.Placed{X: 800, Y: 10, Text: "Deposit"}, extracttest.Placed{X: 1000, Y: 10, Text: "Balance"},
			extracttest.Placed{X: 10, Y: 50, Text: "01-04-2025"}, extracttest.Placed{X: 200, Y: 50, Text: "NEFT-RAVI"},
			extracttest.Placed{X: 628, Y: 50, Text: "1,200.00"}, extracttest.Placed{X: 972, Y: 50, Text: "10,800.00"},
			extracttest.Placed{X: 10, Y: 90, Text: "03-04-2025"}, extracttest.Placed{X: 200, Y: 90, Text: "POS 123"},
			extracttest.Placed{X: 670, Y: 90, Text: "50.00"}, extracttest.Placed{X: 972, Y: 90, Text: "10,750.00"},
			extracttest.Placed{X: 10, Y: 130, Text: "05-04-2025"}, extracttest.Placed{X: 200, Y: 130, Text: "ATM WDL"},
			extracttest.Placed{X: 838, Y: 130, Text: "500.00"}, extracttest.Placed{X: 972, Y: 130, Text: "11,250.00"},
		), document.TypeBankStatement},
		{"cheque", page("STATE BANK OF INDIA", "IFSC SBIN0001234", "Pay", "Rupees", "A/c No 12345678901"), ""},
		{"invoice", page("TAX INVOICE", "GSTIN 27AAPFU0939F1ZV", "Invoice No 123", "Balance due 125000.00"), ""},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want == "" {
			if ok && got == document.TypeBankStatement {
				t.Errorf("%s: got %s (%.2f)", tc.name, got, conf)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("%s: got %s %.2f %v, want %s", tc.name, got, conf, ok, tc.want)
		}
	}
}
