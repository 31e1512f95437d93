package docgen

import "math/rand/v2"

// drawSaleDeed is a placeholder until the SALE_DEED generator lands: one blank page
// with no fields.
func drawSaleDeed(_ *rand.Rand) ([]drawing, map[string]string, string) {
	return []drawing{{}}, map[string]string{}, "placeholder"
}
