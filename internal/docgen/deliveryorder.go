package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"time"
)

// doAsset is a financed product: its category as printed, its make and
// model, and the range of its price in rupees.
type doAsset struct {
	product, model string
	lo, hi         int
}

var (
	doVehicles = []doAsset{
		{"Two Wheeler", "Honda Activa 6G", 76000, 84000},
		{"Two Wheeler", "Hero Splendor Plus", 72000, 78000},
		{"Two Wheeler", "TVS Jupiter 125", 80000, 92000},
		{"Two Wheeler", "Bajaj Pulsar 150", 110000, 125000},
		{"Two Wheeler", "Royal Enfield Classic 350", 190000, 225000},
		{"Four Wheeler", "Maruti Swift VXI", 650000, 720000},
		{"Four Wheeler", "Hyundai Creta SX", 1450000, 1650000},
		{"Four Wheeler", "Tata Nexon XM", 900000, 1050000},
		{"Four Wheeler", "Mahindra Bolero B6", 950000, 1000000},
		{"Tractor", "Mahindra 575 DI", 680000, 760000},
		{"Tractor", "Swaraj 744 FE", 720000, 800000},
		{"Tractor", "Sonalika DI 745 III", 690000, 750000},
	}
	doDurables = []doAsset{
		{"LED TV", "Samsung Crystal 4K 43 inch", 32000, 42000},
		{"LED TV", "LG 55UR7500 55 inch", 48000, 62000},
		{"Refrigerator", "Whirlpool 265 L Frost Free", 26000, 34000},
		{"Refrigerator", "LG GL-T292RPZY Frost Free", 28000, 36000},
		{"Washing Machine", "IFB Senator 8 kg", 34000, 42000},
		{"Air Conditioner", "Voltas 1.5 Ton 183V", 36000, 46000},
		{"Laptop", "HP Pavilion 15 Core i5", 48000, 62000},
		{"Mobile Phone", "Samsung Galaxy S23", 62000, 75000},
	}
	doFinanciers   = []string{"Bajaj Finance Ltd", "HDB Financial Services Ltd", "Tata Capital Ltd", "Hero FinCorp Ltd", "TVS Credit Services Ltd", "Mahindra Finance Ltd", "Cholamandalam Finance Ltd", "IDFC First Bank Ltd"}
	doVehicleFirms = []string{"Motors", "Agencies", "Enterprises", "Distributors"}
	doDurableFirms = []string{"Electronics", "Traders", "Agencies", "Enterprises", "Distributors"}
	doColours      = []string{"Pearl White", "Matte Black", "Red", "Silver", "Grey", "Blue"}
)

// doLabels are one layout's label wordings.
type doLabels struct {
	number, date, customer, product, model, total, loan, down string
}

var doLabelSets = []doLabels{
	{"DO No.", "Date", "Customer Name", "Product", "Make / Model", "Invoice Amount", "Loan Amount", "Down Payment"},
	{"D.O. No.", "Dated", "Name of Customer", "Product", "Model", "Total Amount", "Finance Amount", "Margin Money"},
	{"Delivery Order No.", "DO Date", "Customer Name", "Asset", "Make & Model", "Total Invoice Value", "Loan Amount", "Down Payment"},
}

// newDODealer draws a GST-registered dealer whose name ends in one of
// suffixes, redrawing newParty's firm until it does (so its PAN still
// carries the name's first letter).
func newDODealer(r *rand.Rand, reg *region, suffixes []string) invoiceParty {
	for {
		p := newParty(r, reg)
		for _, s := range suffixes {
			if strings.HasSuffix(p.name, " "+s) {
				return p
			}
		}
	}
}

// renderDeliveryOrder draws a dealer's delivery order to a financier: the
// dealer's letterhead (name, address, GSTIN), the DO number and date, the
// financier's branch, the customer, the product and its model (chassis and
// engine numbers for vehicles), the price break-up with the invoice
// amount (what the dealer's GST invoice totals: price and accessories;
// insurance and registration are noted apart), loan amount and down
// payment (invoice = loan + down), a
// disbursement request and the dealer's signature. Layouts: vehicle or
// consumer-durable dealer, amounts in a ruled table or as a label-value
// list; label wording, title, colours and amount formats vary.
func renderDeliveryOrder(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	return drawDeliveryOrder(r, nil)
}

// drawDeliveryOrder is renderDeliveryOrder for an applicant a, or of a
// drawn customer when a is nil. With a, the customer is a's person, the
// dealer is of a's state, the price is nudged (by whole rupees) to a total
// a GST invoice can reach, and the sale is recorded in a for the invoice.
func drawDeliveryOrder(r *rand.Rand, a *applicant) (*image.RGBA, string, map[string]string) {
	vehicle := r.IntN(2) == 0
	table := r.IntN(2) == 0
	reg := &regions[r.IntN(len(regions))]
	if a != nil {
		reg = a.person.region
	}
	assets, firms := doDurables, doDurableFirms
	if vehicle {
		assets, firms = doVehicles, doVehicleFirms
	}
	dealer := newDODealer(r, reg, firms)
	cust := a.holder(r)
	asset := pick(r, assets)
	lab := pick(r, doLabelSets)
	fin := pick(r, doFinanciers)

	date := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900))
	var number string
	switch r.IntN(3) {
	case 0:
		number = fmt.Sprintf("DO/%d/%05d", date.Year(), 1+r.IntN(99999))
	case 1:
		fy := date.Year()
		if date.Month() < time.April {
			fy--
		}
		number = fmt.Sprintf("DO-%02d%02d/%04d", fy%100, (fy+1)%100, 1+r.IntN(9999))
	default:
		number = fmt.Sprintf("%s/DO/%d", strings.ToUpper(dealer.name[:2]), 100+r.IntN(9900))
	}

	// Amounts in paise. Whole rupees when printed "Rs. 85,499/-".
	slash := r.IntN(3) == 0
	indian := !slash && r.IntN(4) != 0
	rupees := func(lo, hi int) int64 { return int64(lo+r.IntN(hi-lo+1)) * 100 }
	price := rupees(asset.lo, asset.hi)
	if !slash && r.IntN(3) == 0 {
		price += int64(r.IntN(100))
	}
	var rows [][2]string // label, amount drawn later
	var extra string     // a note under the amounts
	var parts []int64
	if vehicle {
		ins := price * int64(3+r.IntN(3)) / 100 / 100 * 100
		rto := price * int64(6+r.IntN(5)) / 100 / 100 * 100
		// Insurance and registration are paid to others, outside the
		// dealer's invoice, which the DO's invoice amount must equal.
		extra = fmt.Sprintf("Insurance (Rs. %s) and RTO / registration (Rs. %s) are paid by the customer directly.",
			strings.TrimSuffix(formatAmount(ins, true), ".00"), strings.TrimSuffix(formatAmount(rto, true), ".00"))
		parts = []int64{price}
		rows = [][2]string{{"Ex-Showroom Price", ""}}
		if r.IntN(2) == 0 {
			parts = append(parts, rupees(1500, 15000))
			rows = append(rows, [2]string{"Accessories", ""})
		}
	} else {
		parts = []int64{price}
		rows = [][2]string{{"Price (incl. GST)", ""}}
		if r.IntN(2) == 0 {
			parts = append(parts, rupees(999, 3999))
			rows = append(rows, [2]string{"Extended Warranty", ""})
		}
	}
	if a != nil {
		a.fitPrice(parts, asset)
	}
	var total int64
	for _, p := range parts {
		total += p
	}
	// The financier lends 60-90% of the total, in whole hundreds.
	loan := total * int64(60+r.IntN(31)) / 100 / 10000 * 10000
	down := total - loan
	amt := func(p int64) string {
		if slash {
			return "Rs. " + strings.TrimSuffix(formatAmount(p, true), ".00") + "/-"
		}
		return formatAmount(p, indian)
	}

	custName := strings.Join(cust.words, " ")
	if r.IntN(2) == 0 {
		custName = strings.ToUpper(custName)
	}
	truth := map[string]string{
		"do_number":      number,
		"do_date":        date.Format("02/01/2006"),
		"dealer_name":    dealer.name,
		"dealer_address": dealer.address,
		"customer_name":  custName,
		"product":        asset.product,
		"model":          asset.model,
		"invoice_amount": plainAmount(total),
		"loan_amount":    plainAmount(loan),
		"down_payment":   plainAmount(down),
	}
	if a != nil {
		a.recordSale(dealer, custName, date, asset, rows, parts)
	}

	c := newCanvas(invoiceW, invoiceH, color.White)
	accent := pick(r, []color.RGBA{{150, 20, 30, 255}, {20, 50, 130, 255}, {20, 100, 60, 255}, {30, 30, 30, 255}})
	head := style{c.fonts.bold, float64(38 + r.IntN(8)), accent}
	reg26 := style{c.fonts.regular, 25, ink}
	bold := style{c.fonts.bold, 25, ink}
	small := style{c.fonts.regular, 22, ink}
	const left, right = 90, 1150
	rule := func(y int, col color.Color) { c.fill(image.Rect(left-10, y, right+10, y+3), col) }
	rightText := func(st style, x, y int, s string) { c.text(st, x-c.width(st, s), y, s) }

	// Letterhead.
	y := 90
	c.centered(head, invoiceW/2, y, dealer.name)
	y += 44
	addr := c.wrap(small, dealer.printed, right-left-100)
	for _, l := range addr {
		c.centered(small, invoiceW/2, y, l)
		y += 32
	}
	gstLine := "GSTIN: " + dealer.gstin
	if r.IntN(2) == 0 {
		gstLine += "   Ph: " + fmt.Sprintf("0%d-%s", 20+r.IntN(70), digits(r, 8))
	}
	c.centered(small, invoiceW/2, y, gstLine)
	y += 22
	rule(y, accent)

	title := pick(r, []string{"DELIVERY ORDER", "DELIVERY ORDER", "D.O. / DELIVERY ORDER", "DELIVERY ORDER CUM INVOICE REQUEST"})
	y += 62
	if c.hindi() && r.IntN(3) == 0 {
		c.centered(style{c.fonts.deva, 30, ink}, invoiceW/2, y, "डिलीवरी ऑर्डर")
		y += 46
	}
	c.centered(style{c.fonts.bold, 34, ink}, invoiceW/2, y, title)
	y += 60
	c.text(reg26, left, y, lab.number+" "+number)
	rightText(reg26, right, y, lab.date+": "+truth["do_date"])
	y += 52
	for _, l := range []string{"To,", "The Branch Manager,", fin + ",", cust.city.name + "."} {
		c.text(reg26, left, y, l)
		y += 32
	}
	y += 16
	c.text(bold, left, y, "Sub: Delivery of "+strings.ToLower(asset.product)+" under your finance scheme")
	y += 50

	info := [][2]string{
		{lab.customer, custName},
		{"Address", strings.Join(append(cust.addr[1:], cust.region.state+" - "+cust.pin), ", ")},
		{"Mobile No.", fmt.Sprintf("%d%s", 6+r.IntN(4), digits(r, 9))},
		{lab.product, asset.product},
		{lab.model, asset.model},
	}
	if vehicle {
		info = append(info,
			[2]string{"Chassis No.", "MA" + string(rune('1'+r.IntN(8))) + doUpper(r, 4) + digits(r, 10)},
			[2]string{"Engine No.", doUpper(r, 2) + digits(r, 2) + doUpper(r, 1) + digits(r, 7)},
			[2]string{"Colour", pick(r, doColours)})
	} else {
		info = append(info, [2]string{"Serial No.", doUpper(r, 3) + digits(r, 9)})
	}
	if r.IntN(2) == 0 {
		// Field order varies: some dealers put the product first.
		info = append([][2]string{info[3], info[4], info[0], info[1], info[2]}, info[5:]...)
	}
	const xVal = 420
	for _, kv := range info {
		c.text(reg26, left, y, kv[0])
		c.text(reg26, xVal-20, y, ":")
		for i, l := range c.wrap(reg26, strings.Split(kv[1], ", "), right-xVal) {
			c.text(reg26, xVal, y+i*36, l)
			if i > 0 {
				y += 34
			}
		}
		y += 38
	}

	y += 16
	for i := range rows {
		rows[i][1] = amt(parts[i])
	}
	totals := [][2]string{{lab.total, amt(total)}, {lab.down, amt(down)}, {lab.loan, amt(loan)}}
	if r.IntN(2) == 0 {
		totals[1], totals[2] = totals[2], totals[1]
	}
	layout := "do-durable"
	if vehicle {
		layout = "do-vehicle"
	}
	if table {
		layout += "-table"
		const xAmt = 1120
		grid := color.RGBA{175, 175, 175, 255}
		top := y - 10
		c.fill(image.Rect(left-10, top, right+10, top+48), color.RGBA{225, 228, 235, 255})
		c.text(bold, left+12, top+34, "Particulars")
		rightText(bold, xAmt, top+34, "Amount (Rs.)")
		y = top + 48
		all := append(append([][2]string{}, rows...), totals...)
		for i, row := range all {
			c.fill(image.Rect(left-10, y, right+10, y+1), grid)
			st := reg26
			if i >= len(rows) {
				st = bold
			}
			c.text(st, left+12, y+35, row[0])
			rightText(st, xAmt, y+35, row[1])
			y += 50
		}
		c.fill(image.Rect(left-10, y, right+10, y+1), grid)
		c.fill(image.Rect(left-10, top, left-9, y), grid)
		c.fill(image.Rect(right+9, top, right+10, y), grid)
		c.fill(image.Rect(760, top, 761, y), grid)
		y += 50
	} else {
		layout += "-list"
		const xAmt = 820
		for _, row := range rows {
			c.text(reg26, left, y, row[0])
			c.text(reg26, xVal-20, y, ":")
			rightText(reg26, xAmt, y, row[1])
			y += 40
		}
		for _, row := range totals {
			c.text(bold, left, y, row[0])
			c.text(bold, xVal-20, y, ":")
			rightText(bold, xAmt, y, row[1])
			y += 40
		}
		y += 24
	}
	if extra != "" {
		c.text(small, left, y, extra)
		y += 44
	}
	if r.IntN(2) == 0 {
		months := pick(r, []int64{12, 18, 24, 36, 48})
		emi := (loan*112/100/months + 99) / 100 * 100
		c.text(reg26, left, y, fmt.Sprintf("Processing Fee: Rs. %d/-      EMI: Rs. %s x %d months", 499+r.IntN(30)*100, strings.TrimSuffix(formatAmount(emi, true), ".00"), months))
		y += 48
	}
	body := []string{
		"We request you to disburse the loan in our favour. The customer has paid",
		"the down payment; the " + strings.ToLower(asset.product) + " will be delivered on disbursement.",
	}
	for _, l := range body {
		c.text(reg26, left, y, l)
		y += 36
	}
	y += 40
	rightText(bold, right, y, "For "+dealer.name)
	c.signature(image.Rect(right-260, y+20, right-40, y+80), r)
	// The dealer's round stamp, faint, beside the signature.
	c.ellipse(left+120, float64(y+60), 70, 70, accent, c.img.Rect)
	c.ellipse(left+120, float64(y+60), 63, 63, color.RGBA{255, 255, 255, 255}, c.img.Rect)
	rightText(reg26, right, y+110, "Authorised Signatory")
	return c.img, layout, truth
}

// doUpper returns n random capital letters.
func doUpper(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}
