package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// renderCheque is a placeholder until the CHEQUE generator lands: a blank page
// with no fields.
func renderCheque(_ *rand.Rand) (*image.RGBA, string, map[string]string) {
	return newCanvas(1240, 1754, color.White).img, "placeholder", map[string]string{}
}
