package eval

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

func fileData(t document.Type, kv ...any) *document.FileData {
	fd := document.NewFileData(t)
	for i := 0; i+2 < len(kv); i += 3 {
		fd.Set(kv[i].(string), document.Field{Value: kv[i+1], Confidence: kv[i+2].(float64)})
	}
	return fd
}

var panTruth = Truth{Type: document.TypePAN, Condition: "clean", Fields: map[string]string{
	"pan_number":      "ABCPK1234F",
	"name_as_per_pan": "RAVI KUMAR",
	"father_name":     "MOHAN KUMAR",
	"dob":             "16/07/1986",
}}

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name  string
		truth Truth
		fd    *document.FileData
		want  DocScore
	}{
		{"failed document", panTruth, nil, DocScore{Fields: 4}},
		{"all right", panTruth, fileData(document.TypePAN,
			"pan_number", "ABCPK1234F", 0.99,
			"name_as_per_pan", "RAVI KUMAR", 0.95,
			"father_name", "MOHAN KUMAR", 0.8,
			"dob", "16/07/1986", 0.97,
			"document_quality_flag", "original", 0.99, // not scored
		), DocScore{Classified: true, Fields: 4, Returned: 4, Right: 4, Confident: 3, ConfidentRight: 3}},
		{"case and white space do not count", panTruth, fileData(document.TypePAN,
			"name_as_per_pan", "  ravi\tkumar ", 0.5,
		), DocScore{Classified: true, Fields: 4, Returned: 1, Right: 1}},
		{"confident and wrong, missing fields", panTruth, fileData(document.TypePAN,
			"pan_number", "ABCPK1234E", 0.95,
			"dob", "16/07/1986", 0.95,
		), DocScore{Classified: true, Fields: 4, Returned: 2, Right: 1, Confident: 2, ConfidentRight: 1}},
		{"confident field the truth lacks is wrong", panTruth, fileData(document.TypePAN,
			"pan_number", "ABCPK1234F", 0.95,
			"address", "SOMEWHERE", 0.92,
		), DocScore{Classified: true, Fields: 4, Returned: 1, Right: 1, Confident: 2, ConfidentRight: 1}},
		{"wrong type", panTruth, fileData(document.TypeAadhaar,
			"name", "RAVI KUMAR", 0.95,
		), DocScore{Fields: 4, Confident: 1}},
		{"non-string value is wrong", Truth{Type: document.TypeAadhaar, Fields: map[string]string{"address": "X"}},
			fileData(document.TypeAadhaar, "address", map[string]string{"city": "X"}, 0.5),
			DocScore{Classified: true, Fields: 1, Returned: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.truth, tc.fd)
			tc.want.Type, tc.want.Condition = tc.truth.Type, tc.truth.Condition
			if got != tc.want {
				t.Errorf("Score = %+v\nwant    %+v", got, tc.want)
			}
		})
	}
}

func TestFieldRight(t *testing.T) {
	const addr = "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001"
	for _, tc := range []struct {
		name, field string
		got         any
		want        string
		ok          bool
	}{
		{"exact", "pan_number", "ABCPK1234F", "ABCPK1234F", true},
		{"one letter off", "pan_number", "ABCPK1234E", "ABCPK1234F", false},
		{"case folded", "name", "Ravi Kumar", "RAVI KUMAR", true},
		{"spaces collapsed", "aadhaar_number", "2345  6789\n0124", "2345 6789 0124", true},
		{"not a string", "name", 42, "42", false},
		{"address exact", "address", addr, addr, true},
		{"address one slip", "address", strings.Replace(addr, "HALL", "HAL1", 1), addr, true},
		{"address half missing", "address", "4-CH-64, NEAR COMMUNITY HALL", addr, false},
		{"seller_address by similarity", "seller_address", strings.ToLower(addr), addr, true},
		{"name is not an address", "name", "RAVI KUMAF", "RAVI KUMAR", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FieldRight(tc.field, tc.got, tc.want); got != tc.ok {
				t.Errorf("FieldRight(%s, %v, %q) = %v, want %v", tc.field, tc.got, tc.want, got, tc.ok)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"", "", 1},
		{"ABC", "ABC", 1},
		{"ABC", "", 0},
		{"KITTEN", "SITTING", 1 - 3.0/7},
		{"ऑफ़", "ऑफ", 1 - 1.0/3}, // runes, not bytes
		{"ABCD", "WXYZ", 0},
	} {
		if got := Similarity(tc.a, tc.b); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Similarity(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := Similarity(tc.b, tc.a); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Similarity(%q, %q) = %v, not symmetric", tc.b, tc.a, got)
		}
	}
}

func TestSummarise(t *testing.T) {
	rep := Summarise([]DocScore{
		{Type: "PAN", Condition: "clean", Classified: true, Fields: 4, Returned: 4, Right: 3, Confident: 2, ConfidentRight: 2, Seconds: 0.5},
		{Type: "PAN", Condition: "clean", Classified: false, Fields: 4, Seconds: 0.5},
		{Type: "PAN", Condition: "photo", Classified: true, Fields: 4, Returned: 2, Right: 2, Confident: 1, ConfidentRight: 0, Seconds: 2},
	})
	if len(rep.Rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rep.Rows))
	}
	clean := rep.Rows[0]
	if clean.Type != "PAN" || clean.Condition != "clean" || clean.Documents != 2 ||
		clean.ClassAccuracy != 0.5 || clean.FieldAccuracy != 3.0/8 || clean.Coverage != 0.5 ||
		clean.Precision != 1 || clean.Confident != 2 || clean.DocsPerSecond != 2 {
		t.Errorf("clean row %+v", clean)
	}
	tot := rep.Total
	if tot.Documents != 3 || tot.FieldAccuracy != 5.0/12 || tot.Precision != 2.0/3 || tot.DocsPerSecond != 1 {
		t.Errorf("total row %+v", tot)
	}
	if empty := Summarise(nil); empty.Total.Documents != 0 || empty.Total.Precision != 0 {
		t.Errorf("empty report %+v", empty)
	}
	table := rep.Table()
	if !strings.Contains(table, "| PAN | clean | 2 | 50.0% | 37.5% | 50.0% | 100.0% | 2 | 2.00 |") || !strings.Contains(table, "| TOTAL | all | 3 |") {
		t.Errorf("table:\n%s", table)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Error(err)
	}
}

// fixedReader returns the same result for every document: Run's scoring
// without OCR.
type fixedReader struct {
	fd  *document.FileData
	err error
}

func (r fixedReader) Read(context.Context, []byte) (*document.FileData, []document.Page, error) {
	return r.fd, nil, r.err
}

func TestRunFromDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, gt groundTruth) {
		b, _ := json.Marshal(gt)
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, gt.File), []byte("image"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("pan-clean-1", groundTruth{File: "pan-clean-1.png", Type: "PAN", Condition: "clean", Truth: panTruth.Fields})
	write("pan-photo-1", groundTruth{File: "pan-photo-1.jpg", Type: "PAN", Condition: "photo", Truth: panTruth.Fields})
	write("aadhaar-clean-1", groundTruth{File: "aadhaar-clean-1.png", Type: "AADHAAR", Condition: "clean", Truth: map[string]string{"name": "X"}})

	r := fixedReader{fd: fileData(document.TypePAN, "pan_number", "ABCPK1234F", 0.99)}
	scores, err := Run(context.Background(), r, FromDir(dir, []document.Type{document.TypePAN}, []docgen.Condition{docgen.Clean}))
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 1 || scores[0].Type != "PAN" || scores[0].Condition != "clean" || scores[0].Right != 1 {
		t.Errorf("scores %+v", scores)
	}

	failing := fixedReader{err: document.Errorf(document.CodeUnrecognised, "no")}
	scores, err = Run(context.Background(), failing, FromDir(dir, nil, nil))
	if err != nil || len(scores) != 3 {
		t.Fatalf("run over a failing reader: %d scores, %v", len(scores), err)
	}
	if _, err := Run(context.Background(), fixedReader{err: context.Canceled}, FromDir(dir, nil, nil)); err == nil {
		t.Error("atlas's own error did not stop the run")
	}
	if _, err := Run(context.Background(), r, FromDir(t.TempDir(), nil, nil)); err == nil {
		t.Error("an empty directory gave no error")
	}
}

func TestGenerated(t *testing.T) {
	var names []string
	for s, err := range Generated(2, 5, []document.Type{document.TypePAN}, []docgen.Condition{docgen.Clean}) {
		if err != nil {
			t.Fatal(err)
		}
		if s.Truth.Type != document.TypePAN || s.Truth.Fields["pan_number"] == "" || len(s.Data) == 0 {
			t.Errorf("sample %s: %+v", s.Name, s.Truth)
		}
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "pan-clean-5,pan-clean-6" {
		t.Errorf("names %v", names)
	}
	for _, err := range Generated(1, 1, []document.Type{"NOPE"}, []docgen.Condition{docgen.Clean}) {
		if err == nil {
			t.Error("unknown type generated")
		}
	}
}

func TestFieldRightLists(t *testing.T) {
	got := []map[string]string{{"date": "01/04/2024", "credit": "100.00", "balance": "100.00"}}
	if !FieldRight("transactions", got, `[{"balance":"100.00","credit":"100.00","date":"01/04/2024"}]`) {
		t.Error("the same list is not right")
	}
	if FieldRight("transactions", got, `[{"balance":"100.00","credit":"100.00","date":"02/04/2024"}]`) {
		t.Error("a list with a wrong date is right")
	}
}
