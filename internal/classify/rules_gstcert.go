package classify

import (
	"math"

	"github.com/atlas-oss/atlas/internal/document"
)

// GSTCertRules recognises GST certificates. Placeholder until their rules land: it
// claims nothing.
func GSTCertRules() RuleSet {
	return RuleSet{Type: document.TypeGSTCert, MinScore: math.Inf(1)}
}
