package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/engine"
)

func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	t.Setenv("OMP_THREAD_LIMIT", "1")
	e, err := engine.New(engine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// TestReadPAN reads one generated clean PAN card with real Tesseract.
func TestReadPAN(t *testing.T) {
	if testing.Short() {
		t.Skip("reads with Tesseract")
	}
	s, err := docgen.Generate(7, document.TypePAN, docgen.Clean)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t)
	fd, pages, err := e.Read(context.Background(), s.Data)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if fd.Type != document.TypePAN {
		t.Fatalf("document_type %q, want PAN", fd.Type)
	}
	if len(pages) != 1 || len(pages[0].Words) == 0 {
		t.Fatalf("got %d pages, want one with words", len(pages))
	}
	// Tolerant: OCR may differ by a character; the number must be there
	// and nearly the printed one.
	f, ok := fd.Get("pan_number")
	got, _ := f.Value.(string)
	if !ok || len(got) != 10 {
		t.Fatalf("pan_number %q (present %v), want a 10-character value", got, ok)
	}
	if diff := differing(got, s.Truth["pan_number"]); diff > 1 {
		t.Errorf("pan_number differs from the printed one in %d characters", diff)
	}
}

func differing(a, b string) int {
	n := 0
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n + max(len(a), len(b)) - min(len(a), len(b))
}

// TestReadCorrupt checks that bytes that are no document, or a truncated
// image, fail as the document's error, not atlas's.
func TestReadCorrupt(t *testing.T) {
	e := newEngine(t)
	s, err := docgen.Generate(7, document.TypePAN, docgen.Clean)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want []document.ErrorCode
	}{
		{"not a document", []byte(strings.Repeat("plain text, no image here\n", 10)), []document.ErrorCode{document.CodeUnsupportedFormat}},
		{"truncated png", s.Data[:200], []document.ErrorCode{document.CodeUnreadable, document.CodeUnsupportedFormat}},
		{"empty", nil, []document.ErrorCode{document.CodeUnsupportedFormat, document.CodeUnreadable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fd, _, err := e.Read(context.Background(), tc.data)
			var de *document.Error
			if !errors.As(err, &de) {
				t.Fatalf("read: %v, want a *document.Error", err)
			}
			if fd != nil {
				t.Error("file data returned with an error")
			}
			ok := false
			for _, c := range tc.want {
				ok = ok || de.Code == c
			}
			if !ok {
				t.Errorf("code %s, want one of %v", de.Code, tc.want)
			}
		})
	}
}

func TestConfigRejectsNegativeWorkers(t *testing.T) {
	if _, err := engine.New(engine.Config{Workers: -1}); err == nil || !strings.Contains(err.Error(), "Workers") {
		t.Errorf("New with Workers -1: %v", err)
	}
}

func TestExtractorsRegistered(t *testing.T) {
	r := engine.Extractors()
	for _, typ := range []document.Type{document.TypePAN, document.TypeAadhaar} {
		if _, ok := r.For(typ); !ok {
			t.Errorf("no extractor for %s", typ)
		}
	}
}
