package ocr

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/classify"
	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/invoice"
	"github.com/atlas-oss/atlas/internal/extract/statement"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// BenchmarkScannedA4 is the cost of one scanned A4 page, as
// BenchmarkIDCard measures a card: a generated invoice scanned to a PNG
// (150-300 dpi, grey, skewed), and the first page of a scanned bank
// statement PDF (a JPEG per page, taken out of the PDF by pdfimages).
// raw is one Tesseract pass over the decoded page; pipeline adds decoding,
// deskew, orientation, classification and extraction.
func BenchmarkScannedA4(b *testing.B) {
	e := engine(b)
	dec := decode.New(decode.Limits{})
	cls := classify.Default()
	ext := map[document.Type]pipeline.Extractor{document.TypeInvoice: invoice.New(), document.TypeBankStatement: statement.New()}
	for _, c := range []struct {
		name string
		typ  document.Type
	}{
		{"invoice-scan", document.TypeInvoice},
		{"statement-scan", document.TypeBankStatement},
	} {
		benchRead(b, e, dec, cls, ext, c.name, c.typ, 3, docgen.Scan)
	}
}
