package classify

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/validate"
)

// VoterIDRules recognises voter identity cards (EPIC).
func VoterIDRules() RuleSet {
	return RuleSet{
		Type: document.TypeVoterID,
		Keywords: kw(
			"ELECTION COMMISSION OF INDIA", 2.5,
			"भारत निर्वाचन आयोग", 1.5,
			"ELECTOR PHOTO IDENTITY CARD", 1.5,
			"IDENTITY CARD", 0.5,
			"Elector's Name", 1.0,
		),
		Structure: []Structure{{Name: "epic_luhn", Weight: 1.0, Test: hasEPIC}},
		MinScore:  3, MinKeywords: 2,
	}
}

// DrivingLicenseRules recognises driving licences.
func DrivingLicenseRules() RuleSet {
	return RuleSet{
		Type: document.TypeDrivingLicense,
		Keywords: kw(
			"Driving Licence", 2.5,
			"Driving License", 2.5,
			"Indian Union Driving Licence", 1.0,
			"Transport Department", 0.7,
			"Licence No", 0.7,
			"DL No", 0.7,
			"Valid Till", 0.5,
			"S/D/W of", 0.5,
			"Son/Daughter/Wife of", 0.5,
		),
		MinScore: 3, MinKeywords: 3,
	}
}

// PassportRules recognises passport data pages: the title and labels, and
// a TD3 machine readable zone ("P<IND...").
func PassportRules() RuleSet {
	return RuleSet{
		Type: document.TypePassport,
		Keywords: kw(
			"REPUBLIC OF INDIA", 1.5,
			"भारत गणराज्य", 1.0,
			"Passport No", 1.0,
			"Country Code", 0.7,
			"Place of Birth", 0.7,
			"Place of Issue", 0.7,
			"Date of Expiry", 0.7,
			"Given Name(s)", 0.5,
		),
		Structure: []Structure{{Name: "mrz_td3", Weight: 2.0, Test: hasMRZ}},
		MinScore:  3, MinKeywords: 1.5,
	}
}

// hasEPIC reports a token that repairs, with at most one change, to an
// EPIC number passing the Luhn check.
func hasEPIC(lines []extract.Line) float64 {
	if tokens(lines, func(t string) bool {
		v, n, ok := validate.Repair(t, validate.ShapeVoterID)
		return ok && n <= 1 && validate.VoterID(v).Passed()
	}) {
		return 1
	}
	return 0
}

// hasMRZ reports a line that starts like a passport MRZ's first line.
func hasMRZ(lines []extract.Line) float64 {
	for _, l := range lines {
		t := strings.ToUpper(extract.Text(l.Words))
		if strings.HasPrefix(t, "P<") && strings.Count(t, "<") >= 5 {
			return 1
		}
	}
	return 0
}
