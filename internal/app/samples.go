package app

import (
	"net/http"
	"strings"
	"sync"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// devSamples are the documents development mode serves, generated once
// from fixed seeds: fake people, valid checksums.
var devSamples = map[string]struct {
	seed int64
	typ  document.Type
	cond docgen.Condition
}{
	"pan.png":          {1, document.TypePAN, docgen.Clean},
	"aadhaar.png":      {2, document.TypeAadhaar, docgen.Clean},
	"pan-photo.jpg":    {3, document.TypePAN, docgen.Photo},
	"aadhaar-scan.png": {4, document.TypeAadhaar, docgen.Scan},
}

// applicantSamples are one fake applicant's documents that agree with each
// other (for the flow walk-through): same person, the invoice from the
// delivery order's dealer for its amount.
var applicantSamples = map[string]int{
	"applicant-pan.png": 0, "applicant-aadhaar.png": 1, "applicant-invoice.png": 2, "applicant-do.png": 3,
}

var applicantTypes = []document.Type{document.TypePAN, document.TypeAadhaar, document.TypeInvoice, document.TypeDeliveryOrder}

const applicantSeed = 7

// DevSampleNames lists the sample documents, for the start-up banner.
func DevSampleNames() []string {
	return []string{"pan.png", "aadhaar.png", "pan-photo.jpg", "aadhaar-scan.png",
		"applicant-pan.png", "applicant-aadhaar.png", "applicant-invoice.png", "applicant-do.png"}
}

// generateSample renders the named sample.
func generateSample(name string) (*docgen.Sample, bool, error) {
	if spec, ok := devSamples[name]; ok {
		s, err := docgen.Generate(spec.seed, spec.typ, spec.cond)
		return s, true, err
	}
	if i, ok := applicantSamples[name]; ok {
		ss, err := docgen.GenerateApplication(applicantSeed, docgen.Clean, applicantTypes...)
		if err != nil {
			return nil, true, err
		}
		return ss[i], true, nil
	}
	return nil, false, nil
}

func samplesHandler() http.Handler {
	var (
		mu    sync.Mutex
		cache = map[string]*docgen.Sample{}
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		mu.Lock()
		s, ok := cache[name]
		if !ok {
			var known bool
			var err error
			s, known, err = generateSample(name)
			switch {
			case !known:
				mu.Unlock()
				http.Error(w, "no such sample; try one of: "+strings.Join(DevSampleNames(), ", "), http.StatusNotFound)
				return
			case err != nil:
				mu.Unlock()
				http.Error(w, "could not generate the sample", http.StatusInternalServerError)
				return
			}
			cache[name] = s
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "image/"+s.Format)
		w.Write(s.Data)
	})
}
