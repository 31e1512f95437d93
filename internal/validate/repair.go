package validate

import (
	"strings"
	"unicode"
)

// Shapes of identifiers for Repair: '9' is a digit, 'A' a letter, '*' a
// letter or digit, anything else that exact character.
const (
	ShapeAadhaar = "999999999999"
	ShapePAN     = "AAAAA9999A"
	ShapeGSTIN   = "99AAAAA9999A*Z*"
	ShapeIFSC    = "AAAA0******"
	ShapeVoterID = "AAA9999999"
	ShapeDate    = "99/99/9999"
)

// asDigit maps what OCR reads in place of a digit; the first candidate is
// the usual one, the rest are tried when a checksum rejects it.
var asDigit = map[rune]string{
	'O': "0", 'o': "0", 'D': "0", 'Q': "0", 'U': "0", '@': "0", // a slashed or dotted zero
	'I': "1", 'i': "1", 'l': "1", '|': "1", 'L': "1", '!': "1", 'J': "1", ']': "1", '[': "1",
	'S': "5", 's': "5", '$': "5",
	'B': "8", 'Z': "27", 'z': "2",
	'G': "6", 'b': "6", 'T': "7", 'A': "4", 'q': "9", 'g': "9",
}

// asLetter maps digits (and marks) OCR reads in place of a letter.
var asLetter = map[rune]string{
	'0': "OD", '1': "I", '5': "S", '8': "B", '2': "Z", '6': "G", '4': "A", '7': "T", '|': "I", '$': "S",
}

// digitSwaps are digits OCR misreads as other digits: tried, one at a
// time, only when a checksum rejects the plain reading.
var digitSwaps = map[byte]string{
	'0': "869", '1': "74", '2': "7", '3': "85", '4': "1", '5': "63",
	'6': "580", '7': "12", '8': "3609", '9': "80",
}

// Repair maps the characters OCR confuses to what shape expects at each
// position. It returns the repaired value, how many characters it changed
// (case folding of letters is not counted) and ok=false when raw cannot
// fit shape (wrong length, or a character with no known reading).
func Repair(raw, shape string) (string, int, bool) {
	rs := []rune(raw)
	if len(rs) != len(shape) {
		return "", 0, false
	}
	out := make([]byte, len(rs))
	n := 0
	for i, r := range rs {
		c, changed, ok := repairOne(r, shape[i])
		if !ok {
			return "", 0, false
		}
		out[i] = c
		if changed {
			n++
		}
	}
	return string(out), n, true
}

func repairOne(r rune, want byte) (byte, bool, bool) {
	switch want {
	case '9':
		if r >= '0' && r <= '9' {
			return byte(r), false, true
		}
		if d, ok := asDigit[r]; ok {
			return d[0], true, true
		}
	case 'A':
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			return byte(unicode.ToUpper(r)), false, true
		}
		if l, ok := asLetter[r]; ok {
			return l[0], true, true
		}
	case '*':
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return byte(unicode.ToUpper(r)), false, true
		}
	default:
		if r < unicode.MaxASCII && byte(unicode.ToUpper(r)) == want {
			return want, false, true
		}
		if want >= '0' && want <= '9' && strings.ContainsRune(asDigit[r], rune(want)) {
			return want, true, true
		}
		if want >= 'A' && want <= 'Z' && strings.ContainsRune(asLetter[r], rune(want)) {
			return want, true, true
		}
	}
	return 0, false, false
}

// RepairChecked repairs raw to shape like Repair, then, if check rejects
// the result, tries every single-character alternative (a second reading
// of a confused character, or a digit OCR commonly swaps for another) and
// takes it when exactly one passes check. It returns ok=false when raw does
// not fit shape; passed says whether the returned value passes check.
func RepairChecked(raw, shape string, check func(string) bool) (value string, repaired int, passed, ok bool) {
	v, n, ok := Repair(raw, shape)
	if !ok {
		return "", 0, false, false
	}
	if check(v) {
		return v, n, true, true
	}
	rs := []rune(raw)
	b := []byte(v)
	var found string
	hits := 0
	for i, orig := range b {
		var alts string
		if shape[i] == '9' {
			if d, ok := asDigit[rs[i]]; ok {
				alts = d[1:]
			}
			alts += digitSwaps[orig]
		} else if shape[i] == 'A' {
			if l, ok := asLetter[rs[i]]; ok {
				alts = l[1:]
			}
		} else if shape[i] == '*' {
			// Either reading is allowed here: only the checksum can choose.
			alts = asDigit[rs[i]] + asLetter[rs[i]]
		}
		for j := 0; j < len(alts); j++ {
			b[i] = alts[j]
			if s := string(b); check(s) && s != found {
				found = s
				hits++
			}
		}
		b[i] = orig
	}
	if hits == 1 {
		// A changed character the plain repair had already counted is
		// one repair, not two.
		extra := 1
		for i := range b {
			if found[i] != b[i] && b[i] != byte(rs[i]) {
				extra = 0
			}
		}
		return found, n + extra, true, true
	}
	return v, n, false, true
}

// RepairAadhaar repairs a 12-character Aadhaar token (spaces removed),
// preferring the reading that passes the Aadhaar check.
func RepairAadhaar(raw string) (value string, repaired int, passed, ok bool) {
	return RepairChecked(raw, ShapeAadhaar, func(s string) bool { return Aadhaar(s).Passed() })
}

// RepairGSTIN repairs a 15-character GSTIN token, preferring the reading
// that passes the GSTIN check.
func RepairGSTIN(raw string) (value string, repaired int, passed, ok bool) {
	return RepairChecked(raw, ShapeGSTIN, func(s string) bool { return GSTIN(s).Passed() })
}
