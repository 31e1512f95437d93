package classify

import (
	"math"

	"github.com/atlas-oss/atlas/internal/document"
)

// SaleDeedRules recognises sale deeds. Placeholder until their rules land: it
// claims nothing.
func SaleDeedRules() RuleSet {
	return RuleSet{Type: document.TypeSaleDeed, MinScore: math.Inf(1)}
}
