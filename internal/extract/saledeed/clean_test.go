package saledeed

import (
	"context"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// textLayer generates the clean sale deed of seed and reads its PDF text
// layer as the engine does.
func textLayer(t *testing.T, seed int64) ([]document.Page, *docgen.Sample) {
	t.Helper()
	s, err := docgen.GeneratePDF(seed, document.TypeSaleDeed, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decode.New(decode.Limits{}).Decode(context.Background(), s.Data)
	if err != nil {
		t.Fatal(err)
	}
	var pages []document.Page
	for _, p := range d.Pages {
		if p.TextLayer == nil {
			t.Fatalf("seed %d: page without a text layer", seed)
		}
		pages = append(pages, *p.TextLayer)
	}
	return pages, s
}

// TestCleanTextLayer reads generated deeds of every layout from their
// text layers: every field right, and every one at 0.9 or more.
func TestCleanTextLayer(t *testing.T) {
	for seed := int64(1); seed <= 8; seed++ {
		pages, s := textLayer(t, seed)
		fd, err := New().Extract(pages)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for k, want := range s.Truth {
			got, f := extracttest.Value(fd, k)
			if got != want {
				t.Errorf("seed %d (%s): %s = %q, want %q", seed, s.Layout, k, got, want)
			} else if f.Confidence < 0.9 {
				t.Errorf("seed %d (%s): %s confidence %.2f", seed, s.Layout, k, f.Confidence)
			}
		}
	}
}
