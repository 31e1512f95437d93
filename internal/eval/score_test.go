package eval

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
		{"failed document", panTruth, nil, DocScore{Got: "FAILED", Fields: 4}},
		{"all right", panTruth, fileData(document.TypePAN,
			"pan_number", "ABCPK1234F", 0.99,
			"name_as_per_pan", "RAVI KUMAR", 0.95,
			"father_name", "MOHAN KUMAR", 0.8,
			"dob", "16/07/1986", 0.97,
			"document_quality_flag", "original", 0.99, // not scored
		), DocScore{Got: "PAN", Classified: true, Fields: 4, Returned: 4, Right: 4, Confident: 3, ConfidentRight: 3}},
		{"case and white space do not count", panTruth, fileData(document.TypePAN,
			"name_as_per_pan", "  ravi\tkumar ", 0.5,
		), DocScore{Got: "PAN", Classified: true, Fields: 4, Returned: 1, Right: 1}},
		{"confident and wrong, missing fields", panTruth, fileData(document.TypePAN,
			"pan_number", "ABCPK1234E", 0.95,
			"dob", "16/07/1986", 0.95,
		), DocScore{Got: "PAN", Classified: true, Fields: 4, Returned: 2, Right: 1, Confident: 2, ConfidentRight: 1}},
		{"confident field the truth lacks is wrong", panTruth, fileData(document.TypePAN,
			"pan_number", "ABCPK1234F", 0.95,
			"address", "SOMEWHERE", 0.92,
		), DocScore{Got: "PAN", Classified: true, Fields: 4, Returned: 1, Right: 1, Confident: 2, ConfidentRight: 1}},
		{"wrong type", panTruth, fileData(document.TypeAadhaar,
			"name", "RAVI KUMAR", 0.95,
		), DocScore{Got: "AADHAAR", Fields: 4, Confident: 1}},
		{"non-string value is wrong", Truth{Type: document.TypeAadhaar, Fields: map[string]string{"address": "X"}},
			fileData(document.TypeAadhaar, "address", map[string]string{"city": "X"}, 0.5),
			DocScore{Got: "AADHAAR", Classified: true, Fields: 1, Returned: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.truth, tc.fd, nil)
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
	// In parallel, the scores are the same and in the samples' order.
	seq, err := Run(context.Background(), r, FromDir(dir, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	par, err := RunParallel(context.Background(), r, FromDir(dir, nil, nil), 3)
	if err != nil || len(par) != len(seq) {
		t.Fatalf("parallel run: %d scores, %v; want %d", len(par), err, len(seq))
	}
	for i := range seq {
		if par[i].Type != seq[i].Type || par[i].Condition != seq[i].Condition || par[i].Right != seq[i].Right {
			t.Errorf("parallel score %d = %+v, want %+v", i, par[i], seq[i])
		}
	}
	if _, err := RunParallel(context.Background(), fixedReader{err: context.Canceled}, FromDir(dir, nil, nil), 3); err == nil {
		t.Error("atlas's own error did not stop the parallel run")
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

func TestScoreErrorsAndForeign(t *testing.T) {
	foreign := Truth{Type: docgen.Unrecognised, Condition: "scan", Layout: "other-menu", Fields: map[string]string{}}
	refused := document.Errorf(document.CodeUnrecognised, "none of the types")
	unreadable := document.Errorf(document.CodeUnreadable, "blurred")
	for _, tc := range []struct {
		name  string
		truth Truth
		fd    *document.FileData
		err   error
		want  DocScore
	}{
		{"foreign refused", foreign, nil, refused,
			DocScore{Got: "UNRECOGNISED", Classified: true, Foreign: true}},
		{"foreign failing otherwise is not refused", foreign, nil, unreadable,
			DocScore{Got: "UNREADABLE", Foreign: true}},
		// What a wrongly accepted document returns counts in no field
		// figure, confident or not.
		{"foreign taken for an invoice", foreign, fileData(document.TypeInvoice,
			"invoice_number", "12", 0.95, "total_amount", "100.00", 0.99,
		), nil, DocScore{Got: "INVOICE", Foreign: true}},
		{"known type refused", panTruth, nil, refused,
			DocScore{Got: "UNRECOGNISED", Fields: 4}},
		{"known type unreadable", panTruth, nil, unreadable,
			DocScore{Got: "UNREADABLE", Fields: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.truth, tc.fd, tc.err)
			tc.want.Type, tc.want.Condition, tc.want.Layout = tc.truth.Type, tc.truth.Condition, tc.truth.Layout
			if got != tc.want {
				t.Errorf("Score = %+v\nwant    %+v", got, tc.want)
			}
		})
	}
}

func TestSummariseForeign(t *testing.T) {
	known := []DocScore{
		{Type: "PAN", Condition: "clean", Got: "PAN", Classified: true, Fields: 4, Returned: 4, Right: 3, Confident: 2, ConfidentRight: 2, Seconds: 1},
		{Type: "PAN", Condition: "clean", Got: "VOTER_ID", Layout: "pan-old", Fields: 4, Returned: 1, Confident: 1, Seconds: 1},
		{Type: "PAN", Condition: "clean", Got: "UNRECOGNISED", Layout: "pan-old", Fields: 4, Seconds: 1},
		{Type: "PAN", Condition: "photo", Got: "VOTER_ID", Layout: "pan-new-english", Fields: 4, Seconds: 1},
	}
	foreign := []DocScore{
		{Type: docgen.Unrecognised, Condition: "clean", Got: "UNRECOGNISED", Layout: "other-menu", Classified: true, Foreign: true, Seconds: 1},
		{Type: docgen.Unrecognised, Condition: "clean", Got: "UNRECOGNISED", Layout: "other-photo", Classified: true, Foreign: true, Seconds: 1},
		{Type: docgen.Unrecognised, Condition: "clean", Got: "INVOICE", Layout: "other-receipt", Foreign: true, Seconds: 1},
		{Type: docgen.Unrecognised, Condition: "scan", Got: "INVOICE", Layout: "other-utility-bill", Foreign: true, Seconds: 1},
		{Type: docgen.Unrecognised, Condition: "scan", Got: "PAN", Layout: "other-id-card", Foreign: true, Seconds: 1},
	}
	base := Summarise(known)
	rep := Summarise(append(slices.Clone(known), foreign...))

	// The foreign documents change the counts and the classification
	// accuracy of the total, never its field figures.
	b, tot := base.Total, rep.Total
	if tot.FieldAccuracy != b.FieldAccuracy || tot.Coverage != b.Coverage || tot.Precision != b.Precision ||
		tot.Confident != b.Confident || !tot.FieldsScored {
		t.Errorf("total field figures changed by foreign documents:\n%+v\nwas %+v", tot, b)
	}
	if tot.Documents != 9 || tot.ClassAccuracy != 3.0/9 {
		t.Errorf("total %d documents, class accuracy %v; want 9, 3/9", tot.Documents, tot.ClassAccuracy)
	}
	var clean *Row
	for i, r := range rep.Rows {
		if r.Type == "UNRECOGNISED" && r.Condition == "clean" {
			clean = &rep.Rows[i]
		}
	}
	if clean == nil || clean.Documents != 3 || clean.ClassAccuracy != 2.0/3 || clean.FieldsScored {
		t.Fatalf("UNRECOGNISED clean row %+v", clean)
	}

	want := []Confusion{
		{Type: "PAN", TakenFor: "VOTER_ID", Documents: 2, Layouts: map[string]int{"pan-old": 1, "pan-new-english": 1}},
		{Type: "PAN", TakenFor: "UNRECOGNISED", Documents: 1, Layouts: map[string]int{"pan-old": 1}},
		{Type: "UNRECOGNISED", TakenFor: "INVOICE", Documents: 2, Layouts: map[string]int{"other-receipt": 1, "other-utility-bill": 1}},
		{Type: "UNRECOGNISED", TakenFor: "PAN", Documents: 1, Layouts: map[string]int{"other-id-card": 1}},
	}
	if !reflect.DeepEqual(rep.Confusion, want) {
		t.Errorf("confusion\n%+v\nwant %+v", rep.Confusion, want)
	}

	table := rep.Table()
	for _, line := range []string{
		"| UNRECOGNISED | clean | 3 | 66.7% | - | - | - | - | 1.00 |",
		"| UNRECOGNISED | scan | 2 | 0.0% | - | - | - | - | 1.00 |",
		"| TOTAL | all | 9 | 33.3% | 18.8% | 31.2% | 66.7% | 3 | 1.00 |",
		"- PAN: VOTER_ID 2 [pan-new-english 1, pan-old 1]; UNRECOGNISED 1 [pan-old 1]\n",
		"- UNRECOGNISED: INVOICE 2 [other-receipt 1, other-utility-bill 1]; PAN 1 [other-id-card 1]\n",
	} {
		if !strings.Contains(table, line) {
			t.Errorf("table lacks %q:\n%s", line, table)
		}
	}
	if only := Summarise(foreign).Table(); !strings.Contains(only, "| TOTAL | all | 5 | 40.0% | - | - | - | - |") {
		t.Errorf("a report of foreign documents only:\n%s", only)
	}
	if strings.Contains(Summarise(known[:1]).Table(), "confusion") {
		t.Error("a report without misclassified documents shows a confusion section")
	}
	raw, err := json.Marshal(rep)
	if err != nil || !strings.Contains(string(raw), `"taken_for":"INVOICE"`) {
		t.Errorf("JSON report %s, %v", raw, err)
	}
}

func TestRunForeignFromDir(t *testing.T) {
	dir := t.TempDir()
	gt := map[string]any{"file": "unrecognised-scan-3.png", "document_type": "UNRECOGNISED", "condition": "scan", "layout": "other-letter", "truth": map[string]string{}}
	b, _ := json.Marshal(gt)
	if err := os.WriteFile(filepath.Join(dir, "unrecognised-scan-3.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "unrecognised-scan-3.png"), []byte("image"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r        fixedReader
		got      string
		accepted bool
	}{
		{fixedReader{err: document.Errorf(document.CodeUnrecognised, "no")}, "UNRECOGNISED", true},
		{fixedReader{fd: fileData(document.TypeVoterID, "name", "X", 0.99)}, "VOTER_ID", false},
	} {
		scores, err := Run(context.Background(), tc.r, FromDir(dir, nil, nil))
		if err != nil || len(scores) != 1 {
			t.Fatalf("run: %d scores, %v", len(scores), err)
		}
		s := scores[0]
		if s.Type != docgen.Unrecognised || s.Layout != "other-letter" || s.Got != tc.got || s.Classified != tc.accepted || !s.Foreign || s.Confident != 0 {
			t.Errorf("score %+v, want taken for %s, classified %v", s, tc.got, tc.accepted)
		}
	}
}
