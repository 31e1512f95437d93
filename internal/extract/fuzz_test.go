package extract_test

import (
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/classify"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/aadhaar"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
	"github.com/atlas-oss/atlas/internal/extract/pan"
)

// OCR output is untrusted input: whatever words a page holds, the
// classifier and extractors must not panic, and no value failing its
// check may carry a confidence above 0.5.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"INCOME TAX DEPARTMENT\nPermanent Account Number Card\nABCPK1234F\nName\nRAVI KUMAR\nFather's Name\nSURESH KUMAR\nDate of Birth\n16/07/1986",
		"Government of India\nRavi Kumar\nDOB: 16/07/1986\nMALE\n2341 2341 2346\nVID : 9123 4567 8901 2345",
		"To\nSarita Gupta\nD/O Deepak Gupta, 168,\nDelhi - 110092\nXXXX XXXX 2346",
		"ſſſſſſ ſſſſſſ\n1/1/1\n//////////",
	} {
		f.Add(s)
	}
	cls := classify.Default()
	f.Fuzz(func(t *testing.T, text string) {
		var placed []extracttest.Placed
		for i, l := range strings.Split(text, "\n") {
			placed = append(placed, extracttest.Placed{X: 10 + 7*(i%5), Y: 30 * i, Text: l})
		}
		pages := extracttest.Build(placed...)
		if typ, conf, ok := cls.Classify(pages); ok && (conf < 0 || conf > 1 || typ == "") {
			t.Fatalf("Classify = %q %v %v", typ, conf, ok)
		}
		for _, ex := range []interface {
			Extract([]document.Page) (*document.FileData, error)
		}{pan.New(), aadhaar.New()} {
			fd, err := ex.Extract(pages)
			if err != nil {
				continue
			}
			for _, n := range fd.Names() {
				fl, _ := fd.Get(n)
				if fl.Confidence < 0 || fl.Confidence > 1 {
					t.Fatalf("%s confidence %v", n, fl.Confidence)
				}
				if fl.Validation != nil && !fl.Validation.Passed && fl.Confidence > 0.5 {
					t.Fatalf("%s failed %s with confidence %v", n, fl.Validation.Rule, fl.Confidence)
				}
			}
		}
	})
}
