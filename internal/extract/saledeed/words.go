package saledeed

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/extract"
)

// numberWords are the words of amounts and years in Indian English, with
// their values; multipliers are handled apart.
var numberWords = map[string]int64{
	"ZERO": 0, "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7, "EIGHT": 8, "NINE": 9,
	"TEN": 10, "ELEVEN": 11, "TWELVE": 12, "THIRTEEN": 13, "FOURTEEN": 14, "FIFTEEN": 15, "SIXTEEN": 16,
	"SEVENTEEN": 17, "EIGHTEEN": 18, "NINETEEN": 19, "TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FOURTY": 40,
	"FIFTY": 50, "SIXTY": 60, "SEVENTY": 70, "EIGHTY": 80, "NINETY": 90,
}

var multipliers = map[string]int64{
	"HUNDRED": 100, "THOUSAND": 1000, "LAKH": 100000, "LAKHS": 100000, "LAC": 100000, "LACS": 100000,
	"CRORE": 10000000, "CRORES": 10000000,
}

// ordinals are the days of the month spelt as ordinals; "Twenty First"
// is TWENTY then FIRST.
var ordinals = map[string]int{
	"FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6, "SEVENTH": 7, "EIGHTH": 8,
	"NINTH": 9, "TENTH": 10, "ELEVENTH": 11, "TWELFTH": 12, "THIRTEENTH": 13, "FOURTEENTH": 14,
	"FIFTEENTH": 15, "SIXTEENTH": 16, "SEVENTEENTH": 17, "EIGHTEENTH": 18, "NINETEENTH": 19,
	"TWENTIETH": 20, "THIRTIETH": 30,
}

// lookup finds w among keys: exactly, or for words of five letters or
// more with one OCR slip.
func lookup[V any](m map[string]V, w string) (V, bool) {
	if v, ok := m[w]; ok {
		return v, true
	}
	var zero V
	if len(w) < 5 {
		return zero, false
	}
	for k, v := range m {
		if len(k) >= 5 && extract.EditDistance([]rune(k), []rune(w)) <= 1 {
			return v, true
		}
	}
	return zero, false
}

// wordTokens splits words into upper-case tokens, at hyphens too
// ("Twenty-Five"), dropping punctuation.
func wordTokens(ws []string) []string {
	var out []string
	for _, w := range ws {
		for _, p := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' }) {
			if n := extract.Norm(p); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// ParseIndianWords reads an amount written in Indian English words
// ("Forty Five Lakh Thirty Thousand Five Hundred"): crore, lakh, thousand
// and hundred multiply what precedes them; "and", "Rupees" and "Only" are
// ignored. It reports false for an unknown word or no number at all.
func ParseIndianWords(ws []string) (int64, bool) {
	var total, cur int64
	seen := false
	for _, t := range wordTokens(ws) {
		switch t {
		case "AND", "RUPEES", "RUPEE", "ONLY", "RS":
			continue
		}
		if v, ok := lookup(numberWords, t); ok {
			cur += v
			seen = true
			continue
		}
		m, ok := lookup(multipliers, t)
		if !ok {
			return 0, false
		}
		if m == 100 {
			cur = max(cur, 1) * 100
			continue
		}
		// A larger unit after a smaller one ("Two Lakh ... Crore") scales
		// what came before, as in "One Hundred Twenty Crore".
		if total > 0 && total < m {
			total = (total + max(cur, 1)) * m
		} else {
			total += max(cur, 1) * m
		}
		cur = 0
		seen = true
	}
	return total + cur, seen
}

// parseOrdinalDay reads a day of the month: "12th", "1st", "Twelfth",
// "Twenty First".
func parseOrdinalDay(ws []string) (int, bool) {
	if len(ws) == 1 {
		t := strings.ToLower(strings.Trim(ws[0], ".,"))
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			t = strings.TrimSuffix(t, suf)
		}
		if n, ok := atoi(t); ok && n >= 1 && n <= 31 {
			return n, true
		}
	}
	day := 0
	for _, t := range wordTokens(ws) {
		if t == "THE" || t == "THIS" {
			continue
		}
		if v, ok := lookup(ordinals, t); ok {
			day += v
			continue
		}
		if v, ok := lookup(numberWords, t); ok && (v == 20 || v == 30) {
			day += int(v)
			continue
		}
		return 0, false
	}
	return day, day >= 1 && day <= 31
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
