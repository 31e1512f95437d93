package classify

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/extract/statement"
	"github.com/atlas-oss/atlas/internal/validate"
)

// StatementRules recognises bank account statements. Their strongest sign
// is the transaction table itself (a Date / Debit / Credit / Balance
// header over dated rows); the titles vary by bank, so each weighs
// little alone. "Balance", "Deposit" and the like appear on invoices and
// cheques too and are left out.
func StatementRules() RuleSet {
	return RuleSet{
		Type: document.TypeBankStatement,
		Keywords: kw(
			"Statement of Account", 2.0,
			"Account Statement", 2.0,
			"Opening Balance", 1.2,
			"Closing Balance", 1.2,
			"Statement Period", 1.0,
			"Narration", 0.6,
			"Particulars", 0.4,
			"Withdrawal", 0.6,
			"IFSC", 0.5,
		),
		Structure: []Structure{
			{Name: "transaction_table", Weight: 3.0, Test: statement.TableEvidence},
			{Name: "ifsc_token", Weight: 0.5, Test: hasIFSC},
		},
		MinScore: 3, MinKeywords: 1.0,
	}
}

// hasIFSC reports a token that passes the IFSC structure check as
// printed: no repair, as 11 random characters repaired often would.
func hasIFSC(lines []extract.Line) float64 {
	if tokens(lines, func(t string) bool {
		if i := strings.LastIndexByte(t, ':'); i >= 0 {
			t = t[i+1:]
		}
		return len(t) == 11 && strings.ToUpper(t) == t && validate.IFSC(t).Passed()
	}) {
		return 1
	}
	return 0
}
