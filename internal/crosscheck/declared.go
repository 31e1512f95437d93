package crosscheck

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/atlas-oss/atlas/internal/document"
)

// param is one declared value and the key it came under.
type param struct {
	key  string
	text string
}

// declaredParams are the flow_params values the checks know; a nil
// pointer is a value not declared (or not usable).
type declaredParams struct {
	name, dob, gender, father, pan, address, pincode, invoiceAmount, loanAmount *param
}

// parseDeclared picks the known values out of the free-form flow_params.
// Keys are matched case-insensitively, aliases in order of preference;
// values of the wrong kind (a nested object, a number for a name) are
// ignored rather than rejected, as the client owns these params.
func parseDeclared(m map[string]any) declaredParams {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic when keys differ only in case
	lookup := func(numbers bool, aliases ...string) *param {
		for _, alias := range aliases {
			for _, k := range keys {
				if !strings.EqualFold(k, alias) {
					continue
				}
				if s, ok := paramText(m[k], numbers); ok {
					return &param{key: k, text: s}
				}
			}
		}
		return nil
	}
	p := declaredParams{
		name:          lookup(false, "name", "applicant_name", "customer_name"),
		dob:           lookup(false, "dob", "date_of_birth"),
		gender:        lookup(false, "gender"),
		father:        lookup(false, "father_name"),
		pan:           lookup(false, "pan", "pan_number"),
		address:       lookup(false, "address"),
		pincode:       lookup(true, "pincode"),
		invoiceAmount: lookup(true, "invoice_amount"),
		loanAmount:    lookup(true, "loan_amount"),
	}
	if p.pincode != nil {
		p.pincode.text = strings.Join(strings.Fields(p.pincode.text), "")
	}
	return p
}

// paramText returns a param as text: a non-empty string, or, when numbers
// are wanted, a finite number.
func paramText(v any, numbers bool) (string, bool) {
	var s string
	switch x := v.(type) {
	case string:
		s = collapse(x)
		return s, s != ""
	case float64:
		if !numbers || math.IsNaN(x) || math.IsInf(x, 0) {
			return "", false
		}
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		if !numbers {
			return "", false
		}
		s = x.String()
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	default:
		return "", false
	}
	return s, numbers
}

// declared compares what the application declared with the documents.
func (r *runner) declared(p declaredParams) {
	if p.name != nil && !isBusiness(p.name.text) {
		d := declaredValue(p.name.key, p.name.text)
		for _, v := range r.applicantNames() {
			r.compareNames("declared_name", d, v, false)
		}
	}
	if p.dob != nil {
		d := declaredValue(p.dob.key, p.dob.text)
		cmp := r.compareDOB("declared_date_of_birth")
		for _, v := range r.fieldsOf(dobFields) {
			cmp(d, v)
		}
	}
	if p.gender != nil {
		d := declaredValue(p.gender.key, p.gender.text)
		cmp := r.compareGender("declared_gender")
		for _, v := range r.fieldsOf(genderFields) {
			cmp(d, v)
		}
	}
	if p.father != nil {
		d := declaredValue(p.father.key, p.father.text)
		for _, v := range r.fieldsOf(map[document.Type]string{document.TypePAN: "father_name"}) {
			r.compareNames("declared_father_name", d, v, false)
		}
		for _, v := range r.fieldsOf(relationFields) {
			r.compareNames("declared_father_name", d, v, true)
		}
	}
	if p.pan != nil {
		d := declaredValue(p.pan.key, p.pan.text)
		for _, v := range r.fieldsOf(map[document.Type]string{document.TypePAN: "pan_number"}) {
			r.comparePAN("declared_pan", d, v)
		}
		for _, v := range r.fieldsOf(gstinFields) {
			r.comparePAN("declared_pan", d, v)
		}
	}
	homes := r.fieldsOf(personalAddressFields)
	if p.address != nil {
		d := declaredValue(p.address.key, p.address.text)
		for _, v := range homes {
			r.compareAddress("declared_address", d, v)
		}
	}
	// A declared PIN, or failing that the PIN of the declared address.
	pin := p.pincode
	if pin == nil {
		pin = p.address
	}
	if pin != nil {
		d := declaredValue(pin.key, pin.text)
		for _, v := range homes {
			r.comparePIN("declared_pincode", d, v)
		}
	}
	if p.invoiceAmount != nil {
		d := declaredValue(p.invoiceAmount.key, p.invoiceAmount.text)
		cmp := r.compareAmount("declared_invoice_amount")
		for _, v := range r.fieldsOf(map[document.Type]string{document.TypeDeliveryOrder: "invoice_amount", document.TypeInvoice: "total_amount"}) {
			cmp(d, v)
		}
	}
	if p.loanAmount != nil {
		d := declaredValue(p.loanAmount.key, p.loanAmount.text)
		cmp := r.compareAmount("declared_loan_amount")
		for _, v := range r.fieldsOf(map[document.Type]string{document.TypeDeliveryOrder: "loan_amount"}) {
			cmp(d, v)
		}
	}
}
