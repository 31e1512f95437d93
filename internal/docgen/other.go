package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// otherKind is one kind of document atlas must refuse: its layout name
// and how to draw it.
type otherKind struct {
	name string
	draw func(r *rand.Rand) *image.RGBA
}

// otherKinds are the negatives of the UNRECOGNISED pseudo-type. Several
// are hard on purpose: they carry what a type's rules look for (a name, a
// date of birth and an ID number on a college card; amounts, an account
// number and taxes on a bill) without being that type.
var otherKinds = []otherKind{
	{"other-menu", drawOtherMenu},
	{"other-letter", drawOtherLetter},
	{"other-photo", drawOtherScenery},
	{"other-utility-bill", drawOtherUtilityBill},
	{"other-id-card", drawOtherInstituteCard},
	{"other-receipt", drawOtherReceipt},
	{"other-note", drawOtherNote},
	{"other-newspaper", drawOtherNewspaper},
}

// renderOther draws a document that is none of atlas's types, of a kind
// chosen by the seed. Its truth is empty: there is nothing to read.
func renderOther(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	k := otherKinds[r.IntN(len(otherKinds))]
	return k.draw(r), k.name, map[string]string{}
}

// A4 at 150 dpi, as the other single-page documents.
const otherW, otherH = 1240, 1754

// otherWrap breaks text into lines no wider than w, at spaces.
func (c *canvas) otherWrap(st style, text string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if cur != "" && c.width(st, try) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		cur = try
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// paragraph draws text wrapped to w from (x, y) with line height lh and
// returns the y below it.
func (c *canvas) otherPara(st style, x, y, w, lh int, text string) int {
	for _, l := range c.otherWrap(st, text, w) {
		c.text(st, x, y, l)
		y += lh
	}
	return y
}

var (
	otherDishes = map[string][]string{
		"Starters":    {"Paneer Tikka", "Veg Manchurian", "Hara Bhara Kabab", "Chicken 65", "Crispy Corn", "Fish Amritsari", "Mushroom Chilli"},
		"Main Course": {"Dal Makhani", "Paneer Butter Masala", "Kadai Veg", "Chicken Curry", "Mutton Rogan Josh", "Malai Kofta", "Chole Masala", "Egg Curry"},
		"Breads":      {"Tandoori Roti", "Butter Naan", "Garlic Naan", "Lachha Paratha", "Missi Roti", "Kulcha"},
		"Rice":        {"Jeera Rice", "Veg Biryani", "Chicken Biryani", "Curd Rice", "Veg Pulao", "Steamed Rice"},
		"Desserts":    {"Gulab Jamun", "Rasmalai", "Kulfi", "Gajar Halwa", "Ice Cream"},
		"Beverages":   {"Masala Chai", "Filter Coffee", "Sweet Lassi", "Fresh Lime Soda", "Buttermilk", "Cold Coffee"},
	}
	otherMenuSections = []string{"Starters", "Main Course", "Breads", "Rice", "Desserts", "Beverages"}
	otherEateries     = []string{"Annapurna Family Restaurant", "Hotel Sai Palace", "Spice Garden Dhaba", "Udupi Krishna Bhavan", "Punjab Grill House", "Green Leaf Veg Restaurant"}
)

// drawOtherMenu draws a restaurant menu: sections of otherDishes with prices in two
// columns and the "GST extra" line that invoices also carry.
func drawOtherMenu(r *rand.Rand) *image.RGBA {
	bg := []color.RGBA{{252, 246, 230, 255}, {255, 255, 255, 255}, {245, 238, 220, 255}}[r.IntN(3)]
	accent := []color.RGBA{{140, 30, 30, 255}, {30, 90, 50, 255}, {120, 70, 20, 255}}[r.IntN(3)]
	c := newCanvas(otherW, otherH, bg)
	c.rectOutline(image.Rect(30, 30, otherW-30, otherH-30), 6, accent)
	c.rectOutline(image.Rect(45, 45, otherW-45, otherH-45), 2, accent)
	reg := &regions[r.IntN(len(regions))]
	name := pick(r, otherEateries)
	c.centered(style{c.fonts.bold, 54, accent}, otherW/2, 150, name)
	c.centered(style{c.fonts.regular, 24, ink}, otherW/2, 195, fmt.Sprintf("%s, %s", pick(r, streets), pick(r, reg.cities).name))
	c.centered(style{c.fonts.bold, 40, ink}, otherW/2, 270, "MENU")
	c.fill(image.Rect(otherW/2-120, 290, otherW/2+120, 294), accent)

	head := style{c.fonts.bold, 32, accent}
	item := style{c.fonts.regular, 25, ink}
	colX := []int{90, otherW/2 + 30}
	colW := otherW/2 - 120
	y0 := 370
	x, y := colX[0], y0
	secs := append([]string(nil), otherMenuSections...)
	r.Shuffle(len(secs), func(i, j int) { secs[i], secs[j] = secs[j], secs[i] })
	for i, sec := range secs[:4+r.IntN(3)] {
		if i == 3 || y > otherH-420 {
			x, y = colX[1], y0
		}
		c.text(head, x, y, sec)
		y += 50
		ds := append([]string(nil), otherDishes[sec]...)
		r.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
		for _, d := range ds[:3+r.IntN(len(ds)-2)] {
			price := fmt.Sprintf("%d", (2+r.IntN(60))*10)
			if sec == "Breads" || sec == "Beverages" {
				price = fmt.Sprintf("%d", (2+r.IntN(10))*10)
			}
			end := c.text(item, x, y, d)
			px := x + colW - c.width(item, price)
			for dx := end + 12; dx < px-12; dx += 12 {
				c.fill(image.Rect(dx, y-4, dx+3, y-1), darkGrey)
			}
			c.text(item, px, y, price)
			y += 40
		}
		y += 30
	}
	foot := style{c.fonts.regular, 22, darkGrey}
	notes := []string{"GST extra as applicable.", "All prices in Rupees.", "Service charge 5% on dine-in."}
	if r.IntN(2) == 0 {
		notes = append(notes, fmt.Sprintf("Home delivery: call 9%s", digits(r, 9)))
	}
	for i, n := range notes {
		c.centered(foot, otherW/2, otherH-200+i*34, n)
	}
	return c.img
}

// Sentence parts for prose: letters and newspaper columns. The words are
// generic so that no keyword of a document type turns up by chance more
// than it would in real prose.
var (
	proseSubjects = []string{"The municipal corporation", "Residents of the area", "The district administration", "Local traders", "The state government", "Farmers in the region", "The college committee", "Officials of the water board", "Members of the association", "The organisers"}
	proseVerbs    = []string{"announced", "discussed", "reviewed", "welcomed", "opposed", "postponed", "completed", "proposed", "inspected", "celebrated"}
	proseObjects  = []string{"the new drainage project", "a plan to widen the main road", "the annual cultural festival", "repairs to the old bridge", "a cleanliness drive in the market", "the schedule of the summer camp", "the opening of a public library", "relief measures after the heavy rain", "a tree plantation programme", "the price of onions and tomatoes"}
	proseTails    = []string{"on Monday", "last week", "after a long delay", "in the presence of several guests", "despite the rain", "according to a statement", "earlier this month", "at a meeting held in the town hall", "amid mixed reactions", "for the coming season"}
)

// sentence makes one plain sentence from the prose parts.
func otherSentence(r *rand.Rand) string {
	return pick(r, proseSubjects) + " " + pick(r, proseVerbs) + " " + pick(r, proseObjects) + " " + pick(r, proseTails) + "."
}

func otherProse(r *rand.Rand, n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = otherSentence(r)
	}
	return strings.Join(s, " ")
}

var otherLetterSubjects = []struct{ subject, body string }{
	{"Request for leave", "I request you to kindly grant me leave for %d days as I have to attend a family function in my native place. I will complete my pending work before I leave and my colleague has agreed to handle urgent matters."},
	{"Invitation to the housewarming", "We are happy to invite you and your family to the housewarming of our new home. The function starts at %d in the morning and lunch will be served. Your presence will make the day special for us."},
	{"Complaint about street lights", "The street lights in our lane have not been working for the last %d days. Elderly residents and children find it unsafe to walk after dark. I request you to send someone to repair them at the earliest."},
	// A KYC cover letter names the identity documents it encloses: the
	// words a keyword classifier looks for, on a page that is none.
	{"Submission of KYC documents", "As requested, I enclose self-attested copies of my PAN card and Aadhaar card for updating the KYC of my savings account. Kindly also correct my date of birth and address in your records. I have been a customer of your branch for %d years."},
	{"Thank you for your help", "I write to thank you for the help you gave my son during his admission. He has settled well in the hostel and has made many friends. We hope to visit you when we come to the city in %d weeks."},
}

// drawOtherLetter draws a personal or office letter: the sender's name and
// address, a date, a recipient and paragraphs, i.e. a name, an address
// and a date as identity documents have, with no identity document's
// labels.
func drawOtherLetter(r *rand.Rand) *image.RGBA {
	c := newCanvas(otherW, otherH, color.RGBA{254, 254, 250, 255})
	p := newPerson(r)
	to := newPerson(r)
	body := style{c.fonts.regular, 26, ink}
	x, y := 110, 150
	if r.IntN(2) == 0 {
		// Sender's block top right, as many letters have it.
		x = otherW/2 + 60
	}
	c.text(style{c.fonts.bold, 26, ink}, x, y, strings.Join(p.words, " "))
	y += 38
	for _, a := range append(p.addr[1:], fmt.Sprintf("%s - %s", p.region.state, p.pin)) {
		c.text(body, x, y, a)
		y += 36
	}
	date := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(1200))
	ds := date.Format("02/01/2006")
	if r.IntN(2) == 0 {
		ds = date.Format("2 January 2006")
	}
	y += 30
	c.text(body, 110, y, "Date: "+ds)
	y += 70
	c.text(body, 110, y, "To,")
	y += 38
	c.text(body, 110, y, strings.Join(to.words, " "))
	y += 36
	for _, a := range []string{pick(r, streets), to.city.name + " - " + to.pin} {
		c.text(body, 110, y, a)
		y += 36
	}
	ls := pick(r, otherLetterSubjects)
	y += 40
	c.text(style{c.fonts.bold, 26, ink}, 110, y, "Subject: "+ls.subject)
	y += 70
	greet := "Dear " + to.words[0] + ","
	if r.IntN(2) == 0 {
		greet = "Respected Sir/Madam,"
	}
	c.text(body, 110, y, greet)
	y += 60
	y = c.otherPara(body, 110, y, otherW-220, 40, fmt.Sprintf(ls.body, 2+r.IntN(9)))
	y += 30
	y = c.otherPara(body, 110, y, otherW-220, 40, "Please convey my regards to everyone at home. "+otherSentence(r))
	y += 70
	c.text(body, 110, y, pick(r, []string{"Yours sincerely,", "Yours faithfully,", "With warm regards,"}))
	c.signature(image.Rect(110, y+20, 400, y+100), r)
	c.text(body, 110, y+150, strings.Join(p.words, " "))
	c.text(body, 110, y+190, fmt.Sprintf("Mobile: %d%s", 6+r.IntN(4), digits(r, 9)))
	return c.img
}

// drawOtherScenery draws a photo without text: a sky gradient, a sun, hills,
// trees and grain, the kind of picture users upload by mistake.
func drawOtherScenery(r *rand.Rand) *image.RGBA {
	const w, h = 1600, 1200
	c := newCanvas(w, h, color.White)
	horizon := h/2 + r.IntN(h/5)
	sky := []color.RGBA{{90, 150, 220, 255}, {240, 150, 90, 255}, {120, 170, 200, 255}}[r.IntN(3)]
	c.gradient(image.Rect(0, 0, w, horizon), sky, color.RGBA{230, 225, 210, 255})
	c.gradient(image.Rect(0, horizon, w, h), color.RGBA{70, 130, 60, 255}, color.RGBA{40, 80, 35, 255})
	c.ellipse(float64(200+r.IntN(w-400)), float64(100+r.IntN(horizon/2)), 70, 70, color.RGBA{255, 235, 150, 255}, c.img.Rect)
	for range 3 + r.IntN(4) {
		rx := float64(200 + r.IntN(400))
		c.ellipse(float64(r.IntN(w)), float64(horizon+40), rx, rx*0.4, color.RGBA{uint8(50 + r.IntN(40)), uint8(100 + r.IntN(50)), uint8(50 + r.IntN(30)), 255}, c.img.Rect)
	}
	for range 4 + r.IntN(8) {
		tx, ty := float64(r.IntN(w)), float64(horizon+r.IntN(h-horizon))
		s := 0.5 + (ty-float64(horizon))/float64(h-horizon)
		c.fill(image.Rect(int(tx-8*s), int(ty-60*s), int(tx+8*s), int(ty+40*s)), color.RGBA{90, 60, 30, 255})
		c.ellipse(tx, ty-90*s, 55*s, 70*s, color.RGBA{uint8(20 + r.IntN(40)), uint8(70 + r.IntN(60)), 30, 255}, c.img.Rect)
	}
	// Grain, so the picture is textured like a camera's.
	for i := 0; i < len(c.img.Pix); i += 4 {
		d := r.IntN(25) - 12
		for j := range 3 {
			c.img.Pix[i+j] = clamp8(float64(c.img.Pix[i+j]) + float64(d))
		}
	}
	return c.img
}

var otherUtilities = []struct{ name, kind string }{
	{"Vidyut Vitaran Nigam Ltd", "electricity"},
	{"State Power Distribution Co Ltd", "electricity"},
	{"Airwave Telecom Services", "mobile"},
	{"Skyline Mobile Networks", "mobile"},
}

// drawOtherUtilityBill draws an electricity or a mobile bill: a consumer's
// name and address, an account number, "Bill Date", charges and taxes,
// close to an invoice or a statement without being one.
func drawOtherUtilityBill(r *rand.Rand) *image.RGBA {
	u := pick(r, otherUtilities)
	p := newPerson(r)
	c := newCanvas(otherW, otherH, color.White)
	band := []color.RGBA{{20, 70, 140, 255}, {150, 40, 40, 255}, {20, 110, 90, 255}}[r.IntN(3)]
	c.fill(image.Rect(0, 0, otherW, 170), band)
	white := color.RGBA{255, 255, 255, 255}
	c.text(style{c.fonts.bold, 44, white}, 70, 90, u.name)
	title := "ELECTRICITY BILL"
	if u.kind == "mobile" {
		title = "POSTPAID MOBILE BILL"
	}
	c.text(style{c.fonts.regular, 28, white}, 70, 140, title)

	lab := style{c.fonts.regular, 24, darkGrey}
	val := style{c.fonts.bold, 24, ink}
	billDate := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(800))
	acct := digits(r, 10+r.IntN(3))
	rows := [][2]string{
		{"Name", upperJoin(p.words)},
		{"Address", strings.Join(p.addr[1:], ", ")},
		{"", p.region.state + " - " + p.pin},
		{"Account No", acct},
		{"Bill Date", billDate.Format("02-01-2006")},
		{"Due Date", billDate.AddDate(0, 0, 15).Format("02-01-2006")},
		{"Bill Period", billDate.AddDate(0, -1, 0).Format("02 Jan 2006") + " to " + billDate.AddDate(0, 0, -1).Format("02 Jan 2006")},
	}
	if u.kind == "mobile" {
		rows[3][0] = "Account Number"
		rows = append(rows, [2]string{"Mobile Number", fmt.Sprintf("%d%s", 6+r.IntN(4), digits(r, 9))})
	} else {
		rows[3][0] = pick(r, []string{"Consumer No", "Account No", "Service Connection No"})
		rows = append(rows, [2]string{"Meter No", digits(r, 8)})
	}
	y := 250
	for _, row := range rows {
		c.text(lab, 70, y, row[0])
		lines := c.otherWrap(val, row[1], otherW-420)
		for _, l := range lines {
			c.text(val, 340, y, l)
			y += 38
		}
	}
	y += 30
	c.fill(image.Rect(60, y, otherW-60, y+3), band)
	y += 55

	var charges [][2]string
	var total int64
	add := func(name string, paise int64) {
		total += paise
		charges = append(charges, [2]string{name, formatAmount(paise, true)})
	}
	if u.kind == "electricity" {
		prev := 1000 + r.IntN(30000)
		units := 60 + r.IntN(500)
		c.text(lab, 70, y, fmt.Sprintf("Previous Reading  %d     Current Reading  %d     Units Consumed  %d", prev, prev+units, units))
		y += 60
		add("Energy Charges", int64(units)*int64(450+r.IntN(400)))
		add("Fixed Charges", int64(100+r.IntN(200))*100)
		add("Electricity Duty", total*16/100)
	} else {
		add("Monthly Plan Charges", int64(pick(r, []int{399, 499, 599, 799, 999}))*100)
		add("Usage Charges", int64(r.IntN(30000)))
		half := total * 9 / 100
		add("CGST @ 9%", half)
		add("SGST @ 9%", half)
	}
	for _, ch := range charges {
		c.text(lab, 70, y, ch[0])
		c.text(val, otherW-70-c.width(val, ch[1]), y, ch[1])
		y += 44
	}
	c.fill(image.Rect(60, y-20, otherW-60, y-18), darkGrey)
	y += 20
	tot := formatAmount(total, true)
	c.text(style{c.fonts.bold, 30, ink}, 70, y, "Total Amount Payable")
	c.text(style{c.fonts.bold, 30, ink}, otherW-70-c.width(style{c.fonts.bold, 30, ink}, tot), y, tot)
	y += 100
	c.otherPara(style{c.fonts.regular, 21, darkGrey}, 70, y, otherW-140, 32,
		"Please pay before the due date to avoid a late payment surcharge. Pay online, at any collection centre or through the mobile app. This is a computer generated bill.")
	c.qr(image.Rect(otherW-260, otherH-300, otherW-86, otherH-126), r)
	return c.img
}

var (
	otherInstitutes = []struct{ name, title, idLabel, sign string }{
		{"Sri Venkateswara College of Engineering", "STUDENT IDENTITY CARD", "Roll No", "Principal"},
		{"Govt Polytechnic College", "STUDENT ID CARD", "Enrolment No", "Principal"},
		{"Sai Infotech Solutions Pvt Ltd", "EMPLOYEE ID CARD", "Emp ID", "Authorised Signatory"},
		{"Metro Logistics Pvt Ltd", "EMPLOYEE IDENTITY CARD", "Employee Code", "HR Manager"},
	}
	otherBloodGroups = []string{"A+", "B+", "O+", "AB+", "A-", "B-", "O-"}
)

// drawOtherInstituteCard draws a college or employee ID card: a photo, a name,
// a date of birth, an ID number and "Valid till": the fields of a PAN or
// voter card, on a card that is neither.
func drawOtherInstituteCard(r *rand.Rand) *image.RGBA {
	in := pick(r, otherInstitutes)
	p := newPerson(r)
	// Students are young: the person's birth date is moved into 1998-2006.
	dob := time.Date(1998+r.IntN(9), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	if strings.Contains(in.title, "EMPLOYEE") {
		dob = p.dob
	}
	c := newCanvas(cardW, cardH, color.White)
	band := []color.RGBA{{180, 30, 40, 255}, {20, 80, 150, 255}, {30, 120, 70, 255}, {90, 40, 120, 255}}[r.IntN(4)]
	white := color.RGBA{255, 255, 255, 255}
	c.fill(image.Rect(0, 0, cardW, 130), band)
	c.ellipse(75, 65, 45, 45, white, c.img.Rect)
	c.ellipse(75, 65, 32, 32, band, c.img.Rect)
	c.text(c.fit(style{c.fonts.bold, 34, white}, in.name, cardW-170), 140, 62, in.name)
	c.text(style{c.fonts.regular, 22, white}, 140, 105, pick(r, p.region.cities).name+", "+p.region.state)
	c.centered(style{c.fonts.bold, 28, band}, cardW/2, 178, in.title)

	c.photoBox(image.Rect(40, 210, 240, 450), r)
	lab := style{c.fonts.regular, 22, darkGrey}
	val := style{c.fonts.bold, 26, ink}
	year := 2024 + r.IntN(4)
	var id string
	switch in.idLabel {
	case "Roll No":
		id = fmt.Sprintf("%02d%s%04d", year%100-4, pick(r, []string{"BCE", "BME", "BEC", "BCS"}), r.IntN(10000))
	case "Enrolment No":
		id = fmt.Sprintf("%d%s", year-3, digits(r, 6))
	default:
		id = fmt.Sprintf("%s%05d", pick(r, []string{"EMP", "SIS", "ML"}), r.IntN(100000))
	}
	rows := [][2]string{
		{"Name", upperJoin(p.words)},
		{in.idLabel, id},
		{"Date of Birth", dob.Format("02/01/2006")},
		{"Blood Group", pick(r, otherBloodGroups)},
	}
	if in.sign == "Principal" {
		// College cards print the father's name, as PAN and voter
		// cards do.
		rows = append(rows[:2:2], [2]string{"Father's Name", upperJoin(p.father)}, rows[2], rows[3])
		rows = append(rows, [2]string{"Course", pick(r, []string{"B.E. Computer Science", "Diploma Mechanical", "B.Tech Electronics", "Diploma Civil"})})
	} else {
		rows = append(rows, [2]string{"Department", pick(r, []string{"Operations", "Accounts", "Sales", "IT Support"})})
	}
	y := 240
	for _, row := range rows {
		c.text(lab, 280, y, row[0])
		c.text(c.fit(val, row[1], cardW-280-230), 480, y, ": "+row[1])
		y += 48
	}
	c.text(style{c.fonts.bold, 22, band}, 280, y+10, fmt.Sprintf("Valid till: %02d/%d", 1+r.IntN(12), year))
	c.signature(image.Rect(cardW-300, 510, cardW-60, 570), r)
	c.text(lab, cardW-300, 600, in.sign)
	c.fill(image.Rect(0, cardH-24, cardW, cardH), band)
	return c.img
}

var (
	otherShops     = []string{"Sri Balaji Kirana Stores", "New Fresh Mart", "Ganesh General Stores", "Lucky Supermarket", "Om Sai Provision Store"}
	otherGroceries = []string{"Toor Dal 1kg", "Basmati Rice 5kg", "Sugar 1kg", "Sunflower Oil 1L", "Tea Powder 250g", "Atta 10kg", "Salt 1kg", "Biscuits", "Soap Bar", "Detergent 1kg", "Milk 500ml", "Eggs 12", "Onion 2kg", "Potato 2kg"}
)

// drawOtherReceipt draws a shop's till receipt: a cash memo or a bill of
// supply without a GSTIN, with a bill number, a date, items and a total,
// everything an invoice has but the tax identity.
func drawOtherReceipt(r *rand.Rand) *image.RGBA {
	const w, h = 640, 1500
	c := newCanvas(w, h, color.RGBA{250, 250, 246, 255})
	mono := style{c.fonts.mono, 20, ink}
	bold := style{c.fonts.bold, 28, ink}
	reg := &regions[r.IntN(len(regions))]
	ct := pick(r, reg.cities)
	y := 70
	c.centered(bold, w/2, y, pick(r, otherShops))
	y += 36
	c.centered(mono, w/2, y, pick(r, streets)+", "+ct.name)
	y += 28
	c.centered(mono, w/2, y, fmt.Sprintf("Ph: %d%s", 6+r.IntN(4), digits(r, 9)))
	y += 44
	c.centered(style{c.fonts.bold, 22, ink}, w/2, y, pick(r, []string{"BILL OF SUPPLY", "CASH MEMO", "RETAIL BILL", "RETAIL INVOICE"}))
	y += 36
	date := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900))
	c.text(mono, 30, y, fmt.Sprintf("%s: %d", pick(r, []string{"Bill No", "Invoice No"}), 100+r.IntN(90000)))
	c.text(mono, w-30-c.width(mono, date.Format("02/01/2006")), y, date.Format("02/01/2006"))
	y += 28
	c.text(mono, 30, y, fmt.Sprintf("Time: %02d:%02d", 8+r.IntN(13), r.IntN(60)))
	y += 20
	dash := strings.Repeat("-", 44)
	c.text(mono, 30, y+10, dash)
	y += 40
	c.text(mono, 30, y, "Item                 Qty   Rate    Amt")
	c.text(mono, 30, y+20, dash)
	y += 52
	var total int64
	n := 3 + r.IntN(8)
	for range n {
		it := pick(r, otherGroceries)
		qty := int64(1 + r.IntN(4))
		rate := int64(10+r.IntN(500)) * 100
		amt := qty * rate
		total += amt
		if len(it) > 19 {
			it = it[:19]
		}
		c.text(mono, 30, y, fmt.Sprintf("%-19s %4d %7s %7s", it, qty, formatAmount(rate, true), formatAmount(amt, true)))
		y += 30
	}
	c.text(mono, 30, y, dash)
	y += 34
	disc := total * int64(r.IntN(6)) / 100
	c.text(mono, 30, y, fmt.Sprintf("%-28s %11s", "Sub Total", formatAmount(total, true)))
	y += 30
	if disc > 0 {
		c.text(mono, 30, y, fmt.Sprintf("%-28s %11s", "Discount", "-"+formatAmount(disc, true)))
		y += 30
	}
	c.text(style{c.fonts.mono, 26, ink}, 30, y+10, fmt.Sprintf("TOTAL  Rs %s", formatAmount(total-disc, true)))
	y += 60
	paid := (total - disc + 49999) / 50000 * 50000
	c.text(mono, 30, y, fmt.Sprintf("%-28s %11s", "Cash", formatAmount(paid, true)))
	c.text(mono, 30, y+30, fmt.Sprintf("%-28s %11s", "Change", formatAmount(paid-total+disc, true)))
	y += 90
	for _, l := range c.otherWrap(mono, "Composition taxable person, not eligible to collect tax on supplies.", w-60) {
		c.text(mono, 30, y, l)
		y += 26
	}
	c.centered(mono, w/2, y+40, "Thank you! Visit again.")
	return c.img
}

var otherNoteLines = [][]string{
	{"Things to do", "- call %s about the function", "- pay electricity bill Rs %d", "- buy milk, bread and vegetables", "- collect clothes from tailor", "- school fees before %d th"},
	{"Phone message", "%s called at %d pm", "will come tomorrow morning", "please keep the documents ready", "call back on the landline", "amount due Rs %d"},
	{"Shopping list", "rice 5 kg, dal 2 kg", "oil 2 litre, sugar", "soap, toothpaste", "gift for %s", "budget Rs %d", "medicine for Amma %d tablets"},
}

// drawOtherNote draws a handwritten-looking note on ruled paper: blue ink,
// uneven baselines and sizes, each line slanted like a hand's.
func drawOtherNote(r *rand.Rand) *image.RGBA {
	const w, h, pitch, first = 1200, 1500, 70, 150
	c := newCanvas(w, h, color.RGBA{252, 250, 238, 255})
	for y := first + 10; y < h-40; y += pitch {
		c.fill(image.Rect(0, y, w, y+2), color.RGBA{170, 200, 230, 255})
	}
	c.fill(image.Rect(110, 0, 113, h), color.RGBA{230, 150, 150, 255})
	// The writing goes on its own sheet, slanted, then onto the paper,
	// so the ruling stays straight.
	t := newCanvas(w, h, color.White)
	ink := []color.RGBA{{25, 40, 140, 255}, {20, 20, 30, 255}, {30, 60, 120, 255}}[r.IntN(3)]
	p := newPerson(r)
	lines := pick(r, otherNoteLines)
	y := first
	for i, l := range lines {
		l = strings.Replace(l, "%s", p.words[0], 1)
		if strings.Contains(l, "%d") {
			l = fmt.Sprintf(l, 2+r.IntN(1500))
		}
		size := 36.0
		if i == 0 {
			size = 44
		}
		x := 140 + r.IntN(30)
		for _, ch := range l {
			st := style{t.fonts.regular, size * (0.9 + 0.2*r.Float64()), ink}
			x = t.text(st, x, y-4+r.IntN(9), string(ch)) + r.IntN(3) - 1
		}
		y += pitch
		if i == 0 {
			y += pitch
		}
	}
	slant := otherSlant(t.img, 0.15+0.1*r.Float64(), first-15, pitch, r.Float64()*6)
	for i := 0; i < len(c.img.Pix); i++ {
		c.img.Pix[i] = min(c.img.Pix[i], slant.Pix[i])
	}
	return c.img
}

// otherSlant slants img like italics, shear pixels of x per pixel of y,
// around the middle of each band of height pitch centred on mid (so each
// written line leans without drifting sideways), with a slight wobble.
func otherSlant(img *image.RGBA, shear float64, mid, pitch int, ph float64) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for y := range b.Dy() {
		d := ((y-mid)%pitch+pitch+pitch/2)%pitch - pitch/2
		off := int(math.Round(shear*float64(d) + 2*math.Sin(float64(y)/23+ph)))
		for x := range b.Dx() {
			sx := x + off
			if sx < 0 || sx >= b.Dx() {
				continue
			}
			copy(out.Pix[y*out.Stride+4*x:y*out.Stride+4*x+4], img.Pix[y*img.Stride+4*sx:y*img.Stride+4*sx+4])
		}
	}
	return out
}

var (
	otherMastheads = []string{"THE DAILY CHRONICLE", "MORNING HERALD", "CITY EXPRESS", "THE EVENING POST"}
	otherHeadlines = []string{"Heavy rain lashes city, traffic slows to a crawl", "Council clears plan for new market complex", "Local team wins inter-district cricket trophy", "Water supply to be cut for two days next week", "Farmers hopeful as monsoon arrives on time", "Book fair draws record crowds on opening day"}
)

// drawOtherNewspaper draws a newspaper page: a masthead, a headline, columns of
// prose and a picture.
func drawOtherNewspaper(r *rand.Rand) *image.RGBA {
	c := newCanvas(otherW, otherH, color.RGBA{240, 238, 228, 255})
	date := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900))
	c.centered(style{c.fonts.bold, 72, ink}, otherW/2, 120, pick(r, otherMastheads))
	c.fill(image.Rect(50, 150, otherW-50, 153), ink)
	meta := style{c.fonts.regular, 20, ink}
	c.text(meta, 50, 180, date.Format("Monday, 2 January 2006"))
	c.text(meta, otherW-50-c.width(meta, "Price Rs 5"), 180, "Price Rs 5")
	c.fill(image.Rect(50, 195, otherW-50, 197), ink)

	hs := append([]string(nil), otherHeadlines...)
	r.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
	head := style{c.fonts.bold, 44, ink}
	y := 260
	for _, l := range c.otherWrap(head, hs[0], otherW-100) {
		c.text(head, 50, y, l)
		y += 54
	}
	body := style{c.fonts.regular, 19, ink}
	const cols, gap = 3, 30
	colW := (otherW - 100 - (cols-1)*gap) / cols
	top := y + 10
	for i := range cols {
		x := 50 + i*(colW+gap)
		cy := top
		if i == cols-1 {
			// A picture at the top of the last column.
			pic := image.Rect(x, cy, x+colW, cy+260)
			c.gradient(pic, color.RGBA{150, 150, 150, 255}, color.RGBA{90, 90, 90, 255})
			c.ellipse(float64(x+colW/2), float64(cy+150), 60, 80, color.RGBA{60, 60, 60, 255}, pic)
			cy += 300
		}
		c.otherColumn(body, x, cy, colW, 26, otherH-500, r)
	}
	c.fill(image.Rect(50, otherH-470, otherW-50, otherH-468), ink)
	y = otherH - 420
	head2 := style{c.fonts.bold, 32, ink}
	c.text(head2, 50, y, hs[1])
	y += 50
	colW = (otherW - 100 - gap) / 2
	for i := range 2 {
		x := 50 + i*(colW+gap)
		c.otherColumn(body, x, y, colW, 26, otherH-60, r)
	}
	return c.img
}

// column fills a newspaper column of width w from y down to bottom with
// paragraphs of prose, stopping at the last line that fits, and returns
// the y below it.
func (c *canvas) otherColumn(st style, x, y, w, lh, bottom int, r *rand.Rand) int {
	for {
		for _, l := range c.otherWrap(st, otherProse(r, 3+r.IntN(3)), w) {
			if y > bottom {
				return y
			}
			c.text(st, x, y, l)
			y += lh
		}
		y += lh / 2
	}
}
