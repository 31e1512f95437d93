package cheque

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// leaf is a small cancelled cheque as OCR reads one: the on-us and transit
// symbols of the code line come out as stray marks, a bold zero as '@'.
func leaf(bank, ifsc, printedNo string) []document.Page {
	ps := []extracttest.Placed{
		{X: 120, Y: 40, Text: bank},
		{X: 120, Y: 80, Text: "Branch: Sector 12, Pune"},
		{X: 120, Y: 130, Text: "IFSC: " + ifsc},
		{X: 40, Y: 215, Text: "Pay"}, {X: 1370, Y: 215, Text: "or Bearer"},
		{X: 40, Y: 285, Text: "Rupees"},
		{X: 470, Y: 330, Text: "CANCELLED"},
		{X: 40, Y: 410, Text: "SB A/c No. 50100123456789"},
		{X: 1330, Y: 460, Text: "For PATIL TRADERS"},
		{X: 40, Y: 580, Text: "CTS-2010"}, {X: 1340, Y: 580, Text: "Authorised Signatory"},
		{X: 280, Y: 665, Text: "= 012345 & 411240123 I 456789 © 11"},
	}
	if printedNo != "" {
		ps = append(ps, extracttest.Placed{X: 880, Y: 60, Text: "Cheque No. " + printedNo})
	}
	return extracttest.Build(ps...)
}

func TestExtract(t *testing.T) {
	fd, err := New().Extract(leaf("HDFC BANK", "HDFC@001234", "012345"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bank_name": "HDFC Bank", "ifsc": "HDFC0001234", "account_number": "50100123456789",
		"account_holder_name": "PATIL TRADERS", "cheque_number": "012345", "micr": "411240123",
	}
	for k, w := range want {
		if got, _ := extracttest.Value(fd, k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	for k, rule := range map[string]string{"micr": "micr_structure", "ifsc": "ifsc_structure", "bank_name": RuleBankIFSC, "cheque_number": RuleChequeNumber} {
		if _, f := extracttest.Value(fd, k); f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != rule {
			t.Errorf("%s validation %+v, want %s passed", k, f.Validation, rule)
		}
	}
}

// A printed bank that is not the IFSC's bank, and a printed cheque number
// that is not the code line's, fail their checks and are never trusted.
func TestInconsistentLeaf(t *testing.T) {
	fd, err := New().Extract(leaf("State Bank of India", "HDFC0001234", "012346"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bank_name", "cheque_number"} {
		_, f := extracttest.Value(fd, k)
		if f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
			t.Errorf("%s validation %+v confidence %.2f, want failed and at most 0.5", k, f.Validation, f.Confidence)
		}
	}
}

// "Bank of India" is inside "Union Bank of India": the longer name wins.
func TestBankNameLongestMatch(t *testing.T) {
	fd, err := New().Extract(leaf("Union Bank of India", "UBINQ@531234", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := extracttest.Value(fd, "bank_name"); got != "Union Bank of India" {
		t.Errorf("bank_name = %q", got)
	}
	// The zero read as "Q@" is repaired, and costs confidence.
	if got, f := extracttest.Value(fd, "ifsc"); got != "UBIN0531234" || f.Confidence >= 0.99 {
		t.Errorf("ifsc = %q (%.2f)", got, f.Confidence)
	}
}

// Without a code line, no MICR and no cheque number are invented.
func TestNoCodeLine(t *testing.T) {
	fd, err := New().Extract(extracttest.Build(
		extracttest.Placed{X: 120, Y: 40, Text: "Canara Bank"},
		extracttest.Placed{X: 40, Y: 410, Text: "A/c No 1234567890"},
		extracttest.Placed{X: 280, Y: 665, Text: "Ref 123456 and 12345678"},
	))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"micr", "cheque_number"} {
		if got, _ := extracttest.Value(fd, k); got != "" {
			t.Errorf("%s = %q, want none", k, got)
		}
	}
	if got, _ := extracttest.Value(fd, "account_number"); got != "1234567890" {
		t.Errorf("account_number = %q", got)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// Real Tesseract output (--psm 6) of docgen cheques, clean and scanned
// (recordSeeds): clean ones fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "cheque-", New())
}

// FuzzExtract feeds arbitrary OCR lines: the extractor must not panic and
// must either read something or say the page is unreadable.
func FuzzExtract(f *testing.F) {
	f.Add("HDFC BANK IFSC: HDFC0001234", "A/c No 50100123456789", "= 012345 & 411240123 I 456789 © 11")
	f.Add("Please sign above", "For", "000000000 123456")
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
