package docgen

import "math/rand/v2"

// drawGSTCert is a placeholder until the GST_CERT generator lands: one blank page
// with no fields.
func drawGSTCert(_ *rand.Rand) ([]drawing, map[string]string, string) {
	return []drawing{{}}, map[string]string{}, "placeholder"
}
