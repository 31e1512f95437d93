package classify

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/validate"
)

// PANRules recognises PAN cards. "GOVT. OF INDIA" weighs little: Aadhaar
// cards and many other documents say "Government of India" too.
func PANRules() RuleSet {
	return RuleSet{
		Type: document.TypePAN,
		Keywords: kw(
			"INCOME TAX DEPARTMENT", 2.0,
			"Permanent Account Number", 2.0,
			"आयकर विभाग", 1.5,
			"स्थायी लेखा संख्या", 1.0,
			"Father's Name", 0.4,
			"GOVT. OF INDIA", 0.3,
		),
		Structure: []Structure{{Name: "pan_token", Weight: 1.5, Test: hasPAN}},
		MinScore:  3, MinKeywords: 1.5,
	}
}

// AadhaarRules recognises Aadhaar cards and e-Aadhaar letters.
func AadhaarRules() RuleSet {
	return RuleSet{
		Type: document.TypeAadhaar,
		Keywords: kw(
			"Aadhaar", 1.5,
			"आधार", 1.5,
			"Unique Identification Authority of India", 2.0,
			"भारतीय विशिष्ट पहचान प्राधिकरण", 1.5,
			"Aam Aadmi ka Adhikar", 1.0,
			"मेरा आधार मेरी पहचान", 1.0,
			"Enrolment No", 0.7,
			"VID", 0.5,
			"Government of India", 0.3,
			// A card front read without Hindi has little more than its
			// labels: together with a Verhoeff-valid number they decide.
			"Year of Birth", 0.5,
			"DOB", 0.4,
			"MALE", 0.4,
			"FEMALE", 0.4,
			"Issue Date", 0.2,
		),
		Structure: []Structure{{Name: "aadhaar_4_4_4", Weight: 2.5, Test: hasAadhaar}},
		MinScore:  3, MinKeywords: 1.0,
	}
}

// hasPAN reports a token that repairs, with at most one change, to a PAN
// that passes the structure check.
func hasPAN(lines []extract.Line) float64 {
	if tokens(lines, func(t string) bool {
		v, n, ok := validate.Repair(t, validate.ShapePAN)
		return ok && n <= 1 && validate.PAN(v).Passed()
	}) {
		return 1
	}
	return 0
}

// hasAadhaar reports a 4-4-4 group of digits on a line (OCR may merge two
// groups into one word) that passes the Aadhaar check, with at most one
// OCR repair.
func hasAadhaar(lines []extract.Line) float64 {
	for _, l := range lines {
		for i := range l.Words {
			raw := ""
			for k := i; k < len(l.Words) && k < i+3; k++ {
				t := strings.Trim(l.Words[k].Text, ".,:;|'\"")
				if n := len([]rune(t)); n == 0 || n%4 != 0 {
					break
				}
				raw += t
				if len([]rune(raw)) > 12 {
					break
				}
				// No checksum-guided repair here: among the alternatives
				// it tries, some random 12 digits would pass.
				if v, n, ok := validate.Repair(raw, validate.ShapeAadhaar); ok && n <= 1 && validate.Aadhaar(v).Passed() {
					return 1
				}
			}
		}
	}
	return 0
}
