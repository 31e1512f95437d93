package passport

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/validate"
)

// mrz is what the machine readable zone says, with its check results.
type mrz struct {
	number                string
	numberCheck           validate.Result
	numberRepaired        int
	nationality           string
	dob, expiry           string // YYMMDD
	dobCheck, expiryCheck validate.Result
	sex                   byte
	surname, given        string
	words                 []document.Word
	page                  int
	conf                  float64 // how much of the zone checked out
}

// field returns a value read from the MRZ as a field.
func (z *mrz) field(v string, check *validate.Result, repaired int) document.Field {
	return extract.NewField(v, z.page, extract.Evidence{Words: z.words, Check: check, Repaired: repaired, Label: z.conf})
}

// mrzText joins a line's words and keeps the MRZ's alphabet.
func mrzText(l extract.Line) string {
	var b strings.Builder
	for _, w := range l.Words {
		b.WriteString(w.Text)
	}
	return strings.ToUpper(strings.Map(func(r rune) rune {
		switch {
		case r == '«' || r == '‹':
			return '<'
		case r < 0x80:
			return r
		}
		return -1
	}, b.String()))
}

// readMRZ finds the two MRZ lines: the last lines with at least 30
// characters and a run of fillers, the first starting with P.
func readMRZ(lines []extract.Line) (mrz, bool) {
	var z mrz
	l2 := -1
	for li := len(lines) - 1; li >= 1; li-- {
		t := mrzText(lines[li])
		if len(t) >= 30 && strings.Contains(t, "<<") {
			l2 = li
			break
		}
	}
	if l2 < 0 {
		return z, false
	}
	z.page = lines[l2].Page
	z.words = append(append([]document.Word(nil), lines[l2-1].Words...), lines[l2].Words...)
	ok2 := z.parseLine2(mrzText(lines[l2]))
	z.parseLine1(mrzText(lines[l2-1]))
	passed := 0
	for _, r := range []validate.Result{z.numberCheck, z.dobCheck, z.expiryCheck} {
		if r.Rule != "" && r.Passed() {
			passed++
		}
	}
	z.conf = 0.7 + 0.1*float64(passed)
	return z, ok2 || z.surname != ""
}

// digitsOf repairs s to digits (O->0, I->1, ...) or fails.
func digitsOf(s string) (string, bool) {
	v, _, ok := validate.Repair(s, strings.Repeat("9", len(s)))
	return v, ok
}

// parseLine2 reads "NNNNNNNN<C IND YYMMDD C S YYMMDD C ...". OCR adds and
// drops characters, so the line is anchored on its date block: six
// digits, a check digit, the sex, six digits and a check digit.
func (z *mrz) parseLine2(t string) bool {
	for i := 0; i+16 <= len(t); i++ {
		sex := t[i+7]
		if sex != 'M' && sex != 'F' && sex != '<' {
			continue
		}
		dob, ok1 := digitsOf(t[i : i+7])
		exp, ok2 := digitsOf(t[i+8 : i+15])
		if !ok1 || !ok2 {
			continue
		}
		z.dob, z.expiry, z.sex = dob[:6], exp[:6], sex
		z.dobCheck = validate.MRZ(dob[:6], dob[6])
		z.expiryCheck = validate.MRZ(exp[:6], exp[6])
		if i >= 3 {
			z.nationality = strings.NewReplacer("1", "I", "0", "O").Replace(t[i-3 : i])
		}
		z.number, z.numberCheck, z.numberRepaired = number(t[:max(0, i-3)])
		return true
	}
	return false
}

// number reads the passport number and its check digit from the start of
// line 2: one letter and seven digits, fillers, the check digit. OCR may
// read a filler as a digit, so each split is tried and the one whose check
// digit passes wins.
func number(head string) (string, validate.Result, int) {
	if len(head) < 9 {
		return "", validate.Result{}, 0
	}
	v, n, ok := validate.Repair(head[:8], "A9999999")
	if !ok {
		return "", validate.Result{}, 0
	}
	var first validate.Result
	for k := 8; k < len(head); k++ {
		c := head[k]
		if c < '0' || c > '9' {
			continue
		}
		r := validate.MRZ(v+"<", c)
		if r.Passed() {
			return v, r, n
		}
		if first.Rule == "" {
			first = r
		}
	}
	if first.Rule == "" {
		first = validate.Result{Rule: validate.RuleMRZ, Err: validate.ErrFormat}
	}
	return v, first, n
}

// parseLine1 reads "P<IND" SURNAME "<<" GIVEN<NAMES fillers.
func (z *mrz) parseLine1(t string) {
	i := strings.Index(t, "IND")
	if i < 0 || i > 4 {
		return
	}
	rest := t[i+3:]
	j := strings.Index(rest, "<<")
	if j <= 0 {
		return
	}
	z.surname = strings.ReplaceAll(rest[:j], "<", " ")
	given := rest[j+2:]
	// The given names end at the filler; a filler OCR read as a letter
	// stays, and the printed name settles it.
	end := len(given)
	if k := strings.Index(given, "<<"); k >= 0 {
		end = k
	}
	z.given = strings.TrimSpace(strings.ReplaceAll(given[:end], "<", " "))
}
