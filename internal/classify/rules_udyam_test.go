package classify

import (
	"path/filepath"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestUdyamRecorded classifies the recorded Tesseract output of docgen
// Udyam certificates, clean and scanned.
func TestUdyamRecorded(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(filepath.Join("..", "extract", "udyam", "testdata"), "udyam_cert-")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded certificates")
	}
	for _, s := range samples {
		if got, conf, ok := c.Classify(s.Pages); !ok || got != document.TypeUdyamCert {
			t.Errorf("%s: got %s %.2f %v, want UDYAM_CERT", s.Name, got, conf, ok)
		}
	}
}

// TestUdyamRulesLeaveOthers checks that the recorded samples of the other
// types (cards, invoices) are not claimed by the Udyam rules.
func TestUdyamRulesLeaveOthers(t *testing.T) {
	c := Default()
	var all []extracttest.Sample
	for _, dir := range []string{extracttest.Dir(), filepath.Join("..", "extract", "invoice", "testdata"), filepath.Join("..", "extract", "statement", "testdata")} {
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
			if sc.Type == document.TypeUdyamCert && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: Udyam rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
			}
		}
	}
}

// A page with the number alone, or the ministry alone, is not enough.
func TestUdyamSynthetic(t *testing.T) {
	c := Default()
	if got, _, ok := c.Classify(page("UDYAM REGISTRATION CERTIFICATE", "Udyam Registration Number UDYAM-MH-26-0123456",
		"Name of Enterprise Patil Traders", "Type of Enterprise", "Date of Udyam Registration 01/08/2021")); !ok || got != document.TypeUdyamCert {
		t.Errorf("certificate: got %s %v", got, ok)
	}
	for _, p := range [][]document.Page{
		page("Ref UDYAM-MH-26-0123456", "Total Amount 1,180.00"),
		page("Ministry of Micro, Small & Medium Enterprises", "Notice"),
	} {
		if got, _, ok := c.Classify(p); ok && got == document.TypeUdyamCert {
			t.Errorf("%v: classified as UDYAM_CERT", p[0].Text())
		}
	}
}
