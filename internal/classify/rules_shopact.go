package classify

import (
	"math"

	"github.com/atlas-oss/atlas/internal/document"
)

// ShopActRules recognises shop-act licences. Placeholder until their rules land: it
// claims nothing.
func ShopActRules() RuleSet {
	return RuleSet{Type: document.TypeShopAct, MinScore: math.Inf(1)}
}
