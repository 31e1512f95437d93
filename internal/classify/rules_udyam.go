package classify

import (
	"math"

	"github.com/atlas-oss/atlas/internal/document"
)

// UdyamRules recognises Udyam registration certificates. Placeholder until their rules land: it
// claims nothing.
func UdyamRules() RuleSet {
	return RuleSet{Type: document.TypeUdyamCert, MinScore: math.Inf(1)}
}
