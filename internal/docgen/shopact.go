package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/image/font/opentype"
)

// kannadaPath is the Noto Kannada font of fonts-noto-core. Like the
// Devanagari font, it is optional: without it the Karnataka certificate is
// drawn in English only. It is loaded here rather than in render.go's
// fontSet because only this document needs it.
const kannadaPath = "/usr/share/fonts/truetype/noto/NotoSansKannada-Regular.ttf"

var loadKannada = sync.OnceValue(func() *opentype.Font {
	b, err := os.ReadFile(kannadaPath)
	if err != nil {
		return nil
	}
	f, _ := opentype.Parse(b) // a broken file counts as absent
	return f
})

// The states whose shop-act documents are drawn, and what each prints.
const (
	shopActMH = "Maharashtra"
	shopActDL = "Delhi"
	shopActKA = "Karnataka"
)

var (
	shopActStates = []string{shopActMH, shopActDL, shopActKA}
	shopActNature = []string{
		"Retail Trade - Grocery", "Wholesale Trade", "Hotel and Restaurant", "Medical Store",
		"IT Services", "Tailoring Shop", "Mobile Phone Repairs", "Hardware and Paints",
		"Stationery Shop", "Beauty Parlour", "Clothing Store", "Electrical Goods Shop",
		"Bakery and Sweets", "Travel Agency", "Computer Training Institute",
	}
	// shopActKAOffice is the Karnataka inspector's office code a
	// registration number starts with, by city.
	shopActKAOffice = map[string]string{"Bengaluru": "BN", "Mysuru": "MY", "Hubballi": "HB", "Mangaluru": "MN"}
)

// shopActDoc is the content of one licence.
type shopActDoc struct {
	state      string
	number     string // as printed
	est        string
	employer   string
	printed    []string // address elements as drawn, "State - PIN" last
	address    string   // truth: "elements, State, PIN"
	nature     string
	regDate    time.Time
	validTill  time.Time // zero where the document prints no validity
	commenced  time.Time
	workers    int
	city       string
	upperNames bool
}

func regionOf(state string) *region {
	for i := range regions {
		if regions[i].state == state {
			return &regions[i]
		}
	}
	panic("docgen: no region " + state)
}

func newShopActDoc(r *rand.Rand) *shopActDoc {
	d := &shopActDoc{state: pick(r, shopActStates)}
	reg := regionOf(d.state)
	party := newParty(r, reg)
	d.est, d.printed, d.address = party.name, party.printed, party.address
	d.city = party.printed[len(party.printed)-2]
	given := pick(r, reg.male)
	if r.IntN(3) == 0 {
		given = pick(r, reg.female)
	}
	d.employer = given + " " + pick(r, reg.surnames)
	d.nature = pick(r, shopActNature)
	// The Maharashtra 2017 Act's rules came into force in 2018; dates are
	// fixed, not relative to the clock, so output does not change with the
	// day it runs.
	d.regDate = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(2900))
	d.commenced = d.regDate.AddDate(0, 0, -r.IntN(90))
	d.workers = 1 + r.IntN(25)
	switch d.state {
	case shopActMH:
		d.upperNames = r.IntN(2) == 0
		if r.IntN(4) == 0 {
			d.number = digits(r, 9) + "/" + pick(r, []string{"Commercial II", "Commercial III", "Commercial I"})
		} else {
			d.number = "27" + pick(r, []string{"31", "32", "33", "34"}) + "000" + digits(r, 9)
		}
	case shopActDL:
		d.number = d.regDate.Format("2006") + digits(r, 9)
		d.validTill = d.regDate.AddDate(5, 0, -1)
	case shopActKA:
		d.upperNames = r.IntN(3) == 0
		d.number = fmt.Sprintf("%s/%02d/SA/%04d/%d", shopActKAOffice[d.city], 1+r.IntN(40), 1+r.IntN(9999), d.regDate.Year())
		d.validTill = time.Date(d.regDate.Year()+4+r.IntN(2), 12, 31, 0, 0, 0, 0, time.UTC)
	}
	if d.upperNames {
		d.est, d.employer = strings.ToUpper(d.est), strings.ToUpper(d.employer)
	}
	return d
}

func (d *shopActDoc) truth() map[string]string {
	t := map[string]string{
		"registration_number":  strings.ToUpper(strings.ReplaceAll(d.number, " ", "")),
		"establishment_name":   d.est,
		"employer_name":        d.employer,
		"address":              d.address,
		"nature_of_business":   d.nature,
		"date_of_registration": d.regDate.Format("02/01/2006"),
	}
	if !d.validTill.IsZero() {
		t["valid_till"] = d.validTill.Format("02/01/2006")
	}
	return t
}

// shopActRow is one printed label and its value lines.
type shopActRow struct {
	label string
	value []string
}

// renderShopAct draws a shops-and-establishments registration of a fake
// firm, as one of three states prints it: Maharashtra's Form F intimation
// receipt (2017 Act; Marathi header; no validity), Delhi's Form B
// registration certificate (1954 Act; valid till), or Karnataka's Form C
// certificate (1961 Act; Kannada header; valid up to 31 December). Label
// wording, row order, serial numbers, ruled tables and ink vary.
func renderShopAct(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	d := newShopActDoc(r)
	c := newCanvas(invoiceW, invoiceH, color.White)
	inks := []color.RGBA{{20, 20, 20, 255}, {15, 35, 95, 255}, {90, 20, 30, 255}}
	head := inks[r.IntN(len(inks))]
	body := ink
	if r.IntN(3) == 0 {
		body = color.RGBA{15, 35, 95, 255}
	}
	size := 25 + float64(r.IntN(3))
	lab := style{c.fonts.regular, size, body}
	val := style{c.fonts.bold, size, body}
	if r.IntN(2) == 0 {
		val.f = c.fonts.regular
	}
	small := style{c.fonts.regular, 21, head}
	hb := func(sz float64) style { return style{c.fonts.bold, sz, head} }
	const cx = invoiceW / 2
	date := func(t time.Time) string { return t.Format("02/01/2006") }

	c.emblem(cx, 95, 42, head)
	y := 185
	var rows []shopActRow
	layout := ""
	switch d.state {
	case shopActMH:
		layout = "shopact-mh-form-f"
		if c.hindi() {
			c.centered(style{c.fonts.deva, 30, head}, cx, y, "महाराष्ट्र शासन")
			y += 44
		}
		c.centered(hb(30), cx, y, "Government of Maharashtra")
		y += 44
		if c.hindi() {
			c.centered(style{c.fonts.deva, 26, head}, cx, y, "कामगार विभाग")
			y += 40
		}
		c.centered(hb(26), cx, y, "Labour Department")
		y += 56
		c.centered(hb(30), cx, y, "FORM 'F'")
		y += 38
		c.centered(small, cx, y, "[See rule 6(2)]")
		y += 48
		c.centered(hb(34), cx, y, "INTIMATION RECEIPT")
		y += 42
		for _, l := range []string{
			"The Maharashtra Shops and Establishments (Regulation of Employment and",
			"Conditions of Service) Act, 2017 and Rules 2018",
		} {
			c.centered(small, cx, y, l)
			y += 30
		}
		est := pick(r, []string{"Name of the Establishment", "Name of Establishment"})
		nat := pick(r, []string{"Category of Business", "Nature of Business"})
		rows = []shopActRow{
			{"Registration No.", []string{d.number}},
			{est, []string{d.est}},
			{"Name of Employer", []string{d.employer}},
			{"Postal address of the establishment", nil},
			{nat, []string{d.nature}},
			{"Date of commencement", []string{date(d.commenced)}},
			{"Total number of workers", []string{fmt.Sprint(d.workers)}},
			{pick(r, []string{"Date of Issue", "Issued on", "Date of Registration"}), []string{date(d.regDate)}},
		}
	case shopActDL:
		layout = "shopact-dl-form-b"
		if c.hindi() {
			c.centered(style{c.fonts.deva, 26, head}, cx, y, "राष्ट्रीय राजधानी क्षेत्र दिल्ली सरकार, श्रम विभाग")
			y += 44
		}
		c.centered(hb(30), cx, y, "Government of NCT of Delhi")
		y += 42
		c.centered(hb(26), cx, y, "Labour Department")
		y += 56
		c.centered(hb(30), cx, y, "FORM B")
		y += 36
		c.centered(small, cx, y, "(See Rule 5)")
		y += 48
		c.centered(hb(32), cx, y, "Registration Certificate of Establishment")
		y += 40
		c.centered(small, cx, y, "Delhi Shops and Establishments Act, 1954")
		y += 8
		rows = []shopActRow{
			{pick(r, []string{"Registration No.", "Reg. No."}), []string{d.number}},
			{pick(r, []string{"Name of Shop", "Name of the Establishment"}), []string{d.est}},
			{pick(r, []string{"Name of the Occupier/Owner", "Name of the Occupier"}), []string{d.employer}},
			{"Postal Address", nil},
			{"Nature of Business", []string{d.nature}},
			{"Number of Employees", []string{fmt.Sprint(d.workers)}},
			{"Date of Registration", []string{date(d.regDate)}},
			{pick(r, []string{"Valid till", "Valid up to"}), []string{date(d.validTill)}},
		}
	case shopActKA:
		layout = "shopact-ka-form-c"
		if kf := loadKannada(); kf != nil {
			c.centered(style{kf, 28, head}, cx, y, "ಕರ್ನಾಟಕ ಸರ್ಕಾರ")
			y += 46
		}
		c.centered(hb(30), cx, y, "Government of Karnataka")
		y += 42
		c.centered(hb(26), cx, y, "Department of Labour")
		y += 56
		c.centered(hb(30), cx, y, "FORM C")
		y += 36
		c.centered(small, cx, y, "[See Rule 4(3)]")
		y += 48
		c.centered(hb(32), cx, y, "Certificate of Registration")
		y += 40
		c.centered(small, cx, y, "Karnataka Shops and Commercial Establishments Act, 1961")
		y += 8
		rows = []shopActRow{
			{pick(r, []string{"Reg No", "Registration No."}), []string{d.number}},
			{pick(r, []string{"Name of the Establishment", "Name of Shop"}), []string{d.est}},
			{pick(r, []string{"Name of the Employer", "Name of the Occupier/Owner"}), []string{d.employer}},
			{"Address", nil},
			{"Category of Business", []string{d.nature}},
			{"Date of Registration", []string{date(d.regDate)}},
			{"Valid up to", []string{date(d.validTill)}},
		}
	}
	// Some offices print the employer before the establishment.
	if r.IntN(3) == 0 {
		rows[1], rows[2] = rows[2], rows[1]
		layout += "-employer-first"
	}
	const xSerial, xLabel, xColon, xValue, right = 80, 130, 585, 610, 1160
	for i := range rows {
		if rows[i].value == nil {
			rows[i].value = c.wrap(val, d.printed, right-xValue)
		}
	}
	serials := r.IntN(2) == 0
	// Rules between rows only: with column rules too, Tesseract's page
	// segmentation (PSM 6) drops whole rows of the grid.
	ruled := d.state == shopActKA || r.IntN(3) == 0
	if ruled {
		layout += "-ruled"
	}
	lineH := int(size * 1.55)
	gapH := int(size * 1.3)
	y += 70
	top := y - lineH + 6
	ruleCol := color.RGBA{175, 175, 175, 255}
	hr := func(y int) { c.fill(image.Rect(xSerial-20, y, right+10, y+1), ruleCol) }
	if ruled {
		hr(top)
	}
	for i, row := range rows {
		if serials {
			c.text(lab, xSerial, y, fmt.Sprintf("%d.", i+1))
		}
		c.text(lab, xLabel, y, row.label)
		if !ruled {
			c.text(lab, xColon, y, ":")
		}
		for k, v := range row.value {
			c.text(val, xValue, y+k*lineH, v)
		}
		y += (len(row.value)-1)*lineH + lineH + gapH
		if ruled {
			hr(y - lineH + 6 - gapH/2)
		}
	}
	y += 60
	c.text(lab, xSerial, y, "Place: "+d.city)
	c.signature(image.Rect(right-320, y+10, right-40, y+80), r)
	y += 120
	sign := map[string]string{shopActMH: "Facilitator / Inspector", shopActDL: "Chief Inspector", shopActKA: "Inspector"}[d.state]
	c.text(lab, right-c.width(lab, sign), y, sign)
	c.text(small, xSerial, y+90, "This is a computer generated document.")
	return c.img, layout, d.truth()
}
