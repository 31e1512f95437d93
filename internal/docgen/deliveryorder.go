package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// renderDeliveryOrder is a placeholder until the DELIVERY_ORDER generator lands: a blank page
// with no fields.
func renderDeliveryOrder(_ *rand.Rand) (*image.RGBA, string, map[string]string) {
	return newCanvas(1240, 1754, color.White).img, "placeholder", map[string]string{}
}
