package classify

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/validate"
)

// UdyamRules recognises Udyam registration certificates: the title, the
// ministry, the table's row labels, and a number of the UDYAM-SS-NN-NNNNNNN
// shape. "Government of India" is left out: every government document
// prints it. The row labels are what GST certificates and shop licences do
// not print ("Date of Registration" alone would be theirs too).
func UdyamRules() RuleSet {
	return RuleSet{
		Type: document.TypeUdyamCert,
		Keywords: kw(
			"UDYAM REGISTRATION CERTIFICATE", 2.5,
			"उद्यम पंजीकरण प्रमाणपत्र", 1.0,
			"Udyam Registration Number", 1.2,
			"Ministry of Micro, Small & Medium Enterprises", 1.2,
			"Date of Udyam Registration", 0.8,
			"Type of Enterprise", 0.6,
			"Social Category of Entrepreneur", 0.6,
			"National Industry Classification Code", 0.6,
			"Official Address of Enterprise", 0.5,
			"Major Activity", 0.4,
		),
		Structure: []Structure{{Name: "udyam_number", Weight: 1.5, Test: hasUdyam}},
		MinScore:  3, MinKeywords: 2,
	}
}

// hasUdyam reports a token (or two adjacent ones) that reads, with its
// dashes, as an Udyam number passing the structure check.
func hasUdyam(lines []extract.Line) float64 {
	if tokens(lines, func(t string) bool {
		t = strings.NewReplacer("—", "-", "–", "-", "]", "", "[", "").Replace(strings.ToUpper(t))
		return validate.Udyam(t).Passed()
	}) {
		return 1
	}
	return 0
}
