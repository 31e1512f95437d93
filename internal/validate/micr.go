package validate

// RuleMICR names the MICR code check, as it appears in a field's
// validation.rule.
const RuleMICR = "micr_structure"

// ShapeMICR is the shape of a MICR code for Repair: nine digits.
const ShapeMICR = "999999999"

// MICR checks a cheque's MICR code: nine digits, the city (first three),
// the bank (next three) and the branch (last three). No city has code 000,
// and no bank or branch is numbered 000 either. Whether the branch exists
// needs RBI's list.
func MICR(s string) Result {
	n := compact(s)
	switch {
	case len(n) != 9:
		return fail(RuleMICR, ErrLength)
	case !allDigits(n):
		return fail(RuleMICR, ErrFormat)
	case n[:3] == "000" || n[3:6] == "000" || n[6:] == "000":
		return fail(RuleMICR, ErrComponent)
	}
	return Result{Rule: RuleMICR}
}
