package docgen

import (
	"image"
	"image/color"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/validate"
)

// Passport data page: 125 x 88 mm (TD3) at 254 dpi, near enough to 300.
const passportW, passportH = 1250, 880

var passportInk = color.RGBA{40, 30, 70, 255}

// passportFields is what an Indian passport's data page states.
type passportFields struct {
	number, surname, given, sex string
	dob, issued, expiry         time.Time
	birthPlace, issuePlace      string
}

func newPassportFields(r *rand.Rand, p *person) *passportFields {
	f := &passportFields{
		surname: strings.ToUpper(p.words[len(p.words)-1]),
		given:   upperJoin(p.words[:len(p.words)-1]),
		sex:     p.gender[:1],
		dob:     p.dob,
	}
	// Series letters in use; digits without a leading zero.
	f.number = string("JKLMNPRSTUVWZ"[r.IntN(13)]) + digits(r, 7)
	f.issued = time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(11*365))
	if adult := p.dob.AddDate(18, 0, r.IntN(400)); adult.After(f.issued) {
		f.issued = adult
	}
	f.expiry = f.issued.AddDate(10, 0, -1)
	f.birthPlace = strings.ToUpper(p.city.name + ", " + p.region.state)
	f.issuePlace = strings.ToUpper(pick(r, p.region.cities).name)
	return f
}

// mrzName is a name in the MRZ's alphabet: letters, '<' for spaces.
func mrzName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r
		case r == ' ' || r == '-':
			return '<'
		}
		return -1
	}, s)
}

func pad(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// mrz returns the two 44-character lines of a TD3 machine readable zone
// (ICAO 9303 part 4) with its check digits.
func (f *passportFields) mrz() (string, string) {
	l1 := pad("P<IND"+mrzName(f.surname)+"<<"+mrzName(f.given), 44)
	cd := func(s string) string { return string(validate.MRZCheckDigit(s)) }
	num := pad(f.number, 9)
	dob, exp := f.dob.Format("060102"), f.expiry.Format("060102")
	personal := strings.Repeat("<", 14)
	l2 := num + cd(num) + "IND" + dob + cd(dob) + f.sex + exp + cd(exp) + personal + cd(personal)
	composite := l2[0:10] + l2[13:20] + l2[21:43]
	return l1, l2 + cd(composite)
}

func (f *passportFields) truth() map[string]string {
	gender := "MALE"
	if f.sex == "F" {
		gender = "FEMALE"
	}
	return map[string]string{
		"passport_number": f.number,
		"name":            strings.TrimSpace(f.given + " " + f.surname),
		"surname":         f.surname,
		"given_names":     f.given,
		"nationality":     "INDIAN",
		"gender":          gender,
		"date_of_birth":   f.dob.Format("02/01/2006"),
		"place_of_birth":  f.birthPlace,
		"place_of_issue":  f.issuePlace,
		"date_of_issue":   f.issued.Format("02/01/2006"),
		"date_of_expiry":  f.expiry.Format("02/01/2006"),
	}
}

// renderPassport draws the data page of an Indian passport: the older
// English-labelled page or the newer one with bilingual labels and the
// dates of issue and expiry above the places, both with a TD3 MRZ.
func renderPassport(r *rand.Rand) (*image.RGBA, string, map[string]string) {
	p := newPerson(r)
	f := newPassportFields(r, p)
	truth := f.truth()

	c := newCanvas(passportW, passportH, color.White)
	c.gradient(c.img.Rect, color.RGBA{238, 234, 246, 255}, color.RGBA{246, 240, 232, 255})
	c.waves(color.RGBA{205, 195, 225, 255}, 0.3, r)
	bilingual := c.hindi() && r.IntN(2) == 0
	layout := "passport-english"
	if bilingual {
		layout = "passport-bilingual"
	}
	hi := func(h, en string) (string, string) {
		if bilingual {
			return h, en
		}
		return "", en
	}

	hdr := style{c.fonts.bold, 30, passportInk}
	if bilingual {
		c.centered(style{c.fonts.deva, 26, passportInk}, passportW/2, 42, "भारत गणराज्य")
	}
	c.centered(hdr, passportW/2, 80, "REPUBLIC OF INDIA")
	c.emblem(passportW-90, 60, 36, passportInk)
	c.photoBox(image.Rect(50, 140, 330, 500), r)

	lab := style{c.fonts.regular, 19, passportInk}
	val := style{c.fonts.bold, 28, ink}
	// cell draws a label with its value below it.
	cell := func(x, y int, h, en, v string) {
		h, en = hi(h, en)
		c.bilingual(lab, x, y, h, en)
		c.text(c.fit(val, v, passportW-x-40), x, y+36, v)
	}
	x := 380
	typeLab := "Type"
	if bilingual {
		typeLab = "प्रकार / Type"
	}
	c.text(lab, x, 140, typeLab)
	c.text(val, x, 176, "P")
	c.text(lab, x+220, 140, "Country Code")
	c.text(val, x+220, 176, "IND")
	c.text(lab, x+480, 140, "Passport No.")
	c.text(style{c.fonts.bold, 32, ink}, x+480, 178, f.number)
	cell(x, 222, "उपनाम", "Surname", f.surname)
	cell(x, 300, "दिया गया नाम", "Given Name(s)", f.given)
	cell(x, 378, "राष्ट्रीयता", "Nationality", "INDIAN")
	cell(x+260, 378, "लिंग", "Sex", f.sex)
	cell(x+420, 378, "जन्मतिथि", "Date of Birth", truth["date_of_birth"])
	if bilingual {
		cell(x, 456, "जन्म स्थान", "Place of Birth", f.birthPlace)
		cell(x, 534, "जारी करने की तिथि", "Date of Issue", truth["date_of_issue"])
		cell(x+420, 534, "समाप्ति की तिथि", "Date of Expiry", truth["date_of_expiry"])
		cell(x, 612, "जारी करने का स्थान", "Place of Issue", f.issuePlace)
	} else {
		cell(x, 456, "", "Place of Birth", f.birthPlace)
		cell(x, 534, "", "Place of Issue", f.issuePlace)
		cell(x, 612, "", "Date of Issue", truth["date_of_issue"])
		cell(x+420, 612, "", "Date of Expiry", truth["date_of_expiry"])
	}
	c.signature(image.Rect(60, 560, 320, 640), r)

	l1, l2 := f.mrz()
	c.fill(image.Rect(0, 705, passportW, passportH), color.RGBA{250, 250, 250, 255})
	mrz := style{c.fonts.mono, 42, ink}
	c.text(mrz, 40, 770, l1)
	c.text(mrz, 40, 840, l2)
	return c.img, layout, truth
}
