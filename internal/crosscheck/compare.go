package crosscheck

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/match"
)

// collapse trims s and collapses its runs of white space to one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// words splits s into upper-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// businessWords mark a name as a firm's: a firm's name says nothing about
// the applicant's.
var businessWords = map[string]bool{
	"PVT": true, "PRIVATE": true, "LTD": true, "LIMITED": true, "LLP": true, "LLC": true, "INC": true,
	"TRADERS": true, "TRADING": true, "ENTERPRISES": true, "ENTERPRISE": true, "AGENCIES": true,
	"AGENCY": true, "INDUSTRIES": true, "STORES": true, "STORE": true, "COMPANY": true,
	"CORPORATION": true, "CORP": true, "MOTORS": true, "AUTOMOBILES": true, "ELECTRONICS": true,
	"ASSOCIATES": true, "DISTRIBUTORS": true, "SUPPLIERS": true, "EXPORTS": true, "IMPORTS": true,
	"TEXTILES": true, "EMPORIUM": true, "SOLUTIONS": true, "SERVICES": true, "SALES": true,
	"HUF": true, "BROTHERS": true, "BROS": true, "MART": true, "FOUNDATION": true, "TRUST": true,
}

// isBusiness says whether a printed name is clearly a firm's.
func isBusiness(s string) bool {
	up := strings.ToUpper(s)
	if strings.HasPrefix(strings.TrimSpace(up), "M/S") {
		return true
	}
	ws := words(up)
	for i, w := range ws {
		if businessWords[w] {
			return true
		}
		// "& CO", "AND CO", "& SONS"
		if (w == "CO" || w == "SONS") && i > 0 && (ws[i-1] == "AND" || strings.Contains(up, "&")) {
			return true
		}
	}
	return false
}

// nameDetail describes a name comparison's outcome for a reviewer.
func nameDetail(what string, a, b value, v match.Verdict) string {
	var how string
	switch v {
	case match.Match:
		how = "agree"
		wa, wb := words(a.text), words(b.text)
		switch {
		case slices.Equal(wa, wb):
		case sameMultiset(wa, wb):
			how = "agree (word order differs)"
		default:
			how = "agree (initials, spelling or a missing word differ)"
		}
	case match.Review:
		how = "are similar but not clearly the same"
	default:
		how = "differ"
	}
	return fmt.Sprintf("%s on %s and %s %s: %q / %q", what, a.label(), b.label(), how, a.text, b.text)
}

func sameMultiset(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// date is a parsed date; Year only when just the year is known (Aadhaar
// may print a year of birth).
type date struct {
	Day, Month, Year int
	yearOnly         bool
}

// parseDate reads DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY, YYYY-MM-DD or YYYY.
func parseDate(s string) (date, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 4 {
		y, ok := atoi(s)
		return date{Year: y, yearOnly: true}, ok && y >= 1800 && y <= 2200
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 {
		return date{}, false
	}
	if len(parts[0]) == 4 { // YYYY-MM-DD
		parts[0], parts[2] = parts[2], parts[0]
	}
	if len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return date{}, false
	}
	d, ok1 := atoi(parts[0])
	m, ok2 := atoi(parts[1])
	y, ok3 := atoi(parts[2])
	if !ok1 || !ok2 || !ok3 || d < 1 || d > 31 || m < 1 || m > 12 || y < 1800 || y > 2200 {
		return date{}, false
	}
	return date{Day: d, Month: m, Year: y}, true
}

// atoi parses a run of ASCII digits.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func (d date) String() string {
	if d.yearOnly {
		return fmt.Sprintf("%04d", d.Year)
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// compareDates compares two dates of birth: equal is a match; a year
// alone that agrees is a match at 0.9; day and month swapped or one digit
// off (a misreading) is a review; anything else a mismatch.
func compareDates(a, b date) (match.Verdict, float64, string) {
	if a.yearOnly || b.yearOnly {
		switch digitsDiff(fmt.Sprint(a.Year), fmt.Sprint(b.Year)) {
		case 0:
			if a.yearOnly && b.yearOnly {
				return match.Match, 1, "agree"
			}
			return match.Match, 0.9, "agree on the year (one side gives the year only)"
		case 1:
			return match.Review, 0.7, "years differ by one digit"
		}
		return match.Mismatch, 0, "differ"
	}
	if a == b {
		return match.Match, 1, "agree"
	}
	if a.Year == b.Year && a.Day == b.Month && a.Month == b.Day {
		return match.Review, 0.7, "have day and month swapped"
	}
	if digitsDiff(a.String(), b.String()) == 1 {
		return match.Review, 0.75, "differ by one digit"
	}
	return match.Mismatch, 0, "differ"
}

// digitsDiff counts the positions where two equally long strings differ;
// strings of different lengths differ everywhere.
func digitsDiff(a, b string) int {
	if len(a) != len(b) {
		return max(len(a), len(b))
	}
	n := 0
	for i := range len(a) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// normGender spells a gender out: MALE, FEMALE or TRANSGENDER; "" when it
// is none of them.
func normGender(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M", "MALE":
		return "MALE"
	case "F", "FEMALE":
		return "FEMALE"
	case "T", "TG", "TRANSGENDER":
		return "TRANSGENDER"
	}
	return ""
}

var amountCleaner = strings.NewReplacer(",", "", "₹", "", "RS.", "", "RS", "", "INR", "", " ", "", "/-", "")

// parseAmount reads an amount such as "125000.00" or "1,25,000".
func parseAmount(s string) (float64, bool) {
	s = amountCleaner.Replace(strings.ToUpper(s))
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	return f, true
}

// compareAmounts: equal to the rupee is a match, within tol (a fraction)
// a review, else a mismatch; the score is 1 - the relative difference.
func compareAmounts(a, b, tol float64) (match.Verdict, float64, string) {
	diff := math.Abs(a - b)
	if diff < 1 {
		return match.Match, 1, "agree"
	}
	rel := diff / max(a, b)
	score := max(1-rel, 0)
	if rel <= tol {
		return match.Review, score, fmt.Sprintf("differ by %.2f (%.2f%%, within tolerance)", diff, rel*100)
	}
	return match.Mismatch, score, fmt.Sprintf("differ by %.2f (%.2f%%)", diff, rel*100)
}

// extractPIN returns the last 6-digit number of an address that is not
// part of a longer number and does not start with 0, or "".
func extractPIN(addr string) string {
	pin := ""
	for i := 0; i < len(addr); {
		if addr[i] < '0' || addr[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(addr) && addr[j] >= '0' && addr[j] <= '9' {
			j++
		}
		if j-i == 6 && addr[i] != '0' {
			pin = addr[i:j]
		}
		i = j
	}
	return pin
}

// normID upper-cases an identifier and drops spaces.
func normID(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// panOfGSTIN returns the PAN inside a GSTIN (its characters 3-12), or ""
// when the value is not 15 characters long.
func panOfGSTIN(g string) string {
	g = normID(g)
	if len(g) != 15 {
		return ""
	}
	return g[2:12]
}

// Business-name normalisation: legal forms and their abbreviations are
// spelt one way, and count for little.
var (
	bizCanon = map[string]string{
		"PVT": "PRIVATE", "PRIVATE": "PRIVATE", "LTD": "LIMITED", "LIMITED": "LIMITED",
		"CO": "COMPANY", "COMPANY": "COMPANY", "CORP": "CORPORATION", "BROS": "BROTHERS",
		"SHRI": "SRI", "SHREE": "SRI", "SREE": "SRI", "SRI": "SRI",
	}
	bizLegal = map[string]bool{"PRIVATE": true, "LIMITED": true, "COMPANY": true, "CORPORATION": true, "LLP": true, "INC": true}
	bizDrop  = map[string]bool{"AND": true, "THE": true, "MS": true, "MESSRS": true}
)

// businessTokens normalises a firm's name into its words: case,
// punctuation, "M/S", "&" and the spellings of legal forms go.
func businessTokens(s string) []string {
	up := strings.ToUpper(s)
	up = strings.ReplaceAll(up, "&", " AND ")
	up = strings.ReplaceAll(up, "M/S", " MS ")
	ws := words(up)
	var out []string
	for i, w := range ws {
		if bizDrop[w] {
			continue
		}
		// "(P) LTD" is private limited.
		if w == "P" && i+1 < len(ws) && (ws[i+1] == "LTD" || ws[i+1] == "LIMITED") {
			w = "PRIVATE"
		}
		if c, ok := bizCanon[w]; ok {
			w = c
		}
		out = append(out, w)
	}
	return out
}

func bizWeight(w string) float64 {
	if bizLegal[w] {
		return 0.2
	}
	return 1
}

// BusinessNameScore is how alike two firms' names are, in [0, 1]: a
// weighted overlap of their words after normalisation, indifferent to
// case, punctuation, "M/S", "&"/"AND", "PVT LTD"/"PRIVATE LIMITED" and
// word order; a long word one letter off counts nearly whole.
func BusinessNameScore(a, b string) float64 {
	ta, tb := businessTokens(a), businessTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	if core(ta) != "" && core(ta) == core(tb) {
		// The same words, maybe run together or in another legal form.
		if strings.Join(ta, "") == strings.Join(tb, "") {
			return 1
		}
		return 0.95
	}
	used := make([]bool, len(tb))
	var got, total float64
	for _, w := range ta {
		total += bizWeight(w)
		best, bestJ := 0.0, -1
		for j, x := range tb {
			if used[j] {
				continue
			}
			if s := bizWordSim(w, x); s > best {
				best, bestJ = s, j
			}
		}
		if bestJ >= 0 {
			used[bestJ] = true
			got += 2 * best * bizWeight(w)
		}
	}
	for _, x := range tb {
		total += bizWeight(x)
	}
	return round2(got / total)
}

// core joins a firm's words without its legal form.
func core(ts []string) string {
	var b strings.Builder
	for _, t := range ts {
		if !bizLegal[t] {
			b.WriteString(t)
		}
	}
	return b.String()
}

func bizWordSim(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	if min(len(ra), len(rb)) >= 5 && extract.EditDistance(ra, rb) == 1 {
		return 0.9
	}
	return 0
}
