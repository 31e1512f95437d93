package shopact

import (
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Real Tesseract output (--psm 6) of docgen licences, 4 clean and 4
// scanned (seeds 1-4: Karnataka, Delhi, Maharashtra; see TestRecord):
// clean ones fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "shop_act_license-", New())
}

// maharashtra is a Form F receipt as OCR reads it, with the registration
// date and number given.
func maharashtra(number, issued string) []document.Page {
	return extracttest.Build(
		extracttest.Placed{X: 300, Y: 40, Text: "Government of Maharashtra"},
		extracttest.Placed{X: 400, Y: 80, Text: "INTIMATION RECEIPT"},
		extracttest.Placed{X: 20, Y: 120, Text: "The Maharashtra Shops and Establishments (Regulation of Employment and"},
		extracttest.Placed{X: 60, Y: 200, Text: "1. Registration No. : " + number},
		extracttest.Placed{X: 60, Y: 250, Text: "2. Name of Employer : SACHIN JADHAV"},
		extracttest.Placed{X: 60, Y: 300, Text: "3. Name of the Establishment : SHREE JADHAV TRADERS"},
		extracttest.Placed{X: 60, Y: 350, Text: "4. Postal address of the establishment : Shop No 12, MG Road, Shivaji Nagar,"},
		extracttest.Placed{X: 610, Y: 390, Text: "Pune, Maharashtra - 411012"},
		extracttest.Placed{X: 60, Y: 440, Text: "5. Category of Business : Retail Trade - Grocery"},
		extracttest.Placed{X: 60, Y: 490, Text: "6. Date of commencement : 01/02/2021"},
		extracttest.Placed{X: 60, Y: 540, Text: "7. Total number of workers : 4"},
		extracttest.Placed{X: 60, Y: 590, Text: "8. Date of Issue : " + issued},
	)
}

func TestExtract(t *testing.T) {
	fd, err := New().Extract(maharashtra("2731000323456789", "15/02/2021"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"registration_number": "2731000323456789", "employer_name": "SACHIN JADHAV",
		"establishment_name": "SHREE JADHAV TRADERS", "nature_of_business": "Retail Trade - Grocery",
		"address":              "Shop No 12, MG Road, Shivaji Nagar, Pune, Maharashtra, 411012",
		"date_of_registration": "15/02/2021",
	}
	for k, w := range want {
		if got, _ := extracttest.Value(fd, k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	// The receipt prints no validity: none may be made up (not the
	// commencement date either).
	if got, ok := fd.Get("valid_till"); ok {
		t.Errorf("valid_till = %v on a receipt without one", got.Value)
	}
	if _, f := extracttest.Value(fd, "registration_number"); f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != RuleMHNumber {
		t.Errorf("registration_number validation %+v", f.Validation)
	}
}

// TestNumber covers each state's shape, the OCR slips it repairs and the
// year check against the date of registration.
func TestNumber(t *testing.T) {
	reg := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		words  []string
		want   string
		rule   string
		passed bool
	}{
		{[]string{"2731000323456789"}, "2731000323456789", RuleMHNumber, true},
		{[]string{"27310O0323456789"}, "2731000323456789", RuleMHNumber, true},
		{[]string{"890234567/Commercial", "II"}, "890234567/COMMERCIALII", RuleMHNumber, true},
		{[]string{"890234567/Commercial", "Il"}, "890234567/COMMERCIALII", RuleMHNumber, true},
		{[]string{"2024012345678"}, "2024012345678", RuleDLNumber, true},
		{[]string{"2023012345678"}, "2023012345678", RuleDLNumber, false}, // year not the registration's
		{[]string{"BN/12/SA/0123/2024"}, "BN/12/SA/0123/2024", RuleKANumber, true},
		{[]string{"MN/@6/SA/9614/2024-"}, "MN/06/SA/9614/2024", RuleKANumber, true},
		{[]string{"BN/12/SA/0123/2022"}, "BN/12/SA/0123/2022", RuleKANumber, false},
		{[]string{"1234567890"}, "1234567890", RuleNumber, false}, // no state's shape
	} {
		var ws []document.Word
		for _, w := range tc.words {
			ws = append(ws, document.Word{Text: w, Conf: 0.95})
		}
		v, _, check, ok := number(ws, reg)
		if !ok || v != tc.want || check.Rule != tc.rule || check.Passed() != tc.passed {
			t.Errorf("%v: %q %s passed=%v ok=%v, want %q %s passed=%v", tc.words, v, check.Rule, check.Passed(), ok, tc.want, tc.rule, tc.passed)
		}
	}
}

// A validity not after the registration is kept, failed and below 0.9.
func TestValidityBeforeRegistration(t *testing.T) {
	fd, err := New().Extract(extracttest.Build(
		extracttest.Placed{X: 60, Y: 100, Text: "Reg. No. : 2024012345678"},
		extracttest.Placed{X: 60, Y: 150, Text: "Date of Registration : 05/03/2024"},
		extracttest.Placed{X: 60, Y: 200, Text: "Valid till : 04/03/2019"},
	))
	if err != nil {
		t.Fatal(err)
	}
	got, f := extracttest.Value(fd, "valid_till")
	if got != "04/03/2019" || f.Validation == nil || f.Validation.Passed || f.Validation.Rule != RuleValidity || f.Confidence >= 0.9 {
		t.Errorf("valid_till %q validation %+v confidence %.2f", got, f.Validation, f.Confidence)
	}
	if _, f := extracttest.Value(fd, "registration_number"); f.Validation == nil || !f.Validation.Passed {
		t.Errorf("registration_number validation %+v", f.Validation)
	}
}

// A name word OCR was unsure of keeps the name under 0.9.
func TestUnsureNameBelowThreshold(t *testing.T) {
	fd, err := New().Extract(extracttest.Build(
		extracttest.Placed{X: 60, Y: 100, Text: "Name of Shop : Balaji", Conf: 0.96},
		extracttest.Placed{X: 60, Y: 150, Text: "Name of the Occupier : Alok Mathotra", Conf: 0.88},
	))
	if err != nil {
		t.Fatal(err)
	}
	if got, f := extracttest.Value(fd, "employer_name"); got != "Alok Mathotra" || f.Confidence >= 0.9 {
		t.Errorf("employer_name %q confidence %.2f", got, f.Confidence)
	}
	if got, f := extracttest.Value(fd, "establishment_name"); got != "Balaji" || f.Confidence < 0.9 {
		t.Errorf("establishment_name %q confidence %.2f", got, f.Confidence)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "Shops and Establishments Act ~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// FuzzExtract feeds arbitrary OCR lines: the extractor must not panic
// and must either read something or say the page is unreadable.
func FuzzExtract(f *testing.F) {
	f.Add("Registration No. : 2731000323456789", "Postal Address : Shop No 1, Pune,", "Maharashtra - 411001")
	f.Add("Reg No BN/12/SA/0123/2024", "Valid up to 31/12/2028", "Date of Registration 01/01/2024")
	f.Add("Address : -", "- 411001", "Name of Shop : :")
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

// joinAddress splits the closing "State - PIN", reads a comma OCR took
// for a semicolon, and repairs a misread state (and a city named alike).
func TestJoinAddress(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		want  string
		ok    bool
	}{
		{[]string{"Shop No 12, MG Road,", "Pune, Maharashtra - 411012"}, "Shop No 12, MG Road, Pune, Maharashtra, 411012", true},
		{[]string{"*Shop No 18; Main Road, Subhash Nagar, Dethi,", "Dethi - 110061"}, "Shop No 18, Main Road, Subhash Nagar, Delhi, Delhi, 110061", true},
		{[]string{"Plot No 50, Bazaar Stréet,", "Mysuru, Karnataka — 570009"}, "Plot No 50, Bazaar Street, Mysuru, Karnataka, 570009", true},
		{[]string{"Shop No 12, MG Road"}, "", false}, // no PIN
	} {
		got, ok := joinAddress(tc.parts)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: %q %v, want %q %v", tc.parts, got, ok, tc.want, tc.ok)
		}
	}
}
