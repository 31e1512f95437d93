package extract

import (
	"errors"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

// ErrNothingRead is why an extractor found none of its fields.
var ErrNothingRead = errors.New("no fields could be read")

// Unreadable wraps ErrNothingRead in the document error the pipeline
// reports for a document whose type was told but whose fields were not.
func Unreadable(t document.Type) error {
	return &document.Error{Code: document.CodeUnreadable, Message: "no " + string(t) + " fields could be read; send a sharper or larger image", Err: ErrNothingRead}
}

// Date is a date read from a page.
type Date struct {
	Value    string // DD/MM/YYYY
	Words    []document.Word
	Repaired int
	Line     int
}

// FindDates returns the dates of a line: tokens of the DD/MM/YYYY shape
// (also with - or . separators), repaired where OCR confused a digit. A
// token glued to its label ("DOB:16/07/1986") is read too.
func FindDates(lines []Line, li int) []Date {
	var out []Date
	for _, w := range lines[li].Words {
		t := strings.Trim(w.Text, ".,:;|'\"‘’`")
		if i := strings.LastIndexByte(t, ':'); i >= 0 {
			t = t[i+1:]
		}
		rs, missing, ok := dateShape(t)
		if !ok {
			continue
		}
		rs[2], rs[5] = '/', '/'
		v, n, ok := validate.Repair(string(rs), validate.ShapeDate)
		if !ok || n+missing > 3 {
			continue
		}
		out = append(out, Date{Value: v, Words: []document.Word{w}, Repaired: n + missing, Line: li})
	}
	return out
}

// dateShape brings a date token to DD/MM/YYYY's ten characters: a day or
// month printed or read with one digit gets its 0 back ("30/4/1957"), and
// separators OCR dropped ("1206/1993", "12061993") are put back. missing
// counts the characters added, which count as repairs.
func dateShape(t string) ([]rune, int, bool) {
	rs := []rune(t)
	var parts [][]rune
	cur := []rune{}
	for _, r := range rs {
		if isSep(r) {
			parts = append(parts, cur)
			cur = []rune{}
			continue
		}
		cur = append(cur, r)
	}
	parts = append(parts, cur)
	switch {
	case len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) >= 1 && len(parts[0]) <= 2 && len(parts[1]) >= 1 && len(parts[1]) <= 2:
		missing := 0
		for i := range 2 {
			if len(parts[i]) == 1 {
				parts[i] = append([]rune{'0'}, parts[i]...)
				missing++
			}
		}
		return []rune(string(parts[0]) + "/" + string(parts[1]) + "/" + string(parts[2])), missing, true
	case len(parts) <= 2:
		d := []rune(strings.Join(func() []string {
			out := make([]string, len(parts))
			for i, p := range parts {
				out[i] = string(p)
			}
			return out
		}(), ""))
		if len(d) != 8 {
			return nil, 0, false
		}
		return []rune(string(d[:2]) + "/" + string(d[2:4]) + "/" + string(d[4:])), 3 - len(parts), true
	}
	return nil, 0, false
}

func isSep(r rune) bool { return r == '/' || r == '-' || r == '.' }
