package gstcert

import (
	"errors"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// TestRecorded reads the recorded certificates: text-layer ones must be
// entirely right; scanned ones at least 80% right over all (the grid
// design loses rows to Tesseract), and every field scored 0.9 or more
// must be right.
func TestRecorded(t *testing.T) {
	hits, total := map[string]int{}, map[string]int{}
	for _, r := range loadRecorded(t) {
		fd, err := New().Extract(r.pages)
		if err != nil {
			t.Errorf("%s: %v", r.name, err)
			continue
		}
		for field, ok := range extracttest.Compare(fd, r.truth.Truth) {
			total[r.truth.Condition]++
			got, f := extracttest.Value(fd, field)
			if ok {
				hits[r.truth.Condition]++
				continue
			}
			if r.truth.Condition == "clean" || f.Confidence >= 0.9 {
				t.Errorf("%s (%s): %s = %q (%.2f), want %q", r.name, r.truth.Layout, field, got, f.Confidence, r.truth.Truth[field])
				continue
			}
			t.Logf("%s (%s): %s = %q (%.2f), want %q", r.name, r.truth.Layout, field, got, f.Confidence, r.truth.Truth[field])
		}
		if _, ok := fd.Get("formatted_address"); !ok && fd != nil {
			if _, hasAddr := fd.Get("address"); hasAddr {
				t.Errorf("%s: address without formatted_address", r.name)
			}
		}
	}
	t.Logf("fields right: clean %d/%d, scan %d/%d", hits["clean"], total["clean"], hits["scan"], total["scan"])
	if total["clean"] == 0 || total["scan"] == 0 {
		t.Fatalf("recorded conditions %v, want clean and scan", total)
	}
	if float64(hits["scan"]) < 0.8*float64(total["scan"]) {
		t.Errorf("scan: %d of %d fields right, want >= 80%%", hits["scan"], total["scan"])
	}
}

// cert builds page 1 of a certificate (label column, value column) and an
// annexure page whose additional place of business must not be read.
func cert(gstin, constitution, addr1, addr2 string) []document.Page {
	p := extracttest.Build(
		extracttest.Placed{X: 600, Y: 100, Text: "Form GST REG-06"},
		extracttest.Placed{X: 180, Y: 200, Text: "Registration Number: " + gstin},
		extracttest.Placed{X: 180, Y: 300, Text: "1. Legal Name"}, extracttest.Placed{X: 1250, Y: 300, Text: "RAVI KUMAR YADAV"},
		extracttest.Placed{X: 180, Y: 360, Text: "2. Trade Name, if any"}, extracttest.Placed{X: 1250, Y: 360, Text: "| YADAV TRADERS |"},
		extracttest.Placed{X: 180, Y: 420, Text: "3. Constitution of Business"}, extracttest.Placed{X: 1250, Y: 420, Text: constitution},
		extracttest.Placed{X: 180, Y: 480, Text: "4. Address of Principal Place of Business"}, extracttest.Placed{X: 1250, Y: 480, Text: addr1},
		extracttest.Placed{X: 1250, Y: 530, Text: addr2},
		extracttest.Placed{X: 180, Y: 600, Text: "5. Date of Liability (Effective Date)"}, extracttest.Placed{X: 1250, Y: 600, Text: "01/07/2017"},
		extracttest.Placed{X: 180, Y: 660, Text: "6. Period of Validity"},
		extracttest.Placed{X: 230, Y: 710, Text: "From"}, extracttest.Placed{X: 1250, Y: 710, Text: "01/07/2017"},
		extracttest.Placed{X: 180, Y: 780, Text: "7. Type of Registration"}, extracttest.Placed{X: 1250, Y: 780, Text: "Reqular"},
		extracttest.Placed{X: 180, Y: 840, Text: "9. Date of issue of Certificate"}, extracttest.Placed{X: 1250, Y: 840, Text: "2O/07/2017"},
		extracttest.Placed{X: 600, Y: 1000, Text: "Annexure A"},
		extracttest.Placed{X: 180, Y: 1100, Text: "Legal Name"}, extracttest.Placed{X: 800, Y: 1100, Text: "SOMEONE ELSE"},
		extracttest.Placed{X: 180, Y: 1160, Text: "1. Shop No 9, Station Road, Lucknow, Lucknow, Uttar Pradesh, 226001"},
	)
	return p
}

func TestExtract(t *testing.T) {
	// 09: Uttar Pradesh; P: a proprietor.
	fd, err := New().Extract(cert("09ABCPY1234K1ZE", "Proprietorshlp", "House No 12, Ground Floor, Station Road, Kanpur,", "Kanpur Nagar, Uttar Pradesh, 208001"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"gst_number": "09ABCPY1234K1ZE", "legal_name": "RAVI KUMAR YADAV", "trade_name": "YADAV TRADERS",
		"constitution_of_business": "Proprietorship",
		"address":                  "House No 12, Ground Floor, Station Road, Kanpur, Kanpur Nagar, Uttar Pradesh, 208001",
		"date_of_liability":        "01/07/2017", "date_of_issue": "20/07/2017", "type_of_registration": "Regular",
	}
	for k, w := range want {
		if got, _ := extracttest.Value(fd, k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	for k, rule := range map[string]string{"gst_number": "gstin_checksum", "constitution_of_business": RuleHolderType, "address": RuleStateCode, "date_of_issue": "date"} {
		if _, f := extracttest.Value(fd, k); f.Validation == nil || !f.Validation.Passed || f.Validation.Rule != rule {
			t.Errorf("%s validation %+v, want %s passed", k, f.Validation, rule)
		}
	}
	f, _ := fd.Get("formatted_address")
	fa, ok := f.Value.(map[string]string)
	if !ok || fa["city"] != "Kanpur" || fa["state"] != "Uttar Pradesh" || fa["postcode"] != "208001" || fa["address_line_1"] != "House No 12, Ground Floor" {
		t.Errorf("formatted_address %v", f.Value)
	}
}

// A GSTIN whose state code (27: Maharashtra) and holder type (F: a firm)
// disagree with the table fails both cross-checks, and those fields are
// kept but not trusted.
func TestCrossChecksFail(t *testing.T) {
	fd, err := New().Extract(cert("27ABCFY1234K1Z1", "Proprietorship", "House No 12, Station Road, Kanpur,", "Kanpur Nagar, Uttar Pradesh, 208001"))
	if err != nil {
		t.Fatal(err)
	}
	if _, f := extracttest.Value(fd, "gst_number"); f.Validation == nil || !f.Validation.Passed {
		t.Fatalf("gst_number %v validation %+v: the test GSTIN must pass its own check", f.Value, f.Validation)
	}
	for k, rule := range map[string]string{"constitution_of_business": RuleHolderType, "address": RuleStateCode} {
		_, f := extracttest.Value(fd, k)
		if f.Validation == nil || f.Validation.Passed || f.Validation.Rule != rule || f.Confidence > 0.7 {
			t.Errorf("%s validation %+v confidence %.2f, want %s failed and <= 0.7", k, f.Validation, f.Confidence, rule)
		}
	}
}

// OCR slips in the GSTIN are repaired by its check character: a Z read as
// 2, and a doubled character.
func TestGSTINRepair(t *testing.T) {
	for _, raw := range []string{"09ABCPY1234K12E", "O9ABCPYI234K1ZE"} {
		fd, err := New().Extract(cert(raw, "Proprietorship", "House No 12, Kanpur,", "Uttar Pradesh, 208001"))
		if err != nil {
			t.Fatal(err)
		}
		got, f := extracttest.Value(fd, "gst_number")
		if got != "09ABCPY1234K1ZE" || f.Validation == nil || !f.Validation.Passed || f.Confidence >= 1 {
			t.Errorf("%s: got %q validation %+v confidence %.2f", raw, got, f.Validation, f.Confidence)
		}
	}
	// A doubled character is dropped where the check passes, but the
	// reading is a guess: kept below 0.9.
	fd, err := New().Extract(cert("09ABCPY12234K1ZE", "Proprietorship", "House No 12, Kanpur,", "Uttar Pradesh, 208001"))
	if err != nil {
		t.Fatal(err)
	}
	if got, f := extracttest.Value(fd, "gst_number"); got != "09ABCPY1234K1ZE" || f.Confidence > maxGuessed {
		t.Errorf("doubled character: got %q confidence %.2f", got, f.Confidence)
	}
	// A GSTIN that fails its check is never trusted.
	fd, err = New().Extract(cert("09ABCPY1234K1ZF", "Proprietorship", "House No 12, Kanpur,", "Uttar Pradesh, 208001"))
	if err != nil {
		t.Fatal(err)
	}
	if _, f := extracttest.Value(fd, "gst_number"); f.Confidence >= 0.9 {
		t.Errorf("failing GSTIN: %v validation %+v confidence %.2f", f.Value, f.Validation, f.Confidence)
	}
}

func TestNothingRead(t *testing.T) {
	_, err := New().Extract(extracttest.Build(extracttest.Placed{X: 10, Y: 10, Text: "Annexure B"}, extracttest.Placed{X: 10, Y: 60, Text: "Hello world"}))
	if !errors.Is(err, extract.ErrNothingRead) {
		t.Errorf("got %v, want ErrNothingRead", err)
	}
}

// FuzzExtract feeds the certificate with one line's text replaced: the
// extractor must not panic, and what it returns must be a document of its
// type or the unreadable error.
func FuzzExtract(f *testing.F) {
	f.Add(3, "3. Constitution of Business Partnership")
	f.Add(7, "4. Address of Principal Place of Business , , 411001")
	f.Add(2, "Registration Number: 27ABCFY1234K1Z1X")
	f.Add(8, "\u00a0, \u00a0,\u00a0")
	f.Fuzz(func(t *testing.T, at int, text string) {
		pages := cert("09ABCPY1234K1ZE", "Proprietorship", "House No 12, Kanpur,", "Uttar Pradesh, 208001")
		ws := pages[0].Words
		if len(ws) == 0 {
			t.Fatal("the fixture has no words")
		}
		i := (at%len(ws) + len(ws)) % len(ws)
		ws[i].Text = text
		fd, err := New().Extract(pages)
		if err != nil && !errors.Is(err, extract.ErrNothingRead) {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && fd.Type != document.TypeGSTCert {
			t.Fatalf("type %s", fd.Type)
		}
	})
}
