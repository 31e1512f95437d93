package invoice

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// page is a small invoice; total is the printed total amount.
func page(total string) []document.Page {
	return extracttest.Build(
		extracttest.Placed{X: 500, Y: 80, Text: "TAX INVOICE"},
		extracttest.Placed{X: 90, Y: 170, Text: "Tiwari Industries"},
		extracttest.Placed{X: 90, Y: 215, Text: "Shop No 179, Bazaar Street, Jabalpur,"},
		extracttest.Placed{X: 90, Y: 250, Text: "Madhya Pradesh - 482018"},
		// One OCR slip: Z read as 2, repaired by the check character.
		extracttest.Placed{X: 90, Y: 290, Text: "GSTIN: 23LEWFT8460E227"},
		extracttest.Placed{X: 90, Y: 340, Text: "Invoice No: GST/2024—25/2814"},
		extracttest.Placed{X: 90, Y: 380, Text: "Invoice Date: 12/05/2024"},
		extracttest.Placed{X: 90, Y: 430, Text: "Bill To:"},
		extracttest.Placed{X: 90, Y: 470, Text: "Maurya Textiles Pvt Ltd"},
		extracttest.Placed{X: 90, Y: 510, Text: "GSTIN: 09KYLCM1692U3ZN"},
		extracttest.Placed{X: 600, Y: 600, Text: "Taxable Amount 13,55,104.00"},
		extracttest.Placed{X: 600, Y: 640, Text: "IGST @ 28% 3,79,429.12"},
		extracttest.Placed{X: 600, Y: 680, Text: "Total Tax 379,429.12"},
		extracttest.Placed{X: 600, Y: 720, Text: "Total Amount " + total},
	)
}

func TestExtract(t *testing.T) {
	fd, err := New().Extract(page("17,34,533.12"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"invoice_number": "GST/2024-25/2814", "invoice_date": "12/05/2024",
		"seller_name": "Tiwari Industries", "seller_gstin": "23LEWFT8460E2Z7",
		"seller_address": "Shop No 179, Bazaar Street, Jabalpur, Madhya Pradesh, 482018",
		"buyer_name":     "Maurya Textiles Pvt Ltd", "buyer_gstin": "09KYLCM1692U3ZN",
		"taxable_amount": "1355104.00", "total_tax": "379429.12", "total_amount": "1734533.12",
	}
	for k, w := range want {
		if got, _ := extracttest.Value(fd, k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	for _, k := range []string{"seller_gstin", "buyer_gstin"} {
		if _, f := extracttest.Value(fd, k); f.Validation == nil || !f.Validation.Passed {
			t.Errorf("%s validation %+v", k, f.Validation)
		}
	}
	_, f := extracttest.Value(fd, "total_amount")
	if f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != RuleTaxArithmetic || f.Confidence < 0.9 {
		t.Errorf("total_amount validation %+v confidence %.2f", f.Validation, f.Confidence)
	}
}

// A total that taxable + tax do not make is kept, failed and capped.
func TestTaxArithmeticFails(t *testing.T) {
	fd, err := New().Extract(page("17,43,533.12"))
	if err != nil {
		t.Fatal(err)
	}
	got, f := extracttest.Value(fd, "total_amount")
	if got != "1743533.12" || f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
		t.Errorf("total_amount %q validation %+v confidence %.2f", got, f.Validation, f.Confidence)
	}
}

// Without a "Total Tax" line the tax is the sum of the CGST and SGST lines.
func TestTaxFromLines(t *testing.T) {
	fd, err := New().Extract(extracttest.Build(
		extracttest.Placed{X: 600, Y: 600, Text: "Taxable Amount 94,978.00"},
		extracttest.Placed{X: 600, Y: 640, Text: "CGST @ 6% 5,698.68"},
		extracttest.Placed{X: 600, Y: 680, Text: "SGST @ 6% 5,698.68"},
		extracttest.Placed{X: 600, Y: 720, Text: "Grand Total 1,06,375.36"},
	))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := extracttest.Value(fd, "total_tax"); got != "11397.36" {
		t.Errorf("total_tax = %q", got)
	}
	if _, f := extracttest.Value(fd, "total_amount"); f.Validation == nil || !f.Validation.Passed {
		t.Errorf("total_amount validation %+v", f.Validation)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// Real Tesseract output (--psm 6) of docgen invoices, 3 clean and 3
// scanned (seeds 1, 4, 5; see docgen's TestWriteInvoiceImages): clean ones
// fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "invoice-", New())
}

// FuzzExtract feeds arbitrary OCR lines: the extractor must not panic
// and must either read something or say the page is unreadable.
func FuzzExtract(f *testing.F) {
	f.Add("TAX INVOICE", "GSTIN: 23LEWFT8460E2Z7", "Total Amount 1,180.00")
	f.Add("Invoice No:", "Bill To:", "CGST 9,00")
	f.Add("GSTIN: @@@@@@@@@@@@@@@", "Taxable Amount ....", "Total Amount ,,,,,")
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
