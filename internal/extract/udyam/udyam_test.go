package udyam

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Real Tesseract output (--psm 6) of docgen certificates, seeds 1-4 clean
// and scanned (see TestRecord): clean ones fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "udyam_cert-", New())
}

// certificate is a small certificate as OCR reads it: label and value on
// one line, the classification rows newest first, and the incorporation,
// commencement, classification and printing dates all differing from the
// date of Udyam registration.
func certificate(number, state, owner string) []document.Page {
	ls := []extracttest.Placed{
		{X: 300, Y: 60, Text: "UDYAM REGISTRATION CERTIFICATE"},
		{X: 60, Y: 120, Text: "UDYAM REGISTRATION NUMBER"}, {X: 520, Y: 120, Text: number},
		{X: 60, Y: 170, Text: "NAME OF ENTERPRISE"}, {X: 520, Y: 170, Text: "M/S PATIL TRADERS"},
		{X: 60, Y: 220, Text: "TYPE OF ENTERPRISE"}, {X: 520, Y: 220, Text: "S.No. Classification Year Enterprise Type Classification Date"},
		{X: 520, Y: 270, Text: "1 2024-25 SMALL 02/04/2024"},
		{X: 520, Y: 320, Text: "2 2021-22 MICRO 15/07/2021"},
		{X: 60, Y: 370, Text: "MAJOR ACTIVITY"}, {X: 520, Y: 370, Text: "SERVICES"},
		{X: 60, Y: 420, Text: "SOCIAL CATEGORY OF ENTREPRENEUR"}, {X: 520, Y: 420, Text: "OBC"},
		{X: 60, Y: 520, Text: "OFFICIAL ADDRESS OF ENTERPRISE"},
		{X: 60, Y: 570, Text: "Flat/Door/Block No. SHOP NO 12          Name of Premises/ Building SAI RESIDENCY"},
		{X: 60, Y: 620, Text: "Village/Town SHIVAJI NAGAR          Block"},
		{X: 60, Y: 670, Text: "Road/Street/Lane MG ROAD          City PUNE"},
		{X: 60, Y: 720, Text: "State " + state + "          District PUNE"},
		{X: 60, Y: 770, Text: "Pin 411012          Mobile 98*****12"},
		{X: 60, Y: 820, Text: "DATE OF INCORPORATION / REGISTRATION OF ENTERPRISE"}, {X: 700, Y: 820, Text: "03/03/2015"},
		{X: 60, Y: 870, Text: "DATE OF COMMENCEMENT OF PRODUCTION/BUSINESS"}, {X: 700, Y: 870, Text: "04/04/2016"},
		{X: 60, Y: 920, Text: "DATE OF UDYAM REGISTRATION"}, {X: 520, Y: 920, Text: "15/07/2021"},
		{X: 60, Y: 980, Text: "Disclaimer: This is computer generated. Date of printing: 01/01/2025"},
	}
	if owner != "" {
		ls = append(ls, extracttest.Placed{X: 60, Y: 470, Text: "NAME OF ENTREPRENEUR"}, extracttest.Placed{X: 520, Y: 470, Text: owner})
	}
	return extracttest.Build(ls...)
}

func TestExtract(t *testing.T) {
	fd, err := New().Extract(certificate("UDYAM-MH-26-0123456", "MAHARASHTRA", "RAHUL PATIL"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"udyam_number": "UDYAM-MH-26-0123456", "enterprise_name": "M/S PATIL TRADERS", "owner_name": "RAHUL PATIL",
		"address":              "SHOP NO 12, SAI RESIDENCY, SHIVAJI NAGAR, MG ROAD, PUNE, PUNE, MAHARASHTRA, 411012",
		"type_of_enterprise":   "SMALL", // the latest year's row, though printed first
		"date_of_registration": "15/07/2021",
	}
	for k, w := range want {
		if got, _ := extracttest.Value(fd, k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	for k, rule := range map[string]string{"udyam_number": validate.RuleUdyam, "date_of_registration": validate.RuleDate, "address": RulePINState} {
		if _, f := extracttest.Value(fd, k); f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != rule {
			t.Errorf("%s validation %+v, want %s passed", k, f.Validation, rule)
		}
	}
}

// Without an entrepreneur row there is no owner_name, and no other name
// is taken for it.
func TestNoOwner(t *testing.T) {
	fd, err := New().Extract(certificate("UDYAM-MH-26-0123456", "MAHARASHTRA", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := extracttest.Value(fd, "owner_name"); got != "" {
		t.Errorf("owner_name = %q, want none", got)
	}
}

// OCR slips in the number are repaired: a dash read as an em dash, the 0
// of the district read as O. A state code of another state than the
// address's keeps the value but lowers its confidence.
func TestNumber(t *testing.T) {
	fd, err := New().Extract(certificate("UDYAM—MH-2O-0123456", "MAHARASHTRA", ""))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := extracttest.Value(fd, "udyam_number")
	if got != "UDYAM-MH-20-0123456" {
		t.Errorf("udyam_number = %q", got)
	}
	fd, err = New().Extract(certificate("UDYAM-GJ-26-0123456", "MAHARASHTRA", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got, other := extracttest.Value(fd, "udyam_number"); got != "UDYAM-GJ-26-0123456" || other.Confidence >= ok.Confidence || other.Confidence >= 0.9 {
		t.Errorf("udyam_number %q confidence %.2f, want below %.2f and 0.9", got, other.Confidence, ok.Confidence)
	}
	fd, err = New().Extract(certificate("UDYAM-QQ-26-0123456", "MAHARASHTRA", ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, f := extracttest.Value(fd, "udyam_number"); f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
		t.Errorf("unknown state code: validation %+v confidence %.2f", f.Validation, f.Confidence)
	}
}

// A PIN outside the state's postal zone fails pin_state and caps the
// address's confidence.
func TestPINZone(t *testing.T) {
	fd, err := New().Extract(certificate("UDYAM-TN-26-0123456", "TAMIL NADU", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got, f := extracttest.Value(fd, "address"); f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
		t.Errorf("address %q validation %+v confidence %.2f", got, f.Validation, f.Confidence)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// FuzzExtract feeds arbitrary OCR lines: the extractor must not panic and
// must either read something or say the page is unreadable.
func FuzzExtract(f *testing.F) {
	f.Add("UDYAM REGISTRATION NUMBER UDYAM-MH-26-0123456", "State MAHARASHTRA District PUNE", "Pin 411012")
	f.Add("UD YAM-G)-38-6570402", "Village/Town Bock", "DATE OF UDYAM REGISTRATION «25/06/2023")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		fd, err := New().Extract(extracttest.Build(
			extracttest.Placed{X: 10, Y: 10, Text: a},
			extracttest.Placed{X: 10, Y: 50, Text: b},
			extracttest.Placed{X: 10, Y: 90, Text: c},
		))
		if (fd == nil) == (err == nil) {
			t.Errorf("fd %v err %v", fd, err)
		}
	})
}
