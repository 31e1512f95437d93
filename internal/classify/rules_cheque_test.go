package classify

import (
	"path/filepath"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestChequeRecorded classifies the recorded Tesseract output of docgen
// cheques (clean and scanned, every style) as CHEQUE.
func TestChequeRecorded(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(filepath.Join("..", "extract", "cheque", "testdata"), "cheque-")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded cheques")
	}
	for _, s := range samples {
		if got, conf, ok := c.Classify(s.Pages); !ok || got != document.TypeCheque {
			t.Errorf("%s (%s): got %s %.2f %v, want CHEQUE", s.Name, s.Layout, got, conf, ok)
		}
	}
}

// TestChequeRulesLeaveOthers checks that recorded samples of the other
// types (identity cards, invoices, statements, licences) are not claimed
// by the cheque rules.
func TestChequeRulesLeaveOthers(t *testing.T) {
	c := Default()
	var all []extracttest.Sample
	for _, dir := range []string{extracttest.Dir(), filepath.Join("..", "extract", "invoice", "testdata"),
		filepath.Join("..", "extract", "statement", "testdata"), filepath.Join("..", "extract", "dl", "testdata"),
		filepath.Join("..", "extract", "voterid", "testdata"), filepath.Join("..", "extract", "passport", "testdata")} {
		s, err := extracttest.LoadSamples(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, s...)
	}
	if len(all) == 0 {
		t.Fatal("no recorded samples")
	}
	for _, s := range all {
		for _, sc := range c.Scores(s.Pages) {
			if sc.Type == document.TypeCheque && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: cheque rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
			}
		}
	}
}

func TestChequeRulesSynthetic(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  document.Type
	}{
		{"cancelled cheque", page("HDFC BANK", "IFSC: HDFC0001234", "Pay or Bearer", "Rupees", "CANCELLED",
			"SB A/c No. 50100123456789", "RAVI KUMAR", "Please sign above", "= 012345 & 411240123 I 456789 © 11"), document.TypeCheque},
		// The code line and a few words: a photo that lost the rest.
		{"code line", page("Pay or Bearer", "= 012345 & 411240123 I 456789 © 11"), document.TypeCheque},
		{"statement", page("STATE BANK OF INDIA", "Account Statement", "Account Number 12345678901", "IFSC SBIN0001234",
			"Opening Balance 10,000.00", "Closing Balance 12,000.00"), ""},
		{"receipt", page("Received with thanks Rupees Five Thousand", "Pay", "A/c No 123456789"), ""},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want == "" {
			if ok && got == document.TypeCheque {
				t.Errorf("%s: got %s (%.2f)", tc.name, got, conf)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("%s: got %s %.2f %v, want %s", tc.name, got, conf, ok, tc.want)
		}
	}
}
