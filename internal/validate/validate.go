package validate

import (
	"errors"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// Why a value failed, named as python-stdnum names them so the vector
// files' reference column reads across.
var (
	ErrLength    = errors.New("invalid length")
	ErrFormat    = errors.New("invalid format")
	ErrComponent = errors.New("invalid component")
	ErrChecksum  = errors.New("invalid checksum")
	ErrDate      = errors.New("invalid date")
)

// Rule names, as they appear in a field's validation.rule.
const (
	RuleAadhaar       = "verhoeff"
	RuleMaskedAadhaar = "masked_aadhaar"
	RuleVID           = "vid_verhoeff"
	RulePAN           = "pan_structure"
	RuleGSTIN         = "gstin_checksum"
	RuleIFSC          = "ifsc_structure"
	RuleVoterID       = "epic_luhn"
	RulePassport      = "passport_structure"
	RuleMRZ           = "mrz_check_digit"
	RuleUdyam         = "udyam_structure"
	RuleDate          = "date"
	RuleDOB           = "date_of_birth"
)

// Result is the outcome of one check. Err is nil when the value passed.
type Result struct {
	Rule string
	Err  error
	// Soft marks a failure that real documents are known to have (an old
	// voter id without a Luhn digit): lower the confidence, keep the value.
	Soft bool
}

// Passed reports whether the value passed the rule.
func (r Result) Passed() bool { return r.Err == nil }

// Validation returns the result as a field's validation.
func (r Result) Validation() *document.Validation {
	return &document.Validation{Passed: r.Err == nil, Rule: r.Rule}
}

func fail(rule string, err error) Result { return Result{Rule: rule, Err: err} }

// compact drops the separators people and printers put in identifiers
// (spaces, hyphens) and upper-cases, as python-stdnum's compact does.
func compact(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
	return strings.ToUpper(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') }

func palindrome(s string) bool {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		if s[i] != s[j] {
			return false
		}
	}
	return true
}

// CompactAadhaar returns the 12 digits of an Aadhaar number written with
// spaces or hyphens.
func CompactAadhaar(s string) string { return compact(s) }

// Aadhaar checks an Aadhaar number as python-stdnum does: 12 digits, the
// first 2-9, not a palindrome (which also rules out all-same), Verhoeff.
func Aadhaar(s string) Result {
	return uidCheck(RuleAadhaar, compact(s), 12)
}

// VID checks a 16-digit Aadhaar Virtual ID (same rules as Aadhaar).
func VID(s string) Result { return uidCheck(RuleVID, compact(s), 16) }

func uidCheck(rule, n string, length int) Result {
	switch {
	case len(n) != length:
		return fail(rule, ErrLength)
	case !allDigits(n) || n[0] < '2' || palindrome(n):
		return fail(rule, ErrFormat)
	case !Verhoeff(n):
		return fail(rule, ErrChecksum)
	}
	return Result{Rule: rule}
}

// MaskedAadhaar checks a masked Aadhaar "XXXX XXXX NNNN": eight masking
// characters (X or *) then four digits. No checksum can be verified.
func MaskedAadhaar(s string) Result {
	n := compact(s)
	if len(n) != 12 {
		return fail(RuleMaskedAadhaar, ErrLength)
	}
	for i := 0; i < 8; i++ {
		if n[i] != 'X' && n[i] != '*' {
			return fail(RuleMaskedAadhaar, ErrFormat)
		}
	}
	if !allDigits(n[8:]) {
		return fail(RuleMaskedAadhaar, ErrFormat)
	}
	return Result{Rule: RuleMaskedAadhaar}
}

// panHolderTypes are the PAN 4th-letter holder types python-stdnum accepts
// (K is "Krishi", a trust; E, seen for LLPs in some regexes, is not one).
const panHolderTypes = "ABCFGHJKLPT"

// PAN checks a PAN: 5 letters, 4 digits, 1 letter, the 4th letter a holder
// type and the serial not 0000. The last letter's algorithm is not public.
func PAN(s string) Result {
	n := compact(s)
	switch {
	case len(n) != 10:
		return fail(RulePAN, ErrLength)
	case !allLetters(n[:5]) || !allDigits(n[5:9]) || !allLetters(n[9:]):
		return fail(RulePAN, ErrFormat)
	case !strings.ContainsRune(panHolderTypes, rune(n[3])) || n[5:9] == "0000":
		return fail(RulePAN, ErrComponent)
	}
	return Result{Rule: RulePAN}
}

const alnum36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// GSTINCheckChar returns the mod-36 check character of a GSTIN's first 14
// characters, or 0 if they are not upper-case letters and digits.
func GSTINCheckChar(first14 string) byte {
	sum := 0
	for i := 0; i < len(first14); i++ {
		v := strings.IndexByte(alnum36, first14[i])
		if v < 0 {
			return 0
		}
		p := v * (1 + i%2)
		sum += p/36 + p%36
	}
	return alnum36[(36-sum%36)%36]
}

// GSTIN checks a GSTIN: a state code (01-38, 97 other territory, 99
// centre), the holder's PAN, an entity character, Z, and the mod-36 check
// character. TCS/UIN registrations, whose 14th character is not Z, fail
// (ErrComponent) as in python-stdnum: they are not a borrower's GSTIN.
func GSTIN(s string) Result {
	n := compact(s)
	if len(n) != 15 {
		return fail(RuleGSTIN, ErrLength)
	}
	for i := 0; i < len(n); i++ {
		if !isAlnum(n[i]) {
			return fail(RuleGSTIN, ErrFormat)
		}
	}
	if !allDigits(n[:2]) || !allLetters(n[2:7]) || !allDigits(n[7:11]) || !allLetters(n[11:12]) {
		return fail(RuleGSTIN, ErrFormat)
	}
	st := int(n[0]-'0')*10 + int(n[1]-'0')
	if !(st >= 1 && st <= 38 || st == 97 || st == 99) || n[13] != 'Z' || n[12] == '0' {
		return fail(RuleGSTIN, ErrComponent)
	}
	if r := PAN(n[2:12]); !r.Passed() {
		return fail(RuleGSTIN, ErrComponent)
	}
	if GSTINCheckChar(n[:14]) != n[14] {
		return fail(RuleGSTIN, ErrChecksum)
	}
	return Result{Rule: RuleGSTIN}
}

// IFSC checks an IFSC's structure: 4 letters (the bank), '0', 6 letters or
// digits (the branch). Whether the branch exists needs RBI's list.
func IFSC(s string) Result {
	n := compact(s)
	if len(n) != 11 {
		return fail(RuleIFSC, ErrLength)
	}
	if !allLetters(n[:4]) || n[4] != '0' {
		return fail(RuleIFSC, ErrFormat)
	}
	for i := 5; i < 11; i++ {
		if !isAlnum(n[i]) {
			return fail(RuleIFSC, ErrFormat)
		}
	}
	return Result{Rule: RuleIFSC}
}

// luhn reports whether digits pass the Luhn check.
func luhn(digits string) bool {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// VoterID checks an EPIC number: 3 letters and 7 digits, the last a Luhn
// check digit over the 7 (python-stdnum's rule). A Luhn failure is Soft:
// older state-issued cards do not follow it.
func VoterID(s string) Result {
	n := compact(s)
	switch {
	case len(n) != 10:
		return fail(RuleVoterID, ErrLength)
	case !allLetters(n[:3]) || !allDigits(n[3:]):
		return fail(RuleVoterID, ErrFormat)
	case !luhn(n[3:]):
		return Result{Rule: RuleVoterID, Err: ErrChecksum, Soft: true}
	}
	return Result{Rule: RuleVoterID}
}

// Passport checks an Indian passport number: one letter then 7 digits, the
// first digit not 0. It has no public check digit (the MRZ has one).
func Passport(s string) Result {
	n := compact(s)
	switch {
	case len(n) != 8:
		return fail(RulePassport, ErrLength)
	case !allLetters(n[:1]) || !allDigits(n[1:]) || n[1] == '0':
		return fail(RulePassport, ErrFormat)
	}
	return Result{Rule: RulePassport}
}

// MRZCheckDigit returns the ICAO 9303 check digit of an MRZ field (digits,
// A-Z as 10-35, '<' as 0, weights 7-3-1), or 0 for any other character.
func MRZCheckDigit(field string) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(field); i++ {
		c := field[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		case c == '<':
		default:
			return 0
		}
		sum += v * w[i%3]
	}
	return byte('0' + sum%10)
}

// MRZ checks an MRZ field against its printed check digit.
func MRZ(field string, check byte) Result {
	if d := MRZCheckDigit(field); d == 0 {
		return fail(RuleMRZ, ErrFormat)
	} else if d != check {
		return fail(RuleMRZ, ErrChecksum)
	}
	return Result{Rule: RuleMRZ}
}

// Udyam checks an Udyam registration number: UDYAM-SS-NN-NNNNNNN (state
// letters, district digits, serial). No check digit.
func Udyam(s string) Result {
	n := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(n) != 19 {
		return fail(RuleUdyam, ErrLength)
	}
	if n[:6] != "UDYAM-" || !allLetters(n[6:8]) || n[8] != '-' || !allDigits(n[9:11]) || n[11] != '-' || !allDigits(n[12:]) {
		return fail(RuleUdyam, ErrFormat)
	}
	return Result{Rule: RuleUdyam}
}

// ParseDate reads a DD/MM/YYYY date (also with - or . separators, as cards
// print them) and checks it is a real calendar date. It returns the date in
// the canonical DD/MM/YYYY form.
func ParseDate(s string) (time.Time, string, Result) {
	s = strings.TrimSpace(s)
	if len(s) != 10 || (s[2] != s[5]) || !strings.ContainsRune("/-.", rune(s[2])) {
		return time.Time{}, "", fail(RuleDate, ErrFormat)
	}
	canon := s[:2] + "/" + s[3:5] + "/" + s[6:]
	t, err := time.Parse("02/01/2006", canon)
	if err != nil {
		return time.Time{}, "", fail(RuleDate, ErrDate)
	}
	return t, canon, Result{Rule: RuleDate}
}

// maxAge is the oldest a living document holder is taken to be.
const maxAge = 120

// DOB checks a date of birth: a real date, not after now, and not more
// than 120 years before it. now is passed in so tests do not depend on
// the clock.
func DOB(s string, now time.Time) (string, Result) {
	t, canon, r := ParseDate(s)
	if !r.Passed() {
		return "", fail(RuleDOB, r.Err)
	}
	if t.After(now) || t.Before(now.AddDate(-maxAge, 0, 0)) {
		return canon, fail(RuleDOB, ErrDate)
	}
	return canon, Result{Rule: RuleDOB}
}

// RuleYOB is the rule of a year of birth printed alone ("Year of Birth:
// 1986"), as older Aadhaar cards do.
const RuleYOB = "year_of_birth"

// YearOfBirth checks a four-digit year of birth: not after now's year and
// not more than 120 years before it.
func YearOfBirth(s string, now time.Time) Result {
	s = strings.TrimSpace(s)
	if len(s) != 4 || !allDigits(s) {
		return fail(RuleYOB, ErrFormat)
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	if y > now.Year() || y < now.Year()-maxAge {
		return fail(RuleYOB, ErrDate)
	}
	return Result{Rule: RuleYOB}
}
