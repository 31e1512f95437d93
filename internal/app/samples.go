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

// DevSampleNames lists the sample documents, for the start-up banner.
func DevSampleNames() []string {
	return []string{"pan.png", "aadhaar.png", "pan-photo.jpg", "aadhaar-scan.png"}
}

func samplesHandler() http.Handler {
	var (
		mu    sync.Mutex
		cache = map[string]*docgen.Sample{}
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		spec, ok := devSamples[name]
		if !ok {
			http.Error(w, "no such sample; try one of: "+strings.Join(DevSampleNames(), ", "), http.StatusNotFound)
			return
		}
		mu.Lock()
		s, ok := cache[name]
		if !ok {
			var err error
			if s, err = docgen.Generate(spec.seed, spec.typ, spec.cond); err != nil {
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
