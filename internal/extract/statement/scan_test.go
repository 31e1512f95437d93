package statement

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
	"github.com/atlas-oss/atlas/internal/ocr"
)

// Recording is opt-in: it runs Tesseract on page 1 of a scanned statement.
//
//	go test ./internal/extract/statement -run TestRecordScan -record
var record = flag.Bool("record", false, "OCR page 1 of a generated scanned statement and write its TSV and truth to testdata")

// scanSeeds are the recorded scanned statements: the classic layout with
// Indian amounts, the passbook layout with international ones.
var scanSeeds = []int64{7, 3}

func TestRecordScan(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate testdata/scan-*.tsv")
	}
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, seed := range scanSeeds {
		if err := recordScan(eng, seed); err != nil {
			t.Fatal(err)
		}
	}
}

func recordScan(eng *ocr.Engine, seed int64) error {
	s, err := docgen.GenerateStatement(seed, true)
	if err != nil {
		return err
	}
	d, err := decode.New(decode.Limits{}).Decode(context.Background(), s.Data)
	if err != nil {
		return err
	}
	if d.Pages[0].Image == nil {
		return fmt.Errorf("seed %d: scanned page 1 has a text layer", seed)
	}
	p, err := eng.Recognize(context.Background(), d.Pages[0].Image)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("scan-%d", seed)
	if err := os.WriteFile(filepath.Join("testdata", name+".tsv"), pageTSV(p), 0o644); err != nil {
		return err
	}
	truth, err := json.MarshalIndent(extracttest.Truth{Seed: s.Seed, Type: s.Type, Condition: string(s.Condition), Layout: s.Layout, Truth: s.Truth}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join("testdata", name+".json"), append(truth, '\n'), 0o644)
}

// pageTSV writes a recognised page in Tesseract's TSV form, the words as
// level-5 rows, which extracttest.ParseTSV reads back.
func pageTSV(p document.Page) []byte {
	var b strings.Builder
	b.WriteString("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n")
	fmt.Fprintf(&b, "1\t1\t0\t0\t0\t0\t0\t0\t%d\t%d\t-1\t\n", p.Width, p.Height)
	for i, w := range p.Words {
		fmt.Fprintf(&b, "5\t1\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.2f\t%s\n", w.Block, w.Para, w.Line, i+1,
			w.Box.Min.X, w.Box.Min.Y, w.Box.Dx(), w.Box.Dy(), w.Conf*100, w.Text)
	}
	return []byte(b.String())
}

// TestRecordedScan reads the recorded OCR of page 1 of scanned statements
// (Tesseract through internal/ocr, at the scan's 200 dpi): most header
// fields, and the dates and amounts of at least 80% of the page's rows.
func TestRecordedScan(t *testing.T) {
	for _, seed := range scanSeeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkScan(t, seed) })
	}
}

func checkScan(t *testing.T, seed int64) {
	name := fmt.Sprintf("scan-%d", seed)
	pages, err := extracttest.LoadTSV(filepath.Join("testdata", name+".tsv"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := extracttest.LoadTruth(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := New().Extract(pages)
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	for _, k := range []string{"bank_name", "account_holder_name", "account_number", "ifsc", "statement_from", "statement_to", "opening_balance"} {
		f, ok := fd.Get(k)
		if ok && f.Value == truth.Truth[k] {
			hits++
		} else {
			t.Logf("%s: got %v (present %v)", k, f.Value, ok)
		}
	}
	if hits < 5 {
		t.Errorf("%d of 7 header fields right, want >= 5", hits)
	}
	var want []Transaction
	if err := json.Unmarshal([]byte(truth.Truth["transactions"]), &want); err != nil {
		t.Fatal(err)
	}
	f, ok := fd.Get("transactions")
	if !ok {
		t.Fatal("no transactions")
	}
	got := f.Value.([]Transaction)
	// Page 1 holds the first rows of the statement.
	want = want[:min(len(want), len(got)+2)]
	n := scoreTransactions(got, want)
	// Dates and amounts, which the balance arithmetic checks, are what
	// matter most; descriptions (UPI handles) OCR misreads more often.
	amounts := scoreBy(got, want, func(t Transaction) Transaction { t.Description = ""; return t })
	t.Logf("rows exactly right %d, dates and amounts right %d, of %d (read %d), list confidence %.2f", n, amounts, len(want), len(got), f.Confidence)
	if float64(amounts) < 0.8*float64(len(want)) {
		t.Errorf("dates and amounts right on %d of %d rows, want >= 80%%", amounts, len(want))
	}
}
