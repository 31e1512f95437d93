// Package decode turns the bytes a document URL served into pages: an
// image for each page to recognise, or, for a PDF page that carries a
// usable text layer, its words. The bytes are untrusted: the format is
// sniffed from magic bytes (never the declared content type), image sizes
// are checked before decoding, and PDFs are handled by poppler's
// command-line tools in bounded child processes.
package decode

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

var _ pipeline.Decoder = (*Decoder)(nil)

// ErrPopplerMissing says poppler-utils' commands are not on PATH.
var ErrPopplerMissing = errors.New("poppler-utils is not installed: install poppler-utils (pdfinfo, pdftotext, pdftoppm, pdfimages) to read PDFs")

// Limits bound what one Decode may cost. The zero value means the
// defaults; a negative value is invalid.
type Limits struct {
	// MaxPixels is the largest image, in pixels, a page may decode or
	// render to. Default 40 megapixels (an A4 page at 300 dpi is 8.7).
	MaxPixels int
	// MaxSide is the longest side, in pixels, of a page image. Default
	// 30000: Leptonica and Tesseract refuse images over 32767 a side.
	MaxSide int
	// MaxTotalPixels bounds the sum over all pages: a Decoded holds every
	// page image in memory at once. Default 1 gigapixel (100 A4 pages
	// at 300 dpi are 870 megapixels).
	MaxTotalPixels int64
	// MaxPages is the most pages a PDF or multi-frame TIFF may have.
	// Default 100.
	MaxPages int
	// DPI is the resolution PDF pages are rasterised at and text-layer
	// boxes are converted to. Default 300.
	DPI int
	// CommandTimeout bounds each poppler command, within the context's
	// own deadline. Default 60 s.
	CommandTimeout time.Duration
	// MaxCommandOutput bounds what one poppler command may write (its
	// text layer, its extracted image). Default 64 MiB.
	MaxCommandOutput int64
	// MaxCommandMemory is the address-space limit of each poppler
	// process, against PDFs whose streams inflate to gigabytes.
	// Default 1 GiB.
	MaxCommandMemory int64
}

func (l Limits) withDefaults() Limits {
	return Limits{
		MaxPixels:        cmp.Or(l.MaxPixels, 40_000_000),
		MaxSide:          cmp.Or(l.MaxSide, 30_000),
		MaxTotalPixels:   cmp.Or(l.MaxTotalPixels, 1_000_000_000),
		MaxPages:         cmp.Or(l.MaxPages, 100),
		DPI:              cmp.Or(l.DPI, 300),
		CommandTimeout:   cmp.Or(l.CommandTimeout, 60*time.Second),
		MaxCommandOutput: cmp.Or(l.MaxCommandOutput, 64<<20),
		MaxCommandMemory: cmp.Or(l.MaxCommandMemory, 1<<30),
	}
}

// Validate reports the first field that is invalid (negative).
func (l Limits) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"MaxPixels", int64(l.MaxPixels)},
		{"MaxSide", int64(l.MaxSide)},
		{"MaxTotalPixels", l.MaxTotalPixels},
		{"MaxPages", int64(l.MaxPages)},
		{"DPI", int64(l.DPI)},
		{"CommandTimeout", int64(l.CommandTimeout)},
		{"MaxCommandOutput", l.MaxCommandOutput},
		{"MaxCommandMemory", l.MaxCommandMemory},
	} {
		if f.v < 0 {
			return fmt.Errorf("validate limits: %s is negative (%d)", f.name, f.v)
		}
	}
	if l.DPI > 1200 {
		return fmt.Errorf("validate limits: DPI %d is over 1200", l.DPI)
	}
	return nil
}

// Decoder decodes documents. It is safe for concurrent use.
type Decoder struct {
	lim Limits

	toolsOnce sync.Once
	tools     map[string]string // command name -> path
	toolsErr  error
}

// New returns a Decoder bounded by lim. It panics if lim is invalid: call
// lim.Validate first when the limits come from configuration. Poppler is
// looked up at the first PDF; call CheckTools to fail fast at start-up.
func New(lim Limits) *Decoder {
	if err := lim.Validate(); err != nil {
		panic(err)
	}
	return &Decoder{lim: lim.withDefaults()}
}

// Decode sniffs data's format and decodes it into pages. Failures are
// *document.Error with code UNSUPPORTED_FORMAT, TOO_LARGE, UNREADABLE,
// TIMEOUT or, when poppler is missing, INTERNAL.
func (d *Decoder) Decode(ctx context.Context, data []byte) (*pipeline.Decoded, error) {
	f, err := sniff(data)
	if err != nil {
		return nil, err
	}
	var pages []pipeline.DecodedPage
	if f == "pdf" {
		pages, err = d.decodePDF(ctx, data)
	} else {
		pages, err = d.decodeImage(f, data)
	}
	if err != nil {
		return nil, err
	}
	return &pipeline.Decoded{Format: f, Pages: pages}, nil
}

// sniff names data's format from its first bytes, or says what it looks
// like instead, in words a person sending the URL can act on.
func sniff(data []byte) (string, error) {
	head := data[:min(len(data), 1024)]
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg", nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png", nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp", nil
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff", nil
	case isBMP(data):
		return "bmp", nil
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "pdf", nil
	}
	known, err := unsupported(data)
	if !known && bytes.Contains(head, []byte("%PDF-")) {
		// Readers, poppler among them, accept junk before the header
		// within the first kilobyte; an HTML page quoting "%PDF-" was
		// caught above.
		return "pdf", nil
	}
	return "", err
}

// isBMP checks the file header's "BM" and a known info-header size:
// "BM" alone is two letters of text.
func isBMP(data []byte) bool {
	if len(data) < 26 || string(data[:2]) != "BM" {
		return false
	}
	switch binary.LittleEndian.Uint32(data[14:]) {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// unsupported says what data looks like; known is false when it is a
// guess.
func unsupported(data []byte) (known bool, err *document.Error) {
	const send = "send a PDF, JPEG, PNG, WebP, TIFF or BMP"
	if len(bytes.TrimSpace(data)) == 0 {
		return true, document.Errorf(document.CodeUnsupportedFormat, "the URL returned an empty body, not a document: check the link")
	}
	trim := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(data[:min(len(data), 512)], []byte("\xef\xbb\xbf")), " \t\r\n"))
	magic := []struct{ prefix, what string }{
		{"<!doctype html", "an HTML page, not a document: was it a login or error page?"},
		{"<html", "an HTML page, not a document: was it a login or error page?"},
		{"<?xml", "an XML document, not a document image: was it a storage error page?"},
		{"{", "JSON, not a document: was it an API error?"},
		{"[", "JSON, not a document: was it an API error?"},
		{"pk\x03\x04", "a ZIP archive (perhaps a Word or Excel file): " + send},
		{"gif8", "a GIF image, which atlas does not read: " + send},
		{"ii+\x00", "a BigTIFF image, which atlas does not read: " + send},
		{"\xd0\xcf\x11\xe0", "an old Microsoft Office file: " + send},
		{"%!ps", "a PostScript file: " + send},
	}
	for _, m := range magic {
		if bytes.HasPrefix(trim, []byte(m.prefix)) {
			return true, document.Errorf(document.CodeUnsupportedFormat, "the URL returned %s", m.what)
		}
	}
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		return true, document.Errorf(document.CodeUnsupportedFormat, "the URL returned an HEIC/HEIF or MP4 file, which atlas does not read: %s", send)
	}
	if bytes.Contains(trim, []byte("<html")) || bytes.Contains(trim, []byte("<body")) {
		return true, document.Errorf(document.CodeUnsupportedFormat, "the URL returned an HTML page, not a document: was it a login or error page?")
	}
	return false, document.Errorf(document.CodeUnsupportedFormat, "the URL returned a file of unknown format: %s", send)
}

func tooLarge(format string, args ...any) *document.Error {
	return document.Errorf(document.CodeTooLarge, format, args...)
}

func unreadable(err error, format string, args ...any) *document.Error {
	e := document.Errorf(document.CodeUnreadable, format, args...)
	e.Err = err
	return e
}

// ctxError maps a context's end to TIMEOUT (retryable) or, when the
// caller cancelled, to the plain context error.
func ctxError(ctx context.Context, what string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &document.Error{Code: document.CodeTimeout, Message: what + " took too long", Retryable: true, Err: ctx.Err()}
	}
	return fmt.Errorf("%s: %w", what, ctx.Err())
}
