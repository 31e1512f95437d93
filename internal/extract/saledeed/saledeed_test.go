package saledeed

import (
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

func TestParseIndianWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"Forty Five Lakh", 4500000, true},
		{"Forty Five Lakhs Only", 4500000, true},
		{"Two Crore Fifteen Lakh Thirty Seven Thousand Five Hundred", 21537500, true},
		{"One Hundred Twenty Crore", 1200000000, true},
		{"Rupees Ninety Thousand and Nineteen Only", 90019, true},
		{"Twenty-Five Lacs", 2500000, true},
		{"Two Thousand and Twenty Four", 2024, true},
		{"Sevnty Four Lakh", 7400000, true}, // one OCR slip in a long word
		{"Seventy Four Lakh Rupees Paid", 0, false},
		{"Only", 0, false},
	} {
		got, ok := ParseIndianWords(strings.Fields(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseIndianWords(%q) = %d %v, want %d %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFigure(t *testing.T) {
	for _, tc := range []struct {
		in    string
		paise int64
		ok    bool
	}{
		{"Rs.45,00,000/-", 450000000, true},
		{"45,00,000.00", 450000000, true},
		{"Rs.2,10,49,300.00", 2104930000, true},
		{"4,500,000", 450000000, true},
		{"(Rs.74,0O,000.00", 740000000, true}, // O read for 0
		{"45,0,000", 0, false},
		{"12/03/2024", 0, false},
		{"577224", 0, false}, // a cheque number, not an amount
		{"Rs.4500000/-", 450000000, true},
		{"Rs.", 0, false},
	} {
		got, ok := figure(tc.in)
		if got != tc.paise || ok != tc.ok {
			t.Errorf("figure(%q) = %d %v, want %d %v", tc.in, got, ok, tc.paise, tc.ok)
		}
	}
}

// deed is a small deed as OCR lines: a stamp duty amount, two sellers
// with their fathers, a buyer, part payments, witnesses and the schedule.
func deed(date, amount, words string) []document.Page {
	lines := []string{
		"INDIA NON JUDICIAL",
		"Stamp Duty Amount(Rs.) : 2,70,000 (Two Lakh Seventy Thousand only)",
		"SALE DEED",
		"This Deed of Sale is made and executed at Pune on " + date + ",",
		"BY:",
		"1) Shri RAHUL PATIL, S/o Shri AMOL PATIL, aged about 45 years,",
		"residing at 12, MG Road, Pune, Maharashtra - 411001;",
		"2) Smt. SNEHA D PATIL, W/o Shri RAHUL PATIL, aged about 41 years,",
		"residing at 12, MG Road, Pune, Maharashtra - 411001;",
		"hereinafter called the VENDORS (which expression shall) of the ONE PART;",
		"AND:",
		"Kum. PRIYA JOSHI, D/o Shri NITIN JOSHI, aged about 30 years,",
		"residing at 4, Station Road, Nashik, Maharashtra - 422001;",
		"hereinafter called the PURCHASER of the OTHER PART.",
		"NOW THIS DEED WITNESSETH that in consideration of a sum of",
		amount + " (Rupees " + words + " Only) paid by the Purchaser",
		"The said consideration has been paid as follows:",
		"(a) Rs. 5,00,000/- (Rupees Five Lakh Only) by Cheque No. 123456",
		"SCHEDULE OF PROPERTY",
		"All that piece and parcel of the residential flat bearing Flat No. 302,",
		"Third Floor, Sai Residency, Survey No. 45/2, Village Baner,",
		"Taluka Haveli, District Pune, Maharashtra - 411045, together with",
		"On or towards North : Property of Shri GANESH MORE",
		"WITNESSES: 1. Shri SUNIL KALE, 4, Tilak Road, Pune - 411002",
	}
	var ps []extracttest.Placed
	for i, l := range lines {
		ps = append(ps, extracttest.Placed{X: 40, Y: 20 + 40*i, Text: l})
	}
	return extracttest.Build(ps...)
}

func fixedNow() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }

func TestExtract(t *testing.T) {
	e := &Extractor{Now: fixedNow}
	fd, err := e.Extract(deed("this 12th day of March, 2024", "Rs. 45,00,000/-", "Forty Five Lakh"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"seller_name":          "RAHUL PATIL, SNEHA D PATIL",
		"buyer_name":           "PRIYA JOSHI",
		"property_address":     "Flat No. 302, Third Floor, Sai Residency, Survey No. 45/2, Village Baner, Taluka Haveli, District Pune, Maharashtra, 411045",
		"consideration_amount": "4500000.00",
		"execution_date":       "12/03/2024",
	}
	for k, w := range want {
		if got, _ := extracttest.Value(fd, k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	for k, rule := range map[string]string{"consideration_amount": RuleAmountInWords, "execution_date": RuleExecutionDate} {
		_, f := extracttest.Value(fd, k)
		if f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != rule {
			t.Errorf("%s validation %+v", k, f.Validation)
		}
	}
}

// Amounts in words that disagree with the figures keep the figures but
// fail and cap the confidence below 0.5.
func TestAmountWordsDisagree(t *testing.T) {
	fd, err := (&Extractor{Now: fixedNow}).Extract(deed("12/03/2024", "Rs. 45,00,000/-", "Fifty Four Lakh"))
	if err != nil {
		t.Fatal(err)
	}
	got, f := extracttest.Value(fd, "consideration_amount")
	if got != "4500000.00" || f.Validation == nil || f.Validation.Passed || f.Confidence >= 0.5 {
		t.Errorf("consideration_amount %q validation %+v confidence %.2f", got, f.Validation, f.Confidence)
	}
}

// The date in words ("Twenty First ... Two Thousand and Twenty Four"),
// and a date after the clock fails.
func TestExecutionDate(t *testing.T) {
	for _, tc := range []struct {
		printed, want string
		passed        bool
	}{
		{"this the Twenty First day of November, Two Thousand and Twenty Four at Pune", "21/11/2024", true},
		{"this 3rd day of January, 2023", "03/01/2023", true},
		{"07/08/2026", "07/08/2026", false},
	} {
		fd, err := (&Extractor{Now: fixedNow}).Extract(deed(tc.printed, "Rs. 45,00,000/-", "Forty Five Lakh"))
		if err != nil {
			t.Fatal(err)
		}
		got, f := extracttest.Value(fd, "execution_date")
		if got != tc.want || f.Validation == nil || f.Validation.Passed != tc.passed || (!tc.passed && f.Confidence > 0.5) {
			t.Errorf("%q: got %q validation %+v confidence %.2f", tc.printed, got, f.Validation, f.Confidence)
		}
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// FuzzExtract feeds arbitrary lines: the extractor must not panic and
// must either read something or say the page is unreadable.
func FuzzExtract(f *testing.F) {
	f.Add("hereinafter called the VENDOR", "in consideration of Rs. 45,00,000/- (Rupees", "executed on this 1st day of May,")
	f.Add("SCHEDULE bearing", "Shri", "executed at X on 31/02/2024")
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
