package aadhaar

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

func newAt() *Extractor {
	return &Extractor{now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}
}

func value(fd *document.FileData, name string) (string, document.Field, bool) {
	f, ok := fd.Get(name)
	if !ok {
		return "", f, false
	}
	return fmt.Sprint(f.Value), f, true
}

func TestFront(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []extracttest.Placed
		want  map[string]string
	}{
		{
			name: "bilingual, VID below",
			lines: []extracttest.Placed{
				{X: 358, Y: 74, Text: "Government of India"},
				{X: 273, Y: 175, Text: "Pradeep Mohanty"},
				{X: 266, Y: 229, Text: "जन्म तिथि / DOB: 02/02/1996"},
				{X: 270, Y: 290, Text: "पुरुष / MALE"},
				{X: 50, Y: 395, Text: "Issue Date: 01/01/2020"},
				{X: 325, Y: 448, Text: "2341 2341 2346"},
				{X: 300, Y: 500, Text: "VID : 9123 4567 8901 2345"},
			},
			want: map[string]string{"aadhaar_number": "2341 2341 2346", "name": "Pradeep Mohanty", "date_of_birth": "02/02/1996", "gender": "MALE"},
		},
		{
			name: "year of birth, Hindi gender, OCR-confused digit",
			lines: []extracttest.Placed{
				{X: 358, Y: 74, Text: "Government of India"},
				{X: 273, Y: 175, Text: "Sarita Gupta"},
				{X: 266, Y: 229, Text: "Year of Birth : 1986"},
				{X: 270, Y: 290, Text: "महिला"},
				{X: 325, Y: 448, Text: "2341 234I 2346"},
			},
			want: map[string]string{"aadhaar_number": "2341 2341 2346", "name": "Sarita Gupta", "date_of_birth": "1986", "gender": "FEMALE"},
		},
		{
			name: "masked",
			lines: []extracttest.Placed{
				{X: 273, Y: 175, Text: "Ravi Kumar"},
				{X: 266, Y: 229, Text: "DOB: 16-07-1986"},
				{X: 270, Y: 290, Text: "Male"},
				{X: 325, Y: 448, Text: "XXXX XXXX 2346"},
			},
			want: map[string]string{"aadhaar_number": "XXXX XXXX 2346", "name": "Ravi Kumar", "date_of_birth": "16/07/1986", "gender": "MALE"},
		},
	} {
		fd, err := newAt().Extract(extracttest.Build(tc.lines...))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := map[string]string{}
		for _, n := range fd.Names() {
			got[n], _, _ = value(fd, n)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, got, tc.want)
		}
	}
}

// A number failing the Verhoeff check is returned flagged, at most 0.5.
func TestBadChecksumCapped(t *testing.T) {
	fd, err := newAt().Extract(extracttest.Build(extracttest.Placed{X: 325, Y: 448, Text: "2341 2341 2347"}))
	if err != nil {
		t.Fatal(err)
	}
	v, f, ok := value(fd, "aadhaar_number")
	if !ok {
		t.Skip("the checksum-guided repair found a passing reading") // not the case for this number
	}
	if f.Validation == nil || (!f.Validation.Passed && f.Confidence > 0.5) {
		t.Errorf("%s: validation %+v confidence %.2f", v, f.Validation, f.Confidence)
	}
}

func TestLetterAddress(t *testing.T) {
	fd, err := newAt().Extract(extracttest.Build(
		extracttest.Placed{X: 31, Y: 21, Text: "Unique Identification Authority of India"},
		extracttest.Placed{X: 60, Y: 221, Text: "To"},
		extracttest.Placed{X: 61, Y: 255, Text: "Sarita Gupta"},
		extracttest.Placed{X: 62, Y: 291, Text: "D/O Deepak Gupta, 168, Tilak Road,"},
		extracttest.Placed{X: 60, Y: 324, Text: "Ambedkar Colony, Delhi, North West Delhi,"},
		extracttest.Placed{X: 62, Y: 358, Text: "Delhi - 110092"},
		extracttest.Placed{X: 496, Y: 552, Text: "2341 2341 2346"},
		extracttest.Placed{X: 212, Y: 847, Text: "DOB: 15/02/1955"},
		extracttest.Placed{X: 212, Y: 893, Text: "FEMALE"},
	))
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := value(fd, "address"); got != "D/O Deepak Gupta, 168, Tilak Road, Ambedkar Colony, Delhi, North West Delhi, Delhi, 110092" {
		t.Errorf("address = %q", got)
	}
	f, _ := fd.Get("formatted_address")
	want := map[string]string{"address_line_1": "D/O Deepak Gupta, 168, Tilak Road", "address_line_2": "Ambedkar Colony, Delhi", "city": "North West Delhi", "state": "Delhi", "postcode": "110092"}
	if !reflect.DeepEqual(f.Value, want) {
		t.Errorf("formatted_address = %v, want %v", f.Value, want)
	}
	if got, _, _ := value(fd, "name"); got != "Sarita Gupta" {
		t.Errorf("name = %q", got)
	}
}

// Recorded docgen samples: see extracttest.CheckRecorded.
func TestRecordedSamples(t *testing.T) {
	extracttest.CheckRecorded(t, "aadhaar-", newAt())
}
