package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// Card size: ID-1 (85.6 x 54 mm) at 300 dpi.
const cardW, cardH = 1011, 638

var (
	ink      = color.RGBA{15, 15, 20, 255}
	navy     = color.RGBA{25, 35, 85, 255}
	panInk   = color.RGBA{30, 30, 60, 255}
	silver   = color.RGBA{190, 195, 205, 255}
	darkGrey = color.RGBA{70, 70, 70, 255}
)

// fit shrinks st until s is at most w pixels wide, as card printers do
// with long names.
func (c *canvas) fit(st style, s string, w int) style {
	for st.size > 18 && c.width(st, s) > w {
		st.size--
	}
	return st
}

// renderPAN draws a PAN card of a fake individual, in the old layout
// (number under "Permanent Account Number", no labels) or the newer one
// ("Permanent Account Number Card", labelled fields, QR code).
func renderPAN(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	return drawPAN(r, newPerson(r))
}

// drawPAN draws the PAN card of p: renderPAN's card of a given holder, as
// GenerateApplication imposes one.
func drawPAN(r *rand.Rand, p *person) (*image.RGBA, string, map[string]string) {
	truth := panTruth(p, p.panNumber(r))
	pan, name, father, dob := truth["pan_number"], truth["name_as_per_pan"], truth["father_name"], truth["dob"]

	c := newCanvas(cardW, cardH, color.White)
	c.gradient(c.img.Rect, color.RGBA{196, 218, 232, 255}, color.RGBA{228, 236, 240, 255})
	c.waves(color.RGBA{150, 180, 205, 255}, 0.5, r)

	hdr := style{c.fonts.bold, 26, navy}
	dv := style{c.fonts.deva, 24, navy}
	c.text(dv, 40, 42, "आयकर विभाग")
	c.text(hdr, 40, 78, "INCOME TAX DEPARTMENT")
	c.text(dv, cardW-40-c.width(dv, "भारत सरकार"), 42, "भारत सरकार")
	c.text(hdr, cardW-40-c.width(hdr, "GOVT. OF INDIA"), 78, "GOVT. OF INDIA")
	c.emblem(cardW/2, 58, 38, navy)

	val := style{c.fonts.bold, 30, ink}
	lab := style{c.fonts.regular, 19, panInk}
	layout := "pan-old"
	switch r.IntN(3) {
	case 0:
		c.text(c.fit(val, name, 680), 50, 190, name)
		c.text(c.fit(val, father, 680), 50, 245, father)
		c.text(val, 50, 300, dob)
		c.text(style{c.fonts.regular, 23, panInk}, 50, 365, "Permanent Account Number")
		c.text(style{c.fonts.bold, 38, ink}, 50, 415, pan)
		c.signature(image.Rect(50, 455, 350, 535), r)
		c.text(lab, 50, 575, "Signature")
		c.photoBox(image.Rect(770, 190, 950, 410), r)
		c.ellipse(890, 540, 45, 45, silver, c.img.Rect)
	default:
		bilingual := r.IntN(3) > 0 && c.hindi()
		layout = "pan-new-english"
		if bilingual {
			layout = "pan-new-bilingual"
		}
		hi := func(s string) string {
			if bilingual {
				return s
			}
			return ""
		}
		c.fill(image.Rect(0, 100, cardW, 104), navy)
		title := style{c.fonts.bold, 26, navy}
		if bilingual {
			c.centered(style{c.fonts.deva, 22, navy}, cardW/2, 136, "स्थायी लेखा संख्या कार्ड")
		}
		c.centered(title, cardW/2, 170, "Permanent Account Number Card")
		c.centered(style{c.fonts.bold, 36, ink}, cardW/2, 218, pan)
		c.photoBox(image.Rect(40, 240, 210, 450), r)
		c.qr(image.Rect(790, 240, 964, 414), r)
		c.bilingual(lab, 250, 268, hi("नाम"), "Name")
		c.text(c.fit(val, name, 520), 250, 304, name)
		c.bilingual(lab, 250, 344, hi("पिता का नाम"), "Father's Name")
		c.text(c.fit(val, father, 520), 250, 380, father)
		c.bilingual(lab, 250, 420, hi("जन्म की तारीख"), "Date of Birth")
		c.text(val, 250, 456, dob)
		c.signature(image.Rect(250, 490, 560, 560), r)
		c.bilingual(lab, 250, 598, hi("हस्ताक्षर"), "Signature")
	}
	return c.img, layout, truth
}

// panTruth is what a PAN card of p with number pan prints: names in upper
// case, the date of birth as DD/MM/YYYY.
func panTruth(p *person, pan string) map[string]string {
	return map[string]string{
		"pan_number":      pan,
		"name_as_per_pan": upperJoin(p.words),
		"father_name":     upperJoin(p.father),
		"dob":             p.dob.Format("02/01/2006"),
	}
}
