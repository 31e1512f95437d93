package voterid

import (
	"testing"

	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestTruncatedNameNotConfident: Tesseract reads a real surname under a
// blur with confidence near 0; the noise trim drops it and the rest of the
// name reads well, so the cut value must not come back confident.
func TestTruncatedNameNotConfident(t *testing.T) {
	build := func(surnameConf float64) (string, float64) {
		pages := extracttest.Build(
			extracttest.Placed{X: 300, Y: 40, Text: "ELECTION COMMISSION OF INDIA"},
			extracttest.Placed{X: 215, Y: 200, Text: "Elector's Name : Anoop Pillai"},
			extracttest.Placed{X: 215, Y: 248, Text: "Father's Name : Jobin Pillai"},
		)
		for i, w := range pages[0].Words {
			if w.Text == "Pillai" && w.Box.Min.Y == 200 {
				pages[0].Words[i].Conf = surnameConf
			}
		}
		fd, err := newAt().Extract(pages)
		if err != nil {
			t.Fatal(err)
		}
		v, f := extracttest.Value(fd, "name")
		return v, f.Confidence
	}
	if v, c := build(0.95); v != "Anoop Pillai" || c < 0.9 {
		t.Errorf("well-read name: %q at %.2f; want \"Anoop Pillai\" at >= 0.9", v, c)
	}
	v, c := build(0.09)
	if v != "Anoop" {
		t.Fatalf("name with a surname read at 0.09: %q; want the trim to leave \"Anoop\"", v)
	}
	if c >= 0.9 {
		t.Errorf("name cut to %q beside a dropped low-confidence word: confidence %.2f; want < 0.9", v, c)
	}
}
