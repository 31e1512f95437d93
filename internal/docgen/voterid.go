package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
)

var (
	epicInk  = color.RGBA{20, 20, 60, 255}
	epicTint = color.RGBA{225, 232, 244, 255}
)

// luhnDigit returns the Luhn check digit to append to digits.
func luhnDigit(digits string) byte {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		// The digit next to the check digit is doubled.
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// epicNumber returns an EPIC number: three letters, six digits and the
// Luhn check digit over the seven, as python-stdnum checks it.
func epicNumber(r *rand.Rand) string {
	b := make([]byte, 0, 10)
	for range 3 {
		b = append(b, byte('A'+r.IntN(26)))
	}
	six := digits(r, 6)
	b = append(b, six...)
	b = append(b, luhnDigit(six))
	return string(b)
}

// relation returns the label word and the printed name of the person a
// card names beside the holder: the father, or the husband for "W/O".
func (p *person) relation() (husband bool, name string) {
	if p.careOfWords == "W/O" {
		return true, strings.TrimPrefix(p.addr[0], "W/O ")
	}
	return false, strings.Join(p.father, " ")
}

// postalAddress is the holder's address without the care-of element, with
// the state and PIN: the printed elements (the last "State - PIN") and the
// API value ("..., State, PIN").
func (p *person) postalAddress() (printed []string, value string) {
	printed = append(append([]string(nil), p.addr[1:]...), p.region.state+" - "+p.pin)
	value = strings.Join(p.addr[1:], ", ") + ", " + p.region.state + ", " + p.pin
	return printed, value
}

// titleGender is how voter cards print the sex: "Male", "Female".
func titleGender(g string) string { return g[:1] + strings.ToLower(g[1:]) }

// renderVoterID draws an EPIC (voter identity card) with the address
// printed under the holder's details: the older "IDENTITY CARD" layout
// ("Elector's Name", "Sex", "Date of Birth") or the newer "ELECTOR PHOTO
// IDENTITY CARD" one ("Name", "Gender", "Date of Birth / Age").
func renderVoterID(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	return drawVoterID(r, newPerson(r))
}

// drawVoterID draws the EPIC of p: renderVoterID's card of a given holder,
// as GenerateApplication imposes one. The address is p's postal address
// (no care-of element: the card prints the relation on its own row), with
// the state and PIN.
func drawVoterID(r *rand.Rand, p *person) (*image.RGBA, string, map[string]string) {
	epic := epicNumber(r)
	name := strings.Join(p.words, " ")
	husband, rel := p.relation()
	printed, addr := p.postalAddress()
	dob := p.dob.Format("02/01/2006")
	truth := map[string]string{
		"voter_id":      epic,
		"name":          name,
		"relation_name": rel,
		"gender":        p.gender,
		"date_of_birth": dob,
		"address":       addr,
	}

	c := newCanvas(cardW, cardH, color.White)
	c.gradient(c.img.Rect, epicTint, color.RGBA{246, 248, 252, 255})
	c.waves(color.RGBA{190, 200, 230, 255}, 0.35, r)
	hdr := style{c.fonts.bold, 28, epicInk}
	lab := style{c.fonts.regular, 24, epicInk}
	val := style{c.fonts.bold, 25, ink}
	relLabel := "Father's Name"
	if husband {
		relLabel = "Husband's Name"
	}

	layout := "voterid-old"
	var rows [][2]string
	if r.IntN(2) == 0 {
		c.emblem(70, 60, 38, epicInk)
		c.centered(hdr, cardW/2+30, 55, "ELECTION COMMISSION OF INDIA")
		c.centered(style{c.fonts.bold, 24, epicInk}, cardW/2+30, 92, "IDENTITY CARD")
		c.fill(image.Rect(20, 110, cardW-20, 113), epicInk)
		c.text(style{c.fonts.bold, 30, ink}, 620, 152, epic)
		c.photoBox(image.Rect(30, 130, 190, 330), r)
		rows = [][2]string{
			{"Elector's Name", name},
			{relLabel, rel},
			{"Sex", titleGender(p.gender)},
			{"Date of Birth", dob},
		}
	} else {
		layout = "voterid-new"
		if c.hindi() {
			c.centered(style{c.fonts.deva, 24, epicInk}, cardW/2, 40, "भारत निर्वाचन आयोग")
		}
		c.centered(hdr, cardW/2, 76, "Election Commission of India")
		c.centered(style{c.fonts.bold, 24, epicInk}, cardW/2, 108, "ELECTOR PHOTO IDENTITY CARD")
		c.fill(image.Rect(20, 122, cardW-20, 125), epicInk)
		c.text(style{c.fonts.bold, 30, ink}, 620, 165, epic)
		c.photoBox(image.Rect(30, 140, 190, 340), r)
		rows = [][2]string{
			{"Name", name},
			{relLabel, rel},
			{"Gender", titleGender(p.gender)},
			{"Date of Birth / Age", dob},
		}
	}
	y := 215
	for _, row := range rows {
		x := c.text(lab, 215, y, row[0]+" : ")
		c.text(c.fit(val, row[1], cardW-x-30), x, y, row[1])
		y += 48
	}
	c.text(lab, 215, y, "Address :")
	y += 38
	for _, l := range c.wrap(style{c.fonts.regular, 24, ink}, printed, cardW-215-30) {
		c.text(style{c.fonts.regular, 24, ink}, 215, y, l)
		y += 34
	}
	return c.img, layout, truth
}
