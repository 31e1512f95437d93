package classify

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// doTestdata holds recorded Tesseract output of docgen delivery orders,
// and of a few invoices for the cross-type checks.
var doTestdata = filepath.Join("..", "extract", "deliveryorder", "testdata")

// TestDeliveryOrderRecorded classifies the recorded OCR output of docgen
// delivery orders, clean and scanned, and of docgen invoices: each must be
// its own type, never the other.
func TestDeliveryOrderRecorded(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		prefix string
		want   document.Type
	}{
		{"delivery_order-", document.TypeDeliveryOrder},
		{"invoice-", document.TypeInvoice},
	} {
		samples, err := extracttest.LoadSamples(doTestdata, tc.prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) == 0 {
			t.Fatalf("no recorded %s samples", tc.prefix)
		}
		for _, s := range samples {
			if got, conf, ok := c.Classify(s.Pages); !ok || got != tc.want {
				t.Errorf("%s: got %s %.2f %v, want %s", s.Name, got, conf, ok, tc.want)
			}
		}
	}
}

func TestDeliveryOrderSynthetic(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  document.Type
	}{
		{"delivery order", page("Sharma Motors", "GSTIN: 27AAPFU0939F1ZV", "DELIVERY ORDER", "DO No. DO/2024/01234 Date: 12/03/2024",
			"To, The Branch Manager, Bajaj Finance Ltd", "Customer Name : Rahul Patil", "Product : Two Wheeler", "Make / Model : Honda Activa 6G",
			"Ex-Showroom Price 80,000.00", "Invoice Amount 85,000.00", "Loan Amount 60,000.00", "Down Payment 25,000.00",
			"We request you to disburse the loan in our favour.", "For Sharma Motors"), document.TypeDeliveryOrder},
		// Without the title, the loan words and DO number still decide.
		{"no title", page("DO No. DO/2024/01234", "Customer Name : Rahul Patil", "Loan Amount 60,000.00", "Down Payment 25,000.00",
			"Ex-Showroom Price 80,000.00", "We request you to disburse"), document.TypeDeliveryOrder},
		// An invoice for the same vehicle stays an invoice.
		{"invoice", page("TAX INVOICE", "Sharma Motors", "GSTIN: 27AAPFU0939F1ZV", "Invoice No: INV/2024-25/0012", "Invoice Date: 01/04/2024",
			"Bill To:", "Rahul Patil", "Description HSN Qty Rate Amount", "Honda Activa 6G 8711 1 80,000.00 80,000.00",
			"Taxable Amount 80,000.00", "CGST @ 14% 11,200.00", "SGST @ 14% 11,200.00", "Total Amount 1,02,400.00"), document.TypeInvoice},
		// The title alone is not enough.
		{"title only", page("DELIVERY ORDER", "Total Amount 1,180.00"), ""},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want == "" {
			if ok && got == document.TypeDeliveryOrder {
				t.Errorf("%s: classified as DELIVERY_ORDER (%.2f)", tc.name, conf)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("%s: got %s %.2f %v, want %s", tc.name, got, conf, ok, tc.want)
		}
	}
}

// TestDeliveryOrderRulesLeaveOthers checks that the recorded samples of
// the other types (PAN and Aadhaar, and those the other extractors keep in
// their testdata) are not claimed by the delivery order rules.
func TestDeliveryOrderRulesLeaveOthers(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(extracttest.Dir(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no recorded samples")
	}
	for pkg, typ := range map[string]document.Type{
		"dl": document.TypeDrivingLicense, "voterid": document.TypeVoterID, "passport": document.TypePassport,
		"cheque": document.TypeCheque, "shopact": document.TypeShopAct, "udyam": document.TypeUdyamCert,
	} {
		more, err := extracttest.LoadSamples(filepath.Join("..", "extract", pkg, "testdata"), strings.ToLower(string(typ))+"-")
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, more...)
	}
	for _, s := range samples {
		for _, sc := range c.Scores(s.Pages) {
			if sc.Type == document.TypeDeliveryOrder && sc.Total >= sc.MinScore && sc.Keywords >= sc.MinKey {
				t.Errorf("%s: delivery order rules claim it (%.2f, %v)", s.Name, sc.Total, sc.Matched)
			}
		}
	}
}
