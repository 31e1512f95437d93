package docgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/validate"
)

// gstConstitutions are the constitutions of business a certificate names,
// with the holder-type letter (the 4th of the PAN embedded in the GSTIN)
// the PAN rules give each: P a person, F a firm (LLPs too), C a company,
// H a Hindu undivided family.
var gstConstitutions = []struct {
	name   string
	holder byte
	suffix string // appended to a firm's legal name
}{
	{"Proprietorship", 'P', ""},
	{"Proprietorship", 'P', ""},
	{"Partnership", 'F', ""},
	{"Limited Liability Partnership", 'F', " LLP"},
	{"Private Limited Company", 'C', " PRIVATE LIMITED"},
	{"Public Limited Company", 'C', " LIMITED"},
	{"Hindu Undivided Family", 'H', " HUF"},
}

var (
	gstFirmWords  = []string{"TRADERS", "ENTERPRISES", "INDUSTRIES", "AGENCIES", "ELECTRONICS", "MOTORS", "DISTRIBUTORS", "TEXTILES", "FOODS", "HARDWARE", "CONSTRUCTIONS", "PHARMA"}
	gstFloors     = []string{"Ground Floor", "First Floor", "Second Floor", "Third Floor", "Basement"}
	gstPremises   = []string{"Sai Complex", "Krishna Plaza", "Laxmi Market", "Shiv Shopping Centre", "Metro Mall", "Ganesh Chambers", "Industrial Estate", "Trade Centre"}
	gstDesignates = []string{"Superintendent", "Assistant Commissioner", "Deputy Commissioner", "State Tax Officer", "Goods and Services Tax Officer"}
	gstPartner    = []string{"Partner", "Managing Partner", "Designated Partner"}
	gstDirector   = []string{"Director", "Managing Director", "Whole Time Director"}
)

// gstLayout is one certificate design: older certificates say "Trade
// Name, if any" and "Date of Liability", newer ones "Trade Name" and
// "Date of Liability (Effective Date)"; the table is ruled between rows
// (and in the grid design between columns too) or not at all, and the
// annexures share a page or take one each.
type gstLayout struct {
	name                string
	trade, liability    string
	ruled, oneAnnexPage bool
	grid                bool    // ruled between the columns too
	size                float64 // body font size
}

var gstLayouts = []gstLayout{
	{name: "gstcert-old-ruled", trade: "Trade Name, if any", liability: "Date of Liability", ruled: true, size: 9},
	{name: "gstcert-old-plain", trade: "Trade Name, if any", liability: "Date of Liability", size: 9.5, oneAnnexPage: true},
	{name: "gstcert-new-grid", trade: "Trade Name", liability: "Date of Liability (Effective Date)", ruled: true, grid: true, size: 9.5, oneAnnexPage: true},
	{name: "gstcert-new-plain", trade: "Trade Name", liability: "Date of Liability (Effective Date)", size: 9},
}

// Geometry of the certificate's table, in points.
const (
	gstLeft     = 45.0
	gstRight    = 550.0
	gstNumX     = 52.0
	gstLabelX   = 75.0
	gstValueX   = 300.0
	gstValueMax = 46 // characters a value line holds
)

// gstAddress draws a principal place of business in reg: building no,
// floor, premises, road, locality, city, district; then state and PIN.
func gstAddress(r *rand.Rand, reg *region) (elems []string, ct city, pin string) {
	ct = pick(r, reg.cities)
	pin = ct.pin + fmt.Sprintf("%03d", 1+r.IntN(98))
	elems = []string{fmt.Sprintf("%s No %d", pick(r, []string{"Shop", "Plot", "Office", "Gala", "Door"}), 1+r.IntN(250))}
	if r.IntN(2) == 0 {
		elems = append(elems, pick(r, gstFloors))
	}
	if r.IntN(3) > 0 {
		elems = append(elems, pick(r, gstPremises))
	}
	elems = append(elems, pick(r, streets))
	if r.IntN(2) == 0 {
		elems = append(elems, pick(r, localities))
	}
	elems = append(elems, ct.name, ct.district)
	return elems, ct, pin
}

// gstPAN is a PAN of holder type holder whose 5th letter is first (the
// surname's or the name's initial, as the PAN rules say).
func gstPAN(r *rand.Rand, holder, first byte) string {
	b := make([]byte, 0, 10)
	for range 3 {
		b = append(b, byte('A'+r.IntN(26)))
	}
	b = append(b, holder, first)
	b = fmt.Appendf(b, "%04d", 1+r.IntN(9999))
	return string(append(b, byte('A'+r.IntN(26))))
}

// gstDate is a date in [from, from+days).
func gstDate(r *rand.Rand, from time.Time, days int) time.Time {
	return from.AddDate(0, 0, r.IntN(days))
}

// drawGSTCert draws a GST registration certificate (Form GST REG-06) as
// the GST portal issues it: the certificate, Annexure A (additional
// places of business) and Annexure B (proprietor, partners or directors),
// on two or three A4 pages.
func drawGSTCert(r *rand.Rand) ([]drawing, map[string]string, string) {
	lay := gstLayouts[r.IntN(len(gstLayouts))]
	cons := pick(r, gstConstitutions)
	owner := newPerson(r)
	reg := owner.region
	surname := strings.ToUpper(owner.words[len(owner.words)-1])
	ownerName := upperJoin(owner.words)

	firm := surname + " " + pick(r, gstFirmWords)
	if r.IntN(3) == 0 {
		firm = strings.ToUpper(pick(r, firmPrefixes)) + " " + firm
	}
	var legal, trade string
	var pan string
	switch cons.holder {
	case 'P':
		// A proprietor registers under his own name and PAN.
		legal, trade = ownerName, firm
		pan = gstPAN(r, 'P', surname[0])
	case 'H':
		legal = ownerName + cons.suffix
		trade = firm
		pan = gstPAN(r, 'H', surname[0])
	default:
		legal = firm + cons.suffix
		trade = legal
		if r.IntN(2) == 0 {
			trade = firm
		}
		pan = gstPAN(r, cons.holder, legal[0])
	}
	first14 := gstStateCodes[reg.state] + pan + string(byte('1'+r.IntN(3))) + "Z"
	gstin := first14 + string(validate.GSTINCheckChar(first14))

	elems, ct, pin := gstAddress(r, reg)
	address := strings.Join(elems, ", ") + ", " + reg.state + ", " + pin

	liability := gstDate(r, time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), 8*365)
	issue := liability.AddDate(0, 0, r.IntN(45))
	kind := "Regular"
	switch r.IntN(10) {
	case 0, 1:
		kind = "Composition"
	case 2:
		kind = "Casual Taxable Person"
	}
	validTo := "Not Applicable"
	if kind == "Casual Taxable Person" {
		validTo = liability.AddDate(0, 0, 89).Format("02/01/2006")
	}
	officer := newPerson(r)
	date := func(t time.Time) string { return t.Format("02/01/2006") }

	sz := lay.size
	lineH := sz + 3.5
	out := []drawing{{}}
	d := &out[0]
	y := 50.0
	center := func(d *drawing, y, size float64, bold bool, s string) {
		d.text((pageWidthPt-helveticaWidth(s, size, bold))/2, y, size, bold, s)
	}
	center(d, y, 12, true, "Government of India")
	y += 20
	center(d, y, 11, true, "Form GST REG-06")
	y += 14
	center(d, y, 9, false, "[See Rule 10(1)]")
	y += 24
	center(d, y, 14, true, "Registration Certificate")
	y += 28
	d.text(gstLeft, y, 10.5, true, "Registration Number: "+gstin)
	y += 22

	// The numbered table: number, label, value (wrapped); sub-rows
	// (validity, authority) are indented labels under their row.
	// Ruled cells get more room: Tesseract drops a line of text pressed
	// between two rules.
	pad := 4.0
	if lay.ruled {
		pad = 10
	}
	ruleAt := func(y float64) float64 { return y - sz - pad/2 - 1 }
	top := ruleAt(y)
	var hlines []float64
	row := func(num, label string, values []string) {
		hlines = append(hlines, ruleAt(y))
		if num != "" {
			d.text(gstNumX, y, sz, false, num)
		}
		d.text(gstLabelX, y, sz, false, label)
		for i, v := range values {
			if i > 0 {
				y += lineH
			}
			d.text(gstValueX, y, sz, false, v)
		}
		y += lineH + pad
	}
	sub := func(label, value string) {
		d.text(gstLabelX+12, y, sz, false, label)
		d.text(gstValueX, y, sz, false, value)
		y += lineH + 2
	}
	row("1.", "Legal Name", []string{legal})
	row("2.", lay.trade, []string{trade})
	row("3.", "Constitution of Business", []string{cons.name})
	row("4.", "Address of Principal Place of Business", gstWrap(address, gstValueMax))
	row("5.", lay.liability, []string{date(liability)})
	row("6.", "Period of Validity", nil)
	y -= pad
	sub("From", date(liability))
	sub("To", validTo)
	y += pad - 2
	row("7.", "Type of Registration", []string{kind})
	row("8.", "Particulars of Approving Authority", nil)
	y -= pad
	sub("Signature", "Digitally signed by DS Goods and Services Tax Network")
	sub("Name", upperJoin(officer.words))
	sub("Designation", pick(r, gstDesignates))
	sub("Jurisdictional Office", fmt.Sprintf("Ward %d, Range %d, %s", 1+r.IntN(40), 1+r.IntN(12), ct.name))
	y += pad - 2
	row("9.", "Date of issue of Certificate", []string{date(issue)})
	bottom := ruleAt(y)
	if lay.ruled {
		for _, hy := range append(hlines, bottom) {
			d.line(gstLeft, hy, gstRight, hy, 0.6)
		}
		cols := []float64{gstLeft, gstRight}
		if lay.grid {
			cols = append(cols, gstLabelX-4, gstValueX-6)
		}
		for _, x := range cols {
			d.line(x, top, x, bottom, 0.6)
		}
	}
	y += 16
	for _, l := range gstWrap("Note: This is a system generated digitally signed Registration Certificate issued based on the approval of application granted on the common portal.", 100) {
		d.text(gstLeft, y, 7.5, false, l)
		y += 10
	}

	// The annexures repeat the GSTIN and names; A lists additional
	// places of business (other addresses the extractor must not take),
	// B the people behind the business.
	header := func(d *drawing, y float64, title string) float64 {
		center(d, y, 12, true, title)
		y += 24
		for _, kv := range [][2]string{{"GSTIN", gstin}, {"Legal Name", legal}, {lay.trade, trade}} {
			d.text(gstLeft, y, sz, false, kv[0])
			d.text(gstValueX-100, y, sz, false, kv[1])
			y += lineH + 3
		}
		return y + 10
	}
	out = append(out, drawing{})
	d = &out[len(out)-1]
	y = header(d, 60, "Annexure A")
	extra := r.IntN(3)
	d.text(gstLeft, y, sz, true, "Details of Additional Places of Business")
	y += lineH + 4
	d.text(gstLeft, y, sz, false, fmt.Sprintf("Total Number of Additional Places of Business in the State: %d", extra))
	y += lineH + 6
	for i := range extra {
		es, _, p := gstAddress(r, reg)
		lines := gstWrap(strings.Join(es, ", ")+", "+reg.state+", "+p, 70)
		d.text(gstLeft, y, sz, false, fmt.Sprintf("%d.", i+1))
		for _, l := range lines {
			d.text(gstLeft+20, y, sz, false, l)
			y += lineH
		}
		y += 6
	}
	if lay.oneAnnexPage {
		y += 30
	} else {
		out = append(out, drawing{})
		d = &out[len(out)-1]
		y = 60
	}
	y = header(d, y, "Annexure B")
	title, role, people := "Details of Proprietor", "Proprietor", []*person{owner}
	switch cons.holder {
	case 'F':
		title, people = "Details of Managing / Authorized Partners", []*person{owner, newPerson(r)}
	case 'C':
		title, people = "Details of Directors", []*person{owner, newPerson(r)}
	case 'H':
		title, role = "Details of Karta", "Karta"
	}
	d.text(gstLeft, y, sz, true, title)
	y += lineH + 6
	for i, p := range people {
		switch cons.holder {
		case 'F':
			role = pick(r, gstPartner)
		case 'C':
			role = pick(r, gstDirector)
		}
		d.text(gstLeft, y, sz, false, fmt.Sprintf("%d", i+1))
		for _, kv := range [][2]string{{"Name", upperJoin(p.words)}, {"Designation/Status", role}, {"Resident of State", p.region.state}} {
			d.text(gstLeft+20, y, sz, false, kv[0])
			d.text(gstValueX-100, y, sz, false, kv[1])
			y += lineH + 2
		}
		y += 8
	}
	for pg := range out {
		out[pg].rightText(gstRight, 815, 7, false, fmt.Sprintf("Page %d of %d", pg+1, len(out)))
	}

	truth := map[string]string{
		"gst_number":               gstin,
		"legal_name":               legal,
		"trade_name":               trade,
		"constitution_of_business": cons.name,
		"address":                  address,
		"date_of_liability":        date(liability),
		"date_of_issue":            date(issue),
		"type_of_registration":     kind,
	}
	return out, truth, lay.name
}

// gstWrap breaks s into lines of at most n characters at spaces; a word
// longer than n stands on its own line.
func gstWrap(s string, n int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) <= n:
			cur += " " + w
		default:
			out = append(out, cur)
			cur = w
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
