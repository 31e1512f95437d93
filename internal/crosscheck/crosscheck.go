// Package crosscheck compares what the documents of one loan application
// say about the applicant and the purchase: names, dates of birth, gender,
// father's name, addresses and PIN codes, the PAN inside a GSTIN, the
// dealer and amounts of a delivery order against its invoice, validity,
// duplicate uploads and what the application declared. It is pure: it
// knows documents and the match package, not storage or HTTP.
package crosscheck

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/match"
)

// Document is one read document of a flow.
type Document struct {
	// DocumentID is the client's id for the document; checks name it.
	DocumentID string
	FileUUID   string
	// Data is what was read; nil for a document that failed or was not
	// recognised, which then takes part only in duplicate detection.
	Data *document.FileData
	// ContentKey identifies the original's bytes (its SHA-256 blob key);
	// empty when unknown.
	ContentKey string
}

// Check is one comparison's outcome.
type Check struct {
	// Check is the comparison's name, e.g. "name" or "declared_pan".
	Check string `json:"check"`
	// Documents are the DocumentIDs compared, in upload order; a declared
	// value is the pseudo-document FlowParams.
	Documents []string `json:"documents"`
	// Fields are the fields compared, parallel to Documents (the param key
	// for FlowParams).
	Fields []string      `json:"fields"`
	Status match.Verdict `json:"status"`
	// Score is how well the values agree, in [0, 1], to two decimals.
	Score float64 `json:"score"`
	// Detail is one sentence for a reviewer. It may quote the values: it
	// goes to the client that sent them, never to logs.
	Detail string `json:"detail"`
}

// FlowParams is the pseudo-document id of the values the application
// declared (the flow's flow_params).
const FlowParams = "flow_params"

// Settings are the thresholds of the checks. The zero value means the
// defaults.
type Settings struct {
	// Name turns name scores (and business-name scores) into verdicts.
	Name match.Thresholds
	// Address turns address scores into verdicts.
	Address match.Thresholds
	// Now is the clock for validity checks (default time.Now).
	Now func() time.Time
	// AmountTolerance is the relative difference of two amounts that is
	// sent for review rather than called a mismatch (default 0.01).
	AmountTolerance float64
	// MinConfidence is the least reading confidence that can support a
	// firm mismatch (default 0.5): below it a mismatch becomes a review,
	// as the reading itself may be wrong.
	MinConfidence float64
	// ExpiryWarning is how long before expiry a document is sent for
	// review (default 30 days).
	ExpiryWarning time.Duration
}

func (s Settings) withDefaults() Settings {
	s.AmountTolerance = cmp.Or(s.AmountTolerance, 0.01)
	s.MinConfidence = cmp.Or(s.MinConfidence, 0.5)
	s.ExpiryWarning = cmp.Or(s.ExpiryWarning, 30*24*time.Hour)
	if s.Now == nil {
		s.Now = time.Now
	}
	return s
}

// The checks, in the order Run returns them.
var checkOrder = []string{
	"name", "date_of_birth", "gender", "father_name", "address", "pincode",
	"gstin_pan", "dealer_name", "dealer_address", "invoice_amount",
	"validity", "duplicate_upload",
	"declared_name", "declared_date_of_birth", "declared_gender", "declared_father_name",
	"declared_pan", "declared_address", "declared_pincode",
	"declared_invoice_amount", "declared_loan_amount",
}

// Run compares the documents with each other and with what the
// application declared (flow_params). docs come in upload order; the
// checks come out by check (in the order of checkOrder), then by the
// upload order of the documents involved, so two runs on the same input
// give the same answer.
func Run(docs []Document, declared map[string]any, s Settings) []Check {
	r := &runner{docs: docs, s: s.withDefaults()}
	r.names()
	r.datesOfBirth()
	r.genders()
	r.fatherNames()
	r.addresses()
	r.gstinPAN()
	r.dealerNames()
	r.dealerAddresses()
	r.invoiceAmounts()
	r.validity()
	r.duplicates()
	r.declared(parseDeclared(declared))
	return r.sorted()
}

// runner gathers the checks of one Run.
type runner struct {
	docs []Document
	s    Settings
	out  []ranked
}

// ranked is a check with the keys it is ordered by.
type ranked struct {
	rank int
	docs []int // upload indexes, -1 for FlowParams
	seq  int
	c    Check
}

// value is one compared value: a document's field or a declared param.
type value struct {
	doc   int // upload index; -1 for FlowParams
	id    string
	typ   document.Type
	field string
	text  string
	conf  float64
}

// label names a value's source for a detail sentence, e.g. "PAN (d1)".
func (v value) label() string {
	if v.doc < 0 {
		return "the application"
	}
	return string(v.typ) + " (" + v.id + ")"
}

// declaredValue is a flow_params value compared like a document's.
func declaredValue(key, text string) value {
	return value{doc: -1, id: FlowParams, field: key, text: text, conf: 1}
}

// pair records a comparison of two values, ordering them by upload order
// and turning a mismatch over a low-confidence reading into a review.
func (r *runner) pair(check string, a, b value, status match.Verdict, score float64, detail string) {
	if b.doc < a.doc {
		a, b = b, a
	}
	if status == match.Mismatch && min(a.conf, b.conf) < r.s.MinConfidence {
		status = match.Review
		detail += " (low-confidence reading: review rather than mismatch)"
	}
	r.add(check, []value{a, b}, status, score, detail)
}

// single records a check of one value (validity).
func (r *runner) single(check string, v value, status match.Verdict, score float64, detail string) {
	if status == match.Mismatch && v.conf < r.s.MinConfidence {
		status = match.Review
		detail += " (low-confidence reading: review rather than mismatch)"
	}
	r.add(check, []value{v}, status, score, detail)
}

func (r *runner) add(check string, vs []value, status match.Verdict, score float64, detail string) {
	c := Check{Check: check, Status: status, Score: round2(score), Detail: detail}
	idx := make([]int, len(vs))
	for i, v := range vs {
		c.Documents = append(c.Documents, v.id)
		c.Fields = append(c.Fields, v.field)
		idx[i] = v.doc
	}
	r.out = append(r.out, ranked{rank: slices.Index(checkOrder, check), docs: idx, seq: len(r.out), c: c})
}

// sorted returns the checks by check order, then upload order.
func (r *runner) sorted() []Check {
	slices.SortStableFunc(r.out, func(x, y ranked) int {
		return cmp.Or(cmp.Compare(x.rank, y.rank), slices.Compare(x.docs, y.docs), cmp.Compare(x.seq, y.seq))
	})
	out := make([]Check, len(r.out))
	for i, x := range r.out {
		out[i] = x.c
	}
	return out
}

// field returns document i's field as trimmed text, if present, non-empty
// and a string.
func (r *runner) field(i int, name string) (value, bool) {
	d := r.docs[i]
	if d.Data == nil {
		return value{}, false
	}
	f, ok := d.Data.Get(name)
	if !ok {
		return value{}, false
	}
	s, ok := f.Value.(string)
	if !ok {
		return value{}, false
	}
	s = collapse(s)
	if s == "" {
		return value{}, false
	}
	return value{doc: i, id: d.DocumentID, typ: d.Data.Type, field: name, text: s, conf: f.Confidence}, true
}

// fieldsOf returns, in upload order, the named field of every document
// whose type fieldFor maps to a field name.
func (r *runner) fieldsOf(fieldFor map[document.Type]string) []value {
	var out []value
	for i, d := range r.docs {
		if d.Data == nil {
			continue
		}
		name, ok := fieldFor[d.Data.Type]
		if !ok {
			continue
		}
		if v, ok := r.field(i, name); ok {
			out = append(out, v)
		}
	}
	return out
}

// eachPair calls f for every pair of values from different documents.
func eachPair(vs []value, f func(a, b value)) {
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			if vs[i].doc != vs[j].doc {
				f(vs[i], vs[j])
			}
		}
	}
}

// eachCross calls f for every pair of a value of as with one of bs from
// a different document.
func eachCross(as, bs []value, f func(a, b value)) {
	for _, a := range as {
		for _, b := range bs {
			if a.doc != b.doc {
				f(a, b)
			}
		}
	}
}

func round2(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Round(min(max(x, 0), 1)*100) / 100
}
