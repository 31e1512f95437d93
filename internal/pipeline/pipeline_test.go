package pipeline_test

import (
	"context"
	"errors"
	"image"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Fakes, to inject faults: the real stages are tested in their packages
// and together in the end-to-end tests.

type fetcher struct {
	calls int
	err   error
}

func (f *fetcher) Fetch(ctx context.Context, url string) (*pipeline.Fetched, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return &pipeline.Fetched{Data: []byte("bytes of " + url)}, nil
}

type blobs map[string][]byte

// Put keys by content, as the real blob store does.
func (b blobs) Put(ctx context.Context, data []byte) (string, error) {
	key := "k:" + string(data)
	b[key] = data
	return key, nil
}

func (b blobs) Get(ctx context.Context, key string) ([]byte, error) {
	if d, ok := b[key]; ok {
		return d, nil
	}
	return nil, errors.New("no such blob")
}

type decoder struct{ pages []pipeline.DecodedPage }

func (d decoder) Decode(ctx context.Context, data []byte) (*pipeline.Decoded, error) {
	return &pipeline.Decoded{Format: "png", Pages: d.pages}, nil
}

type engine struct {
	acquired int
	err      error
	panics   bool
}

func (e *engine) Acquire(ctx context.Context) (pipeline.Recognizer, func(), error) {
	e.acquired++
	return e, func() {}, nil
}

func (e *engine) Recognize(ctx context.Context, img image.Image) (document.Page, error) {
	if e.panics {
		panic("engine crashed")
	}
	return document.Page{Source: "ocr", Words: []document.Word{{Text: "PAN", Conf: 0.9}}}, e.err
}

type classifier struct{ t document.Type }

func (c classifier) Classify(pages []document.Page) (document.Type, float64, bool) {
	return c.t, 0.9, c.t != ""
}

type extractors struct{}

func (extractors) For(t document.Type) (pipeline.Extractor, bool) {
	return extractor{t}, t == document.TypePAN
}

type extractor struct{ t document.Type }

func (e extractor) Extract(pages []document.Page) (*document.FileData, error) {
	fd := document.NewFileData(e.t)
	fd.Set("pages", document.Field{Value: len(pages), Confidence: 1})
	return fd, nil
}

func newPipeline(f *fetcher, e *engine, t document.Type, pages ...pipeline.DecodedPage) (*pipeline.Pipeline, map[string]time.Duration) {
	stages := map[string]time.Duration{}
	if len(pages) == 0 {
		pages = []pipeline.DecodedPage{{Image: image.NewGray(image.Rect(0, 0, 10, 10))}}
	}
	return &pipeline.Pipeline{
		Fetcher: f, Blobs: blobs{}, Decoder: decoder{pages}, OCR: e,
		Classifier: classifier{t}, Extractors: extractors{},
		Observe: func(stage string, d time.Duration) { stages[stage] += d + 1 },
	}, stages
}

func TestRunReadsAndKeepsTheOriginal(t *testing.T) {
	f, e := &fetcher{}, &engine{}
	p, stages := newPipeline(f, e, document.TypePAN)
	out, err := p.Run(context.Background(), pipeline.Input{URL: "https://x.example/a.png"})
	if err != nil || out.Err != nil || out.FileData == nil || out.FileData.Type != document.TypePAN {
		t.Fatalf("Run = %+v, %v", out, err)
	}
	if out.BlobKey != "k:bytes of https://x.example/a.png" {
		t.Errorf("original not kept: blob key %q", out.BlobKey)
	}
	for _, s := range []string{"fetch", "store", "decode", "ocr", "classify", "extract"} {
		if stages[s] == 0 {
			t.Errorf("stage %s not observed", s)
		}
	}
}

func TestRunUsesTheStoredOriginal(t *testing.T) {
	f, e := &fetcher{}, &engine{}
	p, _ := newPipeline(f, e, document.TypePAN)
	p.Blobs = blobs{"kept": []byte("original")}
	if _, err := p.Run(context.Background(), pipeline.Input{URL: "https://x.example/expired", BlobKey: "kept"}); err != nil {
		t.Fatal(err)
	}
	if f.calls != 0 {
		t.Errorf("fetched the URL %d times although the original was kept", f.calls)
	}
	// A key whose blob is gone falls back to the URL.
	if _, err := p.Run(context.Background(), pipeline.Input{URL: "https://x.example/a", BlobKey: "purged"}); err != nil || f.calls != 1 {
		t.Errorf("purged original: err %v, fetches %d", err, f.calls)
	}
}

func TestRunSortsFailures(t *testing.T) {
	fetchErr := &document.Error{Code: document.CodeFetchFailed, Message: "expired", UpstreamStatus: 403}
	for _, tc := range []struct {
		name     string
		f        *fetcher
		e        *engine
		typ      document.Type
		wantCode document.ErrorCode
		wantErr  bool
	}{
		{"document failure", &fetcher{err: fetchErr}, &engine{}, document.TypePAN, document.CodeFetchFailed, false},
		{"unknown type", &fetcher{}, &engine{}, "", document.CodeUnrecognised, false},
		{"type with no extractor", &fetcher{}, &engine{}, document.TypeSaleDeed, document.CodeUnrecognised, false},
		{"engine timeout", &fetcher{}, &engine{err: &document.Error{Code: document.CodeTimeout, Retryable: true}}, document.TypePAN, document.CodeTimeout, false},
		{"engine failure (atlas's, retried)", &fetcher{}, &engine{err: errors.New("tesseract died")}, document.TypePAN, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := newPipeline(tc.f, tc.e, tc.typ)
			out, err := p.Run(context.Background(), pipeline.Input{URL: "https://x.example/a"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error: %v", err, tc.wantErr)
			}
			if tc.wantCode != "" && (out.Err == nil || out.Err.Code != tc.wantCode) {
				t.Fatalf("outcome error %+v, want code %s", out.Err, tc.wantCode)
			}
			if tc.wantCode == "" && out.Err != nil {
				t.Fatalf("outcome error %+v for a failure of atlas's own", out.Err)
			}
		})
	}
}

func TestRunSkipsOCRForTextLayers(t *testing.T) {
	e := &engine{}
	text := &document.Page{Source: "pdf_text", Words: []document.Word{{Text: "Statement", Conf: 1}}}
	p, _ := newPipeline(&fetcher{}, e, document.TypePAN, pipeline.DecodedPage{TextLayer: text}, pipeline.DecodedPage{TextLayer: text})
	out, err := p.Run(context.Background(), pipeline.Input{URL: "https://x.example/a.pdf"})
	if err != nil || out.FileData == nil {
		t.Fatalf("Run = %+v, %v", out, err)
	}
	if e.acquired != 0 {
		t.Errorf("an OCR engine was taken for a document with a text layer on every page")
	}
	if f, _ := out.FileData.Get("pages"); f.Value != 2 {
		t.Errorf("extractor saw %v pages, want 2", f.Value)
	}
}

func TestRunLetsPanicsThrough(t *testing.T) {
	// The queue's worker recovers panics and fails the document on its
	// last attempt; the pipeline must not swallow them into a result.
	p, _ := newPipeline(&fetcher{}, &engine{panics: true}, document.TypePAN)
	defer func() {
		if recover() == nil {
			t.Error("a crashing engine's panic was swallowed")
		}
	}()
	p.Run(context.Background(), pipeline.Input{URL: "https://x.example/a"})
}

type aadhaarExtractors struct{ number string }

func (x aadhaarExtractors) For(t document.Type) (pipeline.Extractor, bool) {
	return aadhaarExtractor(x), true
}

type aadhaarExtractor struct{ number string }

func (x aadhaarExtractor) Extract(pages []document.Page) (*document.FileData, error) {
	fd := document.NewFileData(document.TypeAadhaar)
	fd.Set("aadhaar_number", document.Field{Value: x.number, Confidence: 0.9})
	return fd, nil
}

func TestRunFinishesIdentityDocuments(t *testing.T) {
	for _, tc := range []struct {
		name, number string
		redactErr    error
		wantRedacted bool
	}{
		{"full number", "2345 6789 0124", nil, true},
		{"masked card: nothing to hide", "XXXX XXXX 0124", nil, false},
		{"number not found again", "2345 6789 0124", errors.New("not found"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := newPipeline(&fetcher{}, &engine{}, document.TypeAadhaar)
			p.Extractors = aadhaarExtractors{tc.number}
			p.AssessQuality = func(image.Image) (string, float64) { return "xerox_copy", 0.8 }
			var redactedNumber string
			p.RedactAadhaar = func(img image.Image, page document.Page, number string) ([]byte, error) {
				redactedNumber = number
				return []byte("redacted"), tc.redactErr
			}
			out, err := p.Run(context.Background(), pipeline.Input{URL: "https://x.example/a.jpg"})
			if err != nil || out.FileData == nil {
				t.Fatalf("Run = %+v, %v", out, err)
			}
			if f, ok := out.FileData.Get("document_quality_flag"); !ok || f.Value != "xerox_copy" || f.Confidence != 0.8 {
				t.Errorf("document_quality_flag = %+v, %v", f, ok)
			}
			if (out.RedactedKey != "") != tc.wantRedacted {
				t.Errorf("redacted key %q, want one: %v", out.RedactedKey, tc.wantRedacted)
			}
			if tc.wantRedacted && (redactedNumber != tc.number || out.RedactedKey == out.BlobKey) {
				t.Errorf("redacted %q into key %q (original %q)", redactedNumber, out.RedactedKey, out.BlobKey)
			}
		})
	}
}
