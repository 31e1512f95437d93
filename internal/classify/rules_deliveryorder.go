package classify

import (
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
)

// DeliveryOrderRules recognises a dealer's delivery order to a financier:
// the title, the DO number label, and the loan words an invoice never
// prints (loan or finance amount, down payment or margin money, the
// request to disburse). The dealer's GSTIN and "Total Amount" are left
// out: invoices print them too, and the structure test asks for the loan
// triple instead.
func DeliveryOrderRules() RuleSet {
	return RuleSet{
		Type: document.TypeDeliveryOrder,
		Keywords: kw(
			"DELIVERY ORDER", 2.5,
			"Delivery Order cum Invoice Request", 0.5,
			"DO No", 1.0,
			"Delivery Order No", 0.5,
			"Loan Amount", 0.7,
			"Finance Amount", 0.7,
			"Amount Financed", 0.7,
			"Down Payment", 0.8,
			"Margin Money", 0.8,
			"Ex-Showroom Price", 0.6,
			"On Road Price", 0.5,
			"Chassis No", 0.4,
			"Engine No", 0.3,
			"Branch Manager", 0.4,
			"disburse", 0.6,
		),
		Structure: []Structure{{Name: "loan_and_down_payment", Weight: 1.0, Test: hasLoanSplit}},
		MinScore:  3, MinKeywords: 2.5,
	}
}

// hasLoanSplit reports a loan-amount label and a down-payment label each
// starting a line: the split of a price between lender and buyer that
// defines a delivery order.
func hasLoanSplit(lines []extract.Line) float64 {
	starts := func(labels []string) bool {
		for _, m := range extract.FindLabels(lines, labels, 0.8) {
			if m.Start == 0 {
				return true
			}
		}
		return false
	}
	if starts([]string{"Loan Amount", "Finance Amount", "Amount Financed"}) && starts([]string{"Down Payment", "Margin Money"}) {
		return 1
	}
	return 0
}
