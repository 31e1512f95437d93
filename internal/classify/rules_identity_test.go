package classify

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Recorded Tesseract output of each identity type (in its extractor's
// testdata) classifies as that type, and the PAN and Aadhaar samples are
// not taken for one of them, with all five rule sets registered.
func TestClassifyIdentity(t *testing.T) {
	c := Default()
	c.Register(VoterIDRules())
	c.Register(DrivingLicenseRules())
	c.Register(PassportRules())
	for _, dir := range []string{"../extract/voterid/testdata", "../extract/dl/testdata", "../extract/passport/testdata", extracttest.Dir()} {
		samples, err := extracttest.LoadSamples(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) == 0 {
			t.Fatalf("no samples in %s", dir)
		}
		for _, s := range samples {
			got, conf, ok := c.Classify(s.Pages)
			if !ok || got != s.Type {
				t.Errorf("%s: got %s %.2f %v, want %s", s.Name, got, conf, ok, s.Type)
			}
		}
	}
	if got, _, ok := c.Classify(page("Customer Form", "Name Ravi Kumar", "Date of Birth 16/07/1986")); ok {
		t.Errorf("a form: got %s", got)
	}
}
