package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// renderOther is a placeholder until the generator of documents that are
// none of atlas's types lands: a blank page.
func renderOther(_ *rand.Rand) (*image.RGBA, string, map[string]string) {
	return newCanvas(1240, 1754, color.White).img, "placeholder", map[string]string{}
}
