// Package eval measures how well atlas reads: it scores what the engine
// returned for a document against its ground truth and sums the scores
// per document type and capture condition. The scoring is pure; Run feeds
// it documents through a Reader.
package eval

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
)

// ConfidentAt is the confidence a field needs to count as one a client
// may trust without review, for the precision column.
const ConfidentAt = 0.9

// AddressSimilarity is the least similarity an address needs to count as
// right: an OCR slip in a long address is not a wrong address.
const AddressSimilarity = 0.9

// unscored are fields the ground truth cannot judge: objects derived from
// another field, or what the service adds after reading.
var unscored = map[string]bool{
	"formatted_address":     true,
	"document_quality_flag": true,
	"redact_url":            true,
}

// Truth is what a document should read as.
type Truth struct {
	Type      document.Type
	Condition string
	// Fields maps field names to the values the API should return.
	Fields map[string]string
}

// DocScore is the scoring of one document.
type DocScore struct {
	Type      document.Type // the true type
	Condition string
	// Classified says the document was read as its true type.
	Classified bool
	// Fields is the number of fields in the truth; Returned how many of
	// them came back, Right how many came back right.
	Fields, Returned, Right int
	// Confident is the number of returned fields (truth's or not) with a
	// confidence >= ConfidentAt; ConfidentRight how many of those were
	// right. A confident field the truth does not have is wrong.
	Confident, ConfidentRight int
	// Seconds is how long reading took.
	Seconds float64
}

// Score judges fd (nil when the document failed) against truth.
func Score(truth Truth, fd *document.FileData) DocScore {
	s := DocScore{Type: truth.Type, Condition: truth.Condition, Fields: len(truth.Fields)}
	if fd == nil {
		return s
	}
	s.Classified = fd.Type == truth.Type
	for name, want := range truth.Fields {
		f, ok := fd.Get(name)
		if !ok {
			continue
		}
		s.Returned++
		if FieldRight(name, f.Value, want) {
			s.Right++
		}
	}
	for _, name := range fd.Names() {
		if unscored[name] {
			continue
		}
		f, _ := fd.Get(name)
		if f.Confidence < ConfidentAt {
			continue
		}
		s.Confident++
		if want, ok := truth.Fields[name]; ok && FieldRight(name, f.Value, want) {
			s.ConfidentRight++
		}
	}
	return s
}

// FieldRight says whether got is want: equal after folding case and white
// space, or for an address, at least AddressSimilarity alike.
func FieldRight(name string, got any, want string) bool {
	g, ok := got.(string)
	if !ok {
		// A list or object (transactions) is right when it is what the
		// truth's JSON says, element for element.
		return (strings.HasPrefix(want, "[") || strings.HasPrefix(want, "{")) && sameJSON(got, want)
	}
	g, w := Normalise(g), Normalise(want)
	if isAddress(name) {
		return Similarity(g, w) >= AddressSimilarity
	}
	return g == w
}

func isAddress(name string) bool {
	return name == "address" || strings.HasSuffix(name, "_address")
}

// Normalise upper-cases s and collapses its white space to single spaces.
func Normalise(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToUpper(s), unicode.IsSpace), " ")
}

// Similarity is 1 minus the edit (Levenshtein) distance of a and b over the
// longer one's length, in runes: 1 for equal strings, 0 for nothing alike.
func Similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 1
	}
	return 1 - float64(extract.EditDistance(ra, rb))/float64(n)
}

// Row is the sum of the scores of one type and condition (or of all, for
// the totals: Type "TOTAL").
type Row struct {
	Type      string `json:"document_type"`
	Condition string `json:"condition"`
	Documents int    `json:"documents"`
	// ClassAccuracy is the share of documents read as their true type.
	ClassAccuracy float64 `json:"classification_accuracy"`
	// FieldAccuracy is the share of truth fields returned right.
	FieldAccuracy float64 `json:"field_accuracy"`
	// Coverage is the share of truth fields returned at all.
	Coverage float64 `json:"coverage"`
	// Precision is the share of fields returned with confidence >=
	// ConfidentAt that were right; Confident is how many there were.
	Precision float64 `json:"precision_at_0_9"`
	Confident int     `json:"confident_fields"`
	// DocsPerSecond is documents over the seconds spent reading them.
	DocsPerSecond float64 `json:"documents_per_second"`

	classified, fields, returned, right, confRight int
	seconds                                        float64
}

func (r *Row) add(s DocScore) {
	r.Documents++
	if s.Classified {
		r.classified++
	}
	r.fields += s.Fields
	r.returned += s.Returned
	r.right += s.Right
	r.Confident += s.Confident
	r.confRight += s.ConfidentRight
	r.seconds += s.Seconds
}

func (r *Row) finish() {
	r.ClassAccuracy = ratio(r.classified, r.Documents)
	r.FieldAccuracy = ratio(r.right, r.fields)
	r.Coverage = ratio(r.returned, r.fields)
	r.Precision = ratio(r.confRight, r.Confident)
	if r.seconds > 0 {
		r.DocsPerSecond = float64(r.Documents) / r.seconds
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Report is the rows per type and condition, in the order first seen,
// and their totals.
type Report struct {
	Rows  []Row `json:"rows"`
	Total Row   `json:"total"`
}

// Summarise sums document scores into a report.
func Summarise(scores []DocScore) Report {
	var rep Report
	idx := map[[2]string]int{}
	rep.Total = Row{Type: "TOTAL", Condition: "all"}
	for _, s := range scores {
		k := [2]string{string(s.Type), s.Condition}
		i, ok := idx[k]
		if !ok {
			i = len(rep.Rows)
			idx[k] = i
			rep.Rows = append(rep.Rows, Row{Type: k[0], Condition: k[1]})
		}
		rep.Rows[i].add(s)
		rep.Total.add(s)
	}
	for i := range rep.Rows {
		rep.Rows[i].finish()
	}
	rep.Total.finish()
	return rep
}

// Table formats the report as a Markdown table.
func (rep Report) Table() string {
	var b strings.Builder
	b.WriteString("| type | condition | docs | class acc | field acc | coverage | prec@0.9 | n@0.9 | docs/s |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range append(rep.Rows, rep.Total) {
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %d | %.2f |\n",
			r.Type, r.Condition, r.Documents, 100*r.ClassAccuracy, 100*r.FieldAccuracy,
			100*r.Coverage, 100*r.Precision, r.Confident, r.DocsPerSecond)
	}
	return b.String()
}

// sameJSON reports whether got, marshalled, is the JSON value want holds.
func sameJSON(got any, want string) bool {
	b, err := json.Marshal(got)
	if err != nil {
		return false
	}
	var g, w any
	if json.Unmarshal(b, &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	return reflect.DeepEqual(g, w)
}
