// Package cheque reads CTS-2010 cheque leaves, usually cancelled ones sent
// for NACH mandates: the bank, IFSC, account number and holder printed on
// the leaf, and the cheque number and MICR code of the code line at its
// foot. The leaf checks itself in three places, and each check decides how
// far a field is trusted: the MICR code's structure, the IFSC's bank code
// against the printed bank name, and the code line's cheque number against
// one printed at the top.
package cheque

import (
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Rule names of the cheque's own consistency checks, as they appear in a
// field's validation.rule.
const (
	// RuleBankIFSC: the printed bank name is the bank of the IFSC's
	// first four letters.
	RuleBankIFSC = "bank_ifsc_match"
	// RuleChequeNumber: the cheque number of the MICR code line is the
	// one printed on the leaf.
	RuleChequeNumber = "cheque_number_match"
)

// Extractor reads cheques. It holds no state: one may be shared.
type Extractor struct{}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a cheque extractor.
func New() *Extractor { return &Extractor{} }

// Bank is an issuer: the name the API returns, the IFSC prefix and the
// bank part (digits 4-6) of its MICR codes.
type Bank struct {
	Name, IFSC, MICR string
	// Printed are other ways the leaf prints the name.
	Printed []string
}

// Banks are the issuers whose names are returned in canonical form.
var Banks = []Bank{
	{Name: "State Bank of India", IFSC: "SBIN", MICR: "002", Printed: []string{"SBI"}},
	{Name: "HDFC Bank", IFSC: "HDFC", MICR: "240"},
	{Name: "ICICI Bank", IFSC: "ICIC", MICR: "229"},
	{Name: "Axis Bank", IFSC: "UTIB", MICR: "211"},
	{Name: "Punjab National Bank", IFSC: "PUNB", MICR: "024", Printed: []string{"PNB"}},
	{Name: "Bank of Baroda", IFSC: "BARB", MICR: "012"},
	{Name: "Canara Bank", IFSC: "CNRB", MICR: "015"},
	{Name: "Kotak Mahindra Bank", IFSC: "KKBK", MICR: "485"},
	{Name: "Union Bank of India", IFSC: "UBIN", MICR: "026"},
	{Name: "Bank of India", IFSC: "BKID", MICR: "013"},
	{Name: "Indian Bank", IFSC: "IDIB", MICR: "019"},
	{Name: "IDBI Bank", IFSC: "IBKL", MICR: "259"},
	{Name: "Yes Bank", IFSC: "YESB", MICR: "532"},
	{Name: "IndusInd Bank", IFSC: "INDB", MICR: "234"},
}

// Labels as cheques print them; matched fuzzily.
var (
	labelIFSC    = []string{"IFSC", "IFSC Code", "RTGS/NEFT IFSC", "IFS Code"}
	labelAccount = []string{"A/c No", "A/C No.", "Account No", "Account Number", "SB A/c No", "CA A/c No"}
	labelSign    = []string{"Please sign above", "Authorised Signatory", "Authorised Signatories", "Proprietor", "Partner"}
	labelChequeN = []string{"Cheque No", "Chq No"}
)

const minLabel = 0.75

// Extract reads the cheque's fields.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	fd := document.NewFileData(document.TypeCheque)
	lines := extract.Lines(pages)
	if len(lines) == 0 {
		return nil, extract.Unreadable(document.TypeCheque)
	}

	band, hasBand := codeLine(lines)
	if hasBand {
		res := validate.MICR(band.micr)
		fd.Set("micr", extract.NewField(band.micr, band.page, extract.Evidence{Words: []document.Word{band.micrWord}, Check: &res, Repaired: band.micrRepaired, Label: 1}))
		if band.chequeWord != nil {
			ev := extract.Evidence{Words: []document.Word{*band.chequeWord}, Repaired: band.chequeRepaired, Label: 1}
			if printed, ok := printedChequeNumber(lines); ok {
				res := validate.Result{Rule: RuleChequeNumber}
				if printed != band.cheque {
					res.Err = validate.ErrComponent
				}
				ev.Check = &res
			}
			fd.Set("cheque_number", extract.NewField(band.cheque, band.page, ev))
		}
	}

	code, hasIFSC := ifsc(lines)
	if hasIFSC {
		fd.Set("ifsc", code.field)
	}
	if f, ok := bankName(lines, code, hasIFSC, band, hasBand); ok {
		fd.Set("bank_name", f)
	}
	if f, ok := accountNumber(lines, band, hasBand); ok {
		fd.Set("account_number", f)
	}
	if f, ok := holder(lines); ok {
		fd.Set("account_holder_name", f)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeCheque)
	}
	return fd, nil
}

// band is what was read of the MICR code line.
type band struct {
	micr, cheque, baseID         string
	micrWord                     document.Word
	chequeWord                   *document.Word
	micrRepaired, chequeRepaired int
	page                         int
}

// digitsOf reads a code-line token as digits: the marks OCR hangs on it
// trimmed, the letters it reads for digits mapped. ok is false when
// anything else is left. repaired counts the mapped characters.
func digitsOf(t string) (string, int, bool) {
	t = strings.Trim(t, ".,:;|'\"‘’`“”!-_=#*")
	if t == "" {
		return "", 0, false
	}
	shape := strings.Repeat("9", len([]rune(t)))
	v, n, ok := validate.Repair(t, shape)
	if !ok || n*3 > len(v) {
		return "", 0, false
	}
	return v, n, true
}

// pieces splits a code-line token at the marks OCR makes of the transit
// and on-us symbols when it glues them to the digits ("8.442707",
// "¥-683417") and reads each piece as digits.
func pieces(t string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(t, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '|')
	}) {
		if v, _, ok := digitsOf(p); ok {
			out = append(out, v)
		}
	}
	return out
}

// codeLine finds the MICR code line: the lowest nine-digit token that
// passes the MICR check. The cheque number is the nearest six-digit piece
// left of it, and the base account id the nearest right of it, among the
// words level with it on any line: OCR often puts a garbled symbol and
// the digits glued to it on a line of their own. The transit and on-us
// symbols, read as stray marks or single characters, are skipped.
func codeLine(lines []extract.Line) (band, bool) {
	var best band
	found := false
	bestY := -1
	for _, l := range lines {
		for _, w := range l.Words {
			v, n, ok := digitsOf(w.Text)
			if !ok || len(v) != 9 || !validate.MICR(v).Passed() {
				continue
			}
			if w.Box.Min.Y < bestY {
				continue
			}
			b := band{micr: v, micrWord: w, micrRepaired: n, page: l.Page}
			h := max(w.Box.Dy(), 1)
			leftD, rightD := -1, -1
			for _, o := range lines {
				if o.Page != l.Page {
					continue
				}
				for _, x := range o.Words {
					cy := x.Box.Min.Y + x.Box.Dy()/2
					if cy < w.Box.Min.Y-h/2 || cy > w.Box.Max.Y+h/2 || x.Box.Dx() > 3*w.Box.Dx() {
						continue
					}
					ps := pieces(x.Text)
					switch {
					case x.Box.Max.X <= w.Box.Min.X && len(ps) > 0 && len(ps[len(ps)-1]) == 6:
						if d := w.Box.Min.X - x.Box.Max.X; d < 6*h && (leftD < 0 || d < leftD) {
							xw := x
							_, cn, _ := digitsOf(x.Text)
							b.cheque, b.chequeWord, b.chequeRepaired, leftD = ps[len(ps)-1], &xw, cn, d
						}
					case x.Box.Min.X >= w.Box.Max.X && len(ps) > 0 && len(ps[0]) == 6:
						if d := x.Box.Min.X - w.Box.Max.X; d < 6*h && (rightD < 0 || d < rightD) {
							b.baseID, rightD = ps[0], d
						}
					}
				}
			}
			best, found, bestY = b, true, w.Box.Min.Y
		}
	}
	return best, found
}

// printedChequeNumber is a cheque number printed on the leaf itself, after
// "Cheque No.".
func printedChequeNumber(lines []extract.Line) (string, bool) {
	for _, m := range extract.FindLabels(lines, labelChequeN, 0.8) {
		for _, w := range extract.Run(extract.After(lines, m), 2.5) {
			if v, _, ok := digitsOf(w.Text); ok && len(v) == 6 {
				return v, true
			}
		}
	}
	return "", false
}

// ifscCode is the IFSC as read, with its field.
type ifscCode struct {
	value string
	field document.Field
	word  document.Word
}

// ifsc reads the code after its label, else any token of the IFSC shape.
// The bank part must be a bank code the extractor knows or be read
// without repair: a branch code repaired into a wrong bank is worse than
// none.
func ifsc(lines []extract.Line) (ifscCode, bool) {
	try := func(ws []document.Word, label float64, page int) (ifscCode, bool) {
		for i := range ws {
			// A word alone, or with the next one: OCR splits the code
			// where the bank part meets the zero ("ICIC 0933585").
			for k := i + 1; k <= i+2 && k <= len(ws); k++ {
				raw := ""
				for _, w := range ws[i:k] {
					raw += w.Text
				}
				t := strings.Trim(raw, ".,:;|'\"()‘’`“”")
				if j := strings.LastIndexByte(t, ':'); j >= 0 {
					t = t[j+1:]
				}
				t = strings.TrimLeft(t, ".,;'‘’`\"“")
				// A zero of Go's fonts reads as '@' or "Q@", which Repair
				// does not know.
				at := strings.Count(t, "@")
				t = strings.NewReplacer("Q@", "0", "O@", "0", "@", "0").Replace(t)
				v, n, ok := validate.Repair(strings.ToUpper(t), validate.ShapeIFSC)
				n += at
				if !ok || n > 2 {
					continue
				}
				res := validate.IFSC(v)
				ev := extract.Evidence{Words: ws[i:k], Check: &res, Repaired: n + k - i - 1, Label: label}
				if _, known := bankByIFSC(v); !known {
					// An unknown bank code is a misread as often as a
					// bank this list lacks: keep the value, doubt it.
					ev.Label = min(ev.Label, 0.5)
					ev.Repaired++
				}
				return ifscCode{value: v, word: ws[i], field: extract.NewField(v, page, ev)}, true
			}
		}
		return ifscCode{}, false
	}
	for _, m := range extract.FindLabels(lines, labelIFSC, 0.8) {
		if c, ok := try(extract.After(lines, m), m.Sim, lines[m.Line].Page); ok {
			return c, true
		}
	}
	for _, l := range lines {
		if c, ok := try(l.Words, 0.6, l.Page); ok {
			return c, true
		}
	}
	return ifscCode{}, false
}

func bankByIFSC(code string) (Bank, bool) {
	for _, b := range Banks {
		if len(code) >= 4 && code[:4] == b.IFSC {
			return b, true
		}
	}
	return Bank{}, false
}

// bankName finds the printed bank name (the best fuzzy match of a known
// bank's name) and checks it against the IFSC's bank code, and against
// the MICR code's bank part. The value is the canonical name.
func bankName(lines []extract.Line, code ifscCode, hasIFSC bool, b band, hasBand bool) (document.Field, bool) {
	var printed *Bank
	var m extract.Match
	// Over the top third of the leaf, where the bank prints its name:
	// "Bank of India" is inside "Union Bank of India", so the longest
	// name matching well wins.
	bestLen := 0
	for i := range Banks {
		bk := &Banks[i]
		variants := append([]string{bk.Name}, bk.Printed...)
		mm, ok := extract.FindLabel(lines, variants, 0.8)
		if !ok {
			continue
		}
		if n := len(extract.Norm(extract.Text(lines[mm.Line].Words[mm.Start:mm.End]))); printed == nil || mm.Sim > m.Sim+0.05 || (mm.Sim >= m.Sim-0.05 && n > bestLen) {
			printed, m, bestLen = bk, mm, n
		}
	}
	var fromCode *Bank
	if hasIFSC {
		if bk, ok := bankByIFSC(code.value); ok {
			fromCode = &bk
		}
	}
	if fromCode == nil && hasBand {
		for i := range Banks {
			if Banks[i].MICR == b.micr[3:6] {
				fromCode = &Banks[i]
			}
		}
	}
	switch {
	case printed != nil:
		ev := extract.Evidence{Words: lines[m.Line].Words[m.Start:m.End], Label: m.Sim}
		if fromCode != nil {
			res := validate.Result{Rule: RuleBankIFSC}
			if fromCode.Name != printed.Name {
				res.Err = validate.ErrComponent
			}
			ev.Check = &res
		}
		return extract.NewField(printed.Name, lines[m.Line].Page, ev), true
	case fromCode != nil && hasIFSC:
		// The name itself was not read: the code says which bank.
		return extract.NewField(fromCode.Name, code.field.Page, extract.Evidence{Words: []document.Word{code.word}, Label: 0.6}), true
	}
	return document.Field{}, false
}

// accountNumber reads the number right of its label, or under it when
// the leaf prints it in a box under the label: a token of 9-18 digits.
// The MICR line's base account id, when it is the number's tail, vouches
// for it.
func accountNumber(lines []extract.Line, b band, hasBand bool) (document.Field, bool) {
	pickIn := func(ws []document.Word, label float64, page int) (document.Field, bool) {
		for _, w := range ws {
			v, n, ok := digitsOf(w.Text)
			if !ok || len(v) < 9 || len(v) > 18 {
				continue
			}
			ev := extract.Evidence{Words: []document.Word{w}, Repaired: n, Label: label}
			if hasBand && b.baseID != "" && strings.HasSuffix(v, b.baseID) {
				res := validate.Result{Rule: "micr_account_match"}
				ev.Check = &res
			}
			return extract.NewField(v, page, ev), true
		}
		return document.Field{}, false
	}
	for _, m := range extract.FindLabels(lines, labelAccount, minLabel) {
		page := lines[m.Line].Page
		if f, ok := pickIn(extract.Run(extract.After(lines, m), 2.5), m.Sim, page); ok {
			return f, true
		}
		if _, ws := extract.Below(lines, m); len(ws) > 0 {
			if f, ok := pickIn(extract.Run(ws, 2.5), m.Sim*0.95, page); ok {
				return f, true
			}
		}
	}
	// No label read ("SBAIENo."): a number ending in the code line's
	// base account id is the account number by its structure alone.
	if hasBand && b.baseID != "" {
		for _, l := range lines {
			for _, w := range l.Words {
				if v, _, ok := digitsOf(w.Text); ok && len(v) >= 9 && len(v) <= 18 && strings.HasSuffix(v, b.baseID) && w.Box.Max.Y < b.micrWord.Box.Min.Y {
					return pickIn([]document.Word{w}, 0.7, l.Page)
				}
			}
		}
	}
	return document.Field{}, false
}

// holder reads the name printed over the signature space: the nearest
// line of name-like capitals above "Please sign above" (or a firm's
// "Authorised Signatory"), right-aligned with it as leaves print it; a
// firm's "For" is dropped. The "CANCELLED" across the leaf is neither.
func holder(lines []extract.Line) (document.Field, bool) {
	for _, m := range extract.FindLabels(lines, labelSign, minLabel) {
		lab := lines[m.Line]
		h := max(m.Box.Dy(), 1)
		left := m.Box.Min.X - 25*h
		rightEdge := m.Box.Max.X
		bestD := -1
		var best, bestAll []document.Word
		var bestPage int
		for i, l := range lines {
			if i == m.Line || l.Page != lab.Page || l.Box.Max.Y > m.Box.Min.Y {
				continue
			}
			d := m.Box.Min.Y - l.Box.Max.Y
			if d > 9*h {
				continue
			}
			var ws []document.Word
			for _, w := range splitGlued(l.Words) {
				if w.Box.Min.X >= left {
					ws = append(ws, w)
				}
			}
			if len(ws) > 0 && extract.Similarity(ws[0].Text, "For") >= 1 {
				ws = ws[1:]
			}
			names := extract.NameWords(ws, true)
			if len(extract.Norm(extract.Text(names))) < 4 {
				continue
			}
			end := names[len(names)-1].Box.Max.X
			for _, w := range ws {
				if extract.Norm(w.Text) != "" {
					end = max(end, w.Box.Max.X)
				}
			}
			if abs(end-rightEdge) > 6*h {
				continue
			}
			if bestD < 0 || d < bestD {
				bestD, best, bestPage = d, names, l.Page
				// Words with letters that the trimming dropped are
				// kept as evidence: a weakly read last name ("DAS")
				// is dropped, and the rest must not look sure.
				bestAll = nil
				for _, w := range ws {
					if w.Box.Min.X >= names[0].Box.Min.X-3*h && extract.Norm(w.Text) != "" {
						bestAll = append(bestAll, w)
					}
				}
			}
		}
		if best != nil {
			return extract.NewField(extract.CleanName(best), bestPage, extract.Evidence{Words: bestAll, Label: m.Sim}), true
		}
	}
	return document.Field{}, false
}

// splitGlued splits words OCR glued at a mark ("SHILPA:RAO") into two
// words sharing the box, so that each is judged as a name word.
func splitGlued(ws []document.Word) []document.Word {
	var out []document.Word
	for _, w := range ws {
		t := strings.Trim(w.Text, ":;,")
		i := strings.IndexAny(t, ":;")
		if i <= 0 || i >= len(t)-1 {
			out = append(out, w)
			continue
		}
		a, b := w, w
		a.Text, b.Text = t[:i], t[i+1:]
		out = append(out, a, b)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// CodeLineEvidence reports, for the classifier, whether lines hold a MICR
// code line: a nine-digit token passing the MICR check level with a
// six-digit cheque number or base account id. Nine random digits pass the
// check too; the pair is what tells.
func CodeLineEvidence(lines []extract.Line) float64 {
	if b, ok := codeLine(lines); ok && (b.cheque != "" || b.baseID != "") {
		return 1
	}
	return 0
}
