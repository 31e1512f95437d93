package udyam

import (
	"slices"
	"strconv"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/validate"
)

// stateInfo is a state's Udyam code and the first digit of its PIN codes.
type stateInfo struct {
	name, code string
	zone       byte
}

// states are the states and union territories, with their Udyam codes
// (Karnataka is KR, Telangana TS, Odisha OD) and postal zones.
var states = []stateInfo{
	{"Andaman and Nicobar Islands", "AN", '7'}, {"Andhra Pradesh", "AP", '5'}, {"Arunachal Pradesh", "AR", '7'},
	{"Assam", "AS", '7'}, {"Bihar", "BR", '8'}, {"Chandigarh", "CH", '1'}, {"Chhattisgarh", "CG", '4'},
	{"Delhi", "DL", '1'}, {"Goa", "GA", '4'}, {"Gujarat", "GJ", '3'}, {"Haryana", "HR", '1'},
	{"Himachal Pradesh", "HP", '1'}, {"Jammu and Kashmir", "JK", '1'}, {"Jharkhand", "JH", '8'},
	{"Karnataka", "KR", '5'}, {"Kerala", "KL", '6'}, {"Ladakh", "LA", '1'}, {"Lakshadweep", "LD", '6'},
	{"Madhya Pradesh", "MP", '4'}, {"Maharashtra", "MH", '4'}, {"Manipur", "MN", '7'}, {"Meghalaya", "ML", '7'},
	{"Mizoram", "MZ", '7'}, {"Nagaland", "NL", '7'}, {"Odisha", "OD", '7'}, {"Puducherry", "PY", '6'},
	{"Punjab", "PB", '1'}, {"Rajasthan", "RJ", '3'}, {"Sikkim", "SK", '7'}, {"Tamil Nadu", "TN", '6'},
	{"Telangana", "TS", '5'}, {"Tripura", "TR", '7'}, {"Uttar Pradesh", "UP", '2'}, {"Uttarakhand", "UK", '2'},
	{"West Bengal", "WB", '7'}, {"Dadra and Nagar Haveli and Daman and Diu", "DD", '3'},
}

// stateByName returns the state the text reads as, at least 0.8 alike.
func stateByName(s string) (stateInfo, float64, bool) {
	best, sim := stateInfo{}, 0.0
	for _, st := range states {
		if v := extract.Similarity(s, st.name); v > sim {
			best, sim = st, v
		}
	}
	return best, sim, sim >= 0.8
}

func stateByCode(code string) (stateInfo, bool) {
	for _, st := range states {
		if st.code == code {
			return st, true
		}
	}
	return stateInfo{}, false
}

// number finds the Udyam number by its shape: a word starting with
// "UDYAM" (one letter may be misread) and the words after it, up to the
// eleven letters and digits of state, district and serial. OCR drops or
// doubles dashes and reads J as "]J", so the dashes are put back by
// position. The state code must be a real one; when the address's state
// is known, a code of another state lowers the confidence.
func number(lines []extract.Line, addrState *stateInfo) (document.Field, bool) {
	for _, l := range lines {
		for i := range l.Words {
			// "UD YAM": OCR may split the prefix.
			concat, k := "", i
			var ws []document.Word
			for ; k < len(l.Words) && len(concat) < 5 && k <= i+1; k++ {
				concat += numberAlnum(l.Words[k].Text)
				ws = append(ws, l.Words[k])
			}
			if len(concat) < 5 || extract.EditDistance([]rune(concat[:5]), []rune("UDYAM")) > 1 || concat[0] != 'U' {
				continue
			}
			prefixFix := 0
			if concat[:5] != "UDYAM" {
				prefixFix = 1
			}
			rest := concat[5:]
			for ; k < len(l.Words) && len(strings.Trim(rest, ")]")) < 11 && k <= i+4; k++ {
				rest += numberAlnum(l.Words[k].Text)
				ws = append(ws, l.Words[k])
			}
			// A J read as ")" or "]J": dropped if that leaves eleven
			// characters, else read as J.
			if r := strings.NewReplacer(")", "", "]", "").Replace(rest); len(r) == 11 {
				rest = r
			} else {
				rest = strings.NewReplacer(")", "J", "]", "J").Replace(rest)
			}
			if len(rest) != 11 {
				continue
			}
			fixed, n, ok := validate.Repair(rest, "AA999999999")
			if !ok {
				continue
			}
			v := "UDYAM-" + fixed[:2] + "-" + fixed[2:4] + "-" + fixed[4:]
			check := validate.Udyam(v)
			label := 1.0
			if check.Passed() {
				st, known := stateByCode(fixed[:2])
				switch {
				case !known:
					check = validate.Result{Rule: validate.RuleUdyam, Err: ErrStateCode}
				case addrState != nil && addrState.code != st.code:
					label = 0.4
				}
			}
			return extract.NewField(v, l.Page, extract.Evidence{Words: ws, Check: &check, Repaired: n + prefixFix, Label: label}), true
		}
	}
	return document.Field{}, false
}

// numberAlnum is onlyAlnum keeping the ")" and "]" OCR reads for a J,
// and reading "@" (a slashed zero) as 0.
func numberAlnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == ')' || r == ']':
			b.WriteRune(r)
		case r == '@':
			b.WriteRune('0')
		}
	}
	return b.String()
}

// onlyAlnum upper-cases s and keeps its ASCII letters and digits.
func onlyAlnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var kinds = []string{"MICRO", "SMALL", "MEDIUM"}

// kindWord reads a word as an enterprise type: MICRO, SMALL or MEDIUM,
// at most one letter misread.
func kindWord(s string) (string, int, bool) {
	n := extract.Norm(s)
	for _, k := range kinds {
		if d := extract.EditDistance([]rune(n), []rune(k)); d <= 1 {
			return k, d, true
		}
	}
	return "", 0, false
}

// classYear reads a classification year "2023-24" as its first year.
func classYear(s string) (int, bool) {
	s = strings.Trim(s, ".,:;|'\"")
	s = strings.NewReplacer("—", "-", "–", "-").Replace(s)
	a, b, ok := strings.Cut(s, "-")
	if !ok || len(a) != 4 || len(b) != 2 {
		return 0, false
	}
	y, err1 := strconv.Atoi(a)
	z, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || (y+1)%100 != z || y < 2019 || y > 2100 {
		return 0, false
	}
	return y, true
}

// kind reads the type of enterprise: the rows of the classification table
// (a "2023-24" year and MICRO, SMALL or MEDIUM level with it), the latest
// year's type, whatever the rows' order. The year's two halves must be
// consecutive, a check on the row being read right.
func kind(lines []extract.Line, rows map[int]extract.Match) (document.Field, bool) {
	type cls struct {
		year  int
		kind  string
		words []document.Word
		fix   int
		page  int
	}
	var found []cls
	lo, hi := -1<<30, 1<<30
	if m, ok := rows[keyKind]; ok {
		lo = m.Box.Min.Y - m.Box.Dy()
	}
	for _, k := range []int{keyActivity, keySocial, keyOwner, keyUnits, keyAddress} {
		if m, ok := rows[k]; ok && m.Box.Min.Y > lo {
			hi = min(hi, m.Box.Min.Y)
		}
	}
	for _, l := range lines {
		for _, w := range l.Words {
			y, ok := classYear(w.Text)
			if !ok || w.Box.Min.Y < lo || w.Box.Min.Y > hi {
				continue
			}
			for _, v := range band(lines, l.Page, w.Box, 0.5, nil) {
				if k, d, ok := kindWord(v.Text); ok {
					found = append(found, cls{y, k, []document.Word{w, v}, d, l.Page})
					break
				}
			}
		}
	}
	if len(found) == 0 {
		return document.Field{}, false
	}
	best := slices.MaxFunc(found, func(a, b cls) int { return a.year - b.year })
	label := 0.8
	if _, ok := rows[keyKind]; ok {
		label = 1
	}
	return extract.NewField(best.kind, best.page, extract.Evidence{Words: best.words, Repaired: best.fix, Label: label}), true
}

// The address sub-table's labels, in the order the address is joined.
const (
	subFlat = iota
	subPremises
	subTown
	subBlock
	subRoad
	subCity
	subDistrict
	subState
	subPin
	subMobile
	subEmail
	numSubs
)

var subLabels = [numSubs][]string{
	subFlat:     {"Flat/Door/Block No.", "Flat/Door/Block No"},
	subPremises: {"Name of Premises/ Building", "Name of Premises"},
	subTown:     {"Village/Town"},
	subBlock:    {"Block"},
	subRoad:     {"Road/Street/Lane"},
	subCity:     {"City"},
	subDistrict: {"District"},
	subState:    {"State"},
	subPin:      {"Pin"},
	subMobile:   {"Mobile"},
	subEmail:    {"Email", "E-mail"},
}

// subMatch is a sub-table label found on a line.
type subMatch struct {
	key int
	m   extract.Match
}

// subMatches finds the address labels of a line: windows of words, the
// longest labels first, no word in two labels. Labels of five letters or
// fewer must read exactly: "STATE" is one letter from "ESTATE".
func subMatches(lines []extract.Line, li int) []subMatch {
	l := lines[li]
	used := make([]bool, len(l.Words))
	order := make([]int, numSubs)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(subLabels[b][0]) - len(subLabels[a][0]) })
	var out []subMatch
	for _, k := range order {
		best := extract.Match{Sim: -1}
		for _, v := range subLabels[k] {
			nv := extract.Norm(v)
			kw := len(strings.Fields(v))
			for s := range l.Words {
				joined := ""
				for e := s + 1; e <= len(l.Words) && e <= s+kw+1; e++ {
					if used[e-1] {
						break
					}
					joined += l.Words[e-1].Text
					sim := extract.Similarity(joined, v)
					if len(nv) <= 5 && extract.Norm(joined) != nv {
						sim = 0
						if e == s+1 && shortLabel(l.Words, s, nv) {
							sim = 0.8
						}
					}
					if sim > best.Sim {
						best = extract.Match{Line: li, Start: s, End: e, Sim: sim}
					}
				}
			}
		}
		// Long labels are read fuzzily ("RoadiSteettane").
		if minSim := 0.8 - 0.1*float64(min(len(extract.Norm(subLabels[k][0])), 14)-5)/9; best.Sim < minSim {
			continue
		}
		for i := best.Start; i < best.End; i++ {
			used[i] = true
			best.Box = best.Box.Union(l.Words[i].Box)
		}
		out = append(out, subMatch{k, best})
	}
	return out
}

// address reads the official address sub-table between the address row
// and the next row label: each cell's value is the band right of its
// label up to the next label level with it. It returns the address, the
// state it names (nil if none it knows) and whether a PIN was read.
func address(lines []extract.Line, rows map[int]extract.Match) (document.Field, *stateInfo, bool) {
	lo, hi, page := -1<<30, 1<<30, 0
	if m, ok := rows[keyAddress]; ok {
		lo, page = m.Box.Max.Y-2, lines[m.Line].Page
	}
	for _, k := range []int{keyIncorporation, keyCommencement, keyNIC, keyRegistration} {
		if m, ok := rows[k]; ok && m.Box.Min.Y > lo {
			hi = min(hi, m.Box.Min.Y)
		}
	}
	var all []subMatch
	for li, l := range lines {
		if (page != 0 && l.Page != page) || l.Box.Max.Y < lo || l.Box.Min.Y > hi {
			continue
		}
		all = append(all, subMatches(lines, li)...)
	}
	if len(all) == 0 {
		return document.Field{}, nil, false
	}
	all = append(all, missedPartners(lines, all)...)
	labelSet := map[document.Word]bool{}
	for _, s := range all {
		for w := range labelWords(lines, s.m) {
			labelSet[w] = true
		}
	}
	vals := map[int][]document.Word{}
	sims := map[int]float64{}
	for _, s := range all {
		ref := refBox(lines, s.m)
		// On the label's own line the cell ends at the next label of the
		// line; else it is the band level with the label, up to the next
		// label level with it.
		end := 1 << 30
		var ws []document.Word
		for _, o := range all {
			if o.m.Line == s.m.Line && o.m.Start >= s.m.End {
				end = min(end, o.m.Box.Min.X)
			}
		}
		for _, w := range lines[s.m.Line].Words[s.m.End:] {
			if !labelSet[w] && w.Box.Min.X < end {
				ws = append(ws, w)
			}
		}
		if len(value(ws)) == 0 {
			ws = band(lines, lines[s.m.Line].Page, ref, 0.9, labelSet)
			for _, o := range all {
				mid := (o.m.Box.Min.Y + o.m.Box.Max.Y) / 2
				if o.m.Box.Min.X > s.m.Box.Max.X && mid > ref.Min.Y-ref.Dy() && mid < ref.Max.Y+ref.Dy() {
					end = min(end, o.m.Box.Min.X)
				}
			}
		}
		var cell []document.Word
		for _, w := range ws {
			if w.Box.Min.X < end {
				cell = append(cell, w)
			}
		}
		if cell = cellWords(cell); len(cell) > 0 && s.m.Sim > sims[s.key] {
			vals[s.key], sims[s.key] = cell, s.m.Sim
		}
	}
	pinWords := vals[subPin]
	pinLabel := 1.0
	if len(pinWords) == 0 {
		// The small "Pin" label is the one OCR loses most ("Spa"): take
		// the section's one six-digit token, in the left value column.
		pinWords, pinLabel = lonePIN(lines, all, lo, hi, page), 0.5
	}
	if len(pinWords) == 0 {
		return document.Field{}, nil, false
	}
	pin, ok := extract.PIN(onlyDigitsLike(pinWords))
	if !ok {
		return document.Field{}, nil, false
	}
	var els []string
	var ev []document.Word
	fix, label, n := 0, 0.0, 0
	var state *stateInfo
	for k := subFlat; k <= subState; k++ {
		ws := vals[k]
		v := cleanText(ws)
		if len(extract.Norm(v)) == 0 || v == "-" || strings.EqualFold(v, "NA") {
			continue
		}
		if k == subFlat {
			v = flatNumber(v)
		}
		if k == subState {
			if st, sim, ok := stateByName(v); ok {
				state = &st
				canon := st.name
				if strings.ToUpper(v) == v {
					canon = strings.ToUpper(canon)
				}
				if canon != v && sim < 1 {
					fix++
				}
				v = canon
			}
		}
		els = append(els, v)
		ev = append(ev, ws...)
		label += sims[k]
		n++
	}
	els = append(els, pin)
	ev = append(ev, pinWords...)
	label += pinLabel
	n++
	if len(els) < 3 { // a PIN and one element is no address
		return document.Field{}, nil, false
	}
	if state == nil {
		label -= 0.3 * float64(n) // no state, or one OCR mangled
	}
	f := extract.NewField(strings.Join(els, ", "), lines[all[0].m.Line].Page, extract.Evidence{
		Words: ev, Repaired: fix, Label: label / float64(n),
	})
	if state != nil {
		// The PIN's zone says nothing of the other elements' spelling: a
		// pass is reported, not rewarded; a failure caps the confidence.
		r := validate.Result{Rule: RulePINState}
		if pin[0] != state.zone {
			r.Err = ErrPINZone
			f.Confidence = min(f.Confidence, 0.5)
		}
		f.Validation = r.Validation()
	}
	return f, state, true
}

// onlyDigitsLike joins the PIN cell's words without spaces: OCR splits
// "411 001".
func onlyDigitsLike(ws []document.Word) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(strings.Trim(w.Text, ".,:;|'\""))
	}
	return b.String()
}

// cellLabels are the short sub-table labels OCR misreads ("Beck", "iy")
// and leaves at the end of the value before them.
var cellLabels = []string{"BLOCK", "CITY", "STATE", "DISTRICT"}

// cellWords trims a cell's value: specks at both ends, then trailing
// scraps (two letters or fewer, not upper case, read with little
// confidence) and a trailing misread of the next label.
func cellWords(ws []document.Word) []document.Word {
	ws = value(ws)
	for len(ws) > 1 {
		last := ws[len(ws)-1]
		n := extract.Norm(last.Text)
		scrap := len(n) <= 2 && (strings.ToUpper(last.Text) != last.Text || last.Conf < 0.6) && !isDigits(n)
		// A misread label sits in the next cell, past a wide gap;
		// "Industrial Estate" is one value.
		prev := ws[len(ws)-2]
		gap := last.Box.Min.X-prev.Box.Max.X > 2*max(min(last.Box.Dy(), prev.Box.Dy()), 1)
		labelish := false
		for _, l := range cellLabels {
			if !gap {
				break
			}
			d := extract.EditDistance([]rune(n), []rune(l))
			if len(n) >= 2 && (d <= 1 || (d <= 2 && len(n) <= 5 && strings.ToUpper(last.Text) != last.Text)) {
				labelish = true
			}
		}
		if !scrap && !labelish {
			break
		}
		ws = value(ws[:len(ws)-1])
	}
	if len(ws) == 1 {
		// No cell holds one character; a lone scrap is an empty cell.
		n := extract.Norm(ws[0].Text)
		if len(n) <= 1 || (len(n) <= 2 && strings.ToUpper(ws[0].Text) != ws[0].Text && !isDigits(n)) {
			return nil
		}
	}
	for len(ws) > 1 {
		n := extract.Norm(ws[0].Text)
		if len(n) > 2 || (strings.ToUpper(ws[0].Text) == ws[0].Text && ws[0].Conf >= 0.6) || isDigits(n) {
			break
		}
		ws = value(ws[1:])
	}
	return ws
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// flatNumber puts back the spaces OCR drops or turns into hyphens in
// "Shop No 12" ("SHOPNO12", "House-No 223"): the words of such a number
// are fixed, so the spacing is known.
func flatNumber(v string) string {
	for _, kw := range []string{"SHOP", "PLOT", "GALA", "HOUSE", "UNIT", "DOOR", "FLAT"} {
		up := strings.ToUpper(v)
		if !strings.HasPrefix(up, kw) {
			continue
		}
		rest := strings.TrimLeft(v[len(kw):], " -.")
		if !strings.HasPrefix(strings.ToUpper(rest), "NO") {
			return v
		}
		num := strings.TrimLeft(rest[2:], " -.:")
		if !isDigits(num) {
			return v
		}
		return v[:len(kw)] + " " + rest[:2] + " " + num
	}
	return v
}

// shortLabel reports whether word s of ws is a misread short label
// ("Bock", "iy" for City): within two edits of it, not upper case (the
// labels are printed in title case; values in upper-case layouts are
// not), and at the start of a cell: first on its line or past a gap wider
// than twice its height.
func shortLabel(ws []document.Word, s int, label string) bool {
	w := ws[s]
	n := extract.Norm(w.Text)
	if len(n) < 2 || strings.ToUpper(w.Text) == w.Text || extract.EditDistance([]rune(n), []rune(label)) > min(2, len(label)/2) {
		return false
	}
	return s == 0 || w.Box.Min.X-ws[s-1].Box.Max.X > 2*max(w.Box.Dy(), 1)
}

// partners are the labels printed right of each left-column label of the
// address sub-table.
var partners = map[int]int{subFlat: subPremises, subTown: subBlock, subRoad: subCity, subState: subDistrict}

// missedPartners finds the right-column labels OCR garbled ("Gy" for
// City): on the line of a left-column label whose partner was not found,
// the word that starts in the right label column, past a wide gap. The
// column's x is the median of the right labels that were found.
func missedPartners(lines []extract.Line, all []subMatch) []subMatch {
	found := map[[2]int]bool{} // line, key
	var xs []int
	for _, s := range all {
		found[[2]int{s.m.Line, s.key}] = true
		if _, ok := partners[s.key]; !ok && s.key != subPin && s.key != subMobile && s.key != subEmail {
			xs = append(xs, s.m.Box.Min.X)
		}
	}
	if len(xs) < 2 {
		return nil
	}
	slices.Sort(xs)
	colX := xs[len(xs)/2]
	var out []subMatch
	for _, s := range all {
		p, ok := partners[s.key]
		if !ok || found[[2]int{s.m.Line, p}] {
			continue
		}
		ws := lines[s.m.Line].Words
		for i := s.m.End; i < len(ws); i++ {
			w := ws[i]
			h := max(w.Box.Dy(), 1)
			if d := w.Box.Min.X - colX; d < -2*h || d > 2*h || len(extract.Norm(w.Text)) == 0 {
				continue
			}
			if i > 0 && w.Box.Min.X-ws[i-1].Box.Max.X <= 2*h {
				break
			}
			out = append(out, subMatch{p, extract.Match{Line: s.m.Line, Start: i, End: i + 1, Sim: 0.7, Box: w.Box}})
			break
		}
	}
	return out
}

// lonePIN returns the only word of the address section (between lo and
// hi on page) that is a PIN code as printed, six digits and no repair,
// left of the right label column; nil when there is none or several.
func lonePIN(lines []extract.Line, all []subMatch, lo, hi, page int) []document.Word {
	right := 1 << 30
	for _, s := range all {
		if _, ok := partners[s.key]; !ok && s.key != subPin && s.key != subMobile && s.key != subEmail {
			right = min(right, s.m.Box.Min.X)
		}
	}
	var found []document.Word
	for _, l := range lines {
		if (page != 0 && l.Page != page) || l.Box.Max.Y < lo || l.Box.Min.Y > hi {
			continue
		}
		for _, w := range l.Words {
			t := strings.Trim(w.Text, ".,:;|'\"")
			if len(t) == 6 && isDigits(t) && t[0] != '0' && w.Box.Max.X < right {
				found = append(found, w)
			}
		}
	}
	if len(found) != 1 {
		return nil
	}
	return found
}
