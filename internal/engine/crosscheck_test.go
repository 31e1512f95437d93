package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/match"
)

// TestCrossCheckApplication reads the Aadhaar letter, voter ID and
// driving licence of generated applicants with real Tesseract and
// cross-checks them as a flow does: the three print the same person and
// the same home, each in its own style (Aadhaar after a care-of element,
// the cards without it), so every name, date of birth, gender, address
// and PIN check between them must be a match. Seed 4 draws the older
// voter ID and licence layouts and a daughter's care-of; seed 15 the
// newer layouts and a wife's.
func TestCrossCheckApplication(t *testing.T) {
	if testing.Short() {
		t.Skip("reads with Tesseract")
	}
	// The checks expected between the three documents: names and dates
	// of birth of each pair; gender from Aadhaar and the voter ID (the
	// licence prints none); address and PIN from Aadhaar against each
	// card.
	want := map[string]int{"name": 3, "date_of_birth": 3, "gender": 1, "address": 2, "pincode": 2}
	now := func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }
	e := newEngine(t)
	for _, seed := range []int64{4, 15} {
		ss, fds := readApplication(t, e, seed, document.TypeAadhaar, document.TypeVoterID, document.TypeDrivingLicense)
		if ss[0].Layout != "aadhaar-letter" {
			t.Fatalf("seed %d: Aadhaar layout %s prints no address; pick a seed whose Aadhaar is a letter", seed, ss[0].Layout)
		}
		docs := make([]crosscheck.Document, len(ss))
		for i, s := range ss {
			docs[i] = crosscheck.Document{DocumentID: strings.ToLower(string(s.Type)), Data: fds[i]}
		}
		got := map[string]int{}
		for _, c := range crosscheck.Run(docs, nil, crosscheck.Settings{Now: now}) {
			// Synthetic values: safe to log.
			t.Logf("seed %d: %s %v %s %.2f: %s", seed, c.Check, c.Documents, c.Status, c.Score, c.Detail)
			if _, asked := want[c.Check]; !asked {
				continue
			}
			got[c.Check]++
			if c.Status != match.Match {
				t.Errorf("seed %d: %s check of %v is %s (score %.2f), want match: %s", seed, c.Check, c.Documents, c.Status, c.Score, c.Detail)
			}
		}
		for check, n := range want {
			if got[check] != n {
				t.Errorf("seed %d: %d %s checks, want %d", seed, got[check], check, n)
			}
		}
	}
}
