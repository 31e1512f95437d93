package extract

import (
	"image"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
)

// findLabelsRef is FindLabels as first written, without its shortcuts:
// the optimised one must return exactly what it returns.
func findLabelsRef(lines []Line, variants []string, minSim float64) []Match {
	var out []Match
	for li, l := range lines {
		best := Match{Sim: -1}
		for _, v := range variants {
			k := len(strings.Fields(v))
			for s := range l.Words {
				if Norm(l.Words[s].Text) == "" {
					continue
				}
				joined := ""
				for e := s + 1; e <= len(l.Words) && e <= s+k+1; e++ {
					joined += l.Words[e-1].Text
					if e-s < k-1 || Norm(l.Words[e-1].Text) == "" {
						continue
					}
					if sim := Similarity(joined, v); sim > best.Sim {
						best = Match{Line: li, Start: s, End: e, Sim: sim}
					}
				}
			}
		}
		if best.Sim >= minSim {
			for _, w := range l.Words[best.Start:best.End] {
				best.Box = best.Box.Union(w.Box)
			}
			out = append(out, best)
		}
	}
	return out
}

var labelVocab = []string{"Name", "Father's", "Date", "of", "Birth", "DOB", ":", "-", "Address", "Legal", "Trade",
	"Registration", "Number", "GSTIN", "No.", "Nane", "Bith", "/", "नाम", "INCOME", "TAX", "DEPARTMENT", "Rs.", "1,25,000.00", "|"}

func randomLines(r *rand.Rand) []Line {
	lines := make([]Line, 1+r.IntN(8))
	for i := range lines {
		for j := range r.IntN(9) {
			w := labelVocab[r.IntN(len(labelVocab))]
			if r.IntN(5) == 0 && len(w) > 2 { // an OCR slip
				b := []byte(w)
				b[r.IntN(len(b))] = byte('A' + r.IntN(26))
				w = string(b)
			}
			x := 40 * j
			lines[i].Words = append(lines[i].Words, document.Word{Text: w, Box: image.Rect(x, 20*i, x+30, 20*i+12)})
		}
	}
	return lines
}

func TestFindLabelsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	variants := [][]string{{"Name"}, {"Date of Birth", "DOB"}, {"Father's Name"}, {"Legal Name", "Trade Name"},
		{"INCOME TAX DEPARTMENT"}, {"Registration Number", "GSTIN"}, {"नाम"}, {":"}}
	for i := range 3000 {
		lines := randomLines(r)
		vs := variants[r.IntN(len(variants))]
		min := []float64{0, 0.5, 0.75, 0.78, 1}[r.IntN(5)]
		got, want := FindLabels(lines, vs, min), findLabelsRef(lines, vs, min)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d %q min %.2f:\n got %+v\nwant %+v", i, vs, min, got, want)
		}
	}
}

func BenchmarkFindLabels(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var lines []Line
	for range 15 {
		lines = append(lines, randomLines(r)...)
	}
	vs := []string{"Date of Birth", "DOB", "Registration Number"}
	b.Run("optimised", func(b *testing.B) {
		for b.Loop() {
			FindLabels(lines, vs, 0.78)
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			findLabelsRef(lines, vs, 0.78)
		}
	})
}
