// Package pipeline reads one document, top to bottom: fetch its URL, keep
// the original, decode it, read its pages (the PDF text layer, else OCR),
// tell its type and extract its fields. It declares the small interfaces it
// consumes; the stages live in their own packages.
package pipeline

import (
	"context"
	"image"

	"github.com/atlas-oss/atlas/internal/document"
)

// Fetched is a document's bytes as its URL served them.
type Fetched struct {
	Data        []byte
	ContentType string // as the server declared it; may be empty or wrong
}

// Fetcher gets a document from its URL. Failures are *document.Error
// with code FETCH_FAILED (UpstreamStatus set), TOO_LARGE or TIMEOUT.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (*Fetched, error)
}

// Decoded is a document turned into what can be read: for each page either
// the words of its PDF text layer or an image to recognise.
type Decoded struct {
	Format string // "jpeg", "png", "webp", "tiff", "bmp", "pdf"
	Pages  []DecodedPage
}

// DecodedPage is one page: TextLayer is set when a PDF page carries usable
// text, Image otherwise.
type DecodedPage struct {
	TextLayer *document.Page
	Image     image.Image
}

// Decoder turns bytes into pages. Failures are *document.Error with code
// UNSUPPORTED_FORMAT, TOO_LARGE (pixel or page limits) or UNREADABLE.
type Decoder interface {
	Decode(ctx context.Context, data []byte) (*Decoded, error)
}

// Recognizer reads the words of one page image, after correcting its
// orientation. One Recognizer is used by one goroutine at a time.
type Recognizer interface {
	Recognize(ctx context.Context, img image.Image) (document.Page, error)
}

// Classifier tells what a document is from its pages. It returns ok=false
// for what is none of the known types.
type Classifier interface {
	Classify(pages []document.Page) (t document.Type, confidence float64, ok bool)
}

// Extractor reads the fields of one document type from its pages.
type Extractor interface {
	Extract(pages []document.Page) (*document.FileData, error)
}
