package classify

import (
	"github.com/atlas-oss/atlas/internal/document"
)

// ShopActRules recognises shop-act licences: registrations under a state's
// Shops and (Commercial) Establishments Act. The Act's name, the form's
// title and the row labels decide; "Labour Department" and "Date of
// commencement" weigh little (Udyam certificates print a commencement
// date, other state certificates a department). No identifier is checked:
// each state numbers differently, and a bare run of digits is also an
// account number.
func ShopActRules() RuleSet {
	return RuleSet{
		Type: document.TypeShopAct,
		Keywords: kw(
			"Shops and Establishments", 2.0,
			"Shops and Commercial Establishments", 2.0,
			"INTIMATION RECEIPT", 1.5,
			"Registration Certificate of Establishment", 1.5,
			"Name of the Establishment", 1.0,
			"Name of Shop", 0.6,
			"Name of Employer", 0.8,
			"Name of the Occupier", 0.8,
			"Nature of Business", 0.5,
			"Category of Business", 0.5,
			"Total number of workers", 0.6,
			"Number of Employees", 0.4,
			"Labour Department", 0.4,
			"Department of Labour", 0.4,
			"कामगार विभाग", 0.5,
			"Date of commencement", 0.2,
		),
		MinScore: 3, MinKeywords: 3,
	}
}
