package extract

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Address reads the lines from an address label (one of labels) to the
// line that ends with the PIN code, as "elements, State, PIN". Lines
// below the label are read in its column only: what is left of it on a
// card is a photo's scraps.
func Address(lines []Line, labels []string) (document.Field, bool) {
	for _, m := range FindLabels(lines, labels, 0.8) {
		var ws []document.Word
		var parts []string
		if after := addressWords(After(lines, m)); len(after) > 0 {
			parts = append(parts, Text(after))
			ws = append(ws, after...)
		}
		// The address is in the label's column: what is left of it is
		// a photo's scraps.
		left := m.Box.Min.X - m.Box.Dy()
		for k := m.Line + 1; k < len(lines) && k <= m.Line+6; k++ {
			var col []document.Word
			for _, w := range lines[k].Words {
				if w.Box.Min.X >= left {
					col = append(col, w)
				}
			}
			col = addressWords(col)
			if len(col) == 0 {
				continue
			}
			parts = append(parts, Text(col))
			ws = append(ws, col...)
			if EndsWithPIN(col) {
				if v, ok := joinAddress(parts); ok {
					return NewField(v, lines[m.Line].Page, Evidence{Words: ws, Label: m.Sim}), true
				}
				break
			}
		}
	}
	return document.Field{}, false
}

// addressWords drops what OCR makes of specks and borders around an
// address: short words read with low confidence, and lone punctuation
// other than the dash before the PIN code.
func addressWords(ws []document.Word) []document.Word {
	var out []document.Word
	for _, w := range ws {
		n := len([]rune(Norm(w.Text)))
		if (n == 0 && !isDash(w.Text)) || (n <= 2 && w.Conf < 0.5) {
			continue
		}
		out = append(out, w)
	}
	// Trailing scraps right of the PIN code.
	for len(out) > 1 && !EndsWithPIN(out) && len(Norm(out[len(out)-1].Text)) <= 2 {
		out = out[:len(out)-1]
	}
	return out
}

func isDash(s string) bool { return s == "-" || s == "—" || s == "–" }

// EndsWithPIN reports whether the last of ws reads as a PIN code.
func EndsWithPIN(ws []document.Word) bool {
	if len(ws) == 0 {
		return false
	}
	_, ok := PIN(ws[len(ws)-1].Text)
	return ok
}

// PIN repairs s to a six-digit PIN code; PIN codes never start with 0,
// so a leading 0 is a misread, not a PIN.
func PIN(s string) (string, bool) {
	v, _, ok := validate.Repair(strings.Trim(s, ".,:;|'\""), "999999")
	return v, ok && v[0] != '0'
}

// joinAddress splits the address text at its commas into elements, the
// closing "State - PIN" into state and PIN, and joins them with ", ".
func joinAddress(parts []string) (string, bool) {
	text := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
	var els []string
	for _, e := range strings.Split(text, ",") {
		if e = strings.Trim(e, " .;:"); e != "" {
			els = append(els, e)
		}
	}
	if len(els) < 2 {
		return "", false
	}
	fs := strings.Fields(els[len(els)-1])
	p, ok := PIN(fs[len(fs)-1])
	if !ok {
		return "", false
	}
	state := strings.TrimSpace(strings.TrimRight(strings.Join(fs[:len(fs)-1], " "), "-–—~ "))
	els = els[:len(els)-1]
	if state != "" {
		els = append(els, state)
	}
	return strings.Join(append(els, p), ", "), true
}
