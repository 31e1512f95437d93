package docgen

import (
	"bytes"
	"sync"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
)

// TestGenerateConcurrent generates documents from several goroutines at
// once, as eval and the load benchmark do, and checks each equals its
// serial twin. make test runs it under the race detector (the rest of
// this package's tests run without it: rendering under -race is 15-20
// times slower and single-threaded).
func TestGenerateConcurrent(t *testing.T) {
	types := []document.Type{document.TypePAN, document.TypeAadhaar, document.TypeVoterID, document.TypeCheque, document.TypeBankStatement, Unrecognised}
	want := make([][]byte, len(types))
	for i, typ := range types {
		want[i] = generate(t, 7, typ, Clean).Data
	}
	var wg sync.WaitGroup
	got := make([][]byte, len(types)*2)
	for i := range got {
		wg.Go(func() {
			s, err := Generate(7, types[i%len(types)], Clean)
			if err == nil {
				got[i] = s.Data
			}
		})
	}
	apps := make([][]*Sample, 2)
	for i := range apps {
		wg.Go(func() { apps[i], _ = GenerateApplication(11, Clean, ApplicationTypes...) })
	}
	wg.Wait()
	for i, b := range got {
		if !bytes.Equal(b, want[i%len(types)]) {
			t.Errorf("%s generated concurrently differs from its serial twin", types[i%len(types)])
		}
	}
	for i := range apps[0] {
		if apps[0] == nil || apps[1] == nil || !bytes.Equal(apps[0][i].Data, apps[1][i].Data) {
			t.Fatalf("concurrent applications differ at document %d", i)
		}
	}
}
