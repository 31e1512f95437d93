package classify

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// textLayerPages generates the clean PDF of typ and seed and reads its
// text layer as the engine does.
func textLayerPages(t *testing.T, typ document.Type, seed int64) []document.Page {
	t.Helper()
	s, err := docgen.GeneratePDF(seed, typ, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decode.New(decode.Limits{}).Decode(context.Background(), s.Data)
	if err != nil {
		t.Fatal(err)
	}
	var pages []document.Page
	for _, p := range d.Pages {
		if p.TextLayer != nil {
			pages = append(pages, *p.TextLayer)
		}
	}
	return pages
}

// TestSaleDeedFromTextLayer classifies generated deeds (the Uttar Pradesh
// and conveyance layouts; TestSaleDeedFromScan has two others) from
// their text layers, and the other PDF types' not as deeds. Few seeds: a
// deed's hundred-odd lines take a second to score against every rule set.
func TestSaleDeedFromTextLayer(t *testing.T) {
	c := Default()
	for _, seed := range []int64{2, 4} {
		pages := textLayerPages(t, document.TypeSaleDeed, seed)
		if got, conf, ok := c.Classify(pages); !ok || got != document.TypeSaleDeed {
			t.Errorf("deed seed %d: got %s %.2f %v, want SALE_DEED", seed, got, conf, ok)
		}
	}
	for _, typ := range []document.Type{document.TypeBankStatement, document.TypeGSTCert} {
		for _, seed := range []int64{1} {
			if got, _, ok := c.Classify(textLayerPages(t, typ, seed)); ok && got == document.TypeSaleDeed {
				t.Errorf("%s seed %d: classified as SALE_DEED", typ, seed)
			}
		}
	}
}

// TestSaleDeedFromScan classifies the recorded Tesseract output of
// scanned deeds (Karnataka, Maharashtra with its e-stamp).
func TestSaleDeedFromScan(t *testing.T) {
	c := Default()
	dir := filepath.Join("..", "extract", "saledeed", "testdata")
	for _, seed := range []int64{1, 6} {
		paths, err := filepath.Glob(filepath.Join(dir, fmt.Sprintf("scan-%d-p*.tsv", seed)))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no recorded pages for seed %d", seed)
		}
		var pages []document.Page
		for n := 1; n <= len(paths); n++ {
			ps, err := extracttest.LoadTSV(filepath.Join(dir, fmt.Sprintf("scan-%d-p%d.tsv", seed, n)))
			if err != nil {
				t.Fatal(err)
			}
			ps[0].Number = n
			pages = append(pages, ps[0])
		}
		if got, conf, ok := c.Classify(pages); !ok || got != document.TypeSaleDeed {
			t.Errorf("scan seed %d: got %s %.2f %v, want SALE_DEED", seed, got, conf, ok)
		}
	}
}

// TestSaleDeedRulesLeaveOthers checks that the recorded samples of the
// other types are not claimed by the sale deed rules, and that pages
// sharing a few of its words (a stamp paper, an invoice) are not deeds.
func TestSaleDeedRulesLeaveOthers(t *testing.T) {
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
			if sc.Type == document.TypeSaleDeed && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: sale deed rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		pages []document.Page
	}{
		{"bare stamp paper", page("INDIA NON JUDICIAL", "Government of Maharashtra e-Stamp", "Certificate No. IN-MH123", "Stamp Duty Amount(Rs.) 500")},
		{"invoice", page("TAX INVOICE", "GSTIN 27AAPFU0939F1ZV", "Invoice No 123", "Total Amount 125000.00", "in consideration of")},
	} {
		if got, _, ok := c.Classify(tc.pages); ok && got == document.TypeSaleDeed {
			t.Errorf("%s: classified as SALE_DEED", tc.name)
		}
	}
	// A deed's opening page alone is still a deed.
	deed := page("SALE DEED", "This Deed of Sale is made and executed at Pune on 12/03/2024",
		"BY: Shri RAHUL PATIL, S/o Shri AMOL PATIL, aged about 45 years,", "hereinafter called the VENDOR of the ONE PART;",
		"AND: Smt. PRIYA JOSHI, W/o Shri NITIN JOSHI,", "hereinafter called the PURCHASER of the OTHER PART.")
	if got, _, ok := c.Classify(deed); !ok || got != document.TypeSaleDeed {
		t.Errorf("deed opening: got %s %v, want SALE_DEED", got, ok)
	}
}
