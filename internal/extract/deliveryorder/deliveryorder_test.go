package deliveryorder

import (
	"flag"
	"github.com/atlas-oss/atlas/internal/document"
	"testing"

	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// samplesDir lets a developer check the extractor on a larger recording
// (see TestRecord) than the one kept in testdata.
var samplesDir = flag.String("samples", "testdata", "directory of recorded samples to check")

func TestExtractRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, *samplesDir, "delivery_order-", New())
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1,25,000.00", 12500000, true},
		{"125,000.00", 12500000, true},
		{"Rs.85,499/-", 8549900, true},
		{"85,499/-", 8549900, true},
		{"11,10,735/", 111073500, true},
		{"“590,600.00", 59060000, true},
		{"Rs.°52,600/-", 5260000, true},
		{"3,568.00.", 356800, true},
		{"85,49", 0, false}, // a last group of two digits is no grouping
		{"7298s", 0, false}, // a misread
		{"2024", 0, false},  // a bare number is no amount
		{"DO/2024/01234", 0, false},
	} {
		got, ok := ParseAmount(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDOToken(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		n        int
	}{
		{"DO/2024/01234", "DO/2024/01234", 0},
		{"D0/2024/30928", "DO/2024/30928", 1},
		{"SH/D0/7016", "SH/DO/7016", 1},
		{"DO-2324/3611_", "DO-2324/3611", 0},
		{"No.:ST/DO/3054.", "ST/DO/3054", 0},
	} {
		got, n := doToken(tc.in)
		if got != tc.want || n != tc.n {
			t.Errorf("doToken(%q) = %q, %d; want %q, %d", tc.in, got, n, tc.want, tc.n)
		}
	}
}

// doPage is a delivery order's words as OCR reports them, with the
// three amounts given.
func doPage(invoice, loan, down string) []document.Page {
	return extracttest.Build(
		extracttest.Placed{X: 400, Y: 40, Text: "Sharma Motors"},
		extracttest.Placed{X: 200, Y: 80, Text: "Shop No 12, MG Road, Shivaji Nagar, Pune, Maharashtra - 411005"},
		extracttest.Placed{X: 300, Y: 120, Text: "GSTIN: 27AAPFU0939F1ZV"},
		extracttest.Placed{X: 400, Y: 170, Text: "DELIVERY ORDER"},
		extracttest.Placed{X: 90, Y: 220, Text: "DO No. DO/2024/01234"},
		extracttest.Placed{X: 700, Y: 220, Text: "Date: 12/03/2024"},
		extracttest.Placed{X: 90, Y: 270, Text: "Customer Name : Rahul Patil"},
		extracttest.Placed{X: 90, Y: 310, Text: "Product : Two Wheeler"},
		extracttest.Placed{X: 90, Y: 350, Text: "Make / Model : Honda Activa 6G"},
		extracttest.Placed{X: 90, Y: 400, Text: "Invoice Amount " + invoice},
		extracttest.Placed{X: 90, Y: 440, Text: "Loan Amount " + loan},
		extracttest.Placed{X: 90, Y: 480, Text: "Down Payment " + down},
		extracttest.Placed{X: 90, Y: 530, Text: "We request you to disburse the loan; the customer has paid the down payment."},
		extracttest.Placed{X: 700, Y: 600, Text: "For Sharma Motors"},
	)
}

// TestAmountCheck: amounts that add up are vouched for; amounts that do
// not are capped, all three, and the failed rule is reported.
func TestAmountCheck(t *testing.T) {
	good, err := New().Extract(doPage("Rs. 85,000/-", "Rs. 60,000/-", "Rs. 25,000/-"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := New().Extract(doPage("85,000.00", "60,000.00", "28,000.00"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"invoice_amount": "85000.00", "loan_amount": "60000.00", "down_payment": "25000.00"}
	for name, v := range want {
		got, f := extracttest.Value(good, name)
		if got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
		if f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != RuleAmounts {
			t.Errorf("%s: validation %+v, want %s passed", name, f.Validation, RuleAmounts)
		}
		_, fb := extracttest.Value(bad, name)
		if fb.Validation == nil || fb.Validation.Passed {
			t.Errorf("%s: mismatched amounts pass: %+v", name, fb.Validation)
		}
		if fb.Confidence > 0.5 || fb.Confidence >= f.Confidence {
			t.Errorf("%s: confidence %.2f with mismatched amounts, %.2f with matching ones", name, fb.Confidence, f.Confidence)
		}
	}
	for name, v := range map[string]string{
		"do_number": "DO/2024/01234", "do_date": "12/03/2024", "dealer_name": "Sharma Motors",
		"dealer_address": "Shop No 12, MG Road, Shivaji Nagar, Pune, Maharashtra, 411005",
		"customer_name":  "Rahul Patil", "product": "Two Wheeler", "model": "Honda Activa 6G",
	} {
		if got, _ := extracttest.Value(good, name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
}

// TestBadDate: a date that is no calendar date is kept, with a failed
// check and low confidence.
func TestBadDate(t *testing.T) {
	p := doPage("85,000.00", "60,000.00", "25,000.00")
	for i, w := range p[0].Words {
		if w.Text == "12/03/2024" {
			p[0].Words[i].Text = "31/02/2024"
		}
	}
	fd, err := New().Extract(p)
	if err != nil {
		t.Fatal(err)
	}
	_, f := extracttest.Value(fd, "do_date")
	if f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
		t.Errorf("do_date 31/02/2024: validation %+v, confidence %.2f", f.Validation, f.Confidence)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("a page of specks gave no error")
	}
}

// TestSolve: an amount OCR put off its label's line is taken only when
// exactly one candidate makes the arithmetic hold.
func TestSolve(t *testing.T) {
	a := func(p int64) amount { return amount{paise: p} }
	inv, down := a(10000000), a(2500000)
	got, ok := solve([3]*amount{&inv, nil, &down}, [3][]amount{nil, {a(6000000), a(7500000)}, nil})
	if !ok || got[1].paise != 7500000 {
		t.Errorf("solve picked %v, %v; want loan 75000.00", got[1], ok)
	}
	// Loan and down swapped fit as well: no answer.
	if _, ok := solve([3]*amount{&inv, nil, nil}, [3][]amount{nil, {a(7500000), a(2500000)}, {a(2500000), a(7500000)}}); ok {
		t.Error("solve chose between two answers")
	}
	if _, ok := solve([3]*amount{&inv, nil, &down}, [3][]amount{nil, {a(6000000)}, nil}); ok {
		t.Error("solve accepted amounts that do not add up")
	}
}

func TestNoisy(t *testing.T) {
	clean := doPage("85,000.00", "60,000.00", "25,000.00")
	if noisy(clean) {
		t.Error("a clean page counts as noisy")
	}
	specks := extracttest.Build(
		extracttest.Placed{X: 10, Y: 10, Text: ": . ~ oe", Conf: 0.2},
		extracttest.Placed{X: 10, Y: 60, Text: "Customer Name : Rahul Patil"},
	)
	if !noisy(specks) {
		t.Error("a page of specks does not count as noisy")
	}
}
