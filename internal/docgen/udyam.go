package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// renderUdyam is a placeholder until the UDYAM_CERT generator lands: a blank page
// with no fields.
func renderUdyam(_ *rand.Rand) (*image.RGBA, string, map[string]string) {
	return newCanvas(1240, 1754, color.White).img, "placeholder", map[string]string{}
}
