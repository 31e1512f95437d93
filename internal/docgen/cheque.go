package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"time"
)

// A CTS-2010 cheque leaf is 8 x 3.67 inches: drawn at 200 dpi.
const chequeW, chequeH = 1600, 734

// chequeBank is an issuer as its cheques show it: the canonical name the
// API returns, the name printed on the leaf, its IFSC prefix, the bank
// part of its MICR codes, and its colours (ink and pale background).
type chequeBank struct {
	name, printed, ifsc, micr string
	ink, pale                 color.RGBA
}

var chequeBanks = []chequeBank{
	{"State Bank of India", "State Bank of India", "SBIN", "002", color.RGBA{0, 92, 160, 255}, color.RGBA{200, 228, 246, 255}},
	{"HDFC Bank", "HDFC BANK", "HDFC", "240", color.RGBA{0, 56, 118, 255}, color.RGBA{214, 224, 244, 255}},
	{"ICICI Bank", "ICICI Bank", "ICIC", "229", color.RGBA{150, 50, 20, 255}, color.RGBA{250, 224, 200, 255}},
	{"Axis Bank", "AXIS BANK", "UTIB", "211", color.RGBA{130, 20, 60, 255}, color.RGBA{244, 214, 226, 255}},
	{"Punjab National Bank", "Punjab National Bank", "PUNB", "024", color.RGBA{140, 25, 35, 255}, color.RGBA{250, 236, 196, 255}},
	{"Bank of Baroda", "Bank of Baroda", "BARB", "012", color.RGBA{190, 80, 20, 255}, color.RGBA{252, 226, 206, 255}},
	{"Canara Bank", "Canara Bank", "CNRB", "015", color.RGBA{0, 100, 160, 255}, color.RGBA{250, 240, 190, 255}},
	{"Kotak Mahindra Bank", "Kotak Mahindra Bank", "KKBK", "485", color.RGBA{180, 20, 40, 255}, color.RGBA{246, 220, 224, 255}},
	{"Union Bank of India", "Union Bank of India", "UBIN", "026", color.RGBA{30, 60, 140, 255}, color.RGBA{222, 228, 246, 255}},
}

// chequeStyle is one leaf design: where the IFSC and account number go,
// whether labels are bilingual and whether the cheque number is printed
// at the top as well as in the MICR band.
type chequeStyle struct {
	name        string
	bilingual   bool // Hindi labels before the English ones
	ifscRight   bool // IFSC under the date boxes instead of the address
	accBoxed    bool // account number in a box under its own label
	chequeNoTop bool // "Cheque No." printed top left of the date
	accLabel    string
}

var chequeStyles = []chequeStyle{
	{name: "classic", bilingual: true, accLabel: "A/c No."},
	{name: "modern", ifscRight: true, chequeNoTop: true, accLabel: "A/C No"},
	{name: "boxed", accBoxed: true, accLabel: "Account No."},
}

var (
	signRoles  = []string{"Authorised Signatory", "Proprietor", "Partner"}
	payees     = []string{"Self", "Shree Balaji Motors", "Tata Capital Ltd", "Star Electronics", "Om Agencies"}
	numWords   = []string{"", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	tensWords  = []string{"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}
	chequeInks = []color.RGBA{{20, 30, 110, 255}, {25, 25, 25, 255}}
)

// rupeesWords spells n (< 1 crore) the Indian way: "Twenty Five Thousand".
func rupeesWords(n int) string {
	below100 := func(n int) string {
		if n < 20 {
			return numWords[n]
		}
		return strings.TrimSpace(tensWords[n/10] + " " + numWords[n%10])
	}
	var parts []string
	for _, u := range []struct {
		div  int
		name string
	}{{100000, "Lakh"}, {1000, "Thousand"}, {100, "Hundred"}} {
		if n >= u.div {
			parts = append(parts, below100(n/u.div), u.name)
			n %= u.div
		}
	}
	if n > 0 {
		parts = append(parts, below100(n))
	}
	return strings.Join(parts, " ")
}

// renderCheque draws a CTS-2010 cheque leaf of a fake account holder (a
// person or a firm): usually cancelled and blank, as lenders receive it
// for NACH mandates, otherwise filled in.
func renderCheque(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	st := chequeStyles[r.IntN(len(chequeStyles))]
	bank := chequeBanks[r.IntN(len(chequeBanks))]
	p := newPerson(r)
	firm := r.IntN(3) == 0
	cancelled := r.IntN(3) > 0
	holder := upperJoin(p.words)
	role := ""
	if firm {
		holder = strings.ToUpper(newParty(r, p.region).name)
		role = pick(r, signRoles)
	}

	ifsc := bank.ifsc + "0" + digits(r, 6)
	if r.IntN(3) == 0 {
		city := strings.ToUpper(strings.ReplaceAll(p.city.name, " ", "")) + "XXX"
		ifsc = bank.ifsc + "0" + city[:3] + digits(r, 3)
	}
	account := digits(r, 9+r.IntN(10))
	accType, txn := "SB", "10"
	if firm {
		accType, txn = "CA", "11"
	}
	chequeNo := fmt.Sprintf("%06d", 1+r.IntN(999998))
	micr := p.city.pin + bank.micr + fmt.Sprintf("%03d", 1+r.IntN(998))
	baseID := account[len(account)-6:]

	c := newCanvas(chequeW, chequeH, color.White)
	// Body: a pale tint with the pantograph over it; the MICR clear band
	// (the bottom 5/8 inch) stays white, as CTS-2010 requires.
	body := image.Rect(0, 0, chequeW, chequeH-125)
	c.gradient(body, color.RGBA{255, 255, 255, 255}, tint(bank.pale, 0.55))
	c.waves(tint(bank.pale, 0.9), 0.45, r)
	c.fill(image.Rect(0, chequeH-125, chequeW, chequeH), color.White)

	black := color.RGBA{25, 25, 25, 255}
	reg := style{c.fonts.regular, 20, black}
	small := style{c.fonts.regular, 15, black}
	// The IFSC in regular weight: Go Bold's zero reads as '@'.
	ifscSt := style{c.fonts.regular, 26, black}
	label := style{c.fonts.regular, 24, black}

	// Logo and bank name.
	lx := 40
	switch st.name {
	case "modern":
		c.fill(image.Rect(40, 28, 100, 88), bank.ink)
		c.fill(image.Rect(54, 42, 86, 74), color.White)
		c.fill(image.Rect(63, 51, 77, 65), bank.ink)
	default:
		c.emblem(72, 60, 32, bank.ink)
	}
	lx = 120
	c.text(style{c.fonts.bold, 36, bank.ink}, lx, 62, bank.printed)
	addrY := 94
	c.text(reg, lx, addrY, "Branch: "+pick(r, localities)+", "+p.city.name)
	c.text(reg, lx, addrY+24, pick(r, streets)+", "+p.city.name+" - "+p.pin)
	ifscText := "IFSC: " + ifsc
	if st.name == "boxed" {
		ifscText = "RTGS/NEFT IFSC: " + ifsc
	}
	if st.ifscRight {
		c.text(ifscSt, 1180, 160, ifscText)
	} else {
		c.text(ifscSt, lx, addrY+52, ifscText)
	}

	// Validity note, cheque number and the date boxes.
	c.text(small, 640, 36, "Valid for three months from the date of issue")
	if st.chequeNoTop {
		c.text(reg, 880, 78, "Cheque No. "+chequeNo)
	}
	const boxX, boxY, boxW, boxH = 1180, 48, 46, 50
	for i := range 8 {
		bx := boxX + i*boxW
		// Light print: dark boxes make OCR take the row for one tall line.
		c.rectOutline(image.Rect(bx, boxY, bx+boxW+2, boxY+boxH), 2, tint(bank.ink, 0.4))
		c.centered(style{c.fonts.regular, 12, tint(bank.ink, 0.4)}, bx+boxW/2, boxY+boxH+14, string("DDMMYYYY"[i]))
	}

	ink := chequeInks[r.IntN(len(chequeInks))]
	hand := style{c.fonts.regular, 28, ink}
	if !cancelled {
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(700)).Format("02012006")
		for i := range 8 {
			c.centered(hand, boxX+i*boxW+boxW/2, boxY+36, d[i:i+1])
		}
	}

	// Pay, Rupees and the amount box.
	payY, rupY := 228, 300
	c.bilinguaLabel(st, label, 40, payY, "अदा करें", "Pay")
	c.fill(image.Rect(170, payY+6, 1350, payY+8), tint(bank.ink, 0.5))
	c.bilinguaLabel(st, label, 1370, payY, "या धारक को", "or Bearer")
	c.bilinguaLabel(st, label, 40, rupY, "रुपये", "Rupees")
	c.fill(image.Rect(170, rupY+6, 1130, rupY+8), tint(bank.ink, 0.5))
	c.fill(image.Rect(40, rupY+66, 1130, rupY+68), tint(bank.ink, 0.5))
	amt := image.Rect(1180, rupY-44, 1560, rupY+24)
	c.rectOutline(amt, 2, bank.ink)
	rupee := style{c.fonts.regular, 30, black}
	if c.hindi() {
		c.text(style{c.fonts.deva, 34, black}, amt.Min.X+12, amt.Max.Y-20, "₹")
	} else {
		c.text(rupee, amt.Min.X+12, amt.Max.Y-20, "Rs.")
	}
	if !cancelled {
		n := (5 + r.IntN(400)) * 500
		c.text(hand, 190, payY-4, pick(r, payees))
		c.text(hand, 190, rupY-4, rupeesWords(n)+" Only")
		c.text(hand, amt.Min.X+80, amt.Max.Y-20, formatAmount(int64(n)*100, true)[:len(formatAmount(int64(n)*100, true))-3]+"/-")
	}

	// Account number and type.
	accY := 430
	acc := style{c.fonts.bold, 32, black}
	if st.accBoxed {
		c.text(reg, 40, accY-44, st.accLabel)
		w := c.width(acc, account)
		// A light box: a dark one, at scan resolution, hides the digits
		// from OCR.
		c.rectOutline(image.Rect(32, accY-38, 40+w+28, accY+18), 2, tint(bank.ink, 0.45))
		c.text(acc, 50, accY, account)
		c.text(reg, 36+w+50, accY, "Type: "+accType)
	} else {
		x := c.text(label, 40, accY, accType+" "+st.accLabel+" ")
		c.text(acc, x+8, accY, account)
	}

	// The holder above the signature space, the role below its line.
	right := 1560
	name := holder
	if firm {
		name = "For " + holder
	}
	nst := style{c.fonts.bold, 27, black}
	nst = c.fit(nst, name, 560)
	c.text(nst, right-c.width(nst, name), 478, name)
	if r.IntN(2) == 0 {
		c.signature(image.Rect(1180, 492, 1520, 552), r)
	}
	c.fill(image.Rect(1060, 566, right, 568), black)
	below := "Please sign above"
	if firm {
		below = role
	}
	c.text(reg, right-c.width(reg, below), 592, below)
	c.text(small, 40, 592, "CTS-2010")

	if cancelled {
		// Two pen strokes across the body and the word between them.
		c.line(260, 560, 980, 170, 4, ink)
		c.line(330, 590, 1050, 200, 4, ink)
		c.text(style{c.fonts.bold, 40, ink}, 470, 360, "CANCELLED")
	}

	drawMICR(c, chequeNo, micr, baseID, txn)

	layout := "cheque-" + st.name
	if firm {
		layout += "-firm"
	} else {
		layout += "-personal"
	}
	if cancelled {
		layout += "-cancelled"
	}
	truth := map[string]string{
		"bank_name":           bank.name,
		"ifsc":                ifsc,
		"account_number":      account,
		"account_holder_name": holder,
		"cheque_number":       chequeNo,
		"micr":                micr,
	}
	return c.img, layout, truth
}

// bilinguaLabel draws a printed label, in Hindi and English when the
// style is bilingual.
func (c *canvas) bilinguaLabel(st chequeStyle, lat style, x, y int, hi, en string) {
	if !st.bilingual {
		hi = ""
	}
	c.bilingual(lat, x, y, hi, en)
}

// tint mixes col with white: f=1 keeps it, f=0 is white.
func tint(col color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(255 - (255-float64(v))*f) }
	return color.RGBA{mix(col.R), mix(col.G), mix(col.B), 255}
}

// drawMICR draws the code line "⑈chequeNo⑈ micr⑆ baseID⑈ txn". No
// E-13B font is installed: digits are in Go Mono, the transit (⑆) and
// on-us (⑈) symbols are bar shapes like E-13B's, each in its own
// character cell.
func drawMICR(c *canvas, chequeNo, micr, baseID, txn string) {
	mono := style{c.fonts.mono, 34, color.RGBA{15, 15, 15, 255}}
	cell := c.width(mono, "0")
	y := chequeH - 48
	x := 260
	sym := func(onUs bool) {
		// A cell of space each side: glued to the digits, OCR reads a
		// symbol as one more digit.
		x += cell
		h := 24
		top := y - h
		if onUs {
			// ⑈: two short bars over a wide block.
			c.fill(image.Rect(x+3, top, x+7, top+12), mono.col)
			c.fill(image.Rect(x+11, top, x+15, top+12), mono.col)
			c.fill(image.Rect(x+3, top+16, x+15, top+h), mono.col)
		} else {
			// ⑆: a tall bar and two small squares.
			c.fill(image.Rect(x+3, top, x+7, top+h), mono.col)
			c.fill(image.Rect(x+10, top+4, x+16, top+10), mono.col)
			c.fill(image.Rect(x+10, top+14, x+16, top+20), mono.col)
		}
		x += 2 * cell
	}
	digs := func(s string) { x = c.text(mono, x, y, s) }
	sym(true)
	digs(chequeNo)
	sym(true)
	digs(micr)
	sym(false)
	digs(baseID)
	sym(true)
	digs(txn)
}
