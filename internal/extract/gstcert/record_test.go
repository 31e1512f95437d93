package gstcert

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
	"github.com/atlas-oss/atlas/internal/ocr"
)

// Recording is opt-in: clean certificates are read from their PDF text
// layer, scanned ones through Tesseract (every page, as the engine does).
//
//	go test ./internal/extract/gstcert -run TestRecord -record
var record = flag.Bool("record", false, "write the pages of generated GST certificates to testdata as TSV with their truth")

// Recorded seeds: clean old-plain (2) and grid (11); scanned old-ruled (4),
// new-plain with a GSTIN OCR doubles a character of (5), and grid (11).
var (
	cleanSeeds = []int64{2, 11}
	scanSeeds  = []int64{4, 5, 11}
)

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("pass -record to regenerate testdata/gst_cert-*.tsv")
	}
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, seed := range cleanSeeds {
		if err := recordPDF(nil, seed); err != nil {
			t.Fatal(err)
		}
	}
	for _, seed := range scanSeeds {
		if err := recordPDF(eng, seed); err != nil {
			t.Fatal(err)
		}
	}
}

// recordPDF writes each page of the certificate of seed as
// "gst_cert-<condition>-<seed>-p<N>.tsv", and the truth as
// "gst_cert-<condition>-<seed>.json"; eng nil reads the text layer.
func recordPDF(eng *ocr.Engine, seed int64) error {
	s, err := docgen.GeneratePDF(seed, document.TypeGSTCert, eng != nil)
	if err != nil {
		return err
	}
	d, err := decode.New(decode.Limits{}).Decode(context.Background(), s.Data)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("gst_cert-%s-%d", s.Condition, seed)
	for i, dp := range d.Pages {
		var p document.Page
		switch {
		case eng == nil && dp.TextLayer != nil:
			p = *dp.TextLayer
		case eng != nil && dp.Image != nil:
			if p, err = eng.Recognize(context.Background(), dp.Image); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s page %d: no %s", name, i+1, map[bool]string{true: "image", false: "text layer"}[eng != nil])
		}
		if err := os.WriteFile(filepath.Join("testdata", fmt.Sprintf("%s-p%d.tsv", name, i+1)), pageTSV(p), 0o644); err != nil {
			return err
		}
	}
	truth, err := json.MarshalIndent(extracttest.Truth{Seed: s.Seed, Type: s.Type, Condition: string(s.Condition), Layout: s.Layout, Truth: s.Truth}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join("testdata", name+".json"), append(truth, '\n'), 0o644)
}

// pageTSV writes a page in Tesseract's TSV form, the words as level-5
// rows, which extracttest.ParseTSV reads back.
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

// recorded is one recorded certificate: its pages in order and its truth.
type recorded struct {
	name  string
	pages []document.Page
	truth extracttest.Truth
}

// loadRecorded reads the recorded certificates of testdata.
func loadRecorded(t *testing.T) []recorded {
	t.Helper()
	truths, err := filepath.Glob(filepath.Join("testdata", "gst_cert-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(truths)
	var out []recorded
	for _, tp := range truths {
		base := strings.TrimSuffix(tp, ".json")
		tr, err := extracttest.LoadTruth(tp)
		if err != nil {
			t.Fatal(err)
		}
		r := recorded{name: filepath.Base(base), truth: tr}
		for n := 1; ; n++ {
			path := fmt.Sprintf("%s-p%d.tsv", base, n)
			if _, err := os.Stat(path); err != nil {
				break
			}
			ps, err := extracttest.LoadTSV(path)
			if err != nil {
				t.Fatal(err)
			}
			ps[0].Number = n
			r.pages = append(r.pages, ps[0])
		}
		if len(r.pages) == 0 {
			t.Fatalf("%s: no pages", r.name)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		t.Fatal("no recorded certificates in testdata")
	}
	return out
}
