// Package eval measures how well atlas reads: it scores what the engine
// returned for a document against its ground truth and sums the scores
// per document type and capture condition. Documents of none of atlas's
// types (docgen.Unrecognised) score only whether the engine refused them.
// The scoring is pure; Run feeds it documents through a Reader.
package eval

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/atlas-oss/atlas/internal/docgen"
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

// Truth is what a document should read as. A Type of docgen.Unrecognised
// says the document is none of atlas's types: the engine must refuse it.
type Truth struct {
	Type      document.Type
	Condition string
	// Layout is the generator's layout variant ("pan-old",
	// "other-menu"), when the corpus names it; only the confusion counts
	// use it.
	Layout string
	// Fields maps field names to the values the API should return.
	Fields map[string]string
}

// DocScore is the scoring of one document.
type DocScore struct {
	Type      document.Type // the true type
	Condition string
	Layout    string // the truth's layout variant, when known
	// Got is what the document was taken for: the type it was read as,
	// or the error code it failed with (UNRECOGNISED, UNREADABLE, ...).
	Got string
	// Classified says the document was read as its true type or, for a
	// document of none of atlas's types, refused as UNRECOGNISED.
	Classified bool
	// Foreign says the document is of none of atlas's types: it has no
	// fields to judge, so it counts in no field figure.
	Foreign bool
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

// gotFailed is Got for a document that failed without a *document.Error.
const gotFailed = "FAILED"

// Score judges what reading a document gave against truth: fd, or when
// the document failed, fd nil and err its *document.Error.
func Score(truth Truth, fd *document.FileData, err error) DocScore {
	s := DocScore{Type: truth.Type, Condition: truth.Condition, Layout: truth.Layout}
	var de *document.Error
	switch {
	case fd != nil:
		s.Got = string(fd.Type)
	case errors.As(err, &de):
		s.Got = string(de.Code)
	default:
		s.Got = gotFailed
	}
	if truth.Type == docgen.Unrecognised {
		// Right only when refused as such: failing for another reason
		// (UNREADABLE, TIMEOUT) is not recognising it as foreign. What
		// a wrongly accepted one returned is no field of any truth, so
		// it is left out of the field figures rather than scored.
		s.Foreign = true
		s.Classified = fd == nil && s.Got == string(document.CodeUnrecognised)
		return s
	}
	s.Fields = len(truth.Fields)
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
	// FieldsScored is false when no document of the row has fields to
	// judge (documents atlas must refuse): FieldAccuracy, Coverage and
	// Precision are then not applicable, and the table shows "-".
	FieldsScored bool `json:"fields_scored"`
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
	r.seconds += s.Seconds
	if s.Classified {
		r.classified++
	}
	if s.Foreign {
		return
	}
	r.FieldsScored = true
	r.fields += s.Fields
	r.returned += s.Returned
	r.right += s.Right
	r.Confident += s.Confident
	r.confRight += s.ConfidentRight
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
// their totals, and what misclassified documents were taken for.
type Report struct {
	Rows  []Row `json:"rows"`
	Total Row   `json:"total"`
	// Confusion counts, per true type, the documents not classified
	// right by what they were taken for: which types collide.
	Confusion []Confusion `json:"confusion"`
}

// Confusion is how many documents of a true type were taken for another
// type, refused (UNRECOGNISED) or failed (the error code). Counts only:
// no document text.
type Confusion struct {
	Type      string `json:"document_type"`
	TakenFor  string `json:"taken_for"`
	Documents int    `json:"documents"`
	// Layouts splits Documents by the truth's layout variant, when the
	// corpus names it: which kind of negative a type claims.
	Layouts map[string]int `json:"layouts,omitempty"`
}

// Summarise sums document scores into a report.
func Summarise(scores []DocScore) Report {
	var rep Report
	idx := map[[2]string]int{}
	rep.Total = Row{Type: "TOTAL", Condition: "all"}
	rep.Confusion = []Confusion{} // [] rather than null in JSON
	conf := map[[2]string]int{}
	typeOrder := map[string]int{}
	for _, s := range scores {
		if _, ok := typeOrder[string(s.Type)]; !ok {
			typeOrder[string(s.Type)] = len(typeOrder)
		}
		if !s.Classified {
			k := [2]string{string(s.Type), cmp.Or(s.Got, gotFailed)}
			i, ok := conf[k]
			if !ok {
				i = len(rep.Confusion)
				conf[k] = i
				rep.Confusion = append(rep.Confusion, Confusion{Type: k[0], TakenFor: k[1]})
			}
			c := &rep.Confusion[i]
			c.Documents++
			if s.Layout != "" {
				if c.Layouts == nil {
					c.Layouts = map[string]int{}
				}
				c.Layouts[s.Layout]++
			}
		}
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
	// Types in the order first seen, the commonest confusion first.
	slices.SortStableFunc(rep.Confusion, func(a, b Confusion) int {
		return cmp.Or(cmp.Compare(typeOrder[a.Type], typeOrder[b.Type]),
			cmp.Compare(b.Documents, a.Documents), strings.Compare(a.TakenFor, b.TakenFor))
	})
	return rep
}

// Table formats the report as a Markdown table.
func (rep Report) Table() string {
	var b strings.Builder
	b.WriteString("| type | condition | docs | class acc | field acc | coverage | prec@0.9 | n@0.9 | docs/s |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range append(rep.Rows, rep.Total) {
		acc, cov, prec, n := "-", "-", "-", "-"
		if r.FieldsScored {
			acc, cov, prec = percent(r.FieldAccuracy), percent(r.Coverage), percent(r.Precision)
			n = fmt.Sprint(r.Confident)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %.2f |\n",
			r.Type, r.Condition, r.Documents, percent(r.ClassAccuracy), acc, cov, prec, n, r.DocsPerSecond)
	}
	if len(rep.Confusion) > 0 {
		b.WriteString("\nconfusion (true type: taken for N [by layout]; UNRECOGNISED = refused):\n")
	}
	for i, c := range rep.Confusion {
		if i == 0 || rep.Confusion[i-1].Type != c.Type {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "- %s:", c.Type)
		} else {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s %d", c.TakenFor, c.Documents)
		if len(c.Layouts) > 0 {
			ls := make([]string, 0, len(c.Layouts))
			for l, k := range c.Layouts {
				ls = append(ls, fmt.Sprintf("%s %d", l, k))
			}
			slices.Sort(ls)
			fmt.Fprintf(&b, " [%s]", strings.Join(ls, ", "))
		}
	}
	if len(rep.Confusion) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func percent(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

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
