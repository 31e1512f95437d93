package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// renderShopAct is a placeholder until the SHOP_ACT_LICENSE generator lands: a blank page
// with no fields.
func renderShopAct(_ *rand.Rand) (*image.RGBA, string, map[string]string) {
	return newCanvas(1240, 1754, color.White).img, "placeholder", map[string]string{}
}
