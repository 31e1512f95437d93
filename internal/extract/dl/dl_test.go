package dl

import (
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

func newAt() *Extractor {
	return &Extractor{now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
}

func TestLayouts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []extracttest.Placed
		want  map[string]string
	}{
		{"old", []extracttest.Placed{
			{X: 400, Y: 40, Text: "Union of India"},
			{X: 380, Y: 80, Text: "Driving Licence"},
			{X: 30, Y: 150, Text: "DL No : BR34 2OO18044737"},
			{X: 30, Y: 192, Text: "DOI : 01/02/2001"},
			{X: 30, Y: 234, Text: "Valid Till : 31/01/2021 (NT)"},
			{X: 30, Y: 276, Text: "Name : PANKAJ SINHA"},
			{X: 30, Y: 318, Text: "S/D/W of : ARVIND SINHA"},
			{X: 30, Y: 360, Text: "DOB : 06/03/1978"},
			{X: 30, Y: 402, Text: "Address :"},
			{X: 30, Y: 436, Text: "126, MG Road, Patna, Bihar - 800063"},
		}, map[string]string{"dl_number": "BR3420018044737", "state": "Bihar", "name": "PANKAJ SINHA", "relation_name": "ARVIND SINHA", "date_of_birth": "06/03/1978", "issue_date": "01/02/2001", "valid_till": "31/01/2021", "address": "126, MG Road, Patna, Bihar, 800063"}},
		{"new", []extracttest.Placed{
			{X: 300, Y: 40, Text: "Indian Union Driving Licence"},
			{X: 215, Y: 150, Text: "Licence No. : GJ-1820227941097"},
			{X: 215, Y: 192, Text: "Name : KALPESH BHAI MEHTA"},
			{X: 215, Y: 234, Text: "Date of Birth : 18/06/1993"},
			{X: 215, Y: 276, Text: "Son/Daughter/Wife of : BHAVESH MEHTA"},
			{X: 215, Y: 318, Text: "Issue Date : 11/06/2022"},
			{X: 215, Y: 360, Text: "Validity (NT) : 10/06/2042"},
		}, map[string]string{"dl_number": "GJ1820227941097", "state": "Gujarat", "name": "KALPESH BHAI MEHTA", "relation_name": "BHAVESH MEHTA", "date_of_birth": "18/06/1993", "issue_date": "11/06/2022", "valid_till": "10/06/2042"}},
	} {
		fd, err := newAt().Extract(extracttest.Build(tc.lines...))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for k, want := range tc.want {
			if got, _ := extracttest.Value(fd, k); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, got, want)
			}
		}
	}
}

// A number with an unknown state code fails its structure check and is
// capped at 0.5.
func TestNumberStructure(t *testing.T) {
	fd, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "DL No : XX12 20110012345"}))
	if err != nil {
		t.Fatal(err)
	}
	_, f := extracttest.Value(fd, "dl_number")
	if f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
		t.Errorf("validation %+v confidence %.2f", f.Validation, f.Confidence)
	}
	if _, ok := fd.Get("state"); ok {
		t.Error("state from an unknown code")
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// Real Tesseract output of docgen cards (see record_test.go): clean ones
// fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "driving_license-", newAt())
}
