// Package validate checks Indian identifiers (Aadhaar, PAN, GSTIN, IFSC,
// voter id, passport MRZ) and dates, and repairs the characters OCR
// commonly confuses where an identifier's structure says letter or digit.
package validate

var verhoeffD = [10][10]byte{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
	{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
	{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
	{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
	{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
	{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
	{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
	{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
	{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
	{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
}

var verhoeffP = [8][10]byte{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
	{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
	{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
	{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
	{9, 4, 5, 3, 1, 2, 7, 8, 6, 0},
	{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
	{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
	{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
}

var verhoeffInv = [10]byte{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}

func verhoeffChecksum(digits string, offset int) (byte, bool) {
	var c byte
	n := len(digits)
	for i := n - 1; i >= 0; i-- {
		ch := digits[i]
		if ch < '0' || ch > '9' {
			return 0, false
		}
		c = verhoeffD[c][verhoeffP[(n-1-i+offset)%8][ch-'0']]
	}
	return c, true
}

// Verhoeff reports whether digits (check digit last) pass the Verhoeff check.
func Verhoeff(digits string) bool {
	if digits == "" {
		return false
	}
	c, ok := verhoeffChecksum(digits, 0)
	return ok && c == 0
}

// VerhoeffDigit returns the check digit ('0'-'9') to append to digits.
// It returns 0 if digits holds anything but ASCII digits.
func VerhoeffDigit(digits string) byte {
	c, ok := verhoeffChecksum(digits, 1)
	if !ok {
		return 0
	}
	return '0' + verhoeffInv[c]
}
