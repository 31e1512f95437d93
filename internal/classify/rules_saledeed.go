package classify

import (
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/saledeed"
)

// SaleDeedRules recognises property sale deeds: the title, the
// conveyancing phrases every deed repeats ("hereinafter called",
// "WITNESSETH", the schedule and its boundaries) and the two party blocks
// themselves. "consideration", "e-Stamp" and "Sub-Registrar" weigh little:
// other registered documents and stamp papers print them too.
func SaleDeedRules() RuleSet {
	return RuleSet{
		Type: document.TypeSaleDeed,
		Keywords: kw(
			"SALE DEED", 2.5,
			"DEED OF SALE", 2.5,
			"hereinafter called the", 1.0,
			"NOW THIS DEED WITNESSETH", 1.2,
			"IN WITNESS WHEREOF", 0.7,
			"SCHEDULE OF PROPERTY", 1.0,
			"bounded as follows", 0.8,
			"absolute owner", 0.5,
			"sell, convey and transfer", 0.8,
			"of the ONE PART", 0.6,
			"of the OTHER PART", 0.6,
			"Sub-Registrar", 0.4,
			"in consideration of", 0.4,
			"e-Stamp", 0.2,
		),
		Structure: []Structure{{Name: "party_blocks", Weight: 1.5, Test: saledeed.PartyEvidence}},
		MinScore:  3.5, MinKeywords: 2.5,
	}
}
