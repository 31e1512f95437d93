package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"time"
)

// udyamStateCodes are the two letters an Udyam number gives each state
// people.go draws (Karnataka is KR, Telangana TS, Odisha OD on Udyam).
var udyamStateCodes = map[string]string{
	"Maharashtra": "MH", "Uttar Pradesh": "UP", "Bihar": "BR", "Tamil Nadu": "TN",
	"Karnataka": "KR", "Kerala": "KL", "West Bengal": "WB", "Gujarat": "GJ",
	"Punjab": "PB", "Rajasthan": "RJ", "Telangana": "TS", "Andhra Pradesh": "AP",
	"Odisha": "OD", "Assam": "AS", "Madhya Pradesh": "MP", "Delhi": "DL",
}

// udyamNIC is one line of the NIC code table: the 2-, 4- and 5-digit
// codes with their (shortened) descriptions.
type udyamNIC struct{ two, four, five string }

var (
	udyamNICManufacturing = []udyamNIC{
		{"10 - Food products", "1071 - Bakery products", "10711 - Bread"},
		{"14 - Wearing apparel", "1410 - Apparel", "14101 - Garments"},
		{"25 - Metal products", "2592 - Machining", "25920 - Job work"},
		{"22 - Plastic products", "2220 - Plastic goods", "22209 - Plastic items"},
	}
	udyamNICServices = []udyamNIC{
		{"47 - Retail trade", "4752 - Hardware retail", "47521 - Hardware stores"},
		{"56 - Food service", "5610 - Restaurants", "56101 - Restaurants"},
		{"95 - Repair services", "9512 - Phone repair", "95120 - Phone repair"},
		{"46 - Wholesale trade", "4649 - Household goods", "46497 - Electricals"},
	}
	udyamFlats    = []string{"Shop No %d", "Plot No %d", "Gala No %d", "House No %d", "Unit No %d", "Door No %d"}
	udyamPremises = []string{"Sai Residency", "Shanti Apartments", "Krishna Towers", "Laxmi Complex", "Ganesh Plaza", "Industrial Estate", "Metro Mall"}
	udyamBlocks   = []string{"Haveli", "Ward 12", "Sector 4", "Zone 2", "Mandal 3"}
	udyamTypes    = []string{"MICRO", "MICRO", "MICRO", "SMALL", "SMALL", "MEDIUM"}
	udyamSocial   = []string{"GENERAL", "GENERAL", "OBC", "OBC", "SC", "ST"}
)

// udyamWording is the label text of one certificate generation: the
// 2020-21 certificates and the newer ones differ in case and a few words.
type udyamWording struct {
	name                                        string
	number, enterprise, kind, activity, social  string
	owner, units, address, incorporation, start string
	nic, registration                           string
}

var udyamWordings = []udyamWording{
	{name: "old", number: "UDYAM REGISTRATION NUMBER", enterprise: "NAME OF ENTERPRISE", kind: "TYPE OF ENTERPRISE",
		activity: "MAJOR ACTIVITY", social: "SOCIAL CATEGORY OF ENTREPRENEUR", owner: "NAME OF ENTREPRENEUR",
		units: "NAME OF UNIT(S)", address: "OFFICIAL ADDRESS OF ENTERPRISE",
		incorporation: "DATE OF INCORPORATION / REGISTRATION OF ENTERPRISE",
		start:         "DATE OF COMMENCEMENT OF PRODUCTION/BUSINESS",
		nic:           "NATIONAL INDUSTRY CLASSIFICATION CODE(S)", registration: "DATE OF UDYAM REGISTRATION"},
	{name: "new", number: "Udyam Registration Number", enterprise: "Name of Enterprise", kind: "Type of Enterprise",
		activity: "Major Activity", social: "Social Category of Entrepreneur", owner: "Owner Name",
		units: "Name of Unit(s)", address: "Official Address of Enterprise",
		incorporation: "Date of Incorporation / Registration of Enterprise",
		start:         "Date of Commencement of Production/Business",
		nic:           "National Industry Classification Code(s)", registration: "Date of Udyam Registration"},
}

// udyamVLines draws the table's vertical rules. Off: with them, the
// engine's Tesseract dropped whole boxed rows (measured on seed 1); real
// certificates are ruled, so this is a known gap of the corpus.
const udyamVLines = false

// udyamClass is one row of the "type of enterprise" table.
type udyamClass struct {
	year, kind string
	date       time.Time
}

// fyName is a financial year starting in April of y, as "2023-24".
func fyName(y int) string { return fmt.Sprintf("%d-%02d", y, (y+1)%100) }

// fyOf is the year in which the financial year of t starts.
func fyOf(t time.Time) int {
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// renderUdyam draws the Udyam registration certificate printed from
// udyamregistration.gov.in: the bilingual header, then a two-column table
// (number, enterprise, classification rows, activity, social category,
// owner on some, units, address sub-table, incorporation, commencement, NIC
// codes, date of registration) and the disclaimer. Layouts vary the
// wording (2020-21 or newer), the case of values and whether the owner is
// printed; colours and the label shading vary too.
func renderUdyam(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	w := udyamWordings[r.IntN(len(udyamWordings))]
	upper := r.IntN(2) == 0
	withOwner := r.IntN(2) == 0
	cs := func(s string) string {
		if upper {
			return strings.ToUpper(s)
		}
		return s
	}
	titleWord := func(s string) string { // MICRO -> Micro in title-case layouts
		if upper {
			return s
		}
		return s[:1] + strings.ToLower(s[1:])
	}

	reg := &regions[r.IntN(len(regions))]
	firm := newParty(r, reg)
	name := firm.name
	if r.IntN(3) == 0 {
		name = "M/S " + name
	}
	name = cs(name)
	owner := newPerson(r)
	ownerName := cs(strings.Join(owner.words, " "))

	// Registration: 2020-21 certificates from July 2020 to March 2021,
	// newer ones to the end of 2025.
	regDate := time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(270))
	if w.name == "new" {
		regDate = time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(1990))
	}
	incorp := regDate.AddDate(0, 0, -30-r.IntN(6000))
	commence := incorp.AddDate(0, 0, r.IntN(200))
	printed := regDate.AddDate(0, 0, 1+r.IntN(400))

	classes := []udyamClass{{fyName(fyOf(regDate)), pick(r, udyamTypes), regDate}}
	if w.name == "new" {
		for y := fyOf(regDate) + 1; y <= 2025 && len(classes) < 3; y++ {
			if r.IntN(2) == 0 {
				continue
			}
			k := classes[len(classes)-1].kind
			if r.IntN(3) == 0 {
				k = pick(r, udyamTypes)
			}
			classes = append(classes, udyamClass{fyName(y), k, time.Date(y, 4, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(60))})
		}
	}
	latest := classes[len(classes)-1].kind
	descending := len(classes) > 1 && r.IntN(4) == 0
	if descending {
		for i, j := 0, len(classes)-1; i < j; i, j = i+1, j-1 {
			classes[i], classes[j] = classes[j], classes[i]
		}
	}

	activity := "SERVICES"
	nics := udyamNICServices
	if r.IntN(2) == 0 {
		activity, nics = "MANUFACTURING", udyamNICManufacturing
	}
	nicRows := []udyamNIC{pick(r, nics)}
	if r.IntN(3) == 0 {
		if n := pick(r, nics); n != nicRows[0] {
			nicRows = append(nicRows, n)
		}
	}

	// Address: the sub-table's cells; empty ones are printed blank and
	// left out of the truth.
	ct := pick(r, reg.cities)
	pin := ct.pin + fmt.Sprintf("%03d", r.IntN(100))
	flat := fmt.Sprintf(pick(r, udyamFlats), 1+r.IntN(300))
	premises, block := "", ""
	if r.IntN(2) == 0 {
		premises = pick(r, udyamPremises)
	}
	if r.IntN(5) < 2 {
		block = pick(r, udyamBlocks)
	}
	town, road := pick(r, localities), pick(r, streets)
	state := cs(reg.state)
	if upper || r.IntN(2) == 0 {
		state = strings.ToUpper(reg.state) // the portal prints states in capitals
	}
	addr := nonEmpty(cs(flat), cs(premises), cs(town), cs(block), cs(road), cs(ct.name), cs(ct.district), state, pin)
	number := fmt.Sprintf("UDYAM-%s-%02d-%07d", udyamStateCodes[reg.state], 1+r.IntN(40), 1+r.IntN(9999999))
	mobile := fmt.Sprintf("%d%s*****%02d", 6+r.IntN(4), digits(r, 2), r.IntN(100))
	email := strings.ToLower(owner.words[len(owner.words)-1][:2]) + "******" + fmt.Sprint(r.IntN(100)) + "@gmail.com"

	truth := map[string]string{
		"udyam_number":         number,
		"enterprise_name":      name,
		"address":              strings.Join(addr, ", "),
		"type_of_enterprise":   latest,
		"date_of_registration": regDate.Format("02/01/2006"),
	}
	if withOwner {
		truth["owner_name"] = ownerName
	}

	// Drawing.
	c := newCanvas(invoiceW, invoiceH, color.White)
	inks := []color.RGBA{{20, 20, 20, 255}, {18, 40, 100, 255}, {60, 30, 20, 255}}
	labelInk := inks[r.IntN(len(inks))]
	shades := []color.RGBA{{255, 255, 255, 255}, {232, 240, 250, 255}, {240, 240, 240, 255}}
	shade := shades[r.IntN(len(shades))]
	const rowH = 48
	lab := style{c.fonts.bold, 21, labelInk}
	val := style{c.fonts.regular, 24, ink}
	sub := style{c.fonts.regular, 19, labelInk}
	subVal := style{c.fonts.regular, 22, ink}
	subHead := style{c.fonts.bold, 17, labelInk}
	nicVal := style{c.fonts.regular, 19, ink}
	// Thin, light rules, as the portal prints them: dark 2 px rules
	// merge with the text under a photo's perspective.
	grid := color.RGBA{175, 175, 175, 255}
	const left, right, split = 50, 1190, 470
	const valX = split + 20
	hline := func(y int) { c.fill(image.Rect(left, y, right, y+1), grid) }
	vline := func(x, y0, y1 int) {
		if udyamVLines {
			c.fill(image.Rect(x, y0, x+2, y1), grid)
		}
	}

	// Header.
	c.emblem(invoiceW/2, 85, 45, color.RGBA{70, 70, 70, 255})
	centerBi := func(st style, y int, hi, en string) {
		wd := c.width(st, en)
		if c.hindi() {
			wd += c.width(style{c.fonts.deva, st.size * 1.05, st.col}, hi) + c.width(st, " / ")
		}
		c.bilingual(st, invoiceW/2-wd/2, y, hi, en)
	}
	centerBi(style{c.fonts.bold, 22, ink}, 175, "भारत सरकार", "Government of India")
	centerBi(style{c.fonts.bold, 20, ink}, 212, "सूक्ष्म, लघु एवं मध्यम उद्यम मंत्रालय", "Ministry of Micro, Small & Medium Enterprises")
	centerBi(style{c.fonts.bold, 26, color.RGBA{150, 30, 30, 255}}, 262, "उद्यम पंजीकरण प्रमाणपत्र", "UDYAM REGISTRATION CERTIFICATE")

	// labelLines wraps a label to the label column.
	labelLines := func(s string) []string {
		var out []string
		cur := ""
		for _, wd := range strings.Fields(s) {
			try := strings.TrimSpace(cur + " " + wd)
			if cur != "" && c.width(lab, try) > split-left-30 {
				out = append(out, cur)
				cur = wd
				continue
			}
			cur = try
		}
		return append(out, cur)
	}
	y := 300
	top := y
	hline(y)
	// row draws a label and its one-line value; height is at least what
	// the label's lines need, or minH.
	row := func(label, value string, minH int) int {
		ls := labelLines(label)
		h := max(minH, 26*len(ls)+26)
		c.fill(image.Rect(left+2, y+2, split, y+h), shade)
		for i, l := range ls {
			c.text(lab, left+12, y+33+26*i, l)
		}
		if value != "" {
			c.text(val, valX, y+35, value)
		}
		vline(split, y, y+h)
		y += h
		hline(y)
		return y - h
	}
	row(w.number, number, rowH)
	row(w.enterprise, name, rowH)

	// Type of enterprise: a small table in the value column.
	n := len(classes)
	ty := row(w.kind, "", rowH*(n+1))
	xs := []int{valX, valX + 55, valX + 255, valX + 455}
	for i, hd := range []string{"S.No.", "Classification Year", "Enterprise Type", "Classification Date"} {
		c.text(subHead, xs[i], ty+33, hd)
	}
	for i, cl := range classes {
		by := ty + 35 + rowH*(i+1)
		c.text(subVal, xs[0]+8, by, fmt.Sprint(i+1))
		c.text(subVal, xs[1], by, cl.year)
		c.text(subVal, xs[2], by, titleWord(cl.kind))
		c.text(subVal, xs[3], by, cl.date.Format("02/01/2006"))
	}
	row(w.activity, titleWord(activity), rowH)
	social := pick(r, udyamSocial)
	if len(social) > 3 {
		social = titleWord(social)
	}
	row(w.social, social, rowH)
	if withOwner {
		row(w.owner, ownerName, rowH)
	}
	uy := row(w.units, "", rowH*2)
	c.text(subHead, valX, uy+33, "S.No.")
	c.text(subHead, valX+80, uy+33, "Name of Unit(s)")
	c.text(subVal, valX+8, uy+35+rowH, "1")
	c.text(subVal, valX+80, uy+35+rowH, strings.TrimPrefix(strings.TrimPrefix(name, "M/S "), "m/s "))

	// Official address: a heading row, then a full-width sub-table of
	// label/value pairs, two pairs a row.
	c.fill(image.Rect(left+2, y+2, right-1, y+rowH), shade)
	c.text(lab, left+12, y+33, w.address)
	y += rowH
	hline(y)
	cells := [][4]string{
		{"Flat/Door/Block No.", cs(flat), "Name of Premises/ Building", cs(premises)},
		{"Village/Town", cs(town), "Block", cs(block)},
		{"Road/Street/Lane", cs(road), "City", cs(ct.name)},
	}
	cells = append(cells, [4]string{"State", state, "District", cs(ct.district)})
	if w.name == "old" {
		cells = append(cells, [4]string{"Pin", pin, "Mobile", mobile}, [4]string{"Email", email, "", ""})
	} else {
		cells = append(cells, [4]string{"Pin", pin, "", ""}, [4]string{"Mobile", mobile, "Email", email})
	}
	ax := []int{left + 12, 322, 652, 912}
	for _, cl := range cells {
		for i, s := range cl {
			st := sub
			if i%2 == 1 {
				st = subVal
			}
			c.text(st, ax[i], y+33, s)
		}
		vline(ax[1]-12, y, y+rowH)
		vline(ax[2]-12, y, y+rowH)
		vline(ax[3]-12, y, y+rowH)
		y += rowH
		hline(y)
	}
	row(w.incorporation, incorp.Format("02/01/2006"), rowH)
	row(w.start, commence.Format("02/01/2006"), rowH)

	// NIC codes: a heading row and a full-width table.
	c.fill(image.Rect(left+2, y+2, right-1, y+rowH), shade)
	c.text(lab, left+12, y+33, w.nic)
	y += rowH
	hline(y)
	nx := []int{left + 12, 110, 370, 640, 905, 1068}
	heads := []string{"S.No.", "NIC 2 Digit", "NIC 4 Digit", "NIC 5 Digit", "Activity"}
	if w.name == "new" {
		heads = append(heads, "Date")
	}
	for i, hd := range heads {
		c.text(subHead, nx[i], y+33, hd)
	}
	y += rowH
	for i, nr := range nicRows {
		act := "Services"
		if activity == "MANUFACTURING" {
			act = "Manufacturing"
		}
		c.text(nicVal, nx[0]+8, y+33, fmt.Sprint(i+1))
		c.text(nicVal, nx[1], y+33, nr.two)
		c.text(nicVal, nx[2], y+33, nr.four)
		c.text(nicVal, nx[3], y+33, nr.five)
		c.text(nicVal, nx[4], y+33, act)
		if w.name == "new" {
			c.text(nicVal, nx[5], y+33, regDate.Format("02/01/2006"))
		}
		y += rowH
	}
	hline(y)
	row(w.registration, regDate.Format("02/01/2006"), rowH)
	vline(left, top, y)
	vline(right-2, top, y)

	// Footer.
	y += 50
	foot := style{c.fonts.regular, 17, ink}
	c.text(foot, left, y, "Disclaimer: This is computer generated statement, no signature required. Printed from")
	c.text(foot, left, y+28, "https://udyamregistration.gov.in & Date of printing: "+printed.Format("02/01/2006"))

	ownerTag := "noowner"
	if withOwner {
		ownerTag = "owner"
	}
	caseTag := "title"
	if upper {
		caseTag = "upper"
	}
	return c.img, fmt.Sprintf("udyam-%s-%s-%s", w.name, caseTag, ownerTag), truth
}
