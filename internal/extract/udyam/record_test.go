package udyam

import (
	"flag"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/udyam -run TestRecord -record
var record = flag.Bool("record", false, "generate docgen samples, OCR them with the tesseract command and write TSV + truth to testdata")

// recordSeeds are the samples kept in testdata, per condition: between
// them old and new wording, upper and title case, with and without owner.
var recordSeeds = []int64{1, 2, 3, 4}

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate the recorded OCR samples")
	}
	extracttest.Record(t, document.TypeUdyamCert, "testdata", recordSeeds, []docgen.Condition{docgen.Clean, docgen.Scan})
}
