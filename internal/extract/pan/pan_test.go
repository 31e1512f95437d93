package pan

import (
	"fmt"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

func newAt() *Extractor {
	return &Extractor{now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
}

func value(t *testing.T, fd *document.FileData, name string) (string, document.Field) {
	t.Helper()
	f, ok := fd.Get(name)
	if !ok {
		return "", f
	}
	return fmt.Sprint(f.Value), f
}

// The newer layout with bilingual labels, OCR scraps of a photo left of
// the values and of a QR code right of them.
func TestNewLayout(t *testing.T) {
	pages := extracttest.Build(
		extracttest.Placed{X: 40, Y: 60, Text: "INCOME TAX DEPARTMENT"},
		extracttest.Placed{X: 300, Y: 150, Text: "Permanent Account Number Card"},
		extracttest.Placed{X: 390, Y: 190, Text: "ABCPKI234F"},
		extracttest.Placed{X: 250, Y: 250, Text: "नाम / Name"},
		extracttest.Placed{X: 60, Y: 282, Text: "ii"},
		extracttest.Placed{X: 252, Y: 282, Text: "RAVI KUMAR"},
		extracttest.Placed{X: 800, Y: 282, Text: "El", Conf: 0.4},
		extracttest.Placed{X: 250, Y: 326, Text: "पिता का नाम / Father's Narne"},
		extracttest.Placed{X: 252, Y: 358, Text: "SURESH KUMAR"},
		extracttest.Placed{X: 250, Y: 398, Text: "जन्म की तारीख / Date of Birth"},
		extracttest.Placed{X: 252, Y: 434, Text: "16-07-1986"},
	)
	fd, err := newAt().Extract(pages)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"pan_number": "ABCPK1234F", "name_as_per_pan": "RAVI KUMAR", "father_name": "SURESH KUMAR", "dob": "16/07/1986",
	} {
		if got, _ := value(t, fd, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	_, f := value(t, fd, "pan_number")
	if f.Validation == nil || !f.Validation.Passed || f.Confidence >= 0.95 {
		t.Errorf("repaired PAN: validation %+v confidence %.2f", f.Validation, f.Confidence)
	}
}

// The old layout prints no labels: names are the first name-like lines
// under the header.
func TestOldLayout(t *testing.T) {
	pages := extracttest.Build(
		extracttest.Placed{X: 40, Y: 60, Text: "INCOME TAX DEPARTMENT GOVT. OF INDIA"},
		extracttest.Placed{X: 50, Y: 190, Text: "RAVI KUMAR"},
		extracttest.Placed{X: 50, Y: 245, Text: "SURESH KUMAR"},
		extracttest.Placed{X: 50, Y: 300, Text: "16/07/1986"},
		extracttest.Placed{X: 50, Y: 365, Text: "Permanent Account Number"},
		extracttest.Placed{X: 50, Y: 415, Text: "ABCPK1234F"},
		extracttest.Placed{X: 50, Y: 575, Text: "Signature"},
	)
	fd, err := newAt().Extract(pages)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"pan_number": "ABCPK1234F", "name_as_per_pan": "RAVI KUMAR", "father_name": "SURESH KUMAR", "dob": "16/07/1986",
	} {
		if got, _ := value(t, fd, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// A value that fails its check is kept, flagged, and never above 0.5.
func TestFailedCheckCapped(t *testing.T) {
	pages := extracttest.Build(
		extracttest.Placed{X: 40, Y: 60, Text: "INCOME TAX DEPARTMENT"},
		extracttest.Placed{X: 50, Y: 365, Text: "Permanent Account Number"},
		extracttest.Placed{X: 50, Y: 415, Text: "ABCEK1234F"}, // holder type E
		extracttest.Placed{X: 50, Y: 300, Text: "31/02/1986"},
	)
	fd, err := newAt().Extract(pages)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pan_number", "dob"} {
		_, f := value(t, fd, name)
		if f.Validation == nil || f.Validation.Passed || f.Confidence > 0.5 {
			t.Errorf("%s: validation %+v confidence %.2f, want failed and <= 0.5", name, f.Validation, f.Confidence)
		}
	}
}

func TestNothingRead(t *testing.T) {
	if _, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "~~ ::"})); err == nil {
		t.Error("want an error for a page with no fields")
	}
}

// The public specimen (placeholder values) as real Tesseract read it.
func TestSpecimen(t *testing.T) {
	pages, err := extracttest.LoadTSV(extracttest.Specimen("pan_result_sample.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := newAt().Extract(pages)
	if err != nil {
		t.Fatal(err)
	}
	got, f := value(t, fd, "pan_number")
	if got != "AALAE0983J" || f.Validation == nil || !f.Validation.Passed {
		t.Errorf("pan_number = %q (%+v), want AALAE0983J passing", got, f.Validation)
	}
	if got, _ := value(t, fd, "name_as_per_pan"); got != "FIRST NAME MIDDLE NAME SURNAME" {
		t.Errorf("name_as_per_pan = %q", got)
	}
}

// Recorded docgen samples: see extracttest.CheckRecorded.
func TestRecordedSamples(t *testing.T) {
	extracttest.CheckRecorded(t, "pan-", newAt())
}
