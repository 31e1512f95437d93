package docgen

import (
	"bytes"
	"image"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRenderOtherKinds draws negatives until every kind has turned up:
// each is a known layout with an empty truth, and all but the photo carry
// ink (text) on a light page, while the photo is a picture, not a page.
func TestRenderOtherKinds(t *testing.T) {
	if len(otherKinds) < 6 {
		t.Errorf("%d kinds of negatives; the eval needs at least six to mean anything", len(otherKinds))
	}
	seen := map[string]int{}
	for seed := uint64(1); seed <= 200 && len(seen) < len(otherKinds); seed++ {
		r := rand.New(rand.NewPCG(seed, streamContent^typeHash(Unrecognised)))
		img, layout, truth := renderOther(r)
		if seen[layout]++; seen[layout] > 1 {
			continue // one of each is enough to look at
		}
		if !slices.ContainsFunc(otherKinds, func(k otherKind) bool { return k.name == layout }) {
			t.Fatalf("seed %d: unknown layout %q", seed, layout)
		}
		if len(truth) != 0 {
			t.Errorf("%s: truth %v, want none", layout, truth)
		}
		b := img.Bounds()
		if b.Dx() < 600 || b.Dy() < 600 {
			t.Errorf("%s: %v is too small to read", layout, b)
		}
		dark, light := shares(img)
		if layout == "other-photo" {
			if light > 0.3 {
				t.Errorf("photo is %.3f near-white: a page, not a picture", light)
			}
			continue
		}
		if light < 0.5 {
			t.Errorf("%s: only %.3f near-white: not a light page", layout, light)
		}
		// Text covers a few per cent of a page at most; 0.002 rules out a
		// blank or nearly blank drawing.
		if dark < 0.002 || dark > 0.3 {
			t.Errorf("%s: share of ink %.4f, want text on a light page", layout, dark)
		}
	}
	if len(seen) != len(otherKinds) {
		t.Errorf("kinds drawn in 200 seeds: %v, want all %d", seen, len(otherKinds))
	}
}

// shares are the shares of pixels dark enough to be ink and light enough
// to be paper.
func shares(img *image.RGBA) (dark, light float64) {
	var d, l int
	for i := 0; i < len(img.Pix); i += 4 {
		switch v := int(img.Pix[i]) + int(img.Pix[i+1]) + int(img.Pix[i+2]); {
		case v < 3*110:
			d++
		case v > 3*200:
			l++
		}
	}
	n := float64(len(img.Pix) / 4)
	return float64(d) / n, float64(l) / n
}

// TestGenerateUnrecognised checks the pseudo-type goes through Generate
// like any single image: every condition, deterministic bytes, no truth.
func TestGenerateUnrecognised(t *testing.T) {
	if !slices.Contains(AllTypes, Unrecognised) {
		t.Error("AllTypes lacks Unrecognised: atlas eval would not measure refusals")
	}
	for _, c := range Conditions {
		s, err := Generate(7, Unrecognised, c)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		again, err := Generate(7, Unrecognised, c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.Data, again.Data) || s.Layout != again.Layout {
			t.Errorf("%s: the same seed gave different documents", c)
		}
		if s.Type != Unrecognised || len(s.Truth) != 0 || s.Layout == "" || len(s.Data) == 0 {
			t.Errorf("%s: sample %+v", c, s)
		}
	}
}
