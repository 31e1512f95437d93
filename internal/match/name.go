// Package match compares what documents say about a person: names (robust
// to initials, word order, honorifics, missing middle names and common
// spelling variants of Indian names) and, later, addresses. The flow's
// cross-checks use it; it knows nothing of documents or HTTP.
package match

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/atlas-oss/atlas/internal/extract"
)

// Verdict is the outcome of a comparison.
type Verdict string

// The verdicts of a comparison.
const (
	Match    Verdict = "match"
	Mismatch Verdict = "mismatch"
	Review   Verdict = "review" // too close to call: a person should look
)

// Thresholds turn a score into a verdict. The zero value means the
// defaults.
type Thresholds struct {
	// Match is the least score that is a match (default 0.85).
	Match float64
	// Review is the least score that is sent for review (default 0.6);
	// below it is a mismatch.
	Review float64
}

func (t Thresholds) withDefaults() Thresholds {
	t.Match = cmp.Or(t.Match, 0.85)
	t.Review = cmp.Or(t.Review, 0.6)
	return t
}

// Verdict returns the verdict of score.
func (t Thresholds) Verdict(score float64) Verdict {
	t = t.withDefaults()
	switch {
	case score >= t.Match:
		return Match
	case score >= t.Review:
		return Review
	}
	return Mismatch
}

// honorifics are dropped before comparing; relation markers end the name
// ("RAVI KUMAR S/O SURESH": the father is not the person).
var (
	honorifics = set("MR", "MRS", "MS", "MISS", "SHRI", "SRI", "SHREE", "SMT", "KUM", "KUMARI", "DR",
		"THIRU", "TMT", "SELVI", "MASTER", "LATE", "MD", "MOHD")
	relations = set("SO", "DO", "WO", "CO", "SON", "DAUGHTER", "WIFE", "HUSBAND")
	// common are tokens many unrelated people share: they count for less.
	common = set("KUMAR", "KUMARI", "SINGH", "DEVI", "BAI", "LAL", "BEGUM", "BEN", "BHAI", "RANI", "PRASAD", "CHAND")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// nameToken is one word of a name: an initial or a full word, with its
// spelling folded for comparison.
type nameToken struct {
	raw     string
	folded  string
	initial bool
	weight  float64
}

// tokens splits a name into its words, without honorifics, stopping at a
// relation marker ("S/O").
func tokens(name string) []nameToken {
	// "S/O", "D/O", "W/O" and "C/O" are joined before punctuation goes.
	up := strings.ToUpper(name)
	for _, r := range []string{"S/O", "D/O", "W/O", "C/O"} {
		up = strings.ReplaceAll(up, r, " "+strings.ReplaceAll(r, "/", "")+" ")
	}
	fields := strings.FieldsFunc(up, func(r rune) bool { return !unicode.IsLetter(r) })
	var out []nameToken
	for i, f := range fields {
		if relations[f] && i > 0 {
			break
		}
		// Honorifics lead a name ("Kumari Sunita"; "Sunita Kumari" is a
		// name). "MD" and "MOHD" (Mohammad) go too: the names around them
		// decide.
		if honorifics[f] && len(out) == 0 {
			continue
		}
		t := nameToken{raw: f, folded: fold(f), initial: len([]rune(f)) == 1, weight: 1}
		if common[f] {
			t.weight = 0.5
		}
		if t.initial {
			t.weight = 0.5
		}
		out = append(out, t)
	}
	// A run of capitals printed without spaces ("RK" in "RK SHARMA") is
	// a pair of initials.
	var split []nameToken
	for _, t := range out {
		if n := len(t.raw); n >= 2 && n <= 3 && !strings.ContainsAny(t.raw, "AEIOU") && len(out) > 1 {
			for _, r := range t.raw {
				split = append(split, nameToken{raw: string(r), folded: string(r), initial: true, weight: 0.5})
			}
			continue
		}
		split = append(split, t)
	}
	return split
}

// fold reduces the common spelling variants of Indian names to one form:
// aspirated consonants (BH, DH, KH, TH, PH, SH), long vowels written
// doubled (AA, EE, OO), W for V, Z for J, a final Y for I, and double
// letters ("Lakshmi"/"Laxmi", "Mohammed"/"Mohamad" come out alike).
func fold(s string) string {
	s = strings.ToUpper(s)
	for _, r := range [][2]string{
		{"KSH", "X"}, {"KS", "X"}, {"PH", "F"}, {"BH", "B"}, {"DH", "D"}, {"GH", "G"}, {"KH", "K"},
		{"TH", "T"}, {"SH", "S"}, {"CH", "C"}, {"JH", "J"}, {"EE", "I"}, {"OO", "U"}, {"OU", "U"},
		{"W", "V"}, {"Z", "J"}, {"Q", "K"}, {"AA", "A"}, {"EI", "E"},
	} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	s = strings.Replace(s, "MUHAM", "MOHAM", 1)
	if strings.HasSuffix(s, "Y") && len(s) > 2 {
		s = s[:len(s)-1] + "I"
	}
	// Vowels after the first letter are where spellings differ most
	// ("Mohammed"/"Mohammad", "Chaudhary"/"Choudhary"): map them to A
	// (a final I stays: Ravi/Rav), then drop doubled letters.
	m := []byte(s)
	for i := 1; i < len(m); i++ {
		switch m[i] {
		case 'E', 'O', 'U', 'I':
			if i == len(m)-1 && m[i] == 'I' {
				continue
			}
			m[i] = 'A'
		}
	}
	var b []byte
	for i := range m {
		if i > 0 && m[i] == m[i-1] {
			continue
		}
		b = append(b, m[i])
	}
	return string(b)
}

// tokenSim is how alike two tokens are, in [0, 1]: initials match a word
// with that first letter.
func tokenSim(a, b nameToken) float64 {
	switch {
	case a.initial && b.initial:
		if a.raw == b.raw {
			return 1
		}
		return 0
	case a.initial || b.initial:
		if a.raw[0] == b.raw[0] {
			return 1
		}
		return 0
	}
	if a.folded == b.folded {
		return 1
	}
	ra, rb := []rune(a.folded), []rune(b.folded)
	n := max(len(ra), len(rb))
	sim := 1 - float64(extract.EditDistance(ra, rb))/float64(n)
	// Short names that differ by a letter are different names
	// ("Ravi"/"Rani", "Deepak"/"Deepika"): only long ones get the benefit
	// of a slip.
	if n < 8 || sim < 0.85 || ra[0] != rb[0] {
		return 0
	}
	return sim
}

// NameScore is how likely two printed names are the same person's, in
// [0, 1]: 1 for the same words in any order; less for a missing word (a
// middle name), an initial standing for a word, or a spelling slip; low
// for an initial that contradicts a word; 0 when no full word is shared.
func NameScore(a, b string) float64 {
	ta, tb := tokens(a), tokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	// Greedy assignment, best pairs first (full words before initials):
	// names are a few words.
	type pair struct {
		i, j int
		sim  float64
		full bool
	}
	var pairs []pair
	for i := range ta {
		for j := range tb {
			if s := tokenSim(ta[i], tb[j]); s > 0 {
				pairs = append(pairs, pair{i, j, s, !ta[i].initial && !tb[j].initial})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int {
		if x.full != y.full {
			if x.full {
				return -1
			}
			return 1
		}
		return cmp.Compare(y.sim, x.sim)
	})
	usedA, usedB := make([]bool, len(ta)), make([]bool, len(tb))
	var gotA, gotB float64
	full := 0 // full words matched that are not common ("Kumar")
	for _, p := range pairs {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		// An initial for a word vouches for half of that word.
		wa, wb := ta[p.i].weight, tb[p.j].weight
		if p.full {
			if wa == 1 || wb == 1 {
				full++
			}
		} else {
			wa, wb = min(wa, 0.5), min(wb, 0.5)
		}
		gotA += p.sim * wa
		gotB += p.sim * wb
	}
	if full == 0 {
		return 0 // initials and "Kumar" alone say nothing
	}
	covA, covB := gotA/totalWeight(ta), gotB/totalWeight(tb)
	score := 0.6*max(covA, covB) + 0.4*min(covA, covB)
	// An initial left over while the other name has a word left over
	// is a contradiction ("R Sharma" and "Suresh Sharma").
	if conflict(ta, usedA, tb, usedB) || conflict(tb, usedB, ta, usedA) {
		score -= 0.2
	}
	return round2(score)
}

func conflict(ts []nameToken, used []bool, other []nameToken, otherUsed []bool) bool {
	for i, t := range ts {
		if !used[i] && t.initial {
			for j := range other {
				if !otherUsed[j] {
					return true
				}
			}
		}
	}
	return false
}

func totalWeight(ts []nameToken) float64 {
	var w float64
	for _, t := range ts {
		w += t.weight
	}
	return w
}

func round2(x float64) float64 { return math.Round(max(x, 0)*100) / 100 }
