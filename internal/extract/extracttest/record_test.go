package extracttest

import (
	"flag"
	"os"
	"sync"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// Recording is opt-in: it runs Tesseract.
//
//	go test ./internal/extract/extracttest -run TestRecord -record -nsamples 5
//	go test ./internal/extract/extracttest -run TestRecord -record -nsamples 20 -out /tmp/atlas-eval
var (
	record = flag.Bool("record", false, "generate docgen samples, OCR them with the tesseract command and write TSV + truth")
	nFlag  = flag.Int("nsamples", 5, "samples per type and condition")
	seed   = flag.Int64("seed", 1, "first seed")
	out    = flag.String("out", "", "output directory (default: the repository's testdata/samples)")
)

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate the recorded OCR samples")
	}
	dir := cmpOr(*out, Dir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	type job struct {
		seed int64
		typ  document.Type
		cond docgen.Condition
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range 2 { // workers = cores
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := RecordOne(dir, j.seed, j.typ, j.cond); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for i := range *nFlag {
		for _, typ := range docgen.Types {
			for _, c := range docgen.Conditions {
				jobs <- job{*seed + int64(i), typ, c}
			}
		}
	}
	close(jobs)
	wg.Wait()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
