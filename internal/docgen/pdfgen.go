package docgen

import (
	"fmt"
	"math/rand/v2"

	"github.com/atlas-oss/atlas/internal/document"
)

// GeneratePDF renders a multi-page document of type t (one of
// pdfRenderers: bank statements, GST certificates, sale deeds) chosen by
// seed, as a PDF. Unscanned, the pages carry a text layer in Helvetica;
// scanned, each page is a greyscale JPEG of the same drawing with no text
// layer. Width and Height are a page's size at 300 dpi (unscanned) or the
// scan's pixels.
func GeneratePDF(seed int64, t document.Type, scanned bool) (*Sample, error) {
	draw, ok := pdfRenderers[t]
	if !ok {
		return nil, fmt.Errorf("generate pdf %q: %w", t, ErrUnknownType)
	}
	content := rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(t)))
	capture := rand.New(rand.NewPCG(uint64(seed), streamCondition))
	s := &Sample{Seed: seed, Type: t, Condition: Clean, Format: "pdf", Width: 2480, Height: 3508}
	if scanned {
		s.Condition = Scan
	}
	drawings, truth, layout := draw(content)
	s.Layout, s.Truth = layout, truth
	if !scanned {
		s.Data = writePDF(drawings, nil)
		return s, nil
	}
	images := make([]pdfImage, len(drawings))
	for i, d := range drawings {
		img, err := rasterise(d, capture)
		if err != nil {
			return nil, err
		}
		if images[i], err = encodeScan(img, capture); err != nil {
			return nil, err
		}
		s.Width, s.Height = img.Bounds().Dx(), img.Bounds().Dy()
	}
	s.Data = writePDF(drawings, images)
	return s, nil
}
