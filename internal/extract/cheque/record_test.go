package cheque

import (
	"flag"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/cheque -run TestRecord -record
var (
	record    = flag.Bool("record", false, "generate docgen cheques, OCR them with the tesseract command and write TSV + truth to testdata")
	recordDir = flag.String("record-dir", "testdata", "where -record writes")
	recordN   = flag.Int("record-n", 0, "record seeds 1..n instead of recordSeeds (for studying misreads outside testdata)")
)

// recordSeeds are the samples kept in testdata, per condition: between
// them the three styles, personal and firm accounts, cancelled and filled.
var recordSeeds = []int64{1, 2, 4, 6, 8}

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate the recorded OCR samples")
	}
	seeds := recordSeeds
	if *recordN > 0 {
		seeds = nil
		for s := int64(1); s <= int64(*recordN); s++ {
			seeds = append(seeds, s)
		}
	}
	extracttest.Record(t, document.TypeCheque, *recordDir, seeds, []docgen.Condition{docgen.Clean, docgen.Scan})
}
