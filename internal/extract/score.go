package extract

import (
	"image"
	"math"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Evidence is what a field's confidence is built from.
type Evidence struct {
	// Words are the words the value was read from; their OCR confidences
	// and boxes are used.
	Words []document.Word
	// Check is the structural check the value went through, nil when the
	// field has no rule (names, addresses).
	Check *validate.Result
	// Repaired is how many characters OCR repair changed.
	Repaired int
	// Label is how well the field's label matched, in [0, 1]: 1 for an
	// exact label or a value found by its structure alone.
	Label float64
}

// Confidence turns evidence into a confidence in [0, 1]. The OCR
// confidence (the mean pulled toward the weakest word) is lowered for a
// fuzzy label and for each repaired character; a passed check lifts it, a
// failed one caps it at 0.5 (0.7 for a soft rule): a value that fails its
// checksum is never returned with high confidence.
func Confidence(e Evidence) float64 {
	c := ocrConf(e.Words)
	c *= 0.7 + 0.3*clamp(e.Label)
	// A checksum that passes after repair vouches for the repair, so a
	// repaired character costs less when the check passed.
	perRepair := 0.88
	if e.Check != nil && e.Check.Passed() {
		perRepair = 0.96
	}
	c *= math.Pow(perRepair, float64(max(e.Repaired, 0)))
	if e.Check != nil {
		switch {
		case e.Check.Passed():
			c = 0.8*c + 0.2
		case e.Check.Soft:
			c = min(c, 0.7)
		default:
			c = min(c, 0.5)
		}
	}
	return math.Round(clamp(c)*100) / 100
}

func ocrConf(ws []document.Word) float64 {
	if len(ws) == 0 {
		return 0.5
	}
	sum, lo := 0.0, 1.0
	for _, w := range ws {
		sum += clamp(w.Conf)
		lo = min(lo, clamp(w.Conf))
	}
	return 0.5*sum/float64(len(ws)) + 0.5*lo
}

func clamp(x float64) float64 { return max(0, min(1, x)) }

// NewField returns a field holding value, with its confidence, validation
// and the box of its words.
func NewField(value any, page int, e Evidence) document.Field {
	f := document.Field{Value: value, Confidence: Confidence(e), Page: page}
	if e.Check != nil {
		f.Validation = e.Check.Validation()
	}
	var box image.Rectangle
	for _, w := range e.Words {
		box = box.Union(w.Box)
	}
	f.Box = box
	return f
}
