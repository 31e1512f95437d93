package extract

import "strings"

// ParseAmount reads a printed amount in paise: Indian ("1,25,000.00") or
// international ("125,000.00") grouping or none, with an optional currency
// sign and a trailing Cr/Dr. It needs the two decimal places statements
// print, which tells an amount from a reference number; OCR's O and l for
// 0 and 1 are read as digits.
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"₹", "Rs.", "Rs", "INR"} {
		s = strings.TrimPrefix(s, p)
	}
	for _, suf := range []string{"Cr", "CR", "Dr", "DR", "cr", "dr"} {
		s = strings.TrimSuffix(s, suf)
	}
	s = strings.Trim(s, " ()|:")
	if len(s) < 4 || len(s) > 20 {
		return 0, false
	}
	var digits []byte
	groups := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'O', 'o':
			c = '0'
		case 'l', 'I', '|':
			c = '1'
		}
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ',' || c == '.':
			groups++
		default:
			return 0, false
		}
	}
	// The decimal point: a separator with exactly two digits after it.
	if sep := s[len(s)-3]; sep != '.' && sep != ',' {
		return 0, false
	}
	if len(digits) < 3 || len(digits) > 15 || (s[0] < '0' || s[0] > '9') && s[0] != 'O' && s[0] != 'l' {
		return 0, false
	}
	var v int64
	for _, d := range digits {
		v = v*10 + int64(d-'0')
	}
	return v, true
}
