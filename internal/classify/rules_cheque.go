package classify

import (
	"math"

	"github.com/atlas-oss/atlas/internal/document"
)

// ChequeRules recognises cheques. Placeholder until their rules land: it
// claims nothing.
func ChequeRules() RuleSet {
	return RuleSet{Type: document.TypeCheque, MinScore: math.Inf(1)}
}
