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

var (
	aadhaarRed = color.RGBA{205, 35, 35, 255}
	saffron    = color.RGBA{246, 150, 50, 255}
	indiaGreen = color.RGBA{40, 140, 60, 255}
	sunYellow  = color.RGBA{250, 200, 40, 255}
)

// aadhaarFields is what an Aadhaar front prints about its holder.
type aadhaarFields struct {
	p        *person
	name     string // title case, as Aadhaar prints names
	number   string // "NNNN NNNN NNNN"
	vid      string // "" when not printed
	dob      string // "DD/MM/YYYY", or "YYYY" when only the year is printed
	yearOnly bool
	state    string
	address  []string // printed elements, the last "State - PIN"
}

func newAadhaarFields(r *rand.Rand) *aadhaarFields {
	return aadhaarFieldsOf(r, newPerson(r))
}

// aadhaarFieldsOf draws the card-specific fields (number, VID, whether
// only the year of birth is printed) of p's Aadhaar.
func aadhaarFieldsOf(r *rand.Rand, p *person) *aadhaarFields {
	f := &aadhaarFields{p: p, name: strings.Join(p.words, " "), number: aadhaarNumber(r)}
	if r.IntN(3) == 0 {
		f.vid = vidNumber(r)
	}
	f.dob = p.dob.Format("02/01/2006")
	if r.IntN(7) == 0 {
		f.yearOnly = true
		f.dob = p.dob.Format("2006")
	}
	f.address = append(append([]string(nil), p.addr...), p.region.state+" - "+p.pin)
	return f
}

// vidNumber returns a 16-digit Virtual ID, "NNNN NNNN NNNN NNNN", printed
// on newer cards and letters: clutter an extractor must not take for the
// Aadhaar number.
func vidNumber(r *rand.Rand) string {
	d := "9" + digits(r, 14)
	d += string(validate.VerhoeffDigit(d))
	return d[0:4] + " " + d[4:8] + " " + d[8:12] + " " + d[12:16]
}

// truth is the ground truth of the fields; address only when shown.
func (f *aadhaarFields) truth(withAddress bool) map[string]string {
	t := map[string]string{
		"aadhaar_number": f.number,
		"name":           f.name,
		"date_of_birth":  f.dob,
		"gender":         f.p.gender,
	}
	if withAddress {
		// fields.md joins address elements with ", " and ends with the
		// PIN as its own element ("..., Rajasthan, 311001"), where the
		// letter prints "Rajasthan - 311001".
		t["address"] = strings.Join(f.p.addr, ", ") + ", " + f.p.region.state + ", " + f.p.pin
	}
	return t
}

// renderAadhaar draws an Aadhaar card front, or an e-Aadhaar letter that
// shows the front and the back (address) side by side.
func renderAadhaar(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	return drawAadhaar(r, newAadhaarFields(r))
}

// drawAadhaar draws the card front or the e-Aadhaar letter of f.
func drawAadhaar(r *rand.Rand, f *aadhaarFields) (*image.RGBA, string, map[string]string) {
	if r.IntN(3) == 0 {
		return renderAadhaarLetter(r, f)
	}
	return renderAadhaarFront(r, f)
}

func genderHindi(g string) string {
	if g == "FEMALE" {
		return "महिला"
	}
	return "पुरुष"
}

// aadhaarLogo stands in for the UIDAI sun-and-fingerprint logo.
func (c *canvas) aadhaarLogo(cx, cy, rad float64) {
	clip := c.img.Rect
	c.ellipse(cx, cy, rad, rad*0.8, sunYellow, clip)
	for i := 3; i >= 1; i-- {
		k := float64(i) / 3
		c.ellipse(cx, cy+rad*0.1, rad*0.55*k, rad*0.55*k, aadhaarRed, clip)
		c.ellipse(cx, cy+rad*0.1, rad*0.55*k-3, rad*0.55*k-3, sunYellow, clip)
	}
}

func renderAadhaarFront(r *rand.Rand, f *aadhaarFields) (*image.RGBA, string, map[string]string) {
	c := newCanvas(cardW, cardH, color.White)
	c.waves(color.RGBA{250, 215, 190, 255}, 0.35, r)
	bilingual := c.hindi() && r.IntN(4) > 0
	layout := "aadhaar-front-english"
	if bilingual {
		layout = "aadhaar-front-bilingual"
	}

	// Header: emblem, the tricolour bands, "Government of India", logo.
	c.emblem(80, 62, 40, darkGrey)
	c.fill(image.Rect(140, 18, cardW-140, 30), saffron)
	c.fill(image.Rect(140, 108, cardW-140, 120), indiaGreen)
	if bilingual {
		c.centered(style{c.fonts.deva, 26, ink}, cardW/2, 60, "भारत सरकार")
	}
	c.centered(style{c.fonts.bold, 30, ink}, cardW/2, 96, "Government of India")
	c.aadhaarLogo(cardW-80, 64, 42)

	c.photoBox(image.Rect(50, 150, 230, 370), r)
	x := 270
	c.text(c.fit(style{c.fonts.bold, 32, ink}, f.name, cardW-x-40), x, 200, f.name)
	line := style{c.fonts.regular, 30, ink}
	switch {
	case f.yearOnly && bilingual:
		c.bilingual(line, x, 255, "जन्म वर्ष", "Year of Birth : "+f.dob)
	case f.yearOnly:
		c.text(line, x, 255, "Year of Birth : "+f.dob)
	case bilingual:
		c.bilingual(line, x, 255, "जन्म तिथि", "DOB: "+f.dob)
	default:
		c.text(line, x, 255, "DOB: "+f.dob)
	}
	if bilingual {
		c.bilingual(line, x, 310, genderHindi(f.p.gender), f.p.gender)
	} else {
		c.text(line, x, 310, f.p.gender)
	}
	if r.IntN(2) == 0 {
		// Newer cards print the issue date vertically by the photo; we
		// print it small below it: another date that is not the DOB.
		issued := f.p.dob.AddDate(18, 0, 0).Add(time.Duration(r.IntN(3000)) * 24 * time.Hour)
		if issued.Year() > 2023 {
			issued = time.Date(2019+r.IntN(5), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		}
		c.text(style{c.fonts.regular, 18, darkGrey}, 50, 395, "Issue Date: "+issued.Format("02/01/2006"))
	}

	c.centered(style{c.fonts.bold, 50, ink}, cardW/2, 485, f.number)
	if f.vid != "" {
		c.centered(style{c.fonts.regular, 22, darkGrey}, cardW/2, 525, "VID : "+f.vid)
	}
	c.fill(image.Rect(30, 545, cardW-30, 551), aadhaarRed)
	if bilingual && r.IntN(2) == 0 {
		c.centered(style{c.fonts.deva, 32, aadhaarRed}, cardW/2, 600, "मेरा आधार, मेरी पहचान")
	} else {
		c.centered(style{c.fonts.bold, 28, aadhaarRed}, cardW/2, 600, "Aadhaar - Aam Aadmi ka Adhikar")
	}
	return c.img, layout, f.truth(false)
}

// Letter size: the lower part of an e-Aadhaar page, about 110 x 93 mm at
// 300 dpi.
const letterW, letterH = 1300, 1100

func renderAadhaarLetter(r *rand.Rand, f *aadhaarFields) (*image.RGBA, string, map[string]string) {
	c := newCanvas(letterW, letterH, color.White)
	hi := c.hindi()

	// Letter header.
	c.emblem(80, 70, 45, darkGrey)
	c.aadhaarLogo(letterW-90, 70, 48)
	if hi {
		c.centered(style{c.fonts.deva, 26, ink}, letterW/2, 40, "भारतीय विशिष्ट पहचान प्राधिकरण")
	}
	c.centered(style{c.fonts.bold, 30, ink}, letterW/2, 80, "Unique Identification Authority of India")
	c.centered(style{c.fonts.regular, 24, ink}, letterW/2, 115, "Government of India")
	small := style{c.fonts.regular, 24, ink}
	enrol := fmt.Sprintf("Enrolment No.: %s/%s/%s", digits(r, 4), digits(r, 5), digits(r, 5))
	c.text(small, 60, 175, enrol)
	issued := time.Date(2012+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	c.text(small, 820, 175, "Issue Date: "+issued.Format("02/01/2006"))
	c.text(small, 820, 210, "Download Date: "+issued.AddDate(0, r.IntN(30), r.IntN(28)).Format("02/01/2006"))

	// "To" block: the name and the address, as posted.
	body := style{c.fonts.regular, 26, ink}
	c.text(body, 60, 240, "To")
	c.text(style{c.fonts.bold, 26, ink}, 60, 275, f.name)
	y := 310
	for _, l := range c.wrap(body, f.address, 650) {
		c.text(body, 60, y, l)
		y += 34
	}

	c.centered(style{c.fonts.bold, 28, ink}, letterW/2, 530, "Your Aadhaar No. :")
	c.centered(style{c.fonts.bold, 44, ink}, letterW/2, 585, f.number)
	if f.vid != "" {
		c.centered(style{c.fonts.regular, 24, darkGrey}, letterW/2, 625, "VID : "+f.vid)
	}
	if hi {
		c.centered(style{c.fonts.deva, 30, aadhaarRed}, letterW/2, 670, "मेरा आधार, मेरी पहचान")
	} else {
		c.centered(style{c.fonts.bold, 26, aadhaarRed}, letterW/2, 670, "Aadhaar - Aam Aadmi ka Adhikar")
	}
	for x := 20; x < letterW-20; x += 24 {
		c.fill(image.Rect(x, 700, x+12, 702), darkGrey)
	}

	// The two card panels: front on the left, back (address) on the right.
	left, right := image.Rect(30, 720, 640, 1080), image.Rect(660, 720, 1270, 1080)
	for _, p := range []image.Rectangle{left, right} {
		c.rectOutline(p, 2, darkGrey)
		c.fill(image.Rect(p.Min.X+10, p.Min.Y+10, p.Max.X-10, p.Min.Y+16), saffron)
		c.centered(style{c.fonts.bold, 32, ink}, (p.Min.X+p.Max.X)/2, p.Max.Y-45, f.number)
		c.fill(image.Rect(p.Min.X+10, p.Max.Y-32, p.Max.X-10, p.Max.Y-28), aadhaarRed)
	}
	c.centered(style{c.fonts.bold, 24, ink}, (left.Min.X+left.Max.X)/2, left.Min.Y+48, "Government of India")
	c.photoBox(image.Rect(left.Min.X+20, left.Min.Y+65, left.Min.X+160, left.Min.Y+235), r)
	x := left.Min.X + 180
	c.text(c.fit(style{c.fonts.bold, 26, ink}, f.name, left.Max.X-x-15), x, left.Min.Y+100, f.name)
	line := style{c.fonts.regular, 26, ink}
	if f.yearOnly {
		c.text(line, x, left.Min.Y+145, "Year of Birth : "+f.dob)
	} else {
		c.text(line, x, left.Min.Y+145, "DOB: "+f.dob)
	}
	c.text(line, x, left.Min.Y+190, f.p.gender)

	c.centered(style{c.fonts.bold, 22, ink}, (right.Min.X+right.Max.X)/2, right.Min.Y+48, "Unique Identification Authority of India")
	c.text(style{c.fonts.bold, 24, ink}, right.Min.X+20, right.Min.Y+95, "Address:")
	y = right.Min.Y + 130
	for _, l := range c.wrap(line, f.address, right.Dx()-40) {
		c.text(line, right.Min.X+20, y, l)
		y += 32
	}
	return c.img, "aadhaar-letter", f.truth(true)
}
