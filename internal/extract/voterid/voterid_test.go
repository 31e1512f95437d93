package voterid

import (
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

func newAt() *Extractor {
	return &Extractor{now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
}

func TestLayouts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []extracttest.Placed
		want  map[string]string
	}{
		{"old", []extracttest.Placed{
			{X: 300, Y: 40, Text: "ELECTION COMMISSION OF INDIA"},
			{X: 380, Y: 80, Text: "IDENTITY CARD"},
			{X: 620, Y: 130, Text: "SAV5I35686"},
			{X: 215, Y: 200, Text: "Elector's Name : Jyotirmoy Kalita"},
			{X: 215, Y: 248, Text: "Father's Name : Bhaskar Kalita"},
			{X: 215, Y: 296, Text: "Sex : Male"},
			{X: 215, Y: 344, Text: "Date of Birth : 30/11/1997"},
			{X: 215, Y: 392, Text: "Address :"},
			{X: 215, Y: 430, Text: "18-7-91, Temple Street, Dibrugarh,"},
			{X: 215, Y: 464, Text: "Assam — 786098"},
		}, map[string]string{"voter_id": "SAV5135686", "name": "Jyotirmoy Kalita", "relation_name": "Bhaskar Kalita", "gender": "MALE", "date_of_birth": "30/11/1997", "address": "18-7-91, Temple Street, Dibrugarh, Assam, 786098"}},
		{"new, husband", []extracttest.Placed{
			{X: 300, Y: 60, Text: "Election Commission of India"},
			{X: 620, Y: 140, Text: "KIS2819787"},
			{X: 215, Y: 200, Text: "Name : Neha Kale"},
			{X: 215, Y: 248, Text: "Husband's Name : Mahesh Kale"},
			{X: 215, Y: 296, Text: "Gender : Female"},
			{X: 215, Y: 344, Text: "Date of Birth / Age : 07/01/1990"},
		}, map[string]string{"voter_id": "KIS2819787", "name": "Neha Kale", "relation_name": "Mahesh Kale", "gender": "FEMALE", "date_of_birth": "07/01/1990"}},
	} {
		fd, err := newAt().Extract(extracttest.Build(tc.lines...))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for k, want := range tc.want {
			if got, _ := extracttest.Value(fd, k); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.name, k, got, want)
			}
		}
	}
}

// An EPIC without the Luhn digit (older state cards) is kept, flagged soft,
// and capped below high confidence.
func TestEPICSoftFail(t *testing.T) {
	fd, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "ABC1234567"}))
	if err != nil {
		t.Fatal(err)
	}
	got, f := extracttest.Value(fd, "voter_id")
	if got != "ABC1234567" || f.Validation == nil || f.Validation.Passed || f.Confidence > 0.7 {
		t.Errorf("voter_id %q validation %+v confidence %.2f", got, f.Validation, f.Confidence)
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// Real Tesseract output of docgen cards (see record_test.go): clean ones
// fully right, scans at least 80%.
func TestRecorded(t *testing.T) {
	extracttest.CheckRecordedIn(t, "testdata", "voter_id-", newAt())
}
