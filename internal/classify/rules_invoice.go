package classify

import (
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/validate"
)

// InvoiceRules recognises GST tax invoices: the title, the invoice labels
// and the GST words, and a GSTIN that passes its check character. "Total
// Amount" and "Amount" are left out: statements and delivery orders print
// them too.
func InvoiceRules() RuleSet {
	return RuleSet{
		Type: document.TypeInvoice,
		Keywords: kw(
			"TAX INVOICE", 2.5,
			"Invoice No", 1.0,
			"Invoice Date", 1.0,
			"GSTIN", 0.7,
			"HSN", 0.5,
			"Taxable Amount", 0.7,
			"Taxable Value", 0.7,
			"CGST", 0.4,
			"SGST", 0.4,
			"IGST", 0.5,
			"Bill To", 0.4,
			"Place of Supply", 0.5,
		),
		Structure: []Structure{{Name: "gstin_check", Weight: 1.5, Test: hasGSTIN}},
		MinScore:  3, MinKeywords: 2,
	}
}

// hasGSTIN reports a 15-character token that repairs, with at most one
// change, to a GSTIN passing its mod-36 check.
func hasGSTIN(lines []extract.Line) float64 {
	if tokens(lines, func(t string) bool {
		if len(t) != 15 {
			return false
		}
		_, n, passed, ok := validate.RepairGSTIN(t)
		return ok && passed && n <= 1
	}) {
		return 1
	}
	return 0
}
