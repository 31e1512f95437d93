// Package gstcert reads the fields of GST registration certificates (Form GST REG-06).
package gstcert

import (
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Extractor reads GST registration certificates (Form GST REG-06). Placeholder until the extractor lands: it
// reads nothing.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns an extractor.
func New() *Extractor { return &Extractor{} }

// Extract reads the fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	return nil, extract.Unreadable(document.TypeGSTCert)
}
