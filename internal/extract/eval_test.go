package extract_test

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/classify"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/extract/aadhaar"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
	"github.com/atlas-oss/atlas/internal/extract/pan"
)

// TestHitRate reports the per-field hit rate of the PAN and Aadhaar
// extractors over recorded samples, by type and condition. By default it
// reads the samples kept in the repository; to measure over more:
//
//	go test ./internal/extract/extracttest -run TestRecord -record -nsamples 20 -out /tmp/atlas-eval
//	go test ./internal/extract -run TestHitRate -samples /tmp/atlas-eval -v
var samplesDir = flag.String("samples", "", "directory of recorded samples (default: extracttest's testdata)")

func TestHitRate(t *testing.T) {
	dir := *samplesDir
	if dir == "" {
		dir = extracttest.Dir()
	}
	reg := extract.NewRegistry()
	reg.Register(document.TypePAN, pan.New())
	reg.Register(document.TypeAadhaar, aadhaar.New())
	samples, err := extracttest.LoadSamples(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Skipf("no samples in %s", dir)
	}
	type key struct{ typ, cond, field string }
	hits, total := map[key]int{}, map[key]int{}
	docs, perfect := map[key]int{}, map[key]int{}
	// Calibration: the confidence of right and of wrong values.
	var rightConf, wrongConf []float64
	cls := classify.Default()
	misclassified := 0
	for _, s := range samples {
		if typ, _, ok := cls.Classify(s.Pages); !ok || typ != s.Type {
			misclassified++
			t.Logf("%s: classified %q %v", s.Name, typ, ok)
		}
		ex, ok := reg.For(s.Type)
		if !ok {
			t.Fatalf("no extractor for %s", s.Type)
		}
		fd, err := ex.Extract(s.Pages)
		if err != nil {
			fd = document.NewFileData(s.Type)
		}
		all := true
		for f, ok := range extracttest.Compare(fd, s.Truth.Truth) {
			if got, present := fd.Get(strings.TrimPrefix(f, "extra:")); present {
				if ok {
					rightConf = append(rightConf, got.Confidence)
				} else {
					wrongConf = append(wrongConf, got.Confidence)
				}
			}
			k := key{string(s.Type), s.Condition, f}
			total[k]++
			if ok {
				hits[k]++
			} else {
				all = false
				if testing.Verbose() {
					// Synthetic documents: their values may be shown.
					got, _ := fd.Get(strings.TrimPrefix(f, "extra:"))
					t.Logf("%s (%s): %s = %v, want %q", s.Name, s.Layout, f, got.Value, s.Truth.Truth[f])
				}
			}
		}
		dk := key{string(s.Type), s.Condition, ""}
		docs[dk]++
		if all {
			perfect[dk]++
		}
	}
	var rows []string
	for k, n := range total {
		rows = append(rows, fmt.Sprintf("%-8s %-8s %-22s %3d/%-3d %5.1f%%", k.typ, k.cond, k.field, hits[k], n, 100*float64(hits[k])/float64(n)))
	}
	for k, n := range docs {
		rows = append(rows, fmt.Sprintf("%-8s %-8s %-22s %3d/%-3d %5.1f%%", k.typ, k.cond, "(all fields right)", perfect[k], n, 100*float64(perfect[k])/float64(n)))
	}
	sort.Strings(rows)
	t.Logf("hit rates over %d samples in %s:\n%s", len(samples), dir, strings.Join(rows, "\n"))
	t.Logf("classified wrongly or not at all: %d of %d", misclassified, len(samples))
	t.Logf("confidence of right values: %s; of wrong values: %s", summary(rightConf), summary(wrongConf))
}

func summary(cs []float64) string {
	if len(cs) == 0 {
		return "none"
	}
	sort.Float64s(cs)
	sum, over := 0.0, 0
	for _, c := range cs {
		sum += c
		if c > 0.8 {
			over++
		}
	}
	return fmt.Sprintf("n=%d mean %.2f median %.2f, %d above 0.8", len(cs), sum/float64(len(cs)), cs[len(cs)/2], over)
}
