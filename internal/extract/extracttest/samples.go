package extracttest

import (
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
)

// Sample is one recorded OCR output and its ground truth.
type Sample struct {
	Name  string // e.g. "pan-scan-3"
	Pages []document.Page
	Truth
}

// Dir is the directory of the recorded samples kept in the repository.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "samples")
}

// LoadSamples loads every NAME.tsv with its NAME.json in dir whose name
// starts with prefix ("pan-", "aadhaar-", "" for all), sorted by name.
func LoadSamples(dir, prefix string) ([]Sample, error) {
	paths, err := filepath.Glob(filepath.Join(dir, prefix+"*.tsv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Sample
	for _, p := range paths {
		pages, err := LoadTSV(p)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(p, ".tsv")
		t, err := LoadTruth(base + ".json")
		if err != nil {
			return nil, err
		}
		pages[0].Rotation = t.Rotation
		out = append(out, Sample{Name: filepath.Base(base), Pages: pages, Truth: t})
	}
	return out, nil
}
