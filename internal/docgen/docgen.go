// Package docgen renders synthetic documents of fake people and firms (every
// type of shared/spec/fields.md: identity cards, certificates, invoices,
// cheques, delivery orders, and bank statements and sale deeds as PDFs),
// and documents of none of those types (other.go) that atlas must refuse,
// with the field values each should yield beside it. Tests and the evaluation of atlas use them
// instead of real people's documents. Everything is deterministic from a
// seed: the same seed, type and condition give the same bytes.
package docgen

import (
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"slices"

	"github.com/atlas-oss/atlas/internal/document"
)

// Condition is how the rendered card was captured.
type Condition string

// The capture conditions Generate can simulate.
const (
	// Clean is the rendered card as a PNG, as a digital copy would be.
	Clean Condition = "clean"
	// Scan is a greyscale flatbed scan: slightly skewed, speckled,
	// slightly blurred, resampled to 150-300 dpi.
	Scan Condition = "scan"
	// Photo is a phone photo: the card on a textured background, with a
	// mild perspective warp, uneven light and blur, as a JPEG.
	Photo Condition = "photo"
	// Rotated is the clean card turned 90, 180 or 270 degrees clockwise.
	Rotated Condition = "rotated"
)

// Conditions lists every condition, in a stable order.
var Conditions = []Condition{Clean, Scan, Photo, Rotated}

// renderer draws one document of a type: the image, the layout variant's
// name and the ground truth (field name -> API value).
type renderer func(r *rand.Rand) (img *image.RGBA, layout string, truth map[string]string)

// renderers lists the single-image document types Generate can render.
// Add a type here, one line, when its renderer exists.
var renderers = map[document.Type]renderer{
	document.TypePAN:            renderPAN,
	document.TypeAadhaar:        renderAadhaar,
	document.TypeVoterID:        renderVoterID,
	document.TypeDrivingLicense: renderDL,
	document.TypePassport:       renderPassport,
	document.TypeInvoice:        renderInvoice,
	document.TypeUdyamCert:      renderUdyam,
	document.TypeShopAct:        renderShopAct,
	document.TypeCheque:         renderCheque,
	document.TypeDeliveryOrder:  renderDeliveryOrder,
	Unrecognised:                renderOther,
}

// Unrecognised is the pseudo-type of generated documents that are none of
// atlas's types (menus, letters, photos): the engine must refuse them
// with UNRECOGNISED.
const Unrecognised document.Type = "UNRECOGNISED"

// pdfRenderer draws a multi-page document: its pages, the ground truth and
// the layout variant's name.
type pdfRenderer func(r *rand.Rand) (pages []drawing, truth map[string]string, layout string)

// pdfRenderers lists the types Generate renders as multi-page PDFs: clean
// with a text layer, scan as scanned pages with none.
var pdfRenderers = map[document.Type]pdfRenderer{
	document.TypeBankStatement: drawStatement,
	document.TypeGSTCert:       drawGSTCert,
	document.TypeSaleDeed:      drawSaleDeed,
}

// Types lists the document types Generate can render, in a stable order.
var Types = []document.Type{document.TypePAN, document.TypeAadhaar, document.TypeVoterID, document.TypeDrivingLicense, document.TypePassport}

// AllTypes lists every type Generate renders: the cards of Types, the
// single pages (A4 documents and cheques, tested on their own: the card
// tests' loops would triple in time), and the multi-page PDFs (clean: with
// a text layer; scan: scanned pages), then Unrecognised.
var AllTypes = append(slices.Clone(Types),
	document.TypeGSTCert, document.TypeUdyamCert, document.TypeShopAct,
	document.TypeInvoice, document.TypeBankStatement, document.TypeCheque,
	document.TypeDeliveryOrder, document.TypeSaleDeed, Unrecognised)

// Errors Generate returns for arguments it does not know.
var (
	// ErrUnsupported: the type is not rendered under that condition.
	ErrUnsupported      = errors.New("condition not rendered for this type")
	ErrUnknownType      = errors.New("unknown document type")
	ErrUnknownCondition = errors.New("unknown condition")
)

// Sample is one generated document image and its ground truth.
type Sample struct {
	Seed      int64         `json:"seed"`
	Type      document.Type `json:"document_type"`
	Condition Condition     `json:"condition"`
	// Layout names the layout variant drawn, e.g. "pan-new-bilingual".
	Layout string `json:"layout"`
	// Format is the encoding of Data: "png" or "jpeg".
	Format string `json:"format"`
	Data   []byte `json:"-"`
	// Width and Height are the encoded image's size in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Rotation is the clockwise angle the card was turned by for the
	// rotated condition (90, 180, 270); 0 otherwise.
	Rotation int `json:"rotation"`
	// Truth maps field names of shared/spec/fields.md to the value the
	// API should return for this image.
	Truth map[string]string `json:"truth"`
}

// Streams of the PCG source: the content of the card and the capture
// condition draw from separate streams, so one seed gives the same person
// under every condition.
const (
	streamContent   = 0x646f6367656e01 // "docgen" 1
	streamCondition = 0x646f6367656e02
)

// Generate renders a document of type t of a fake person chosen by seed,
// captured under condition c.
func Generate(seed int64, t document.Type, c Condition) (*Sample, error) {
	// The type is mixed into the content stream so a PAN and an Aadhaar
	// of the same seed are different people.
	content := rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(t)))
	condition := rand.New(rand.NewPCG(uint64(seed), streamCondition))

	s := &Sample{Seed: seed, Type: t, Condition: c}
	switch c {
	case Clean, Scan, Photo, Rotated:
	default:
		return nil, fmt.Errorf("generate %q: %w", c, ErrUnknownCondition)
	}
	if _, ok := pdfRenderers[t]; ok {
		switch c {
		case Clean:
			return GeneratePDF(seed, t, false)
		case Scan:
			return GeneratePDF(seed, t, true)
		}
		return nil, fmt.Errorf("generate %s %q: %w", t, c, ErrUnsupported)
	}
	render, ok := renderers[t]
	if !ok {
		return nil, fmt.Errorf("generate %q: %w", t, ErrUnknownType)
	}
	card, layout, truth := render(content)
	s.Layout, s.Truth = layout, truth
	if err := capture(s, card, condition); err != nil {
		return nil, err
	}
	return s, nil
}

// typeHash is FNV-1a of the type's name.
func typeHash(t document.Type) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(t); i++ {
		h ^= uint64(t[i])
		h *= 1099511628211
	}
	return h
}
