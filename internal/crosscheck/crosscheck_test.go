package crosscheck

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/match"
)

// doc builds a read document from field name/value pairs, read with
// confidence 0.95.
func doc(id string, t document.Type, kv ...string) Document {
	return docConf(id, t, 0.95, kv...)
}

func docConf(id string, t document.Type, conf float64, kv ...string) Document {
	d := document.NewFileData(t)
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i], document.Field{Value: kv[i+1], Confidence: conf})
	}
	return Document{DocumentID: id, FileUUID: "uuid-" + id, Data: d}
}

// The documents of one applicant, Manikandan Duraisamy, buying a scooter.
func applicant() []Document {
	return []Document{
		doc("p1", document.TypePAN, "pan_number", "ABCPD1234F", "name_as_per_pan", "D MANIKANDAN DURAISAMY",
			"father_name", "DURAISAMY K", "dob", "16/07/1986"),
		doc("a1", document.TypeAadhaar, "aadhaar_number", "2345 6789 0124", "name", "Manikandan Duraisamy D",
			"date_of_birth", "16/07/1986", "gender", "MALE",
			"address", "12, GANDHI STREET, PEELAMEDU, COIMBATORE, Tamil Nadu, 641004"),
		doc("i1", document.TypeInvoice, "invoice_number", "INV-778", "seller_name", "Sri Balaji Motors Pvt. Ltd.",
			"seller_gstin", "33AAACB1234C1Z5", "seller_address", "45, AVINASHI ROAD, COIMBATORE, 641018",
			"buyer_name", "MANIKANDAN DURAISAMY", "total_amount", "85000.00"),
		doc("do1", document.TypeDeliveryOrder, "do_number", "DO-991", "dealer_name", "M/S SRI BALAJI MOTORS PRIVATE LIMITED",
			"dealer_address", "45, Avinashi Road, Coimbatore, 641018", "customer_name", "D. Manikandan Duraisamy",
			"invoice_amount", "85,000.00", "loan_amount", "70000.00"),
	}
}

// with returns docs with document id's field name set to value (or
// removed from consideration by a new document without it when value is
// "").
func with(docs []Document, id, name, value string) []Document {
	out := slices.Clone(docs)
	for i, d := range out {
		if d.DocumentID != id {
			continue
		}
		nd := document.NewFileData(d.Data.Type)
		for _, n := range d.Data.Names() {
			f, _ := d.Data.Get(n)
			nd.Set(n, f)
		}
		nd.Set(name, document.Field{Value: value, Confidence: 0.95})
		out[i].Data = nd
	}
	return out
}

// line renders a check as "check doc1,doc2 status" for comparison.
func line(c Check) string {
	return c.Check + " " + strings.Join(c.Documents, ",") + " " + string(c.Status)
}

var fixedNow = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		docs     []Document
		declared map[string]any
		settings Settings
		// want lists, in order, every check of each check name it
		// mentions; checks of other names are not asserted.
		want []string
		// absent are check names that must not appear.
		absent []string
	}{
		{
			name: "one applicant, all agree",
			docs: applicant(),
			want: []string{
				"name p1,a1 match", "name p1,i1 match", "name p1,do1 match",
				"name a1,i1 match", "name a1,do1 match", "name i1,do1 match",
				"dealer_name i1,do1 match", "dealer_address i1,do1 match", "invoice_amount i1,do1 match",
			},
			absent: []string{"duplicate_upload", "validity", "gender", "address"},
		},
		{
			name: "another person's PAN",
			docs: with(applicant(), "p1", "name_as_per_pan", "MOHAN KUMAR"),
			want: []string{
				"name p1,a1 mismatch", "name p1,i1 mismatch", "name p1,do1 mismatch",
				"name a1,i1 match", "name a1,do1 match", "name i1,do1 match",
				"dealer_name i1,do1 match", "invoice_amount i1,do1 match",
			},
		},
		{
			name: "low-confidence PAN name is a review, not a mismatch",
			docs: append(applicant()[1:2], docConf("p1", document.TypePAN, 0.3, "name_as_per_pan", "MOHAN KUMAR")),
			want: []string{"name a1,p1 review"},
		},
		{
			name: "low confidence does not spoil a match",
			docs: append(applicant()[1:2], docConf("p1", document.TypePAN, 0.3, "name_as_per_pan", "MANIKANDAN DURAISAMY")),
			want: []string{"name a1,p1 match"},
		},
		{
			name: "dates of birth and genders",
			docs: []Document{
				doc("p1", document.TypePAN, "dob", "16/07/1986"),
				doc("a1", document.TypeAadhaar, "date_of_birth", "1986", "gender", "MALE"),
				doc("v1", document.TypeVoterID, "date_of_birth", "01/01/1990", "gender", "M"),
				doc("pp", document.TypePassport, "date_of_birth", "16/07/1988", "gender", "FEMALE"),
			},
			want: []string{
				"date_of_birth p1,a1 match", "date_of_birth p1,v1 mismatch", "date_of_birth p1,pp review",
				"date_of_birth a1,v1 mismatch", "date_of_birth a1,pp review", "date_of_birth v1,pp mismatch",
				"gender a1,v1 match", "gender a1,pp mismatch", "gender v1,pp mismatch",
			},
		},
		{
			name: "day and month swapped",
			docs: []Document{
				doc("p1", document.TypePAN, "dob", "06/07/1986"),
				doc("d1", document.TypeDrivingLicense, "date_of_birth", "07/06/1986"),
			},
			want: []string{"date_of_birth p1,d1 review"},
		},
		{
			name: "a date of birth OCR made impossible is a review",
			docs: []Document{
				doc("p1", document.TypePAN, "dob", "16/07/1986"),
				doc("a1", document.TypeAadhaar, "date_of_birth", "16/87/1986"),
			},
			want: []string{"date_of_birth p1,a1 review"},
		},
		{
			name: "father's name: a relation that differs is a review",
			docs: []Document{
				doc("p1", document.TypePAN, "father_name", "SURESH KUMAR"),
				doc("v1", document.TypeVoterID, "relation_name", "RAMESH GUPTA"),
				doc("d1", document.TypeDrivingLicense, "relation_name", "Suresh Kumar"),
			},
			want: []string{"father_name p1,v1 review", "father_name p1,d1 match"},
		},
		{
			name: "home addresses and PIN codes",
			docs: []Document{
				doc("a1", document.TypeAadhaar, "address", "12, GANDHI STREET, PEELAMEDU, COIMBATORE, Tamil Nadu, 641004"),
				doc("v1", document.TypeVoterID, "address", "12 Gandhi Street Peelamedu Coimbatore Tamil Nadu 641004"),
				doc("d1", document.TypeDrivingLicense, "address", "Flat 9B, Marine Drive, Mumbai, Maharashtra, 400020"),
				// A business address is not compared with the applicant's home.
				doc("g1", document.TypeGSTCert, "address", "12, GANDHI STREET, PEELAMEDU, COIMBATORE, 641004"),
			},
			want: []string{
				"address a1,v1 match", "address a1,d1 mismatch",
				"pincode a1,v1 match", "pincode a1,d1 mismatch",
			},
		},
		{
			name: "validity against a fixed clock",
			docs: []Document{
				doc("d1", document.TypeDrivingLicense, "valid_till", "01/01/2020"),
				doc("pp", document.TypePassport, "date_of_expiry", "03/12/2026"),
				doc("s1", document.TypeShopAct, "valid_till", "31/03/2030"),
				doc("d2", document.TypeDrivingLicense, "valid_till", "23/11/2026"),
			},
			settings: Settings{Now: fixedNow},
			want:     []string{"validity d1 mismatch", "validity pp review", "validity s1 match", "validity d2 review"},
		},
		{
			name: "duplicate bytes, duplicate PAN number, masked Aadhaar is no duplicate",
			docs: []Document{
				{DocumentID: "x1", ContentKey: "sha-1"},
				doc("p1", document.TypePAN, "pan_number", "ABCPD1234F"),
				{DocumentID: "x2", ContentKey: "sha-1"},
				doc("p2", document.TypePAN, "pan_number", "abcpd 1234f"),
				doc("a1", document.TypeAadhaar, "aadhaar_number", "XXXX XXXX 0124"),
				doc("a2", document.TypeAadhaar, "aadhaar_number", "XXXX XXXX 0124"),
				{DocumentID: "x3"}, {DocumentID: "x4"},
			},
			want: []string{"duplicate_upload x1,x2 review", "duplicate_upload p1,p2 review"},
		},
		{
			name: "GSTIN against PAN",
			docs: []Document{
				doc("p1", document.TypePAN, "pan_number", "ABCPD1234F"),
				doc("g1", document.TypeGSTCert, "gst_number", "33ABCPD1234F1Z5"),
				doc("i1", document.TypeInvoice, "buyer_gstin", "33ZZZPD9999F1Z5"),
			},
			want: []string{"gstin_pan p1,g1 match", "gstin_pan p1,i1 mismatch"},
		},
		{
			name: "amount within tolerance is a review",
			docs: with(applicant(), "do1", "invoice_amount", "85500.00"),
			want: []string{"invoice_amount i1,do1 review"},
		},
		{
			name: "amount beyond tolerance is a mismatch",
			docs: with(applicant(), "do1", "invoice_amount", "95000.00"),
			want: []string{"invoice_amount i1,do1 mismatch"},
		},
		{
			name:     "wider tolerance",
			docs:     with(applicant(), "do1", "invoice_amount", "95000.00"),
			settings: Settings{AmountTolerance: 0.2},
			want:     []string{"invoice_amount i1,do1 review"},
		},
		{
			name: "a different dealer",
			docs: with(with(applicant(), "do1", "dealer_name", "Lakshmi Auto Agencies"), "do1", "dealer_address", "7, Anna Salai, Chennai, 600002"),
			want: []string{"dealer_name i1,do1 mismatch", "dealer_address i1,do1 mismatch"},
		},
		{
			name: "firms' names say nothing of the applicant",
			docs: []Document{
				doc("a1", document.TypeAadhaar, "name", "Manikandan Duraisamy"),
				doc("i1", document.TypeInvoice, "buyer_name", "KRISHNA TRADERS"),
				doc("b1", document.TypeBankStatement, "account_holder_name", "M/S DURAISAMY & CO"),
				doc("g1", document.TypeGSTCert, "legal_name", "MANIKANDAN DURAISAMY", "constitution_of_business", "Proprietorship"),
				doc("g2", document.TypeGSTCert, "legal_name", "MANIKANDAN DURAISAMY", "constitution_of_business", "Partnership"),
				doc("u1", document.TypeUdyamCert, "owner_name", "Manikandan D"),
				doc("pp", document.TypePassport, "given_names", "MANIKANDAN", "surname", "DURAISAMY"),
			},
			want: []string{"name a1,g1 match", "name a1,u1 match", "name a1,pp match", "name g1,u1 match", "name g1,pp match", "name u1,pp match"},
		},
		{
			name: "failed documents take part in nothing",
			docs: []Document{
				doc("a1", document.TypeAadhaar, "name", "Manikandan Duraisamy"),
				{DocumentID: "f1"},
				doc("p1", document.TypePAN, "name_as_per_pan", "MANIKANDAN DURAISAMY"),
			},
			declared: map[string]any{"name": "Manikandan Duraisamy"},
			want:     []string{"name a1,p1 match", "declared_name flow_params,a1 match", "declared_name flow_params,p1 match"},
			absent:   []string{"duplicate_upload"},
		},
		{
			name: "declared values that agree",
			docs: applicant(),
			declared: map[string]any{
				"Applicant_Name": "Manikandan Duraisamy", "dob": "1986-07-16", "gender": "m",
				"pan": "abcpd1234f", "invoice_amount": 85000.0, "loan_amount": "70000",
				"pincode": 641004.0, "address": "12 Gandhi Street, Peelamedu, Coimbatore, Tamil Nadu, 641004",
				"nested": map[string]any{"name": "someone else"},
			},
			want: []string{
				"declared_name flow_params,p1 match", "declared_name flow_params,a1 match",
				"declared_name flow_params,i1 match", "declared_name flow_params,do1 match",
				"declared_date_of_birth flow_params,p1 match", "declared_date_of_birth flow_params,a1 match",
				"declared_gender flow_params,a1 match",
				"declared_pan flow_params,p1 match",
				"declared_address flow_params,a1 match", "declared_pincode flow_params,a1 match",
				"declared_invoice_amount flow_params,i1 match", "declared_invoice_amount flow_params,do1 match",
				"declared_loan_amount flow_params,do1 match",
			},
		},
		{
			name: "declared values that do not",
			docs: applicant(),
			declared: map[string]any{
				"customer_name": "Mohan Kumar", "DATE_OF_BIRTH": "16-07-1990", "gender": "FEMALE",
				"pan_number": "ZZZPK9999Q", "invoice_amount": "99000", "pincode": "560001",
				"father_name": "Duraisamy K",
			},
			want: []string{
				"declared_name flow_params,p1 mismatch", "declared_name flow_params,a1 mismatch",
				"declared_name flow_params,i1 mismatch", "declared_name flow_params,do1 mismatch",
				"declared_date_of_birth flow_params,p1 mismatch", "declared_date_of_birth flow_params,a1 mismatch",
				"declared_gender flow_params,a1 mismatch",
				"declared_father_name flow_params,p1 match",
				"declared_pan flow_params,p1 mismatch",
				"declared_pincode flow_params,a1 mismatch",
				"declared_invoice_amount flow_params,i1 mismatch", "declared_invoice_amount flow_params,do1 mismatch",
			},
			absent: []string{"declared_address", "declared_loan_amount"},
		},
		{
			name:     "declared values of the wrong kind are ignored",
			docs:     applicant(),
			declared: map[string]any{"name": 42.0, "dob": map[string]any{"d": 1}, "pan": []any{"x"}, "invoice_amount": true, "gender": "unknown"},
			absent:   []string{"declared_name", "declared_date_of_birth", "declared_pan", "declared_invoice_amount", "declared_gender"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Run(tt.docs, tt.declared, tt.settings)
			names := map[string]bool{}
			for _, w := range tt.want {
				names[strings.Fields(w)[0]] = true
			}
			var lines []string
			for _, c := range got {
				if names[c.Check] {
					lines = append(lines, line(c))
				}
				if slices.Contains(tt.absent, c.Check) {
					t.Errorf("unexpected check %s", line(c))
				}
				if len(c.Documents) != len(c.Fields) || c.Score < 0 || c.Score > 1 || c.Detail == "" {
					t.Errorf("malformed check %+v", c)
				}
			}
			if !slices.Equal(lines, tt.want) {
				t.Errorf("checks:\n got %q\nwant %q", lines, tt.want)
			}
		})
	}
}

// find returns the first check with the given name and documents.
func find(t *testing.T, cs []Check, name string, docs ...string) Check {
	t.Helper()
	for _, c := range cs {
		if c.Check == name && slices.Equal(c.Documents, docs) {
			return c
		}
	}
	t.Fatalf("no %s check of %v", name, docs)
	return Check{}
}

func TestCheckContents(t *testing.T) {
	got := Run(applicant(), map[string]any{"name": "Manikandan Duraisamy"}, Settings{})
	c := find(t, got, "name", "p1", "a1")
	if !reflect.DeepEqual(c.Fields, []string{"name_as_per_pan", "name"}) || !strings.Contains(c.Detail, "word order differs") {
		t.Errorf("name p1/a1 = %+v", c)
	}
	c = find(t, got, "declared_name", "flow_params", "p1")
	if !reflect.DeepEqual(c.Fields, []string{"name", "name_as_per_pan"}) {
		t.Errorf("declared_name fields = %v", c.Fields)
	}
	c = find(t, got, "invoice_amount", "i1", "do1")
	if c.Score != 1 || !reflect.DeepEqual(c.Fields, []string{"total_amount", "invoice_amount"}) {
		t.Errorf("invoice_amount = %+v", c)
	}

	low := Run(append(applicant()[1:2], docConf("p1", document.TypePAN, 0.3, "name_as_per_pan", "MOHAN KUMAR")), nil, Settings{})
	if c := find(t, low, "name", "a1", "p1"); !strings.Contains(c.Detail, "low-confidence reading") {
		t.Errorf("low-confidence detail = %q", c.Detail)
	}

	exp := Run([]Document{doc("d1", document.TypeDrivingLicense, "valid_till", "01/01/2020")}, nil, Settings{Now: fixedNow})
	if c := find(t, exp, "validity", "d1"); !strings.Contains(c.Detail, "expired on 01/01/2020") || c.Fields[0] != "valid_till" {
		t.Errorf("validity = %+v", c)
	}

	dup := Run([]Document{{DocumentID: "x1", ContentKey: "k"}, {DocumentID: "x2", ContentKey: "k"}}, nil, Settings{})
	if c := find(t, dup, "duplicate_upload", "x1", "x2"); c.Score != 1 || !strings.Contains(c.Detail, "x1") || !strings.Contains(c.Detail, "x2") {
		t.Errorf("duplicate = %+v", c)
	}
}

func TestRunDeterministic(t *testing.T) {
	docs := append(applicant(),
		doc("v1", document.TypeVoterID, "name", "MANIKANDAN D", "relation_name", "DURAISAMY", "date_of_birth", "16/07/1986", "gender", "MALE",
			"address", "12 Gandhi Street, Coimbatore, 641004"),
		doc("g1", document.TypeGSTCert, "gst_number", "33ABCPD1234F1Z5", "legal_name", "MANIKANDAN DURAISAMY", "constitution_of_business", "Proprietorship"),
	)
	declared := map[string]any{"name": "Manikandan", "NAME": "Mohan", "applicant_name": "x", "dob": "16/07/1986", "pan": "ABCPD1234F"}
	first := Run(docs, declared, Settings{Now: fixedNow})
	for range 20 {
		if again := Run(docs, declared, Settings{Now: fixedNow}); !reflect.DeepEqual(first, again) {
			t.Fatalf("second run differs:\n%v\n%v", first, again)
		}
	}
	// Sorted by check order, then by the documents' upload order.
	upload := map[string]int{FlowParams: -1}
	for i, d := range docs {
		upload[d.DocumentID] = i
	}
	for i := 1; i < len(first); i++ {
		a, b := first[i-1], first[i]
		ra, rb := slices.Index(checkOrder, a.Check), slices.Index(checkOrder, b.Check)
		if ra < 0 || rb < 0 || ra > rb {
			t.Errorf("check %s before %s", line(a), line(b))
		}
		if ra == rb && upload[a.Documents[0]] > upload[b.Documents[0]] {
			t.Errorf("documents out of upload order: %s before %s", line(a), line(b))
		}
	}
	for _, c := range first {
		if len(c.Documents) == 2 && c.Documents[0] != FlowParams && upload[c.Documents[0]] > upload[c.Documents[1]] {
			t.Errorf("documents of %s not in upload order", line(c))
		}
	}
}

func TestRunEmpty(t *testing.T) {
	if got := Run(nil, nil, Settings{}); len(got) != 0 {
		t.Errorf("Run(nil) = %v", got)
	}
	// The JSON shape is the API's.
	b, err := json.Marshal(Check{Check: "name", Documents: []string{"a"}, Fields: []string{"name"}, Status: match.Match, Score: 1, Detail: "d"})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"check":"name","documents":["a"],"fields":["name"],"status":"match","score":1,"detail":"d"}`
	if string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
}

func ExampleRun() {
	docs := []Document{
		doc("pan-1", document.TypePAN, "name_as_per_pan", "D MANIKANDAN DURAISAMY"),
		doc("aadhaar-1", document.TypeAadhaar, "name", "Manikandan Duraisamy D"),
	}
	for _, c := range Run(docs, nil, Settings{}) {
		fmt.Println(c.Check, c.Documents, c.Status, c.Score)
	}
	// Output: name [pan-1 aadhaar-1] match 1
}
