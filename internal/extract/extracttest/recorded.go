package extracttest

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/pipeline"
)

// CheckRecorded runs ext over the recorded samples whose names start with
// prefix (real Tesseract output of docgen images, recorded by TestRecord):
// clean and rotated-then-upright samples must be fully right; scans and
// photos, where Tesseract itself misreads some values, at least 80% of
// their fields.
func CheckRecorded(t *testing.T, prefix string, ext pipeline.Extractor) {
	t.Helper()
	CheckRecordedIn(t, Dir(), prefix, ext)
}

// CheckRecordedIn is CheckRecorded over the samples in dir, for packages
// that keep their own recordings in their testdata.
func CheckRecordedIn(t *testing.T, dir, prefix string, ext pipeline.Extractor) {
	t.Helper()
	samples, err := LoadSamples(dir, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatalf("no recorded samples named %s*", prefix)
	}
	hits, total := map[string]int{}, map[string]int{}
	for _, s := range samples {
		fd, err := ext.Extract(s.Pages)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		for field, ok := range Compare(fd, s.Truth.Truth) {
			total[s.Condition]++
			if ok {
				hits[s.Condition]++
				continue
			}
			var got any
			if f, present := fd.Get(field); present {
				got = f.Value
			}
			// Synthetic values: safe to log.
			if s.Condition == "photo" || s.Condition == "scan" {
				t.Logf("%s (%s): %s = %v, want %q", s.Name, s.Layout, field, got, s.Truth.Truth[field])
				continue
			}
			t.Errorf("%s (%s): %s = %v, want %q", s.Name, s.Layout, field, got, s.Truth.Truth[field])
		}
	}
	t.Logf("fields right: clean %d/%d, scan %d/%d, photo %d/%d", hits["clean"], total["clean"], hits["scan"], total["scan"], hits["photo"], total["photo"])
	for _, c := range []string{"scan", "photo"} {
		if float64(hits[c]) < 0.8*float64(total[c]) {
			t.Errorf("%s samples: %d of %d fields right, want at least 80%%", c, hits[c], total[c])
		}
	}
}
