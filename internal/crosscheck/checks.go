package crosscheck

import (
	"fmt"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/match"
)

// nameFields are where each type prints the applicant's name.
var nameFields = map[document.Type]string{
	document.TypePAN:            "name_as_per_pan",
	document.TypeAadhaar:        "name",
	document.TypeVoterID:        "name",
	document.TypeDrivingLicense: "name",
	document.TypePassport:       "name",
	document.TypeUdyamCert:      "owner_name",
	document.TypeShopAct:        "employer_name",
	document.TypeBankStatement:  "account_holder_name",
	document.TypeCheque:         "account_holder_name",
	document.TypeInvoice:        "buyer_name",
	document.TypeDeliveryOrder:  "customer_name",
}

// applicantNames returns, in upload order, each document's reading of the
// applicant's name, leaving out firms' names.
func (r *runner) applicantNames() []value {
	var out []value
	for i, d := range r.docs {
		if d.Data == nil {
			continue
		}
		var v value
		var ok bool
		switch d.Data.Type {
		case document.TypeGSTCert:
			// A proprietorship's legal name is the proprietor's.
			c, okc := r.field(i, "constitution_of_business")
			if okc && strings.Contains(strings.ToUpper(c.text), "PROPRIET") {
				v, ok = r.field(i, "legal_name")
			}
		case document.TypePassport:
			v, ok = r.field(i, "name")
			if !ok {
				v, ok = r.passportName(i)
			}
		default:
			if f, known := nameFields[d.Data.Type]; known {
				v, ok = r.field(i, f)
			}
		}
		if ok && !isBusiness(v.text) {
			out = append(out, v)
		}
	}
	return out
}

// passportName joins a passport's given names and surname.
func (r *runner) passportName(i int) (value, bool) {
	g, ok := r.field(i, "given_names")
	if !ok {
		return value{}, false
	}
	if s, ok := r.field(i, "surname"); ok {
		g.text += " " + s.text
		g.conf = min(g.conf, s.conf)
	}
	g.field = "given_names+surname"
	return g, true
}

func (r *runner) names() {
	eachPair(r.applicantNames(), func(a, b value) {
		r.compareNames("name", a, b, false)
	})
}

// compareNames records a name comparison; relation says the second name
// is a printed relation (father or husband), so a low score is a review.
func (r *runner) compareNames(check string, a, b value, relation bool) {
	score := match.NameScore(a.text, b.text)
	v := r.s.Name.Verdict(score)
	what := "Names"
	if check == "father_name" || check == "declared_father_name" {
		what = "Father's names"
	}
	detail := nameDetail(what, a, b, v)
	if relation && v == match.Mismatch {
		v = match.Review
		detail += " (the printed relation may be the husband)"
	}
	r.pair(check, a, b, v, score, detail)
}

// dobFields are where each type prints the date of birth.
var dobFields = map[document.Type]string{
	document.TypePAN:            "dob",
	document.TypeAadhaar:        "date_of_birth",
	document.TypeVoterID:        "date_of_birth",
	document.TypeDrivingLicense: "date_of_birth",
	document.TypePassport:       "date_of_birth",
}

func (r *runner) datesOfBirth() {
	eachPair(r.fieldsOf(dobFields), r.compareDOB("date_of_birth"))
}

// compareDOB returns a comparer of two dates of birth; a value that is
// not a date is not compared.
func (r *runner) compareDOB(check string) func(a, b value) {
	return func(a, b value) {
		da, oka := parseDate(a.text)
		db, okb := parseDate(b.text)
		if !oka || !okb {
			// A date of birth that is not a date (an OCR slip such as
			// "11/87/1953") cannot confirm anything: a person compares.
			bad := a
			if oka {
				bad = b
			}
			r.pair(check, a, b, match.Review, 0, fmt.Sprintf("The date of birth on %s could not be read as a date (%q): compare by eye", bad.label(), bad.text))
			return
		}
		v, score, how := compareDates(da, db)
		r.pair(check, a, b, v, score, fmt.Sprintf("Dates of birth on %s and %s %s: %s / %s", a.label(), b.label(), how, da, db))
	}
}

var genderFields = map[document.Type]string{
	document.TypeAadhaar:  "gender",
	document.TypeVoterID:  "gender",
	document.TypePassport: "gender",
}

func (r *runner) genders() {
	eachPair(r.fieldsOf(genderFields), r.compareGender("gender"))
}

func (r *runner) compareGender(check string) func(a, b value) {
	return func(a, b value) {
		ga, gb := normGender(a.text), normGender(b.text)
		if ga == "" || gb == "" {
			return
		}
		v, score, how := match.Mismatch, 0.0, "differ"
		if ga == gb {
			v, score, how = match.Match, 1, "agree"
		}
		r.pair(check, a, b, v, score, fmt.Sprintf("Genders on %s and %s %s: %s / %s", a.label(), b.label(), how, ga, gb))
	}
}

var relationFields = map[document.Type]string{
	document.TypeVoterID:        "relation_name",
	document.TypeDrivingLicense: "relation_name",
}

func (r *runner) fatherNames() {
	pans := r.fieldsOf(map[document.Type]string{document.TypePAN: "father_name"})
	eachCross(pans, r.fieldsOf(relationFields), func(a, b value) {
		r.compareNames("father_name", a, b, true)
	})
}

// personalAddressFields are the applicant's home addresses; a business's
// address is not.
var personalAddressFields = map[document.Type]string{
	document.TypeAadhaar:        "address",
	document.TypeVoterID:        "address",
	document.TypeDrivingLicense: "address",
}

func (r *runner) addresses() {
	aadhaar := r.fieldsOf(map[document.Type]string{document.TypeAadhaar: "address"})
	others := r.fieldsOf(map[document.Type]string{document.TypeVoterID: "address", document.TypeDrivingLicense: "address"})
	eachCross(aadhaar, others, func(a, b value) {
		r.compareAddress("address", a, b)
		r.comparePIN("pincode", a, b)
	})
}

// compareAddress compares two personal addresses on SamePerson.
func (r *runner) compareAddress(check string, a, b value) {
	score := addressScore(a.text, b.text, false)
	v := r.s.Address.Verdict(score)
	r.pair(check, a, b, v, score, fmt.Sprintf("Addresses on %s and %s %s: %q / %q", a.label(), b.label(), verdictWords(v), a.text, b.text))
}

// addressScore is match.CompareAddresses's SamePerson (or, for
// similarity, Similarity) as a fraction; addresses that read the same
// but for case, spacing and punctuation score 1.
func addressScore(a, b string, similarity bool) float64 {
	if strings.Join(words(a), " ") == strings.Join(words(b), " ") {
		return 1
	}
	c := match.CompareAddresses(a, b)
	if similarity {
		return c.Similarity / 100
	}
	return c.SamePerson / 100
}

// comparePIN compares the PIN codes of two addresses (or a PIN alone, as
// declared), when both have one.
func (r *runner) comparePIN(check string, a, b value) {
	pa, pb := extractPIN(a.text), extractPIN(b.text)
	if pa == "" || pb == "" {
		return
	}
	v, score, how := match.Mismatch, 0.0, "differ"
	if pa == pb {
		v, score, how = match.Match, 1, "agree"
	}
	r.pair(check, a, b, v, score, fmt.Sprintf("PIN codes on %s and %s %s: %s / %s", a.label(), b.label(), how, pa, pb))
}

// verdictWords phrases a verdict for a detail sentence.
func verdictWords(v match.Verdict) string {
	switch v {
	case match.Match:
		return "agree"
	case match.Review:
		return "are similar but not clearly the same"
	}
	return "differ"
}

// gstinFields carry a GSTIN whose PAN should be the applicant's.
var gstinFields = map[document.Type]string{
	document.TypeGSTCert: "gst_number",
	document.TypeInvoice: "buyer_gstin",
}

func (r *runner) gstinPAN() {
	pans := r.fieldsOf(map[document.Type]string{document.TypePAN: "pan_number"})
	eachCross(r.fieldsOf(gstinFields), pans, func(g, p value) {
		r.comparePAN("gstin_pan", g, p)
	})
}

// comparePAN compares the PAN of a (a GSTIN when its field is one) with
// the PAN b.
func (r *runner) comparePAN(check string, a, b value) {
	pan := func(v value) string {
		if v.doc >= 0 && (v.field == "gst_number" || v.field == "buyer_gstin") {
			return panOfGSTIN(v.text)
		}
		return normID(v.text)
	}
	pa, pb := pan(a), pan(b)
	if pa == "" || pb == "" {
		return
	}
	v, score, how := match.Mismatch, 0.0, "differ"
	if pa == pb {
		v, score, how = match.Match, 1, "agree"
	}
	r.pair(check, a, b, v, score, fmt.Sprintf("PANs from %s on %s and %s on %s %s: %s / %s", a.field, a.label(), b.field, b.label(), how, pa, pb))
}

func (r *runner) dealerNames() {
	dos := r.fieldsOf(map[document.Type]string{document.TypeDeliveryOrder: "dealer_name"})
	invs := r.fieldsOf(map[document.Type]string{document.TypeInvoice: "seller_name"})
	eachCross(dos, invs, func(a, b value) {
		score := BusinessNameScore(a.text, b.text)
		v := r.s.Name.Verdict(score)
		r.pair("dealer_name", a, b, v, score, fmt.Sprintf("Dealer on %s and seller on %s %s: %q / %q", a.label(), b.label(), verdictWords(v), a.text, b.text))
	})
}

func (r *runner) dealerAddresses() {
	dos := r.fieldsOf(map[document.Type]string{document.TypeDeliveryOrder: "dealer_address"})
	invs := r.fieldsOf(map[document.Type]string{document.TypeInvoice: "seller_address"})
	eachCross(dos, invs, func(a, b value) {
		score := addressScore(a.text, b.text, true)
		v := r.s.Address.Verdict(score)
		r.pair("dealer_address", a, b, v, score, fmt.Sprintf("Dealer address on %s and seller address on %s %s: %q / %q", a.label(), b.label(), verdictWords(v), a.text, b.text))
	})
}

func (r *runner) invoiceAmounts() {
	dos := r.fieldsOf(map[document.Type]string{document.TypeDeliveryOrder: "invoice_amount"})
	invs := r.fieldsOf(map[document.Type]string{document.TypeInvoice: "total_amount"})
	eachCross(dos, invs, r.compareAmount("invoice_amount"))
}

// compareAmount returns a comparer of two amounts; a value that is not
// an amount is not compared.
func (r *runner) compareAmount(check string) func(a, b value) {
	return func(a, b value) {
		fa, oka := parseAmount(a.text)
		fb, okb := parseAmount(b.text)
		if !oka || !okb {
			return
		}
		v, score, how := compareAmounts(fa, fb, r.s.AmountTolerance)
		r.pair(check, a, b, v, score, fmt.Sprintf("Amounts %s on %s and %s on %s %s: %.2f / %.2f", a.field, a.label(), b.field, b.label(), how, fa, fb))
	}
}

// expiryFields are where each type prints the last day it is valid.
var expiryFields = map[document.Type]string{
	document.TypeDrivingLicense: "valid_till",
	document.TypePassport:       "date_of_expiry",
	document.TypeShopAct:        "valid_till",
}

func (r *runner) validity() {
	now := r.s.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	warnUntil := today.Add(r.s.ExpiryWarning)
	for _, v := range r.fieldsOf(expiryFields) {
		d, ok := parseDate(v.text)
		if !ok || d.yearOnly {
			continue
		}
		// The document is valid through its last day.
		exp := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		switch {
		case exp.Before(today):
			r.single("validity", v, match.Mismatch, 0, fmt.Sprintf("%s expired on %s", v.label(), d))
		case exp.Before(warnUntil):
			r.single("validity", v, match.Review, 0.5, fmt.Sprintf("%s expires soon, on %s", v.label(), d))
		default:
			r.single("validity", v, match.Match, 1, fmt.Sprintf("%s is valid until %s", v.label(), d))
		}
	}
}

// idFields are the identifiers that make two documents of a type the
// same document.
var idFields = map[document.Type]string{
	document.TypePAN:            "pan_number",
	document.TypeAadhaar:        "aadhaar_number",
	document.TypeVoterID:        "voter_id",
	document.TypeDrivingLicense: "dl_number",
	document.TypePassport:       "passport_number",
	document.TypeGSTCert:        "gst_number",
	document.TypeInvoice:        "invoice_number",
	document.TypeDeliveryOrder:  "do_number",
}

// duplicates reports pairs of documents uploaded twice: the same bytes,
// or the same type with the same identifier.
func (r *runner) duplicates() {
	for i := range r.docs {
		for j := i + 1; j < len(r.docs); j++ {
			a, b := r.docs[i], r.docs[j]
			if a.ContentKey != "" && a.ContentKey == b.ContentKey {
				r.add("duplicate_upload", []value{{doc: i, id: a.DocumentID, field: "content"}, {doc: j, id: b.DocumentID, field: "content"}},
					match.Review, 1, fmt.Sprintf("Documents %s and %s are the same file", a.DocumentID, b.DocumentID))
				continue
			}
			if va, vb, ok := r.sameIdentifier(i, j); ok {
				r.add("duplicate_upload", []value{va, vb}, match.Review, 1,
					fmt.Sprintf("Documents %s and %s are the same %s (same %s)", a.DocumentID, b.DocumentID, a.Data.Type, va.field))
			}
		}
	}
}

// sameIdentifier says whether documents i and j are of one type and carry
// the same identifier. Masked Aadhaar numbers say nothing, and invoices of
// different sellers may share a number.
func (r *runner) sameIdentifier(i, j int) (value, value, bool) {
	a, b := r.docs[i].Data, r.docs[j].Data
	if a == nil || b == nil || a.Type != b.Type {
		return value{}, value{}, false
	}
	name, ok := idFields[a.Type]
	if !ok {
		return value{}, value{}, false
	}
	va, oka := r.field(i, name)
	vb, okb := r.field(j, name)
	if !oka || !okb || normID(va.text) != normID(vb.text) || strings.Contains(normID(va.text), "XXXX") {
		return value{}, value{}, false
	}
	if a.Type == document.TypeInvoice {
		sa, oka := r.field(i, "seller_gstin")
		sb, okb := r.field(j, "seller_gstin")
		if oka && okb && normID(sa.text) != normID(sb.text) {
			return value{}, value{}, false
		}
	}
	return va, vb, true
}
