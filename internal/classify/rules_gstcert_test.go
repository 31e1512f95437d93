package classify

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestGSTCertFromTextLayer classifies generated certificates (every
// layout among the seeds) from the text layer of their PDFs, and checks
// that the invoice rules, which also look for GSTINs, do not claim them.
func TestGSTCertFromTextLayer(t *testing.T) {
	c := Default()
	dec := decode.New(decode.Limits{})
	layouts := map[string]bool{}
	for _, seed := range []int64{1, 2, 3, 4, 11} {
		s, err := docgen.GeneratePDF(seed, document.TypeGSTCert, false)
		if err != nil {
			t.Fatal(err)
		}
		layouts[s.Layout] = true
		d, err := dec.Decode(context.Background(), s.Data)
		if err != nil {
			t.Fatal(err)
		}
		var pages []document.Page
		for _, p := range d.Pages {
			pages = append(pages, *p.TextLayer)
		}
		got, conf, ok := c.Classify(pages)
		if !ok || got != document.TypeGSTCert {
			t.Errorf("seed %d (%s): got %s %.2f %v, want GST_CERT", seed, s.Layout, got, conf, ok)
		}
		for _, sc := range c.Scores(pages) {
			if sc.Type == document.TypeInvoice && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("seed %d: invoice rules claim it (%.2f, %v)", seed, sc.Total, sc.Matched)
			}
		}
	}
	if len(layouts) < 4 {
		t.Errorf("layouts seen %v, want all 4", layouts)
	}
}

// TestGSTCertRecorded classifies the recorded scanned and text-layer
// certificates of extract/gstcert.
func TestGSTCertRecorded(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "extract", "gstcert", "testdata")
	paths, err := filepath.Glob(filepath.Join(dir, "gst_cert-*-p1.tsv"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recorded certificates in %s (%v)", dir, err)
	}
	c := Default()
	for _, p := range paths {
		var pages []document.Page
		for n := 1; ; n++ {
			ps, err := extracttest.LoadTSV(p[:len(p)-len("1.tsv")] + string(rune('0'+n)) + ".tsv")
			if err != nil {
				break
			}
			pages = append(pages, ps...)
		}
		if got, conf, ok := c.Classify(pages); !ok || got != document.TypeGSTCert {
			t.Errorf("%s: got %s %.2f %v, want GST_CERT", filepath.Base(p), got, conf, ok)
		}
	}
}

// TestGSTCertRulesLeaveOthers checks that recorded invoices, statements
// and identity cards keep their type, or stay unrecognised, with the GST
// certificate rules registered, and that the rules never claim them.
func TestGSTCertRulesLeaveOthers(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "extract")
	var samples []extracttest.Sample
	for _, dir := range []string{extracttest.Dir(), filepath.Join(root, "invoice", "testdata")} {
		s, err := extracttest.LoadSamples(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, s...)
	}
	invoices := 0
	for _, s := range samples {
		if s.Type == document.TypeInvoice {
			invoices++
		}
	}
	if invoices == 0 || len(samples) == invoices {
		t.Fatalf("%d samples, %d invoices: want both invoices and others", len(samples), invoices)
	}
	c := Default()
	for _, s := range samples {
		for _, sc := range c.Scores(s.Pages) {
			if sc.Type == document.TypeGSTCert && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: GST certificate rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
			}
		}
		if got, _, ok := c.Classify(s.Pages); ok && got == document.TypeGSTCert {
			t.Errorf("%s: classified as GST_CERT", s.Name)
		}
	}
	// Statements from their text layer.
	dec := decode.New(decode.Limits{})
	for seed := int64(1); seed <= 3; seed++ {
		st, err := docgen.GenerateStatement(seed, false)
		if err != nil {
			t.Fatal(err)
		}
		d, err := dec.Decode(context.Background(), st.Data)
		if err != nil {
			t.Fatal(err)
		}
		var pages []document.Page
		for _, p := range d.Pages {
			pages = append(pages, *p.TextLayer)
		}
		if got, _, ok := c.Classify(pages); ok && got == document.TypeGSTCert {
			t.Errorf("statement %d: classified as GST_CERT", seed)
		}
	}
}

func TestGSTCertRulesSynthetic(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  document.Type
	}{
		{"certificate page 1", page("Government of India", "Form GST REG-06", "Registration Certificate", "Registration Number: 27ABCFY1234K1Z1",
			"1. Legal Name PATIL TRADERS", "3. Constitution of Business Partnership", "4. Address of Principal Place of Business Shop No 4, Pune, Maharashtra, 411001",
			"5. Date of Liability 01/07/2017", "7. Type of Registration Regular"), document.TypeGSTCert},
		// An invoice printing the seller's legal and trade names and GSTIN.
		{"invoice with names", page("TAX INVOICE", "Legal Name PATIL TRADERS", "Trade Name PATIL TRADERS", "GSTIN 27ABCFY1234K1Z1",
			"Invoice No INV/123", "Invoice Date 01/04/2024", "Taxable Amount 1,000.00", "CGST 90.00", "SGST 90.00"), document.TypeInvoice},
		{"udyam-like", page("UDYAM REGISTRATION CERTIFICATE", "Name of Enterprise PATIL TRADERS", "Type of Enterprise Micro", "Date of Registration 01/07/2021"), ""},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want == "" {
			if ok && got == document.TypeGSTCert {
				t.Errorf("%s: got %s (%.2f)", tc.name, got, conf)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("%s: got %s %.2f %v, want %s", tc.name, got, conf, ok, tc.want)
		}
	}
}
