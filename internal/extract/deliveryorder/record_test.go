package deliveryorder

import (
	"flag"
	"os"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/deliveryorder -run TestRecord$ -record
//	go test ./internal/extract/deliveryorder -run TestRecord$ -record -record-out /tmp/do -record-n 20
var (
	record    = flag.Bool("record", false, "generate docgen samples, OCR them with the tesseract command and write TSV + truth to testdata")
	recordOut = flag.String("record-out", "testdata", "directory to record into")
	recordN   = flag.Int("record-n", 0, "record seeds 1..N instead of the kept ones")
)

// recordSeeds are the samples kept in testdata, per condition: both
// dealer kinds, table and list layouts, "/-" and decimal amounts.
var recordSeeds = []int64{1, 3, 4, 8, 10}

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
	if err := os.MkdirAll(*recordOut, 0o755); err != nil {
		t.Fatal(err)
	}
	extracttest.Record(t, document.TypeDeliveryOrder, *recordOut, seeds, []docgen.Condition{docgen.Clean, docgen.Scan})
	if *recordN == 0 {
		// Invoices too: the classifier test checks that neither type is
		// taken for the other on real OCR output.
		extracttest.Record(t, document.TypeInvoice, *recordOut, []int64{1, 2}, []docgen.Condition{docgen.Clean, docgen.Scan})
	}
}
