package classify

import (
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/cheque"
)

// ChequeRules recognises cheque leaves. Their printed words are few and
// partly shared ("IFSC", "A/c No" are on statements too), so the strongest
// signs are the ones only a cheque has: "or Bearer", "Please sign above",
// "CTS-2010" and the MICR code line at the foot. "Rupees" and "Pay" weigh
// little: delivery orders and receipts print them too.
func ChequeRules() RuleSet {
	return RuleSet{
		Type: document.TypeCheque,
		Keywords: kw(
			"or Bearer", 1.5,
			"Please sign above", 1.5,
			"CTS-2010", 1.2,
			"Valid for three months", 1.0,
			"Authorised Signatory", 0.4,
			"Rupees", 0.5,
			"Pay", 0.3,
			"A/c No", 0.4,
			"CANCELLED", 0.5,
		),
		Structure: []Structure{
			{Name: "micr_code_line", Weight: 2.0, Test: cheque.CodeLineEvidence},
			{Name: "ifsc_token", Weight: 0.3, Test: hasIFSC},
		},
		MinScore: 3, MinKeywords: 1.2,
	}
}
