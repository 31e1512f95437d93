package classify

import (
	"github.com/atlas-oss/atlas/internal/document"
)

// GSTCertRules recognises GST registration certificates (Form GST REG-06):
// the form's name and the labels of its numbered table, which no invoice
// prints, and a GSTIN that passes its check character. "GSTIN", "Legal
// Name" and "Trade Name" weigh little: e-invoices print them too.
func GSTCertRules() RuleSet {
	return RuleSet{
		Type: document.TypeGSTCert,
		Keywords: kw(
			"Form GST REG-06", 2.5,
			"Registration Certificate", 1.0,
			"Constitution of Business", 1.5,
			"Address of Principal Place of Business", 1.0,
			"Date of Liability", 1.0,
			"Period of Validity", 0.7,
			"Type of Registration", 0.8,
			"Particulars of Approving Authority", 0.8,
			"Date of issue of Certificate", 0.8,
			"Additional Places of Business", 0.5,
			"Legal Name", 0.3,
			"Trade Name", 0.2,
		),
		Structure: []Structure{{Name: "gstin_check", Weight: 1.0, Test: hasGSTIN}},
		MinScore:  4, MinKeywords: 3,
	}
}
