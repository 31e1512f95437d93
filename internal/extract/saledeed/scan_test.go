package saledeed

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

// Recording is opt-in: it runs Tesseract on every page of scanned deeds.
//
//	go test ./internal/extract/saledeed -run TestRecordScan -record
var record = flag.Bool("record", false, "OCR generated scanned sale deeds and write their page TSVs and truth to testdata")

// scanSeeds are the recorded scanned deeds: Karnataka (two sellers),
// Tamil Nadu (date in words), Maharashtra (e-stamp page).
var scanSeeds = []int64{1, 3, 6}

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
	s, err := docgen.GeneratePDF(seed, document.TypeSaleDeed, true)
	if err != nil {
		return err
	}
	d, err := decode.New(decode.Limits{}).Decode(context.Background(), s.Data)
	if err != nil {
		return err
	}
	for i, dp := range d.Pages {
		if dp.Image == nil {
			return fmt.Errorf("seed %d: scanned page %d has no image", seed, i+1)
		}
		p, err := eng.Recognize(context.Background(), dp.Image)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("scan-%d-p%d.tsv", seed, i+1)
		if err := os.WriteFile(filepath.Join("testdata", name), pageTSV(p), 0o644); err != nil {
			return err
		}
	}
	truth, err := json.MarshalIndent(extracttest.Truth{Seed: s.Seed, Type: s.Type, Condition: string(s.Condition), Layout: s.Layout, Truth: s.Truth}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join("testdata", fmt.Sprintf("scan-%d.json", seed)), append(truth, '\n'), 0o644)
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

// loadScan reads the recorded pages of a scanned deed, numbered from 1.
func loadScan(t *testing.T, seed int64) ([]document.Page, extracttest.Truth) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", fmt.Sprintf("scan-%d-p*.tsv", seed)))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recorded pages of seed %d (%v)", seed, err)
	}
	var pages []document.Page
	for n := 1; n <= len(paths); n++ {
		ps, err := extracttest.LoadTSV(filepath.Join("testdata", fmt.Sprintf("scan-%d-p%d.tsv", seed, n)))
		if err != nil {
			t.Fatal(err)
		}
		ps[0].Number = n
		pages = append(pages, ps[0])
	}
	truth, err := extracttest.LoadTruth(filepath.Join("testdata", fmt.Sprintf("scan-%d.json", seed)))
	if err != nil {
		t.Fatal(err)
	}
	return pages, truth
}

// TestRecordedScan reads the recorded OCR of scanned deeds (Tesseract
// through internal/ocr at the scan's 200 dpi): at least 4 of 5 fields
// right on each, and no wrong value at confidence 0.9 or more.
func TestRecordedScan(t *testing.T) {
	for _, seed := range scanSeeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			pages, truth := loadScan(t, seed)
			fd, err := New().Extract(pages)
			if err != nil {
				t.Fatal(err)
			}
			hits := 0
			for k, want := range truth.Truth {
				got, f := extracttest.Value(fd, k)
				switch {
				case got == want:
					hits++
				case f.Confidence >= 0.9:
					t.Errorf("%s = %q at confidence %.2f, want %q", k, got, f.Confidence, want)
				default:
					t.Logf("%s = %q (%.2f), want %q", k, got, f.Confidence, want)
				}
			}
			if hits < 4 {
				t.Errorf("%d of %d fields right, want >= 4", hits, len(truth.Truth))
			}
		})
	}
}
