package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/validate"
)

// invoiceW and invoiceH are an A4 page at 150 dpi.
const invoiceW, invoiceH = 1240, 1754

// gstStateCodes are the GST state codes of the states people.go draws.
var gstStateCodes = map[string]string{
	"Maharashtra": "27", "Uttar Pradesh": "09", "Bihar": "10", "Tamil Nadu": "33",
	"Karnataka": "29", "Kerala": "32", "West Bengal": "19", "Gujarat": "24",
	"Punjab": "03", "Rajasthan": "08", "Telangana": "36", "Andhra Pradesh": "37",
	"Odisha": "21", "Assam": "18", "Madhya Pradesh": "23", "Delhi": "07",
}

var (
	firmSuffixes = []string{"Traders", "Enterprises", "Industries", "Agencies", "Electronics", "Motors", "Distributors", "Steel Pvt Ltd", "Textiles Pvt Ltd"}
	firmPrefixes = []string{"Shree", "Sai", "Jai", "New", "Royal", "Star", "Balaji", "Om"}
	invoiceItems = []string{"LED Television 43 inch", "Refrigerator 260 L", "Washing Machine 7 kg", "Air Conditioner 1.5 Ton", "Steel Almirah", "Office Chair", "Cotton Fabric Roll", "Cement 50 kg Bag", "TMT Steel Bar 12 mm", "Laptop 15.6 inch", "Mobile Phone", "Water Purifier", "Two Wheeler Helmet", "Ceiling Fan", "Inverter Battery 150 Ah"}
	gstRates     = []int64{5, 12, 18, 28}
)

// invoiceParty is a seller or buyer: a firm with its GSTIN and address.
type invoiceParty struct {
	name, gstin, state string
	printed            []string // address lines as drawn
	address            string   // "elements, State, PIN"
}

// newParty draws a firm in reg. Its PAN's 4th letter is F (firm) or C
// (company) and the 5th the name's first letter, as the PAN rules say.
func newParty(r *rand.Rand, reg *region) invoiceParty {
	surname := pick(r, reg.surnames)
	name := surname + " " + pick(r, firmSuffixes)
	if r.IntN(3) == 0 {
		name = pick(r, firmPrefixes) + " " + name
	}
	holder := byte('F')
	if strings.Contains(name, "Ltd") {
		holder = 'C'
	}
	pan := make([]byte, 0, 10)
	for range 3 {
		pan = append(pan, byte('A'+r.IntN(26)))
	}
	pan = append(pan, holder, strings.ToUpper(name)[0])
	pan = fmt.Appendf(pan, "%04d", 1+r.IntN(9999))
	pan = append(pan, byte('A'+r.IntN(26)))
	first14 := gstStateCodes[reg.state] + string(pan) + string(byte('1'+r.IntN(3))) + "Z"
	ct := pick(r, reg.cities)
	pin := ct.pin + fmt.Sprintf("%03d", r.IntN(100))
	elems := []string{
		fmt.Sprintf("%s No %d", pick(r, []string{"Shop", "Plot", "Unit", "Gala"}), 1+r.IntN(250)),
		pick(r, streets), pick(r, localities), ct.name,
	}
	return invoiceParty{
		name: name, gstin: first14 + string(validate.GSTINCheckChar(first14)), state: reg.state,
		printed: append(append([]string(nil), elems...), reg.state+" - "+pin),
		address: strings.Join(elems, ", ") + ", " + reg.state + ", " + pin,
	}
}

// invoiceLine is one row of the items table; amounts in paise.
type invoiceLine struct {
	desc, hsn        string
	qty, rate, total int64
}

// invoiceBill is what a tax invoice states: its parties, number, date,
// items, GST rate, and whether amounts use Indian digit grouping.
type invoiceBill struct {
	seller, buyer invoiceParty // a buyer without GSTIN is a consumer (B2C)
	number        string
	date          time.Time
	items         []invoiceLine
	rate          int64 // GST percent
	indian        bool
}

// invoiceNumber draws an invoice number of the financial year of date,
// e.g. "INV/2024-25/0042".
func invoiceNumber(r *rand.Rand, date time.Time) string {
	fy := date.Year()
	if date.Month() < time.April {
		fy--
	}
	return fmt.Sprintf("%s/%d-%02d/%04d", pick(r, []string{"INV", "TAX", "RT", "GST"}), fy, (fy+1)%100, 1+r.IntN(9999))
}

// invoiceTax is the GST on taxable paise at rate percent, rounded to
// paise: within a state (intra) CGST and SGST are half each, rounded
// apiece, so tax is twice half; otherwise IGST, and half is 0.
func invoiceTax(taxable, rate int64, intra bool) (tax, half int64) {
	if intra {
		half = (taxable*rate/2 + 50) / 100
		return 2 * half, half
	}
	return (taxable*rate + 50) / 100, 0
}

// renderInvoice draws a one-page GST tax invoice: the seller's name,
// address and GSTIN, the invoice number and date, the buyer, 2-6 items,
// and the tax summary: CGST and SGST when both parties are in one state,
// IGST otherwise. Amounts use Indian or international grouping.
func renderInvoice(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	sreg := &regions[r.IntN(len(regions))]
	seller := newParty(r, sreg)
	breg := sreg
	if r.IntN(2) == 0 {
		breg = &regions[r.IntN(len(regions))]
	}
	buyer := newParty(r, breg)

	date := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900))
	number := invoiceNumber(r, date)

	items := make([]invoiceLine, 2+r.IntN(5))
	for i := range items {
		it := &items[i]
		it.desc = pick(r, invoiceItems)
		it.hsn = digits(r, pick(r, []int{4, 6, 8}))
		it.qty = int64(1 + r.IntN(12))
		it.rate = int64(200+r.IntN(60000)) * 100
		if r.IntN(3) == 0 {
			it.rate += 50
		}
		it.total = it.qty * it.rate
	}
	rate := pick(r, gstRates)
	indian := r.IntN(2) == 0
	return drawInvoice(invoiceBill{seller: seller, buyer: buyer, number: number, date: date, items: items, rate: rate, indian: indian})
}

// drawInvoice draws the invoice page of b (no randomness left) and its
// ground truth; buyer_gstin only when the buyer has one.
func drawInvoice(b invoiceBill) (*image.RGBA, string, map[string]string) {
	seller, buyer, number, items, rate := b.seller, b.buyer, b.number, b.items, b.rate
	intra := seller.state == buyer.state
	var taxable int64
	for _, it := range items {
		taxable += it.total
	}
	tax, half := invoiceTax(taxable, rate, intra)
	var taxRows [][2]string
	amt := func(p int64) string { return formatAmount(p, b.indian) }
	if intra {
		taxRows = [][2]string{
			{fmt.Sprintf("CGST @ %g%%", float64(rate)/2), amt(half)},
			{fmt.Sprintf("SGST @ %g%%", float64(rate)/2), amt(half)},
		}
	} else {
		taxRows = [][2]string{{fmt.Sprintf("IGST @ %d%%", rate), amt(tax)}}
	}
	total := taxable + tax
	truth := map[string]string{
		"invoice_number": number,
		"invoice_date":   b.date.Format("02/01/2006"),
		"seller_name":    seller.name,
		"seller_gstin":   seller.gstin,
		"seller_address": seller.address,
		"buyer_name":     buyer.name,
		"buyer_gstin":    buyer.gstin,
		"taxable_amount": plainAmount(taxable),
		"total_tax":      plainAmount(tax),
		"total_amount":   plainAmount(total),
	}
	if buyer.gstin == "" {
		delete(truth, "buyer_gstin")
	}

	c := newCanvas(invoiceW, invoiceH, color.White)
	title := style{c.fonts.bold, 44, ink}
	big := style{c.fonts.bold, 32, ink}
	reg := style{c.fonts.regular, 26, ink}
	bold := style{c.fonts.bold, 26, ink}
	const left, right = 90, 1150
	rule := func(y int) { c.fill(image.Rect(left-10, y, right+10, y+2), ink) }
	rightText := func(st style, x, y int, s string) { c.text(st, x-c.width(st, s), y, s) }

	c.centered(title, invoiceW/2, 110, "TAX INVOICE")
	rule(135)
	y := 200
	c.text(big, left, y, seller.name)
	y += 44
	for _, l := range c.wrap(reg, seller.printed, right-left) {
		c.text(reg, left, y, l)
		y += 38
	}
	c.text(reg, left, y, "GSTIN: "+seller.gstin)
	y += 30
	rule(y)
	y += 56
	c.text(reg, left, y, "Invoice No: "+number)
	y += 42
	c.text(reg, left, y, "Invoice Date: "+truth["invoice_date"])
	y += 30
	rule(y)
	y += 56
	c.text(bold, left, y, "Bill To:")
	y += 44
	c.text(big, left, y, buyer.name)
	y += 44
	for _, l := range c.wrap(reg, buyer.printed, right-left) {
		c.text(reg, left, y, l)
		y += 38
	}
	if buyer.gstin != "" {
		c.text(reg, left, y, "GSTIN: "+buyer.gstin)
		y += 30
	} else {
		y -= 8
	}
	rule(y)

	// Items table: columns at fixed x, numbers right-aligned.
	const xNo, xDesc, xHSN, xQty, xRate, xAmt = 90, 170, 600, 790, 960, 1150
	y += 50
	c.text(bold, xNo, y, "S.No")
	c.text(bold, xDesc, y, "Description")
	c.text(bold, xHSN, y, "HSN")
	rightText(bold, xQty, y, "Qty")
	rightText(bold, xRate, y, "Rate")
	rightText(bold, xAmt, y, "Amount")
	y += 16
	rule(y)
	y += 46
	for i, it := range items {
		c.text(reg, xNo, y, fmt.Sprint(i+1))
		c.text(reg, xDesc, y, it.desc)
		c.text(reg, xHSN, y, it.hsn)
		rightText(reg, xQty, y, fmt.Sprint(it.qty))
		rightText(reg, xRate, y, amt(it.rate))
		rightText(reg, xAmt, y, amt(it.total))
		y += 44
	}
	rule(y - 20)
	y += 40
	const xLab = 620
	sum := append([][2]string{{"Taxable Amount", amt(taxable)}}, taxRows...)
	sum = append(sum, [2]string{"Total Tax", amt(tax)})
	for _, row := range sum {
		c.text(reg, xLab, y, row[0])
		rightText(reg, xAmt, y, row[1])
		y += 44
	}
	c.text(big, xLab, y+6, "Total Amount")
	rightText(big, xAmt, y+6, amt(total))
	y += 120
	rightText(reg, right, y, "For "+seller.name)
	rightText(reg, right, y+110, "Authorised Signatory")
	layout := "invoice-igst"
	if intra {
		layout = "invoice-cgst-sgst"
	}
	return c.img, layout, truth
}
