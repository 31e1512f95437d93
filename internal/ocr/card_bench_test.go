package ocr

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/classify"
	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/aadhaar"
	"github.com/atlas-oss/atlas/internal/extract/pan"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// BenchmarkIDCard is the pipeline's cost per ID card next to one raw
// Tesseract pass over the same image, on generated clean and photographed
// PAN and Aadhaar cards (1011x638 px, a card at 300 dpi; photos larger):
//
//   - raw: the image's grey pixels read as they are (converted outside the
//     timer), PSM 6, no scaling, no orientation;
//   - pipeline: decode the encoded file, Recognize (grey, scale, read,
//     orientation when needed), classify, extract.
//
// pipeline/raw is the overhead; compare cpu-ms/op, steadier than the clock
// on a shared machine.
func BenchmarkIDCard(b *testing.B) {
	e := engine(b)
	dec := decode.New(decode.Limits{})
	cls := classify.Default()
	ext := map[document.Type]pipeline.Extractor{document.TypePAN: pan.New(), document.TypeAadhaar: aadhaar.New()}
	for _, c := range []struct {
		name string
		typ  document.Type
		cond docgen.Condition
	}{
		{"pan-clean", document.TypePAN, docgen.Clean},
		{"aadhaar-clean", document.TypeAadhaar, docgen.Clean},
		{"pan-photo", document.TypePAN, docgen.Photo},
	} {
		benchRead(b, e, dec, cls, ext, c.name, c.typ, 7, c.cond)
	}
}

// benchRead benchmarks, on the first page of the docgen sample of seed,
// typ and cond: one raw Tesseract pass over its decoded grey pixels
// ("raw"), and the whole pipeline from the encoded file ("pipeline":
// decode, Recognize, classify, extract).
func benchRead(b *testing.B, e *Engine, dec *decode.Decoder, cls *classify.Classifier, ext map[document.Type]pipeline.Extractor, name string, typ document.Type, seed int64, cond docgen.Condition) {
	s, err := docgen.Generate(seed, typ, cond)
	if err != nil {
		b.Fatal(err)
	}
	d, err := dec.Decode(b.Context(), s.Data)
	if err != nil {
		b.Fatal(err)
	}
	g := toGray(d.Pages[0].Image)
	b.Run(name+"/raw", func(b *testing.B) {
		loop(b, func() error { _, err := e.read(g); return err })
	})
	b.Run(name+"/pipeline", func(b *testing.B) {
		loop(b, func() error {
			d, err := dec.Decode(b.Context(), s.Data)
			if err != nil {
				return err
			}
			pg, err := e.Recognize(b.Context(), d.Pages[0].Image)
			if err != nil {
				return err
			}
			t, _, ok := cls.Classify([]document.Page{pg})
			if !ok || t != typ {
				b.Fatalf("classified %q (%v), want %s", t, ok, typ)
			}
			_, err = ext[t].Extract([]document.Page{pg})
			return err
		})
	})
}
