package shopact

import (
	"flag"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/shopact -run TestRecord -record
var record = flag.Bool("record", false, "generate docgen samples, OCR them with the tesseract command and write TSV + truth to testdata")

// recordSeeds are the samples kept in testdata, per condition: between
// them the three states' layouts.
var recordSeeds = []int64{1, 2, 3, 4}

// photoSeeds are the photographed samples kept: a ruled Maharashtra
// receipt and a ruled Delhi certificate.
var photoSeeds = []int64{4, 5}

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate the recorded OCR samples")
	}
	extracttest.Record(t, document.TypeShopAct, "testdata", recordSeeds, []docgen.Condition{docgen.Clean, docgen.Scan})
	extracttest.Record(t, document.TypeShopAct, "testdata", photoSeeds, []docgen.Condition{docgen.Photo})
}
