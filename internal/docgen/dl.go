package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"time"
)

// stateCodes are the two-letter codes vehicle and licence numbers start
// with, by the state names of regions.
var stateCodes = map[string]string{
	"Maharashtra": "MH", "Uttar Pradesh": "UP", "Bihar": "BR", "Tamil Nadu": "TN",
	"Karnataka": "KA", "Kerala": "KL", "West Bengal": "WB", "Gujarat": "GJ",
	"Punjab": "PB", "Rajasthan": "RJ", "Telangana": "TS", "Andhra Pradesh": "AP",
	"Odisha": "OD", "Assam": "AS", "Madhya Pradesh": "MP", "Delhi": "DL",
}

var dlInk = color.RGBA{10, 40, 80, 255}

// renderDL draws a driving licence of a fake holder: the older state card
// ("DL No", "DOI", "Valid Till", "S/D/W of", number printed "MH12
// 20110012345") or the newer smart card ("Indian Union Driving Licence",
// "Licence No.", "Son/Daughter/Wife of", number printed "MH-1220110012345").
func renderDL(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	return drawDL(r, newPerson(r))
}

// drawDL draws the driving licence of p: renderDL's card of a given
// holder, as GenerateApplication imposes one. The address is p's postal
// address (no care-of element), with the state and PIN.
func drawDL(r *rand.Rand, p *person) (*image.RGBA, string, map[string]string) {
	code := stateCodes[p.region.state]
	rto := fmt.Sprintf("%02d", 1+r.IntN(50))
	issued := p.dob.AddDate(18+r.IntN(15), 0, r.IntN(365))
	if latest := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC); issued.After(latest) {
		issued = latest.AddDate(0, 0, -r.IntN(2000))
	}
	// Non-transport licences are valid for 20 years or until 50.
	valid := issued.AddDate(20, 0, -1)
	if at50 := p.dob.AddDate(50, 0, -1); at50.Before(valid) && at50.After(issued) {
		valid = at50
	}
	serial := fmt.Sprintf("%07d", 1+r.IntN(9999999))
	number := code + rto + issued.Format("2006") + serial
	_, rel := p.relation()
	printed, addr := p.postalAddress()
	name := upperJoin(p.words)
	rel = strings.ToUpper(rel)
	truth := map[string]string{
		"dl_number":     number,
		"name":          name,
		"date_of_birth": p.dob.Format("02/01/2006"),
		"relation_name": rel,
		"address":       addr,
		"issue_date":    issued.Format("02/01/2006"),
		"valid_till":    valid.Format("02/01/2006"),
		"state":         p.region.state,
	}

	c := newCanvas(cardW, cardH, color.White)
	c.gradient(c.img.Rect, color.RGBA{236, 242, 232, 255}, color.RGBA{250, 250, 244, 255})
	c.waves(color.RGBA{200, 215, 190, 255}, 0.3, r)
	lab := style{c.fonts.regular, 22, dlInk}
	val := style{c.fonts.bold, 24, ink}
	row := func(x, y int, label, v string) {
		x = c.text(lab, x, y, label+" : ")
		c.text(c.fit(val, v, cardW-x-25), x, y, v)
	}
	addrStyle := style{c.fonts.regular, 22, ink}
	layout := "dl-old"
	y, ax := 456, 30
	if r.IntN(2) == 0 {
		c.emblem(65, 58, 36, dlInk)
		c.centered(style{c.fonts.bold, 24, dlInk}, cardW/2, 45, "Union of India")
		c.centered(style{c.fonts.bold, 30, dlInk}, cardW/2, 85, "Driving Licence")
		c.centered(style{c.fonts.regular, 20, dlInk}, cardW/2, 112, "Transport Department, "+p.region.state)
		c.fill(image.Rect(20, 125, cardW-20, 128), dlInk)
		c.photoBox(image.Rect(cardW-185, 145, cardW-30, 335), r)
		row(30, 170, "DL No", code+rto+" "+issued.Format("2006")+serial)
		row(30, 212, "DOI", truth["issue_date"])
		row(30, 254, "Valid Till", truth["valid_till"]+" (NT)")
		row(30, 296, "Name", name)
		row(30, 338, "S/D/W of", rel)
		row(30, 380, "DOB", truth["date_of_birth"])
		c.text(lab, 30, 422, "Address :")
	} else {
		layout = "dl-new"
		c.fill(image.Rect(0, 0, cardW, 120), color.RGBA{30, 70, 120, 255})
		white := color.RGBA{255, 255, 255, 255}
		c.emblem(60, 60, 34, white)
		c.centered(style{c.fonts.bold, 30, white}, cardW/2, 55, "Indian Union Driving Licence")
		c.centered(style{c.fonts.regular, 22, white}, cardW/2, 95, "Issued by Government of "+p.region.state)
		c.photoBox(image.Rect(30, 145, 185, 335), r)
		x := 215
		row(x, 170, "Licence No.", code+"-"+rto+issued.Format("2006")+serial)
		row(x, 212, "Name", name)
		row(x, 254, "Date of Birth", truth["date_of_birth"])
		row(x, 296, "Son/Daughter/Wife of", rel)
		row(x, 338, "Issue Date", truth["issue_date"])
		row(x, 380, "Validity (NT)", truth["valid_till"])
		c.text(lab, x, 422, "Address :")
		ax = x
	}
	for _, l := range c.wrap(addrStyle, printed, cardW-ax-30) {
		c.text(addrStyle, ax, y, l)
		y += 32
	}
	c.signature(image.Rect(cardW-300, cardH-70, cardW-60, cardH-15), r)
	return c.img, layout, truth
}
