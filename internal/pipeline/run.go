package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// Blobs keeps documents' original bytes, content-addressed.
type Blobs interface {
	Put(ctx context.Context, data []byte) (key string, err error)
	Get(ctx context.Context, key string) ([]byte, error)
}

// RecognizerPool lends a Recognizer to one document at a time; release
// gives it back.
type RecognizerPool interface {
	Acquire(ctx context.Context) (r Recognizer, release func(), err error)
}

// Extractors finds the extractor registered for a document type.
type Extractors interface {
	For(t document.Type) (Extractor, bool)
}

// Pipeline runs the stages over one document.
type Pipeline struct {
	Fetcher    Fetcher
	Blobs      Blobs
	Decoder    Decoder
	OCR        RecognizerPool
	Classifier Classifier
	Extractors Extractors
	// Observe, when set, is told how long each stage took.
	Observe func(stage string, d time.Duration)
	// AssessQuality, when set, judges how an identity document was
	// captured (original, xerox_copy, photo_of_photo) from its first page
	// image; the result is its document_quality_flag.
	AssessQuality func(img image.Image) (flag string, confidence float64)
	// RedactAadhaar, when set, returns an encoded copy of an Aadhaar
	// page image with the first eight digits of number blacked out;
	// page is what OCR read of it. The copy is kept in Blobs.
	RedactAadhaar func(img image.Image, page document.Page, number string) ([]byte, error)
}

// identityTypes are the documents that get a document_quality_flag.
var identityTypes = map[document.Type]bool{
	document.TypePAN: true, document.TypeAadhaar: true, document.TypeVoterID: true,
	document.TypeDrivingLicense: true, document.TypePassport: true,
}

// Input is one document to read: its URL and, when its original was kept
// on an earlier attempt, the key of that copy (then the URL is not
// fetched again: a pre-signed URL may have expired by now).
type Input struct {
	URL     string
	BlobKey string
}

// Outcome is what reading a document gave: its fields, or the error that
// stopped it, and the key of its stored original when one was kept.
type Outcome struct {
	FileData *document.FileData
	Err      *document.Error
	BlobKey  string
	// RedactedKey is the key of the redacted copy of an Aadhaar, if any.
	RedactedKey string
}

// Run reads one document. Failures of the document itself (a 404, an
// unreadable image, an unknown type) come back in Outcome.Err; the error
// return is for failures of atlas (storage, a cancelled context) that a
// retry may cure.
func (p *Pipeline) Run(ctx context.Context, in Input) (Outcome, error) {
	out := Outcome{BlobKey: in.BlobKey}
	data, err := p.original(ctx, in, &out)
	if err != nil {
		return asOutcome(out, err)
	}

	var dec *Decoded
	err = p.stage("decode", func() (err error) { dec, err = p.Decoder.Decode(ctx, data); return err })
	if err != nil {
		return asOutcome(out, err)
	}

	pages, err := p.read(ctx, dec)
	if err != nil {
		return asOutcome(out, err)
	}

	var (
		typ   document.Type
		known bool
	)
	_ = p.stage("classify", func() error { typ, _, known = p.Classifier.Classify(pages); return nil })
	ext, ok := p.Extractors.For(typ)
	if !known || !ok {
		out.Err = document.Errorf(document.CodeUnrecognised, "the document is none of the types atlas reads, or too unclear to tell")
		return out, nil
	}
	var fd *document.FileData
	err = p.stage("extract", func() (err error) { fd, err = ext.Extract(pages); return err })
	if err != nil {
		return asOutcome(out, err)
	}
	out.FileData = fd
	if err := p.finish(ctx, dec, pages, &out); err != nil {
		return out, err
	}
	return out, nil
}

// finish adds what is judged from the page images rather than read from
// the words: the capture's quality and, for an Aadhaar, a redacted copy.
func (p *Pipeline) finish(ctx context.Context, dec *Decoded, pages []document.Page, out *Outcome) error {
	fd := out.FileData
	first := -1
	for i, dp := range dec.Pages {
		if dp.Image != nil {
			first = i
			break
		}
	}
	if first < 0 {
		return nil // a text-layer PDF: no capture to judge, no image to redact
	}
	if p.AssessQuality != nil && identityTypes[fd.Type] {
		var flag string
		var conf float64
		_ = p.stage("quality", func() error { flag, conf = p.AssessQuality(dec.Pages[first].Image); return nil })
		// Two decimals, as every other confidence is given.
		fd.Set("document_quality_flag", document.Field{Value: flag, Confidence: math.Round(conf*100) / 100})
	}
	num, ok := fd.Get("aadhaar_number")
	s, _ := num.Value.(string)
	if p.RedactAadhaar == nil || fd.Type != document.TypeAadhaar || !ok || strings.HasPrefix(s, "X") {
		return nil
	}
	var redacted []byte
	err := p.stage("redact", func() (err error) {
		redacted, err = p.RedactAadhaar(dec.Pages[first].Image, pages[first], s)
		return err
	})
	if err != nil {
		// The number was read but not found again on the page: no copy,
		// rather than one that shows it.
		return nil
	}
	key, err := p.Blobs.Put(ctx, redacted)
	if err != nil {
		return fmt.Errorf("store redacted copy: %w", err)
	}
	out.RedactedKey = key
	return nil
}

// original returns the document's bytes: the stored copy when there is
// one, else what its URL serves, which it then stores.
func (p *Pipeline) original(ctx context.Context, in Input, out *Outcome) ([]byte, error) {
	if in.BlobKey != "" {
		data, err := p.Blobs.Get(ctx, in.BlobKey)
		if err == nil {
			return data, nil
		}
		// Fall through to the URL: the copy may have been purged.
	}
	var f *Fetched
	if err := p.stage("fetch", func() (err error) { f, err = p.Fetcher.Fetch(ctx, in.URL); return err }); err != nil {
		return nil, err
	}
	var key string
	if err := p.stage("store", func() (err error) { key, err = p.Blobs.Put(ctx, f.Data); return err }); err != nil {
		return nil, fmt.Errorf("store original: %w", err)
	}
	out.BlobKey = key
	return f.Data, nil
}

// read turns decoded pages into words: a PDF text layer as it is, images
// through OCR with one engine held for the whole document.
func (p *Pipeline) read(ctx context.Context, dec *Decoded) ([]document.Page, error) {
	pages := make([]document.Page, 0, len(dec.Pages))
	var (
		rec     Recognizer
		release func()
	)
	defer func() {
		if release != nil {
			release()
		}
	}()
	for i, dp := range dec.Pages {
		if dp.TextLayer != nil {
			pg := *dp.TextLayer
			pg.Number = i + 1
			pages = append(pages, pg)
			continue
		}
		if rec == nil {
			var err error
			if rec, release, err = p.OCR.Acquire(ctx); err != nil {
				return nil, fmt.Errorf("acquire ocr engine: %w", err)
			}
		}
		var pg document.Page
		err := p.stage("ocr", func() (err error) { pg, err = rec.Recognize(ctx, dp.Image); return err })
		if err != nil {
			return nil, err
		}
		pg.Number = i + 1
		pages = append(pages, pg)
	}
	return pages, nil
}

func (p *Pipeline) stage(name string, fn func() error) error {
	start := time.Now()
	err := fn()
	if p.Observe != nil {
		p.Observe(name, time.Since(start))
	}
	return err
}

// asOutcome sorts an error into the document's failure (kept in the
// outcome) or atlas's own (returned, for a retry).
func asOutcome(out Outcome, err error) (Outcome, error) {
	var de *document.Error
	if errors.As(err, &de) {
		out.Err = de
		return out, nil
	}
	return out, err
}
