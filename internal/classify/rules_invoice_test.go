package classify

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestInvoiceRecorded classifies the recorded Tesseract output of docgen
// invoices, clean and scanned.
func TestInvoiceRecorded(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(filepath.Join("..", "extract", "invoice", "testdata"), "invoice-")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded invoices")
	}
	for _, s := range samples {
		if got, conf, ok := c.Classify(s.Pages); !ok || got != document.TypeInvoice {
			t.Errorf("%s: got %s %.2f %v, want INVOICE", s.Name, got, conf, ok)
		}
	}
}

func TestInvoiceSynthetic(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  document.Type
	}{
		{"invoice", page("TAX INVOICE", "Sharma Traders", "GSTIN: 27AAPFU0939F1ZV", "Invoice No: INV/2024-25/0012", "Invoice Date: 01/04/2024",
			"Description HSN Qty Rate Amount", "Taxable Amount 1,000.00", "CGST @ 9% 90.00", "SGST @ 9% 90.00", "Total Amount 1,180.00"), document.TypeInvoice},
		// The title alone with an amount is not enough.
		{"title only", page("TAX INVOICE", "Total Amount 1,180.00"), ""},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want == "" {
			if ok && got == document.TypeInvoice {
				t.Errorf("%s: classified as INVOICE (%.2f)", tc.name, conf)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("%s: got %s %.2f %v, want %s", tc.name, got, conf, ok, tc.want)
		}
	}
}

// TestInvoiceRulesLeaveOthers checks that recorded PAN and Aadhaar samples
// and generated bank statements are not taken for invoices.
func TestInvoiceRulesLeaveOthers(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(extracttest.Dir(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded samples")
	}
	var pages [][]document.Page
	var names []string
	for _, s := range samples {
		pages, names = append(pages, s.Pages), append(names, s.Name)
	}
	dec := decode.New(decode.Limits{})
	for seed := int64(1); seed <= 2; seed++ {
		s, err := docgen.GenerateStatement(seed, false)
		if err != nil {
			t.Fatal(err)
		}
		d, err := dec.Decode(context.Background(), s.Data)
		if err != nil {
			t.Fatal(err)
		}
		pages, names = append(pages, []document.Page{*d.Pages[0].TextLayer}), append(names, "statement "+s.Layout)
	}
	for i, p := range pages {
		for _, sc := range c.Scores(p) {
			if sc.Type == document.TypeInvoice && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: invoice rules claim it (%.2f, %v)", names[i], sc.Total, sc.Matched)
			}
		}
		if got, _, ok := c.Classify(p); ok && got == document.TypeInvoice {
			t.Errorf("%s: classified as INVOICE", names[i])
		}
	}
}
