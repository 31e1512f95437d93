package docgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// deedLayout is one regional style of sale deed: what the parties are
// called, the revenue unit of the schedule and how dates and names are
// printed.
type deedLayout struct {
	name          string
	state         string // the property's state; "" for any
	seller, buyer string // party words, upper case
	taluka        string // "Taluka", "Tehsil", "Taluk"
	title         string
	upperNames    bool
	honorifics    [3]string // male, married woman, unmarried woman
	dateStyle     int       // 0 digits, 1 "12th day of March, 2024", 2 all words
	buyerLead     string    // word before the buyer block: "AND", "IN FAVOUR OF"
	scheduleTitle string
	stampName     string // the e-stamp's issuing government
}

var deedLayouts = []deedLayout{
	{name: "saledeed-maharashtra", state: "Maharashtra", seller: "VENDOR", buyer: "PURCHASER", taluka: "Taluka",
		title: "SALE DEED", upperNames: true, honorifics: [3]string{"Shri", "Smt.", "Kum."}, dateStyle: 1,
		buyerLead: "AND", scheduleTitle: "SCHEDULE OF PROPERTY", stampName: "Government of Maharashtra"},
	{name: "saledeed-karnataka", state: "Karnataka", seller: "SELLER", buyer: "PURCHASER", taluka: "Taluk",
		title: "DEED OF SALE", honorifics: [3]string{"Sri", "Smt.", "Kum."}, dateStyle: 0,
		buyerLead: "IN FAVOUR OF", scheduleTitle: "SCHEDULE 'A'", stampName: "Government of Karnataka"},
	{name: "saledeed-uttarpradesh", state: "Uttar Pradesh", seller: "VENDOR", buyer: "VENDEE", taluka: "Tehsil",
		title: "SALE DEED", upperNames: true, honorifics: [3]string{"Shri", "Smt.", "Km."}, dateStyle: 0,
		buyerLead: "AND", scheduleTitle: "SCHEDULE OF PROPERTY", stampName: "Government of Uttar Pradesh"},
	{name: "saledeed-tamilnadu", state: "Tamil Nadu", seller: "SELLER", buyer: "BUYER", taluka: "Taluk",
		title: "SALE DEED", honorifics: [3]string{"Thiru.", "Tmt.", "Selvi"}, dateStyle: 2,
		buyerLead: "IN FAVOUR OF", scheduleTitle: "SCHEDULE OF PROPERTY", stampName: "Government of Tamil Nadu"},
	{name: "saledeed-conveyance", seller: "TRANSFEROR", buyer: "TRANSFEREE", taluka: "Taluka",
		title: "SALE DEED", honorifics: [3]string{"Mr.", "Mrs.", "Ms."}, dateStyle: 1,
		buyerLead: "AND", scheduleTitle: "SCHEDULE OF PROPERTY"},
}

var (
	deedVillages    = []string{"Baner", "Wakad", "Malkapur", "Rampur", "Sonpur", "Devgaon", "Kesarpur", "Nandgaon", "Hadapsar", "Madhavpur", "Shivpur", "Ambegaon", "Gokulpur", "Kalyanpur"}
	deedOccupations = []string{"Business", "Service", "Agriculture", "Retired", "Housewife", "Private Service", "Doctor", "Teacher"}
	deedFloors      = []string{"Ground Floor", "First Floor", "Second Floor", "Third Floor", "Fourth Floor", "Fifth Floor"}
	deedBoundaries  = []string{"Road", "Open Plot", "Internal Road", "Nala", "Common Passage", "Adjacent Building", "Agricultural Land"}
	deedMonths      = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// deedParty is one seller, buyer or witness as the deed prints them.
type deedParty struct {
	p    *person
	name string // as printed, without the honorific
	hon  string
}

func newDeedParty(r *rand.Rand, lay deedLayout) deedParty {
	p := newPerson(r)
	for lay.state != "" && p.region.state != lay.state {
		p = newPerson(r)
	}
	name := strings.Join(p.words, " ")
	if lay.upperNames {
		name = strings.ToUpper(name)
	}
	hon := lay.honorifics[0]
	switch {
	case p.careOfWords == "W/O":
		hon = lay.honorifics[1]
	case p.careOfWords == "D/O":
		hon = lay.honorifics[2]
	}
	return deedParty{p: p, name: name, hon: hon}
}

// intro is the party's description: name, relation, age, occupation and
// residence.
func (d deedParty) intro(lay deedLayout, on time.Time, r *rand.Rand) string {
	rel := d.p.addr[0] // "S/O Name"
	tag := rel[:1] + "/" + strings.ToLower(rel[2:3])
	relName := rel[4:]
	if lay.upperNames {
		relName = strings.ToUpper(relName)
	}
	relHon := lay.honorifics[0]
	age := on.Year() - d.p.dob.Year()
	if age < 21 {
		age += 21
	}
	addr := strings.Join(d.p.addr[1:], ", ") + ", " + d.p.region.state + " - " + d.p.pin
	occ := pick(r, deedOccupations)
	for occ == "Housewife" && d.p.gender == "MALE" {
		occ = pick(r, deedOccupations)
	}
	return fmt.Sprintf("%s %s, %s %s %s, aged about %d years, Occupation: %s, residing at %s",
		d.hon, d.name, tag, relHon, relName, age, occ, addr)
}

// deedWords spells a whole number of rupees in Indian English: crore,
// lakh, thousand, hundred ("Forty Five Lakh Thirty Thousand").
func deedWords(n int64, lakhs bool) string {
	ones := []string{"", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
		"Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	tens := []string{"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}
	two := func(n int64) string {
		if n < 20 {
			return ones[n]
		}
		return strings.TrimSpace(tens[n/10] + " " + ones[n%10])
	}
	var parts []string
	unit := func(v int64, word string) {
		if v > 0 {
			parts = append(parts, two(v)+" "+word)
		}
	}
	if n == 0 {
		return "Zero"
	}
	lakh := "Lakh"
	if lakhs && (n/100000)%100 > 1 {
		lakh = "Lakhs"
	}
	if c := n / 10000000; c > 0 {
		parts = append(parts, deedWords(c, lakhs)+" Crore")
	}
	unit((n/100000)%100, lakh)
	unit((n/1000)%100, "Thousand")
	unit((n/100)%10, "Hundred")
	if v := n % 100; v > 0 {
		parts = append(parts, two(v))
	}
	return strings.Join(parts, " ")
}

// deedOrdinal spells a day of the month as an ordinal ("Twenty First").
func deedOrdinal(d int) string {
	ord := []string{"", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
		"Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	switch {
	case d < 20:
		return ord[d]
	case d == 20:
		return "Twentieth"
	case d < 30:
		return "Twenty " + ord[d-20]
	case d == 30:
		return "Thirtieth"
	}
	return "Thirty " + ord[d-30]
}

func deedSuffix(d int) string {
	switch {
	case d%10 == 1 && d != 11:
		return "st"
	case d%10 == 2 && d != 12:
		return "nd"
	case d%10 == 3 && d != 13:
		return "rd"
	}
	return "th"
}

// deedDate prints the execution date in the layout's style.
func deedDate(t time.Time, style int) string {
	switch style {
	case 1:
		return fmt.Sprintf("this %d%s day of %s, %d", t.Day(), deedSuffix(t.Day()), deedMonths[t.Month()-1], t.Year())
	case 2:
		return fmt.Sprintf("this the %s day of %s, %s", deedOrdinal(t.Day()), deedMonths[t.Month()-1], strings.Replace(deedWords(int64(t.Year()), false), "Thousand", "Thousand and", 1))
	}
	return t.Format("02/01/2006")
}

// deedRupees prints an amount of whole rupees with Indian grouping:
// "Rs. 45,00,000/-".
func deedRupees(v int64, slash bool) string {
	s := formatAmount(v*100, true)
	if slash {
		return "Rs. " + strings.TrimSuffix(s, ".00") + "/-"
	}
	return "Rs." + s
}

// Geometry of the deed, in points.
const (
	deedLeft   = 62.0
	deedRight  = 530.0
	deedBottom = 780.0
)

// deedWriter flows paragraphs of prose over pages.
type deedWriter struct {
	pages []drawing
	y     float64
	size  float64
	lead  float64
}

func (w *deedWriter) page() *drawing { return &w.pages[len(w.pages)-1] }

func (w *deedWriter) newPage() {
	w.pages = append(w.pages, drawing{})
	w.y = 70
}

func (w *deedWriter) need(h float64) {
	if w.y+h > deedBottom {
		w.newPage()
	}
}

// para wraps s to the text width, indenting the first line by indent.
func (w *deedWriter) para(s string, indent float64, bold bool) {
	words := strings.Fields(s)
	line := ""
	x := deedLeft + indent
	flush := func() {
		w.need(w.lead)
		w.page().text(x, w.y, w.size, bold, line)
		w.y += w.lead
		x = deedLeft
		line = ""
	}
	for _, word := range words {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if line != "" && x+helveticaWidth(try, w.size, bold) > deedRight {
			flush()
			try = word
		}
		line = try
	}
	if line != "" {
		flush()
	}
	w.y += w.lead * 0.5
}

func (w *deedWriter) centre(s string, size float64, bold bool) {
	w.need(size * 2)
	wd := helveticaWidth(s, size, bold)
	w.page().text((pageWidthPt-wd)/2, w.y, size, bold, s)
	w.y += size * 1.8
}

func drawSaleDeed(r *rand.Rand) ([]drawing, map[string]string, string) {
	lay := deedLayouts[r.IntN(len(deedLayouts))]
	sellers := []deedParty{newDeedParty(r, lay)}
	if r.IntN(4) == 0 {
		sellers = append(sellers, newDeedParty(r, lay))
	}
	buyers := []deedParty{newDeedParty(r, lay)}
	if r.IntN(5) == 0 {
		buyers = append(buyers, newDeedParty(r, lay))
	}
	witnesses := []deedParty{newDeedParty(r, lay), newDeedParty(r, lay)}
	prop := sellers[0].p
	if lay.state == "" {
		prop = buyers[0].p
	}
	state := prop.region.state
	ct := prop.city

	// 2019-2025: in the past whenever the tests run.
	exec := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(7*365))
	var amount int64
	switch r.IntN(3) {
	case 0:
		amount = int64(5+r.IntN(95)) * 100000 // whole lakhs
	case 1:
		amount = int64(500+r.IntN(9500)) * 1000
	default:
		amount = int64(10000+r.IntN(290000)) * 100
	}
	lakhs := r.IntN(2) == 0
	slash := r.IntN(3) > 0
	money := func(v int64) string {
		return deedRupees(v, slash) + " (Rupees " + deedWords(v, lakhs) + " Only)"
	}

	// The property, as the schedule prints it.
	var elems []string
	var kind string
	switch r.IntN(3) {
	case 0:
		kind = "residential flat"
		elems = append(elems, fmt.Sprintf("Flat No. %d%02d", 1+r.IntN(9), 1+r.IntN(8)), pick(r, deedFloors), pick(r, buildings))
	case 1:
		kind = "plot of land"
		elems = append(elems, fmt.Sprintf("Plot No. %d", 1+r.IntN(300)))
	default:
		kind = "house property"
		elems = append(elems, fmt.Sprintf("House No. %d", 1+r.IntN(900)), pick(r, streets))
	}
	survey := fmt.Sprintf("Survey No. %d/%d", 10+r.IntN(400), 1+r.IntN(9))
	if lay.state == "Uttar Pradesh" {
		survey = fmt.Sprintf("Khasra No. %d", 10+r.IntN(900))
	}
	elems = append(elems, survey, "Village "+pick(r, deedVillages), lay.taluka+" "+ct.name, "District "+ct.district)
	pin := ct.pin + fmt.Sprintf("%03d", 1+r.IntN(98))
	propAddr := strings.Join(elems, ", ") + ", " + state + ", " + pin
	printedAddr := strings.Join(elems, ", ") + ", " + state + " - " + pin
	if r.IntN(2) == 0 {
		printedAddr = strings.Join(elems, ", ") + ", " + state + ", PIN " + pin
	}

	w := &deedWriter{size: 11 + float64(r.IntN(4))*0.5, lead: 16 + float64(r.IntN(5))*1.5}
	w.newPage()
	if lay.stampName != "" && r.IntN(4) > 0 {
		// The e-stamp certificate on the top of page 1: its amounts are
		// the stamp duty, not the consideration.
		w.centre("INDIA NON JUDICIAL", 14, true)
		w.centre(lay.stampName, 11, false)
		w.centre("e-Stamp", 12, true)
		duty := amount * int64(5+r.IntN(3)) / 100
		stateCode := map[string]string{"Maharashtra": "MH", "Karnataka": "KA", "Uttar Pradesh": "UP", "Tamil Nadu": "TN"}[lay.state]
		row := func(k, v string) {
			w.page().text(deedLeft+20, w.y, 9.5, false, k)
			w.page().text(deedLeft+200, w.y, 9.5, false, ": "+v)
			w.y += 14
		}
		issued := exec.AddDate(0, 0, -1-r.IntN(20))
		row("Certificate No.", "IN-"+stateCode+digits(r, 14)+string(rune('A'+r.IntN(26))))
		row("Certificate Issued Date", fmt.Sprintf("%s %02d:%02d AM", issued.Format("02-Jan-2006"), 9+r.IntN(3), r.IntN(60)))
		row("Description of Document", "Article 25 Conveyance")
		row("Consideration Price (Rs.)", formatAmount(amount*100, true))
		row("First Party", sellers[0].name)
		row("Second Party", buyers[0].name)
		row("Stamp Duty Paid By", buyers[0].name)
		row("Stamp Duty Amount(Rs.)", strings.TrimSuffix(formatAmount(duty*100, true), ".00")+" ("+deedWords(duty, lakhs)+" only)")
		w.y += 24
		if r.IntN(2) == 0 {
			// Stamp paper of its own, the deed typed from page 2.
			w.newPage()
		}
	}
	w.centre(lay.title, 16, true)
	w.y += 4

	place := ct.name
	opening := fmt.Sprintf("This Deed of Sale is made and executed at %s on %s,", place, deedDate(exec, lay.dateStyle))
	if lay.dateStyle == 2 {
		opening = fmt.Sprintf("This Deed of Absolute Sale is made and executed on %s at %s,", deedDate(exec, lay.dateStyle), place)
	} else if r.IntN(2) == 0 {
		opening = fmt.Sprintf("THIS SALE DEED is made and executed at %s on %s", place, deedDate(exec, lay.dateStyle))
	}
	w.para(opening, 30, false)
	w.para("BY:", 0, true)
	plural := func(ps []deedParty, s string) string {
		if len(ps) > 1 {
			return s + "S"
		}
		return s
	}
	for i, s := range sellers {
		lead := ""
		if len(sellers) > 1 {
			lead = fmt.Sprintf("%d) ", i+1)
		}
		w.para(lead+s.intro(lay, exec, r)+";", 30, false)
	}
	w.para(fmt.Sprintf("hereinafter called the %s (which expression shall unless repugnant to the context or meaning thereof mean and include his/her heirs, executors, administrators and assigns) of the ONE PART;", plural(sellers, lay.seller)), 0, false)
	w.para(lay.buyerLead+":", 0, true)
	for i, b := range buyers {
		lead := ""
		if len(buyers) > 1 {
			lead = fmt.Sprintf("%d) ", i+1)
		}
		w.para(lead+b.intro(lay, exec, r)+";", 30, false)
	}
	w.para(fmt.Sprintf("hereinafter called the %s (which expression shall unless repugnant to the context or meaning thereof mean and include his/her heirs, executors, administrators and assigns) of the OTHER PART.", plural(buyers, lay.buyer)), 0, false)

	sel, buy := strings.ToLower(lay.seller), strings.ToLower(lay.buyer)
	sel = strings.ToUpper(sel[:1]) + sel[1:]
	buy = strings.ToUpper(buy[:1]) + buy[1:]
	acquired := exec.AddDate(-2-r.IntN(15), -r.IntN(12), -r.IntN(28))
	w.para(fmt.Sprintf("WHEREAS the %s is the absolute owner and in peaceful possession of the %s more particularly described in the Schedule hereunder written (hereinafter referred to as the said property), having acquired the same under a registered Sale Deed dated %s registered as Document No. %d of %d in the office of the Sub-Registrar, %s.",
		sel, kind, acquired.Format("02/01/2006"), 1000+r.IntN(9000), acquired.Year(), ct.name), 30, false)
	w.para(fmt.Sprintf("AND WHEREAS the %s, being in need of funds for family necessities, has offered to sell the said property and the %s has agreed to purchase the same free from all encumbrances on the terms and conditions hereinafter appearing.", sel, buy), 30, false)
	if lay.state == "Uttar Pradesh" {
		w.para(fmt.Sprintf("The market value of the said property as per the circle rate is %s and stamp duty has been paid accordingly.", deedRupees(amount+int64(1+r.IntN(20))*50000, slash)), 30, false)
	}
	w.para(fmt.Sprintf("NOW THIS DEED WITNESSETH that in consideration of a sum of %s paid by the %s to the %s, the receipt whereof the %s hereby admits and acknowledges, the %s doth hereby sell, convey and transfer unto the %s all that the said property.",
		money(amount), buy, sel, sel, sel, buy), 30, false)

	// Payment details: part payments, never the total alone.
	first := amount / int64(4+r.IntN(6)) / 1000 * 1000
	bank := pick(r, banks).name
	if r.IntN(2) == 0 {
		w.para(fmt.Sprintf("The %s has paid the amount to the %s as follows:", buy, sel), 30, false)
	} else {
		w.para(fmt.Sprintf("The said consideration has been paid by the %s to the %s as follows:", buy, sel), 30, false)
	}
	w.para(fmt.Sprintf("(a) %s by Cheque No. %s dated %s drawn on %s, %s;", money(first), digits(r, 6), exec.AddDate(0, 0, -10-r.IntN(30)).Format("02/01/2006"), bank, ct.name), 50, false)
	w.para(fmt.Sprintf("(b) %s by RTGS vide UTR No. %s%s dated %s.", money(amount-first), pick(r, banks).ifsc, digits(r, 12), exec.Format("02/01/2006")), 50, false)

	clauses := []string{
		"The %[1]s hereby covenants that the said property is free from all encumbrances, charges, liens, mortgages, attachments and claims of any nature whatsoever, and that the %[1]s has full right and absolute authority to sell the same.",
		"The %[1]s has this day delivered vacant and peaceful possession of the said property to the %[2]s, who shall hereafter hold and enjoy the same as absolute owner without any let or hindrance by the %[1]s or any person claiming under the %[1]s.",
		"The %[1]s shall indemnify and keep indemnified the %[2]s against any loss or damage suffered by reason of any defect in the title of the %[1]s to the said property or any claim made by any person.",
		"All taxes, rates, cesses and outgoings in respect of the said property up to the date of this deed have been paid by the %[1]s and thereafter shall be borne and paid by the %[2]s.",
		"The %[1]s shall at the request and cost of the %[2]s execute such further documents and do all such acts as may be necessary for more perfectly assuring the title of the said property to the %[2]s.",
		"The %[2]s shall be entitled to get the said property mutated in the revenue and municipal records in the name of the %[2]s, and the %[1]s shall give consent and sign all papers required for the purpose.",
		"The original title deeds and documents relating to the said property have been handed over by the %[1]s to the %[2]s at the time of execution of this deed.",
		"The %[1]s declares that the said property is not the subject matter of any suit, acquisition or requisition proceedings and that no notice has been received from any authority in respect thereof.",
		"The stamp duty and registration charges payable on this deed have been borne by the %[2]s.",
		"The %[1]s assures the %[2]s that the said property has not been sold, gifted, mortgaged, leased or otherwise alienated to any other person, and that no agreement for sale in respect of it subsists with anyone.",
		"The %[1]s has obtained all permissions required under the law for the time being in force for the sale of the said property, and no permission of any authority is further required for its transfer to the %[2]s.",
		"If any part of the said property is lost to the %[2]s by reason of any defect in the title of the %[1]s, the %[1]s shall make good the loss to the %[2]s out of the other properties of the %[1]s.",
		"The electricity and water connections of the said property, with the deposits paid for them, shall stand transferred to the name of the %[2]s, and the %[1]s shall sign all applications needed for the purpose.",
	}
	n := 3 + r.IntN(len(clauses)-2)
	perm := r.Perm(len(clauses))[:n]
	for i, k := range perm {
		w.para(fmt.Sprintf("%d. ", i+1)+fmt.Sprintf(clauses[k], sel, buy), 30, false)
	}

	w.y += 6
	w.need(120)
	if len(w.pages) < 2 {
		// Deeds run to three pages at least: the schedule starts page 2.
		w.newPage()
	}
	w.centre(lay.scheduleTitle, 12, true)
	lead := "All that piece and parcel of the " + kind + " bearing "
	if r.IntN(2) == 0 {
		lead = "All that " + kind + " situated at "
	}
	w.para(lead+printedAddr+", together with all rights, easements and appurtenances thereto, and bounded as follows:", 30, false)
	for _, side := range []string{"North", "South", "East", "West"} {
		b := pick(r, deedBoundaries)
		if r.IntN(3) == 0 {
			b = "Property of " + witnesses[r.IntN(2)].hon + " " + pick(r, prop.region.male) + " " + pick(r, prop.region.surnames)
		}
		w.need(w.lead)
		w.page().text(deedLeft+40, w.y, w.size, false, "On or towards "+side)
		w.page().text(deedLeft+170, w.y, w.size, false, ": "+b)
		w.y += w.lead
	}
	w.y += 10

	if len(w.pages) < 3 {
		w.newPage()
	}
	w.para(fmt.Sprintf("IN WITNESS WHEREOF the %s and the %s have signed this deed on the day, month and year first above written in the presence of the following witnesses.", sel, buy), 30, false)
	w.need(5 * w.lead)
	w.page().text(deedLeft, w.y, w.size, true, "WITNESSES:")
	w.page().text(330, w.y, w.size, true, plural(sellers, lay.seller))
	w.y += w.lead * 3
	w.page().text(330, w.y, w.size, true, plural(buyers, lay.buyer))
	w.y += w.lead * 1.5
	for i, wt := range witnesses {
		w.para(fmt.Sprintf("%d. %s %s, %s", i+1, wt.hon, wt.name, strings.Join(wt.p.addr[1:], ", ")+", "+wt.p.region.state+" - "+wt.p.pin), 0, false)
	}
	w.y += 8
	w.para(fmt.Sprintf("Presented in the office of the Sub-Registrar, %s, on %s between 11 AM and 12 Noon by the %s and execution admitted. Registered as Document No. %d of %d.",
		ct.name, exec.Format("02/01/2006"), sel, 100+r.IntN(9900), exec.Year()), 0, false)

	for i := range w.pages {
		w.pages[i].rightText(deedRight, 815, 8, false, fmt.Sprintf("Page %d of %d", i+1, len(w.pages)))
	}
	names := func(ps []deedParty) string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.name
		}
		return strings.Join(out, ", ")
	}
	truth := map[string]string{
		"seller_name":          names(sellers),
		"buyer_name":           names(buyers),
		"property_address":     propAddr,
		"consideration_amount": plainAmount(amount * 100),
		"execution_date":       exec.Format("02/01/2006"),
	}
	return w.pages, truth, lay.name
}
