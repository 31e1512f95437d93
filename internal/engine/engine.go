// Package engine is atlas's reading engine without the service around it:
// bytes in, fields out, with no HTTP, no database and no queue. The
// command line (atlas extract, atlas eval) uses it; it runs the same
// pipeline, with the same stages and extractors, as the service.
package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"sync"

	"github.com/atlas-oss/atlas/internal/classify"
	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/extract/aadhaar"
	"github.com/atlas-oss/atlas/internal/extract/cheque"
	"github.com/atlas-oss/atlas/internal/extract/deliveryorder"
	"github.com/atlas-oss/atlas/internal/extract/dl"
	"github.com/atlas-oss/atlas/internal/extract/gstcert"
	"github.com/atlas-oss/atlas/internal/extract/invoice"
	"github.com/atlas-oss/atlas/internal/extract/pan"
	"github.com/atlas-oss/atlas/internal/extract/passport"
	"github.com/atlas-oss/atlas/internal/extract/saledeed"
	"github.com/atlas-oss/atlas/internal/extract/shopact"
	"github.com/atlas-oss/atlas/internal/extract/statement"
	"github.com/atlas-oss/atlas/internal/extract/udyam"
	"github.com/atlas-oss/atlas/internal/extract/voterid"
	"github.com/atlas-oss/atlas/internal/ocr"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/quality"
	"github.com/atlas-oss/atlas/internal/redact"
)

// ErrNoFetch is returned if the pipeline tries to fetch a URL: the engine
// reads only the bytes it is given.
var ErrNoFetch = errors.New("the offline engine fetches no URLs")

// Config configures an Engine. The zero value means the defaults.
type Config struct {
	// Workers is the number of OCR engines, hence of documents read at
	// once; default 1. Measured on 2 cores: one per core is fastest.
	Workers int
	// OCR configures each Tesseract engine (languages, page timeout).
	OCR ocr.Config
	// Limits bound what decoding one document may cost.
	Limits decode.Limits
}

func (c Config) withDefaults() Config {
	c.Workers = cmp.Or(c.Workers, 1)
	return c
}

func (c Config) validate() error {
	if c.Workers < 0 {
		return fmt.Errorf("engine config: Workers %d: want >= 1", c.Workers)
	}
	if err := c.Limits.Validate(); err != nil {
		return fmt.Errorf("engine config: Limits: %w", err)
	}
	return nil
}

// Extractors returns the registry of every document family's extractor.
// The service and the engine both use it, so they read the same types.
func Extractors() *extract.Registry {
	r := extract.NewRegistry()
	r.Register(document.TypePAN, pan.New())
	r.Register(document.TypeAadhaar, aadhaar.New())
	r.Register(document.TypeVoterID, voterid.New())
	r.Register(document.TypeDrivingLicense, dl.New())
	r.Register(document.TypePassport, passport.New())
	r.Register(document.TypeBankStatement, statement.New())
	r.Register(document.TypeInvoice, invoice.New())
	r.Register(document.TypeGSTCert, gstcert.New())
	r.Register(document.TypeUdyamCert, udyam.New())
	r.Register(document.TypeShopAct, shopact.New())
	r.Register(document.TypeCheque, cheque.New())
	r.Register(document.TypeDeliveryOrder, deliveryorder.New())
	r.Register(document.TypeSaleDeed, saledeed.New())
	return r
}

// Engine reads documents from their bytes. It is safe for concurrent use;
// at most Config.Workers documents are recognised at once.
type Engine struct {
	decoder    *decode.Decoder
	pool       *ocr.Pool
	classifier *classify.Classifier
	extractors *extract.Registry
}

// New loads the OCR engines and builds the stages. Close releases them.
func New(cfg Config) (*Engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	pool, err := ocr.NewPool(cfg.Workers, cfg.OCR)
	if err != nil {
		return nil, fmt.Errorf("start ocr engines: %w", err)
	}
	return &Engine{
		decoder:    decode.New(cfg.Limits),
		pool:       pool,
		classifier: classify.Default(),
		extractors: Extractors(),
	}, nil
}

// Close releases the OCR engines; documents being read finish first.
func (e *Engine) Close() { e.pool.Close() }

// inputKey is the blob key the document's bytes are handed to the
// pipeline under: with it set, the pipeline reads them instead of
// fetching a URL.
const inputKey = "input"

// Read decodes, recognises, classifies and extracts one document. A
// failure of the document (UNSUPPORTED_FORMAT, UNREADABLE, UNRECOGNISED,
// ...) is a *document.Error; any other error is atlas's own (a cancelled
// context, a closed engine). The pages are the words the document was
// read into; they are returned whenever it got that far, UNRECOGNISED
// included.
func (e *Engine) Read(ctx context.Context, data []byte) (*document.FileData, []document.Page, error) {
	rc := &recordingClassifier{Classifier: e.classifier}
	// A Pipeline per call: the recording classifier and the in-memory
	// blobs belong to this document only.
	p := &pipeline.Pipeline{
		Fetcher:    noFetch{},
		Blobs:      &memBlobs{m: map[string][]byte{inputKey: data}},
		Decoder:    e.decoder,
		OCR:        Lender{e.pool},
		Classifier: rc,
		Extractors: e.extractors,
		// No redacted copy offline: there is no one to serve it to.
		AssessQuality: quality.Assess,
	}
	out, err := p.Run(ctx, pipeline.Input{BlobKey: inputKey})
	if err != nil {
		return nil, rc.pages, fmt.Errorf("read document: %w", err)
	}
	if out.Err != nil {
		return nil, rc.pages, out.Err
	}
	return out.FileData, rc.pages, nil
}

// recordingClassifier keeps the pages it is shown: the pipeline hands the
// classifier every page, text layer and OCR alike, and returns none.
type recordingClassifier struct {
	pipeline.Classifier
	pages []document.Page
}

func (r *recordingClassifier) Classify(pages []document.Page) (document.Type, float64, bool) {
	r.pages = pages
	return r.Classifier.Classify(pages)
}

// memBlobs keeps one document's bytes (and what the pipeline stores
// beside them) in memory.
type memBlobs struct {
	mu sync.Mutex
	m  map[string][]byte
	n  int
}

func (b *memBlobs) Put(_ context.Context, data []byte) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	key := fmt.Sprintf("mem/%d", b.n)
	b.m[key] = data
	return key, nil
}

func (b *memBlobs) Get(_ context.Context, key string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[key]
	if !ok {
		return nil, fmt.Errorf("get blob %q: not found", key)
	}
	return data, nil
}

type noFetch struct{}

func (noFetch) Fetch(context.Context, string) (*pipeline.Fetched, error) {
	return nil, ErrNoFetch
}

// Lender lends the pipeline one engine of an OCR pool for a whole
// document (the service and the offline engine both use it).
type Lender struct{ Pool *ocr.Pool }

// Acquire takes an engine; release gives it back.
func (l Lender) Acquire(ctx context.Context) (pipeline.Recognizer, func(), error) {
	eng, err := l.Pool.Get(ctx)
	if err != nil {
		return nil, nil, err
	}
	return eng, func() { l.Pool.Put(eng) }, nil
}

// RedactAadhaar returns a JPEG of img with the first eight digits of
// number blacked out wherever page shows it (the pipeline's
// RedactAadhaar step).
func RedactAadhaar(img image.Image, page document.Page, number string) ([]byte, error) {
	red, err := redact.Aadhaar(img, page, number)
	if err != nil {
		return nil, err
	}
	return redact.EncodeJPEG(red)
}

var (
	_ pipeline.Blobs          = (*memBlobs)(nil)
	_ pipeline.Fetcher        = noFetch{}
	_ pipeline.RecognizerPool = Lender{}
	_ pipeline.Classifier     = (*recordingClassifier)(nil)
)
