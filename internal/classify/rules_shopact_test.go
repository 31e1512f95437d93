package classify

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestShopActRecorded classifies the recorded Tesseract output of docgen
// shop-act licences of the three states, clean, scanned and photographed.
func TestShopActRecorded(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(filepath.Join("..", "extract", "shopact", "testdata"), "shop_act_license-")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded shop-act licences")
	}
	states := map[string]bool{}
	for _, s := range samples {
		states[strings.Split(s.Layout, "-")[1]] = true
		if got, conf, ok := c.Classify(s.Pages); !ok || got != document.TypeShopAct {
			t.Errorf("%s (%s): got %s %.2f %v, want SHOP_ACT_LICENSE", s.Name, s.Layout, got, conf, ok)
		}
	}
	if len(states) < 3 {
		t.Errorf("recorded samples cover states %v, want all three", states)
	}
}

func TestShopActSynthetic(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  bool
	}{
		{"delhi form b", page("Government of NCT of Delhi", "Labour Department", "FORM B", "Registration Certificate of Establishment",
			"Delhi Shops and Establishments Act, 1954", "Reg. No. 2024012345678", "Name of Shop Sharma Traders",
			"Name of the Occupier/Owner Anil Sharma", "Nature of Business Wholesale Trade", "Valid till 31/03/2029"), true},
		// The Act named in a letter's sentence, with nothing of the form.
		{"act mentioned", page("Dear Sir,", "Your application under the Shops and Establishments Act is pending.", "Regards"), false},
		// An Udyam certificate's words: an enterprise, a commencement date.
		{"udyam", page("UDYAM REGISTRATION CERTIFICATE", "UDYAM REGISTRATION NUMBER UDYAM-MH-26-0012345", "NAME OF ENTERPRISE SHREE TRADERS",
			"TYPE OF ENTERPRISE MICRO", "MAJOR ACTIVITY SERVICES", "DATE OF COMMENCEMENT OF PRODUCTION/BUSINESS 01/04/2020",
			"Ministry of Micro, Small and Medium Enterprises"), false},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want != (ok && got == document.TypeShopAct) {
			t.Errorf("%s: got %s %.2f %v, want shop act %v", tc.name, got, conf, ok, tc.want)
		}
	}
}

// TestShopActRulesLeaveOthers checks that no recorded sample of another
// type (the shared samples and each extractor's own recordings) meets the
// shop-act rules' thresholds.
func TestShopActRulesLeaveOthers(t *testing.T) {
	// Only the shop-act rules are scored: the others' would cost time and
	// say nothing here.
	c := New()
	c.Register(ShopActRules())
	dirs, err := filepath.Glob(filepath.Join("..", "extract", "*", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, extracttest.Dir())
	n := 0
	for _, dir := range dirs {
		samples, err := extracttest.LoadSamples(dir, "")
		if err != nil {
			continue // a directory of other fixtures
		}
		for _, s := range samples {
			if s.Type == document.TypeShopAct {
				continue
			}
			n++
			for _, sc := range c.Scores(s.Pages) {
				if sc.Type == document.TypeShopAct && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
					t.Errorf("%s: shop-act rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d recorded samples of other types", n)
	}
}
