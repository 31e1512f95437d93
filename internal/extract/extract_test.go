package extract

import (
	"image"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

type fakeExtractor struct{ t document.Type }

func (f fakeExtractor) Extract([]document.Page) (*document.FileData, error) {
	return document.NewFileData(f.t), nil
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	if _, ok := r.For(document.TypePAN); ok {
		t.Fatal("empty registry has a PAN extractor")
	}
	r.Register(document.TypePAN, fakeExtractor{document.TypePAN})
	e, ok := r.For(document.TypePAN)
	if !ok {
		t.Fatal("registered extractor not found")
	}
	if fd, _ := e.Extract(nil); fd.Type != document.TypePAN {
		t.Errorf("got the extractor of %s", fd.Type)
	}
}

func words(confs ...float64) []document.Word {
	var ws []document.Word
	for _, c := range confs {
		ws = append(ws, document.Word{Text: "w", Conf: c})
	}
	return ws
}

func TestConfidence(t *testing.T) {
	pass := validate.PAN("ABCPK1234F")
	fail := validate.PAN("ABCEK1234F")
	soft := validate.VoterID("KSD1287349")
	for _, tc := range []struct {
		name     string
		e        Evidence
		min, max float64
	}{
		{"clean, passed", Evidence{Words: words(0.96), Check: &pass, Label: 1}, 0.95, 1},
		{"failed check is capped", Evidence{Words: words(0.99), Check: &fail, Label: 1}, 0, 0.5},
		{"soft failure is capped higher", Evidence{Words: words(0.99), Check: &soft, Label: 1}, 0.6, 0.7},
		{"no rule", Evidence{Words: words(0.9, 0.9), Label: 1}, 0.89, 0.91},
		{"a weak word pulls down", Evidence{Words: words(0.95, 0.3), Label: 1}, 0.4, 0.5},
		{"fuzzy label", Evidence{Words: words(0.9), Label: 0.5}, 0.7, 0.8},
		{"no words", Evidence{Label: 1}, 0.5, 0.5},
	} {
		if got := Confidence(tc.e); got < tc.min || got > tc.max {
			t.Errorf("%s: %.2f, want in [%.2f, %.2f]", tc.name, got, tc.min, tc.max)
		}
	}
	// Each repaired character costs, less when the check vouches for it.
	base := Confidence(Evidence{Words: words(0.9), Label: 1})
	rep := Confidence(Evidence{Words: words(0.9), Label: 1, Repaired: 2})
	repPass := Confidence(Evidence{Words: words(0.9), Label: 1, Repaired: 2, Check: &pass})
	if !(rep < base) || !(repPass > rep) {
		t.Errorf("repairs: base %.2f, repaired %.2f, repaired and passed %.2f", base, rep, repPass)
	}
}

func TestFindLabelFuzzy(t *testing.T) {
	p := document.Page{Number: 1, Words: []document.Word{
		{Text: "ufat", Box: image.Rect(250, 326, 290, 345), Line: 1},
		{Text: "/", Box: image.Rect(300, 326, 305, 345), Line: 1},
		{Text: "Fathers", Box: image.Rect(310, 326, 390, 345), Line: 1},
		{Text: "Narne", Box: image.Rect(400, 326, 450, 345), Line: 1},
		{Text: "SURESH", Box: image.Rect(252, 358, 340, 380), Line: 2},
		{Text: "KUMAR", Box: image.Rect(350, 358, 430, 380), Line: 2},
	}}
	lines := Lines([]document.Page{p})
	m, ok := FindLabel(lines, []string{"Father's Name"}, 0.75)
	if !ok || m.Start != 2 || m.End != 4 {
		t.Fatalf("FindLabel = %+v %v", m, ok)
	}
	if li, ws := Below(lines, m); li != 1 || Text(ws) != "SURESH KUMAR" {
		t.Errorf("Below = %d %q", li, Text(ws))
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		min  float64
	}{
		{"INCOME TAX DEPARTMENT", "/INCOMETAXDEPARTMENT", 1},
		{"Permanent Account Number", "Permanent Acount Numbr", 0.9},
		{"आधार", "आधार", 1},
	} {
		if got := Similarity(tc.a, tc.b); got < tc.min {
			t.Errorf("Similarity(%q, %q) = %.2f, want >= %.2f", tc.a, tc.b, got, tc.min)
		}
	}
	if Similarity("MALE", "FEMALE") >= 0.8 {
		t.Error("MALE and FEMALE too similar")
	}
}
