// Package extract holds what every document family's extractor shares: the
// registry the pipeline looks extractors up in, the one function that turns
// a value's evidence into a confidence, and word-geometry helpers (fuzzy
// labels, the value right of or below a label). The extractors themselves
// live in sub-packages, one per family (extract/pan, extract/aadhaar).
package extract

import (
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Registry maps a document type to its extractor. Extractors are
// registered explicitly by the composition root, never by init().
type Registry struct {
	m map[document.Type]pipeline.Extractor
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{m: map[document.Type]pipeline.Extractor{}}
}

// Register sets the extractor of t, replacing any earlier one.
func (r *Registry) Register(t document.Type, e pipeline.Extractor) {
	r.m[t] = e
}

// For returns the extractor of t and whether there is one.
func (r *Registry) For(t document.Type) (pipeline.Extractor, bool) {
	e, ok := r.m[t]
	return e, ok
}
