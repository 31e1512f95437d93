package crosscheck

import (
	"encoding/json"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/match"
)

func TestCompareDates(t *testing.T) {
	tests := []struct {
		a, b  string
		want  match.Verdict
		score float64
	}{
		{"16/07/1986", "16/07/1986", match.Match, 1},
		{"16/07/1986", "1986-07-16", match.Match, 1},
		{"16-07-1986", "16.07.1986", match.Match, 1},
		{"1986", "16/07/1986", match.Match, 0.9},
		{"1986", "1986", match.Match, 1},
		{"1986", "16/07/1987", match.Review, 0.7},
		{"1986", "16/07/1995", match.Mismatch, 0},
		{"06/07/1986", "07/06/1986", match.Review, 0.7},
		{"16/07/1986", "16/07/1988", match.Review, 0.75},
		{"16/07/1986", "18/07/1986", match.Review, 0.75},
		{"16/07/1986", "01/01/1990", match.Mismatch, 0},
		{"06/07/1986", "07/06/1987", match.Mismatch, 0},
	}
	for _, tt := range tests {
		a, oka := parseDate(tt.a)
		b, okb := parseDate(tt.b)
		if !oka || !okb {
			t.Fatalf("parseDate(%q, %q) failed", tt.a, tt.b)
		}
		v, score, _ := compareDates(a, b)
		if v != tt.want || score != tt.score {
			t.Errorf("compareDates(%s, %s) = %s %.2f, want %s %.2f", tt.a, tt.b, v, score, tt.want, tt.score)
		}
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, s := range []string{"", "abcd", "32/01/1986", "16/13/1986", "16/07/86", "1986-07", "07/16/1986", "12345", "16//1986", "０１/01/1986"} {
		if d, ok := parseDate(s); ok {
			t.Errorf("parseDate(%q) = %v, want failure", s, d)
		}
	}
}

func TestExtractPIN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001", "311001"},
		{"H.No 560001, Some Road, Bengaluru 560034", "560034"},
		{"Flat 012345, Mumbai", ""},                        // a PIN never starts with 0
		{"Account 98765432101, Pune", ""},                  // part of a longer number
		{"Plot 123456 Sector 5 Noida 201301 UP", "201301"}, // the last one
		{"No PIN here", ""},
		{"Near 400020", "400020"},
	}
	for _, tt := range tests {
		if got := extractPIN(tt.in); got != tt.want {
			t.Errorf("extractPIN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBusinessNameScore(t *testing.T) {
	tests := []struct {
		a, b string
		want match.Verdict
	}{
		{"Sri Balaji Motors Pvt. Ltd.", "M/S SRI BALAJI MOTORS PRIVATE LIMITED", match.Match},
		{"Shree Balaji Motors (P) Ltd", "SRI BALAJI MOTORS PVT LTD", match.Match},
		{"Kumar & Sons Traders", "KUMAR AND SONS TRADERS", match.Match},
		{"Balaji Motors Sri", "Sri Balaji Motors", match.Match},
		{"BALAJIMOTORS", "Balaji Motors", match.Match},
		{"Sri Balaji Motors Pvt Ltd", "Sri Balaji Motors", match.Match},
		{"Sri Balaji Motors", "Sri Balaji Automobiles", match.Review},
		{"Sri Balaji Motors", "Lakshmi Auto Agencies", match.Mismatch},
		{"", "Lakshmi Auto Agencies", match.Mismatch},
		{"Pvt Ltd", "Private Limited", match.Match},
	}
	for _, tt := range tests {
		s := BusinessNameScore(tt.a, tt.b)
		if s < 0 || s > 1 {
			t.Errorf("BusinessNameScore(%q, %q) = %v out of range", tt.a, tt.b, s)
		}
		if v := (match.Thresholds{}).Verdict(s); v != tt.want {
			t.Errorf("BusinessNameScore(%q, %q) = %v (%s), want %s", tt.a, tt.b, s, v, tt.want)
		}
		if r := BusinessNameScore(tt.b, tt.a); r != s {
			t.Errorf("BusinessNameScore not symmetric on %q, %q: %v / %v", tt.a, tt.b, s, r)
		}
	}
}

func TestIsBusiness(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"KRISHNA TRADERS", true},
		{"M/S Duraisamy", true},
		{"Duraisamy & Co", true},
		{"DURAISAMY AND CO.", true},
		{"ABC Pvt. Ltd.", true},
		{"Lakshmi Enterprises", true},
		{"Manikandan Duraisamy", false},
		{"RAVI KUMAR S/O SURESH", false},
		{"Sunita Devi C/O Ramesh", false},
		{"Coimbatore Kumar", false},
	}
	for _, tt := range tests {
		if got := isBusiness(tt.in); got != tt.want {
			t.Errorf("isBusiness(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCompareAmounts(t *testing.T) {
	tests := []struct {
		a, b  string
		want  match.Verdict
		score float64
	}{
		{"85000.00", "85,000", match.Match, 1},
		{"85000.00", "85000.60", match.Match, 1},
		{"₹ 1,25,000.00", "125000", match.Match, 1},
		{"85000.00", "85500.00", match.Review, 0.99},
		{"85000.00", "95000.00", match.Mismatch, 0.89},
		{"0", "100", match.Mismatch, 0},
		{"0.00", "0", match.Match, 1},
	}
	for _, tt := range tests {
		a, oka := parseAmount(tt.a)
		b, okb := parseAmount(tt.b)
		if !oka || !okb {
			t.Fatalf("parseAmount(%q, %q) failed", tt.a, tt.b)
		}
		v, score, _ := compareAmounts(a, b, 0.01)
		if v != tt.want || round2(score) != tt.score {
			t.Errorf("compareAmounts(%s, %s) = %s %.2f, want %s %.2f", tt.a, tt.b, v, score, tt.want, tt.score)
		}
	}
	for _, s := range []string{"", "abc", "-5", "NaN", "Inf", "1e400"} {
		if _, ok := parseAmount(s); ok {
			t.Errorf("parseAmount(%q) succeeded", s)
		}
	}
}

func TestParseDeclared(t *testing.T) {
	tests := []struct {
		in   string
		want declaredParams
	}{
		{`{"NAME":"Ravi","applicant_name":"Other","DoB":"16-07-1986","gender":"F","pan":"abcpd1234f"}`,
			declaredParams{name: &param{"NAME", "Ravi"}, dob: &param{"DoB", "16-07-1986"}, gender: &param{"gender", "F"}, pan: &param{"pan", "abcpd1234f"}}},
		{`{"applicant_name":"  Ravi   Kumar ","pincode":560001,"loan_amount":70000.5,"invoice_amount":"85,000"}`,
			declaredParams{name: &param{"applicant_name", "Ravi Kumar"}, pincode: &param{"pincode", "560001"},
				loanAmount: &param{"loan_amount", "70000.5"}, invoiceAmount: &param{"invoice_amount", "85,000"}}},
		{`{"name":{"first":"Ravi"},"customer_name":"Ravi K","pincode":"560 001","address":["x"],"father_name":null}`,
			declaredParams{name: &param{"customer_name", "Ravi K"}, pincode: &param{"pincode", "560001"}}},
		{`{"name":12,"pan":true,"dob":"","gender":[]}`, declaredParams{}},
	}
	for _, tt := range tests {
		var m map[string]any
		if err := json.Unmarshal([]byte(tt.in), &m); err != nil {
			t.Fatal(err)
		}
		got := parseDeclared(m)
		if !equalParams(got, tt.want) {
			t.Errorf("parseDeclared(%s) = %s, want %s", tt.in, dumpParams(got), dumpParams(tt.want))
		}
	}
}

func paramsList(p declaredParams) []*param {
	return []*param{p.name, p.dob, p.gender, p.father, p.pan, p.address, p.pincode, p.invoiceAmount, p.loanAmount}
}

func equalParams(a, b declaredParams) bool {
	pa, pb := paramsList(a), paramsList(b)
	for i := range pa {
		if (pa[i] == nil) != (pb[i] == nil) || pa[i] != nil && *pa[i] != *pb[i] {
			return false
		}
	}
	return true
}

func dumpParams(p declaredParams) string {
	s := ""
	for _, x := range paramsList(p) {
		if x == nil {
			s += "<nil> "
		} else {
			s += x.key + "=" + x.text + " "
		}
	}
	return s
}

// FuzzDeclared feeds arbitrary JSON as flow_params: Run must not panic
// and must return well-formed checks.
func FuzzDeclared(f *testing.F) {
	for _, s := range []string{
		`{"name":"Manikandan Duraisamy","dob":"1986-07-16","gender":"m","pan":"ABCPD1234F"}`,
		`{"pincode":641004,"invoice_amount":85000,"loan_amount":"70,000.00","address":"12 Gandhi Street 641004"}`,
		`{"name":{"a":[1,2,{"b":null}]},"DOB":"99/99/9999","pan":"","father_name":"S/O"}`,
		`{"invoice_amount":1e308,"loan_amount":-1,"pincode":"0000000"}`,
		`{"dob":"2024-02-30","gender":"TRANSGENDER","Name":"ा"}`,
	} {
		f.Add(s)
	}
	docs := append(applicant(),
		doc("v1", document.TypeVoterID, "relation_name", "DURAISAMY", "date_of_birth", "1986", "address", "Coimbatore 641004"),
		doc("g1", document.TypeGSTCert, "gst_number", "33ABCPD1234F1Z5"),
	)
	f.Fuzz(func(t *testing.T, in string) {
		var m map[string]any
		if json.Unmarshal([]byte(in), &m) != nil {
			return
		}
		for _, c := range Run(docs, m, Settings{Now: fixedNow}) {
			if len(c.Documents) != len(c.Fields) || c.Score < 0 || c.Score > 1 {
				t.Fatalf("malformed check %+v", c)
			}
			switch c.Status {
			case match.Match, match.Review, match.Mismatch:
			default:
				t.Fatalf("bad status %q", c.Status)
			}
		}
	})
}
