// Package passport reads the data page of an Indian passport. The machine
// readable zone (two TD3 lines of 44 characters) is the most reliable
// source: its check digits (ICAO 9303) validate and choose between readings
// of the number and the dates, and fill the fields the printed zone lost.
// The printed zone gives what the MRZ lacks: the places, the date of issue
// and full four-digit years.
package passport

import (
	"image"
	"sort"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/validate"
)

// Extractor reads passport data pages. The zero value is not usable: call
// New.
type Extractor struct {
	now func() time.Time
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New returns a passport extractor.
func New() *Extractor { return &Extractor{now: time.Now} }

var (
	labelNumber      = []string{"Passport No.", "पासपोर्ट नं."}
	labelSurname     = []string{"Surname", "उपनाम"}
	labelGiven       = []string{"Given Name(s)", "Given Names", "दिया गया नाम"}
	labelNationality = []string{"Nationality", "राष्ट्रीयता"}
	labelSex         = []string{"Sex", "लिंग"}
	labelDOB         = []string{"Date of Birth", "जन्मतिथि"}
	labelBirthPlace  = []string{"Place of Birth", "जन्म स्थान"}
	labelIssuePlace  = []string{"Place of Issue", "जारी करने का स्थान"}
	labelIssueDate   = []string{"Date of Issue", "जारी करने की तिथि"}
	labelExpiry      = []string{"Date of Expiry", "समाप्ति की तिथि"}
)

const minLabel = 0.8

// Extract reads the passport fields of pages.
func (e *Extractor) Extract(pages []document.Page) (*document.FileData, error) {
	lines := extract.Lines(pages)
	fd := document.NewFileData(document.TypePassport)
	z, hasMRZ := readMRZ(lines)

	// Number: the MRZ's when its check digit passes, else the printed one.
	if hasMRZ && z.number != "" && z.numberCheck.Passed() {
		fd.Set("passport_number", z.field(z.number, &z.numberCheck, z.numberRepaired))
	} else if ws, li, sim, ok := cell(lines, labelNumber); ok {
		raw := strings.Trim(extract.Text(ws), ".,:;|'\"")
		if v, n, ok := validate.Repair(strings.ReplaceAll(raw, " ", ""), "A9999999"); ok {
			check := validate.Passport(v)
			fd.Set("passport_number", extract.NewField(v, lines[li].Page, extract.Evidence{Words: ws, Check: &check, Repaired: n, Label: sim}))
		}
	}

	surname, okS := e.name(lines, labelSurname, z.surname, hasMRZ, z)
	given, okG := e.name(lines, labelGiven, z.given, hasMRZ, z)
	if okS {
		fd.Set("surname", surname)
	}
	if okG {
		fd.Set("given_names", given)
	}
	if okS || okG {
		f := surname
		parts := []string{}
		if okG {
			parts = append(parts, given.Value.(string))
			f = given
			if okS {
				f.Confidence = min(given.Confidence, surname.Confidence)
			}
		}
		if okS {
			parts = append(parts, surname.Value.(string))
		}
		f.Value, f.Validation = strings.Join(parts, " "), nil
		fd.Set("name", f)
	}

	if ws, li, sim, ok := cell(lines, labelNationality); ok && extract.Similarity(extract.Text(ws), "INDIAN") >= 0.8 {
		fd.Set("nationality", extract.NewField("INDIAN", lines[li].Page, extract.Evidence{Words: ws, Label: sim}))
	} else if hasMRZ && z.nationality == "IND" {
		fd.Set("nationality", z.field("INDIAN", nil, 0))
	}

	if hasMRZ && (z.sex == 'M' || z.sex == 'F') {
		v := map[byte]string{'M': "MALE", 'F': "FEMALE"}[z.sex]
		fd.Set("gender", z.field(v, nil, 0))
	} else if ws, li, sim, ok := cell(lines, labelSex); ok && len(ws) > 0 {
		switch extract.Norm(ws[0].Text) {
		case "M", "MALE":
			fd.Set("gender", extract.NewField("MALE", lines[li].Page, extract.Evidence{Words: ws[:1], Label: sim}))
		case "F", "FEMALE":
			fd.Set("gender", extract.NewField("FEMALE", lines[li].Page, extract.Evidence{Words: ws[:1], Label: sim}))
		}
	}

	if f, ok := e.date(lines, labelDOB, z.dob, z.dobCheck, hasMRZ, true); ok {
		fd.Set("date_of_birth", f)
	}
	if f, ok := e.date(lines, labelExpiry, z.expiry, z.expiryCheck, hasMRZ, false); ok {
		fd.Set("date_of_expiry", f)
	}
	if f, ok := e.date(lines, labelIssueDate, "", validate.Result{}, false, false); ok {
		fd.Set("date_of_issue", f)
	}
	for _, p := range []struct {
		name   string
		labels []string
	}{{"place_of_birth", labelBirthPlace}, {"place_of_issue", labelIssuePlace}} {
		if ws, li, sim, ok := cell(lines, p.labels); ok {
			ws = extract.NameWords(ws, true)
			if v := strings.Trim(extract.Text(ws), " ,.:;"); len(extract.Norm(v)) >= 2 {
				f := extract.NewField(v, lines[li].Page, extract.Evidence{Words: ws, Label: sim})
				if extract.TruncatedName(lines[li].Words, ws) || placeCut(lines[li].Words, ws) {
					f.Confidence = min(f.Confidence, extract.MaxTruncated)
				}
				fd.Set(p.name, f)
			}
		}
	}
	if len(fd.Names()) == 0 {
		return nil, extract.Unreadable(document.TypePassport)
	}
	return fd, nil
}

// cell returns the value printed under a label, in the label's column: the
// words of the nearest line below, left of the next label on the label's
// line (Nationality, Sex and Date of Birth share a row).
func cell(lines []extract.Line, labels []string) ([]document.Word, int, float64, bool) {
	// Best match first: "Place of Birth" is 0.75 like "Date of Birth".
	ms := extract.FindLabels(lines, labels, minLabel)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Sim > ms[j].Sim })
	for _, m := range ms {
		lab := lines[m.Line].Words
		h := max(m.Box.Dy(), 1)
		right := 1 << 30
		for k := m.End; k < len(lab); k++ {
			if lab[k].Box.Min.X-lab[k-1].Box.Max.X > 2*h {
				right = lab[k].Box.Min.X - h/2
				break
			}
		}
		// Skip lines of scraps: up to two lines down.
		cur := m
		for range 2 {
			li, ws := extract.Below(lines, cur)
			if li < 0 {
				break
			}
			var in []document.Word
			for _, w := range ws {
				if w.Box.Min.X < right && w.Box.Max.X > m.Box.Min.X-3*h {
					in = append(in, w)
				}
			}
			if len(extract.TrimNoise(in, true)) > 0 || len(extract.FindDates([]extract.Line{{Line: document.Line{Words: in}}}, 0)) > 0 {
				return in, li, m.Sim, true
			}
			var box image.Rectangle
			for _, w := range ws {
				box = box.Union(w.Box)
			}
			cur = extract.Match{Line: li, Sim: m.Sim, Box: image.Rect(m.Box.Min.X, box.Min.Y, m.Box.Max.X, box.Max.Y)}
		}
	}
	return nil, 0, 0, false
}

// name reads a surname or the given names: the printed value, checked
// against the MRZ's. OCR reads a filler after a name as a letter
// ("ARUNK<<<"), so a printed value that is the MRZ's less its last letter
// wins; a printed value the MRZ contradicts gives way to an MRZ whose
// check digits passed.
func (e *Extractor) name(lines []extract.Line, labels []string, fromMRZ string, hasMRZ bool, z mrz) (document.Field, bool) {
	var vis document.Field
	okVis := false
	visual := ""
	if ws, li, sim, ok := cell(lines, labels); ok {
		ws = extract.NameWords(ws, true)
		if visual = strings.ToUpper(extract.CleanName(ws)); len(extract.Norm(visual)) >= 1 {
			vis, okVis = extract.NewField(visual, lines[li].Page, extract.Evidence{Words: ws, Label: sim}), true
		}
	}
	if !hasMRZ || fromMRZ == "" || !extract.NameLike(strings.ReplaceAll(fromMRZ, " ", "")) {
		return vis, okVis
	}
	nv, nm := extract.Norm(visual), extract.Norm(fromMRZ)
	switch {
	case okVis && nv == nm:
		vis.Value = fromMRZ // the MRZ keeps the spaces OCR may drop
		return vis, true
	case okVis && len(nm) == len(nv)+1 && strings.HasPrefix(nm, nv):
		vis.Value = strings.TrimSpace(fromMRZ[:len(fromMRZ)-1])
		return vis, true
	case !okVis || z.conf >= 0.9:
		return z.field(fromMRZ, nil, 0), true
	}
	return vis, okVis
}

// date reads a printed date under its label; where the MRZ holds the same
// date (YYMMDD), its check digit validates the reading, or replaces a
// reading that disagrees with it.
func (e *Extractor) date(lines []extract.Line, labels []string, fromMRZ string, mrzCheck validate.Result, hasMRZ, birth bool) (document.Field, bool) {
	var vis *extract.Date
	page, sim := 1, 0.0
	if ws, li, s, ok := cell(lines, labels); ok {
		if ds := extract.FindDates([]extract.Line{{Line: document.Line{Words: ws}}}, 0); len(ds) > 0 {
			vis, page, sim = &ds[0], lines[li].Page, s
		}
	}
	if hasMRZ && fromMRZ != "" && mrzCheck.Passed() {
		if vis != nil && vis.Value[8:10]+vis.Value[3:5]+vis.Value[0:2] == fromMRZ {
			return extract.NewField(vis.Value, page, extract.Evidence{Words: vis.Words, Check: &mrzCheck, Repaired: vis.Repaired, Label: sim}), true
		}
		century := "20"
		if birth && fromMRZ[:2] > e.now().Format("06") {
			century = "19"
		}
		v := fromMRZ[4:6] + "/" + fromMRZ[2:4] + "/" + century + fromMRZ[:2]
		return extract.NewField(v, page, extract.Evidence{Check: &mrzCheck, Label: 0.9}), true
	}
	if vis == nil {
		return document.Field{}, false
	}
	v := vis.Value
	var check validate.Result
	if birth {
		if canon, r := validate.DOB(v, e.now()); canon != "" {
			v, check = canon, r
		} else {
			check = r
		}
	} else {
		_, _, check = validate.ParseDate(v)
	}
	return extract.NewField(v, page, extract.Evidence{Words: vis.Words, Check: &check, Repaired: vis.Repaired, Label: sim}), true
}
