package passport

import (
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

func newAt() *Extractor {
	return &Extractor{now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
}

// The MRZ's check digits repair and vouch for the number and the dates;
// a filler read as a digit ("<11IND") is skipped.
func TestMRZ(t *testing.T) {
	pages := extracttest.Build(
		extracttest.Placed{X: 500, Y: 60, Text: "REPUBLIC OF INDIA"},
		extracttest.Placed{X: 380, Y: 200, Text: "Surname"},
		extracttest.Placed{X: 380, Y: 236, Text: "KRISHNAN"},
		extracttest.Placed{X: 380, Y: 280, Text: "Given Name(s)"},
		extracttest.Placed{X: 380, Y: 316, Text: "KARUN"},
		extracttest.Placed{X: 40, Y: 740, Text: "P<INDKRISHNAN<<K<ARUNK<<<<<<<<<<<<<<<<<<<<<<<"},
		extracttest.Placed{X: 40, Y: 810, Text: "$5200822<11IND8204273M2910231<<<<<<<<<<<<<<Q8"},
	)
	fd, err := newAt().Extract(pages)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"passport_number": "S5200822", "surname": "KRISHNAN", "given_names": "K ARUN", "name": "K ARUN KRISHNAN",
		"gender": "MALE", "nationality": "INDIAN", "date_of_birth": "27/04/1982", "date_of_expiry": "23/10/2029",
	} {
		if got, _ := extracttest.Value(fd, k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	_, f := extracttest.Value(fd, "passport_number")
	if f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != "mrz_check_digit" {
		t.Errorf("passport_number validation %+v", f.Validation)
	}
}

// A wrong MRZ check digit leaves the printed number, never high.
func TestMRZCheckFails(t *testing.T) {
	if _, check, _ := number("S5200822<7"); check.Passed() {
		t.Error("wrong check digit passed")
	}
	if v, check, _ := number("S5200822<1"); v != "S5200822" || !check.Passed() {
		t.Errorf("number = %q %+v", v, check)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// Real Tesseract output of docgen pages (see record_test.go): clean ones
// fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "passport-", newAt())
}
