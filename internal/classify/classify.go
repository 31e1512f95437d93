// Package classify tells a document's type from the words on its pages:
// weighted keywords matched fuzzily (OCR misreads letters), plus
// structural evidence (an identifier of the type's shape that passes its
// check). Each type is a RuleSet registered on a Classifier; a document
// that no rule set claims clearly is UNRECOGNISED (ok=false), never a
// guess.
package classify

import (
	"math"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
)

// Keyword is printed text that points to a type, with its weight.
type Keyword struct {
	Text   string
	Weight float64
}

// Structure is evidence from the content's shape, e.g. "holds a valid
// PAN". Test returns how strongly, in [0, 1].
type Structure struct {
	Name   string
	Weight float64
	Test   func(lines []extract.Line) float64
}

// RuleSet is how one document type is recognised.
type RuleSet struct {
	Type      document.Type
	Keywords  []Keyword
	Structure []Structure
	// MinScore is the total evidence a document needs to be this type;
	// MinKeywords the part of it that must come from keywords, so that an
	// identifier alone (a PAN printed on an invoice) does not decide.
	MinScore, MinKeywords float64
}

// Classifier holds the registered rule sets. The zero value recognises
// nothing; use New and Register, or Default.
type Classifier struct {
	sets []RuleSet
}

var _ pipeline.Classifier = (*Classifier)(nil)

// New returns a classifier with no rule sets.
func New() *Classifier { return &Classifier{} }

// Default returns a classifier with the rule sets of the types atlas
// recognises today.
func Default() *Classifier {
	c := New()
	c.Register(PANRules())
	c.Register(AadhaarRules())
	c.Register(VoterIDRules())
	c.Register(DrivingLicenseRules())
	c.Register(PassportRules())
	c.Register(StatementRules())
	c.Register(InvoiceRules())
	c.Register(GSTCertRules())
	c.Register(UdyamRules())
	c.Register(ShopActRules())
	c.Register(ChequeRules())
	c.Register(DeliveryOrderRules())
	c.Register(SaleDeedRules())
	return c
}

// Register adds a type's rule set, replacing an earlier one of that type.
func (c *Classifier) Register(rs RuleSet) {
	for i := range c.sets {
		if c.sets[i].Type == rs.Type {
			c.sets[i] = rs
			return
		}
	}
	c.sets = append(c.sets, rs)
}

// minKeywordSim is how close a read phrase must be to a keyword; short
// keywords ("VID") must match exactly, as one wrong letter of three is
// another word.
const minKeywordSim = 0.78

// Score is one rule set's evidence on a document.
type Score struct {
	Type             document.Type
	Total, Keywords  float64
	Matched          []string // keywords and structures that matched, for debugging; no document text
	MinScore, MinKey float64
}

// Scores returns every rule set's evidence, in registration order.
func (c *Classifier) Scores(pages []document.Page) []Score {
	lines := extract.Lines(pages)
	out := make([]Score, 0, len(c.sets))
	for _, rs := range c.sets {
		s := Score{Type: rs.Type, MinScore: rs.MinScore, MinKey: rs.MinKeywords}
		for _, k := range rs.Keywords {
			min := minKeywordSim
			if len([]rune(extract.Norm(k.Text))) <= 4 {
				min = 1
			}
			if m, ok := extract.FindLabel(lines, []string{k.Text}, min); ok {
				s.Keywords += k.Weight * m.Sim
				s.Matched = append(s.Matched, k.Text)
			}
		}
		s.Total = s.Keywords
		for _, st := range rs.Structure {
			if v := st.Test(lines); v > 0 {
				s.Total += st.Weight * math.Min(v, 1)
				s.Matched = append(s.Matched, st.Name)
			}
		}
		out = append(out, s)
	}
	return out
}

// Classify returns the type whose rule set the pages satisfy with the most
// evidence. The confidence grows with the evidence and shrinks when
// another type has nearly as much.
func (c *Classifier) Classify(pages []document.Page) (document.Type, float64, bool) {
	var best, second float64
	var bt document.Type
	for _, s := range c.Scores(pages) {
		if s.Total < s.MinScore || s.Keywords < s.MinKey {
			second = max(second, s.Total)
			continue
		}
		if s.Total > best {
			second = max(second, best)
			best, bt = s.Total, s.Type
		} else {
			second = max(second, s.Total)
		}
	}
	if bt == "" || second >= 0.8*best {
		return "", 0, false
	}
	conf := (1 - math.Exp(-best/3)) * (1 - second/best)
	return bt, math.Round(conf*100) / 100, true
}

// kw builds keywords from pairs of text and weight.
func kw(pairs ...any) []Keyword {
	var out []Keyword
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Keyword{Text: pairs[i].(string), Weight: pairs[i+1].(float64)})
	}
	return out
}

// tokens yields each word of lines, and each pair of adjacent words
// joined, with surrounding punctuation trimmed: OCR splits identifiers.
func tokens(lines []extract.Line, f func(string) bool) bool {
	for _, l := range lines {
		for i, w := range l.Words {
			t := strings.Trim(w.Text, ".,:;|'\"‘’`")
			if f(t) {
				return true
			}
			if i+1 < len(l.Words) && f(t+strings.Trim(l.Words[i+1].Text, ".,:;|'\"‘’`")) {
				return true
			}
		}
	}
	return false
}
