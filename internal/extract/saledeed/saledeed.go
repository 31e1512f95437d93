// Package saledeed reads the fields of registered property sale deeds:
// pages of legal prose, read as one stream of words rather than by label
// geometry. The parties are the honorific names of the blocks that end in
// "hereinafter called the VENDOR ... PURCHASER"; the consideration is the
// amount the word "consideration" most often introduces, checked against
// its amount in words; the execution date follows "executed"; the
// property address is the schedule's description up to its PIN code.
//
// Two sellers (or buyers) are returned joined with ", ", in the order the
// deed lists them.
package saledeed

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Validation rules of sale deed fields.
const (
	// RuleAmountInWords: the consideration in figures equals the amount
	// printed in words beside it.
	RuleAmountInWords = "amount_in_words"
	// RuleExecutionDate: a real calendar date, not in the future.
	RuleExecutionDate = "execution_date"
)

var (
	errWordsDisagree = errors.New("amount in words differs from the figures")
	errFuture        = errors.New("date is in the future")
)

// Extractor reads property sale deeds.
type Extractor struct {
	// Now is the clock execution dates are checked against; nil means
	// time.Now.
	Now func() time.Time
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns an extractor.
func New() *Extractor { return &Extractor{} }

// tok is one word of the deed's stream, with its page.
type tok struct {
	document.Word
	page int
	norm string
}

// stream flattens the pages' lines into reading order.
func stream(pages []document.Page) []tok {
	var out []tok
	for _, l := range extract.Lines(pages) {
		for _, w := range l.Words {
			out = append(out, tok{Word: w, page: l.Page, norm: extract.Norm(w.Text)})
		}
	}
	return out
}

// Extract reads the fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	ts := stream(pages)
	fd := document.NewFileData(document.TypeSaleDeed)
	sellerEnd, buyerEnd := roles(ts)
	if sellerEnd >= 0 {
		start := blockStart(ts, sellerEnd)
		if f, ok := partyNames(ts, start, sellerEnd); ok {
			fd.Set("seller_name", f)
		}
		if buyerEnd > sellerEnd {
			if f, ok := partyNames(ts, sellerEnd+1, buyerEnd); ok {
				fd.Set("buyer_name", f)
			}
		}
	}
	if f, ok := propertyAddress(ts); ok {
		fd.Set("property_address", f)
	}
	if f, ok := consideration(ts); ok {
		fd.Set("consideration_amount", f)
	}
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	if f, ok := executionDate(ts, now()); ok {
		fd.Set("execution_date", f)
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypeSaleDeed)
	}
	return fd, nil
}

var (
	sellerWords = []string{"VENDOR", "VENDORS", "SELLER", "SELLERS", "TRANSFEROR", "TRANSFERORS"}
	buyerWords  = []string{"PURCHASER", "PURCHASERS", "VENDEE", "VENDEES", "BUYER", "BUYERS", "TRANSFEREE", "TRANSFEREES"}
)

// isWord reports whether norm is one of words, exactly or (for words of
// six letters or more) within one OCR slip.
func isWord(norm string, words ...string) bool {
	for _, w := range words {
		if norm == w || (len(w) >= 6 && extract.EditDistance([]rune(norm), []rune(w)) <= 1) {
			return true
		}
	}
	return false
}

// roles finds the "hereinafter called the VENDOR" and "... PURCHASER"
// phrases: the indexes of their role words, -1 when absent.
func roles(ts []tok) (seller, buyer int) {
	seller, buyer = -1, -1
	for i := range ts {
		if !isWord(ts[i].norm, "HEREINAFTER") {
			continue
		}
		for j := i + 1; j < len(ts) && j <= i+5; j++ {
			switch {
			case seller < 0 && isWord(ts[j].norm, sellerWords...):
				seller = j
			case seller >= 0 && buyer < 0 && isWord(ts[j].norm, buyerWords...):
				buyer = j
				return seller, buyer
			default:
				continue
			}
			break
		}
	}
	return seller, buyer
}

// blockStart is where the sellers' block begins: after the last "BY"
// heading before end, or after the "executed" phrase, or 60 words back.
func blockStart(ts []tok, end int) int {
	lo := max(0, end-150)
	for i := end - 1; i >= lo; i-- {
		if ts[i].norm == "BY" && strings.HasSuffix(ts[i].Text, ":") {
			return i + 1
		}
	}
	for i := end - 1; i >= lo; i-- {
		if isWord(ts[i].norm, "EXECUTED") {
			return i + 1
		}
	}
	return lo
}

var honorifics = []string{"SHRI", "SRI", "SMT", "SHRIMATI", "KUM", "KUMARI", "KM", "MR", "MRS", "MS", "THIRU", "TMT", "SELVI"}

// relation markers: S/o, W/o, D/o, C/o as printed and as OCR reads the
// slash.
var relations = []string{"SO", "WO", "DO", "CO", "S0", "W0", "D0", "SIO", "WIO", "DIO", "SLO", "WLO", "DLO"}

func isHonorific(t tok) bool {
	for _, h := range honorifics {
		if t.norm == h {
			return true
		}
	}
	return false
}

// partyNames reads the names in ts[from:to]: each intro (ended by ";")
// gives the first honorific name not led by a relation marker.
func partyNames(ts []tok, from, to int) (document.Field, bool) {
	var names []string
	var words []document.Word
	page := 0
	seg := true // looking for the next party's name
	for i := from; i < to; i++ {
		if seg && isHonorific(ts[i]) && (i == from || !isWord(ts[i-1].norm, relations...)) {
			ws := nameAfter(ts, i+1, to)
			if len(ws) > 0 {
				names = append(names, extract.CleanName(ws))
				words = append(words, ws...)
				if page == 0 {
					page = ts[i].page
				}
				seg = false
				i += len(ws)
				continue
			}
		}
		if strings.HasSuffix(ts[i].Text, ";") {
			seg = true
		}
	}
	if len(names) == 0 {
		return document.Field{}, false
	}
	return extract.NewField(strings.Join(names, ", "), page, extract.Evidence{Words: words, Label: 1}), true
}

// nameAfter returns the name words from i: name-like words up to the one
// that ends in a comma, a relation marker or "aged"; at most six.
func nameAfter(ts []tok, i, to int) []document.Word {
	var ws []document.Word
	for ; i < to && len(ws) < 6; i++ {
		t := ts[i]
		if isWord(t.norm, relations...) || t.norm == "AGED" || !extract.NameLike(t.Text) {
			break
		}
		ws = append(ws, t.Word)
		if strings.HasSuffix(t.Text, ",") {
			break
		}
	}
	return ws
}

// figure reads an amount in figures: "Rs.45,00,000/-", "45,00,000.00",
// "Rs." and the dash trimmed, OCR's O and l read as digits. It returns
// paise.
func figure(s string) (int64, bool) {
	t := strings.TrimSpace(s)
	t = strings.TrimLeft(t, "(")
	marked := false // "Rs." or "/-": figures may then be ungrouped
	for _, p := range []string{"Rs.", "Rs", "RS.", "RS", "rs."} {
		if strings.HasPrefix(t, p) {
			t, marked = strings.TrimPrefix(t, p), true
			break
		}
	}
	t = strings.TrimRight(t, ".,;:)")
	if strings.HasSuffix(t, "/-") {
		marked = true
	}
	t = strings.TrimRight(t, "/-")
	digits := 0
	for _, r := range t {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 4 {
		return 0, false
	}
	t = strings.NewReplacer("O", "0", "o", "0", "l", "1", "I", "1").Replace(t)
	whole, frac, hasFrac := strings.Cut(t, ".")
	if hasFrac && (len(frac) != 2) {
		return 0, false
	}
	groups := strings.Split(whole, ",")
	for k, g := range groups {
		n := len(g)
		switch {
		case k == 0 && len(groups) == 1 && marked && n >= 1:
		case k == 0 && (n < 1 || n > 3):
			return 0, false
		case k > 0 && k == len(groups)-1 && n != 3:
			return 0, false
		case k > 0 && k < len(groups)-1 && n != 2 && n != 3:
			return 0, false
		}
	}
	v, ok := atoi(strings.Join(groups, ""))
	if !ok {
		return 0, false
	}
	paise := int64(v) * 100
	if hasFrac {
		f, ok := atoi(frac)
		if !ok {
			return 0, false
		}
		paise += int64(f)
	}
	return paise, true
}

// amountAt is an amount in figures at ts[i] with the words that follow it.
type amountAt struct {
	i     int
	paise int64
	words []document.Word // "(Rupees ... Only)"
	spelt int64           // rupees in words, -1 when none could be read
}

func readAmount(ts []tok, i int) (amountAt, bool) {
	v, ok := figure(ts[i].Text)
	start := i
	if !ok && i+1 < len(ts) && (ts[i].norm == "RS" || ts[i].norm == "RUPEES") {
		start = i + 1
		v, ok = figure(ts[i+1].Text)
	}
	if !ok {
		return amountAt{}, false
	}
	a := amountAt{i: start, paise: v, spelt: -1}
	// "(Rupees Forty Five Lakh Only)" right after the figures.
	k := start + 1
	if k < len(ts) && isWord(ts[k].norm, "RUPEES") {
		var ws []string
		for j := k + 1; j < len(ts) && j <= k+20; j++ {
			a.words = append(a.words, ts[j].Word)
			if isWord(ts[j].norm, "ONLY") {
				if n, ok := ParseIndianWords(ws); ok {
					a.spelt = n
				}
				break
			}
			ws = append(ws, ts[j].Text)
		}
	}
	return a, true
}

// consideration is the amount most often introduced by "consideration";
// stamp duty, market value and part payments are not. Its words decide
// its validation.
func consideration(ts []tok) (document.Field, bool) {
	votes := map[int64][]amountAt{}
	var order []int64
	for i := range ts {
		if !isWord(ts[i].norm, "CONSIDERATION") {
			continue
		}
		for j := i + 1; j < len(ts) && j <= i+10; j++ {
			if a, ok := readAmount(ts, j); ok {
				if _, seen := votes[a.paise]; !seen {
					order = append(order, a.paise)
				}
				votes[a.paise] = append(votes[a.paise], a)
				break
			}
		}
	}
	if len(order) == 0 {
		return document.Field{}, false
	}
	best := order[0]
	for _, v := range order[1:] {
		if len(votes[v]) > len(votes[best]) {
			best = v
		}
	}
	as := votes[best]
	runnerUp := 0
	for v, o := range votes {
		if v != best {
			runnerUp = max(runnerUp, len(o))
		}
	}
	// The figures of the first occurrence, and the words that checked it.
	e := extract.Evidence{Words: []document.Word{ts[as[0].i].Word}}
	var check *validate.Result
	for _, a := range as {
		if a.spelt < 0 {
			continue
		}
		if a.spelt*100 == best {
			check = &validate.Result{Rule: RuleAmountInWords}
			e.Words = append([]document.Word{ts[a.i].Word}, a.words...)
			break
		}
		check = &validate.Result{Rule: RuleAmountInWords, Err: errWordsDisagree}
	}
	e.Check = check
	// Sure when the amount outvotes every other one, and either recurs
	// or agrees with its words; a tie (a part payment also introduced as
	// "consideration") is a guess.
	switch {
	case len(as) <= runnerUp:
		e.Label = 0.3
	case len(as) < 2 && (check == nil || !check.Passed()):
		e.Label = 0.5
	default:
		e.Label = 1
	}
	page := ts[as[0].i].page
	f := extract.NewField(fmt.Sprintf("%d.%02d", best/100, best%100), page, e)
	if check != nil && !check.Passed() {
		// Figures and words disagree: one of them is misread or
		// misprinted, and nothing says which.
		f.Confidence = min(f.Confidence, 0.45)
	}
	return f, true
}

var monthNames = []string{"JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"}

func month(norm string) int {
	for k, m := range monthNames {
		if norm == m || (len(m) >= 5 && extract.EditDistance([]rune(norm), []rune(m)) <= 1) {
			return k + 1
		}
	}
	return 0
}

// executionDate reads the date after "executed": in figures
// ("12/03/2024") or as "12th day of March, 2024", the day and year also
// in words.
func executionDate(ts []tok, now time.Time) (document.Field, bool) {
	for i := range ts {
		if !isWord(ts[i].norm, "EXECUTED") {
			continue
		}
		for j := i + 1; j < len(ts) && j <= i+25; j++ {
			if d, ws, ok := dateAt(ts, j); ok {
				check := validate.Result{Rule: RuleExecutionDate}
				if d.After(now) {
					check.Err = errFuture
				}
				return extract.NewField(d.Format("02/01/2006"), ts[j].page, extract.Evidence{Words: ws, Label: 1, Check: &check}), true
			}
		}
		// Only the deed's opening phrase: later ones are clauses.
		break
	}
	return document.Field{}, false
}

// dateAt reads a date starting at ts[j].
func dateAt(ts []tok, j int) (time.Time, []document.Word, bool) {
	t := strings.Trim(ts[j].Text, ".,;:()")
	if len(t) == 10 {
		if d, _, r := validate.ParseDate(t); r.Passed() {
			return d, []document.Word{ts[j].Word}, true
		}
	}
	if ts[j].norm != "DAY" || j+2 >= len(ts) || ts[j+1].norm != "OF" {
		return time.Time{}, nil, false
	}
	m := month(ts[j+2].norm)
	if m == 0 {
		return time.Time{}, nil, false
	}
	// The day: the words between "this"/"the"/"on" and "day".
	k := j - 1
	for k >= 0 && j-k <= 3 && !isWord(ts[k].norm, "THIS", "THE", "ON") {
		k--
	}
	if k < 0 || j-k > 3 {
		return time.Time{}, nil, false
	}
	var dayWords []string
	for _, x := range ts[k+1 : j] {
		dayWords = append(dayWords, x.Text)
	}
	day, ok := parseOrdinalDay(dayWords)
	if !ok {
		return time.Time{}, nil, false
	}
	// The year: figures, or words up to the first word that is not a
	// number.
	year := 0
	end := j + 3
	if end < len(ts) {
		if y, ok := atoi(strings.Trim(ts[end].Text, ".,;:")); ok {
			year, end = y, end+1
		} else {
			var yw []string
			for end < len(ts) && len(yw) < 6 {
				if _, ok := ParseIndianWords([]string{ts[end].Text}); !ok && ts[end].norm != "AND" {
					break
				}
				yw = append(yw, ts[end].Text)
				end++
			}
			if y, ok := ParseIndianWords(yw); ok {
				year = int(y)
			}
		}
	}
	if year < 1900 || year > 2200 {
		return time.Time{}, nil, false
	}
	d := time.Date(year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if d.Day() != day {
		return time.Time{}, nil, false // 31st of a short month
	}
	var ws []document.Word
	for _, x := range ts[k+1 : end] {
		ws = append(ws, x.Word)
	}
	return d, ws, true
}

// propertyAddress reads the schedule's description: from "bearing" or
// "situated at" after the last "Schedule" heading to the PIN code.
func propertyAddress(ts []tok) (document.Field, bool) {
	for s := len(ts) - 1; s >= 0; s-- {
		if !strings.HasPrefix(ts[s].norm, "SCHEDULE") && !isWord(ts[s].norm, "SCHEDULE") {
			continue
		}
		for i := s + 1; i < len(ts) && i <= s+25; i++ {
			start := -1
			switch {
			case isWord(ts[i].norm, "BEARING"):
				start = i + 1
			case isWord(ts[i].norm, "SITUATED", "LOCATED") && i+1 < len(ts) && ts[i+1].norm == "AT":
				start = i + 2
			}
			if start < 0 {
				continue
			}
			if f, ok := addressFrom(ts, start); ok {
				return f, true
			}
			break
		}
	}
	return document.Field{}, false
}

// addressFrom joins the words from start to the PIN code as "elements,
// State, PIN".
func addressFrom(ts []tok, start int) (document.Field, bool) {
	for end := start; end < len(ts) && end < start+60; end++ {
		pin, ok := extract.PIN(strings.Trim(ts[end].Text, ".,;:()"))
		if !ok || len(extract.Norm(ts[end].Text)) != 6 {
			continue
		}
		body := ts[start:end]
		// "PIN", "PIN Code", "-" before the number.
		for len(body) > 0 {
			n := body[len(body)-1].norm
			if n == "" || n == "PIN" || n == "PINCODE" || n == "CODE" {
				body = body[:len(body)-1]
				continue
			}
			break
		}
		var texts []string
		var ws []document.Word
		for _, t := range body {
			texts = append(texts, t.Text)
			ws = append(ws, t.Word)
		}
		ws = append(ws, ts[end].Word)
		var els []string
		for _, e := range strings.Split(strings.Join(texts, " "), ",") {
			if e = strings.Trim(e, " .;:-–"); e != "" {
				els = append(els, e)
			}
		}
		if len(els) < 2 {
			return document.Field{}, false
		}
		v := strings.Join(append(els, pin), ", ")
		return extract.NewField(v, ts[start].page, extract.Evidence{Words: ws, Label: 1}), true
	}
	return document.Field{}, false
}

// PartyEvidence reports, for the classifier, whether lines hold a sale
// deed's two party blocks: a seller's "hereinafter called the VENDOR"
// followed by a buyer's "... PURCHASER" (1), or the seller's alone (0.5).
func PartyEvidence(lines []extract.Line) float64 {
	var ts []tok
	for _, l := range lines {
		for _, w := range l.Words {
			ts = append(ts, tok{Word: w, page: l.Page, norm: extract.Norm(w.Text)})
		}
	}
	s, b := roles(ts)
	switch {
	case s >= 0 && b > s:
		return 1
	case s >= 0:
		return 0.5
	}
	return 0
}
