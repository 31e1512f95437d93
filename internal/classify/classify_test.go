package classify

import (
	"image"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/extract"
	"github.com/atlas-oss/atlas/internal/extract/extracttest"
)

// page lays out text lines as OCR would give them: one word per
// space-separated token, a line per string.
func page(lines ...string) []document.Page {
	p := document.Page{Number: 1, Width: 1000, Height: 40 * len(lines), Source: "ocr"}
	for i, l := range lines {
		x := 10
		for _, w := range strings.Fields(l) {
			p.Words = append(p.Words, document.Word{Text: w, Conf: 0.9, Box: image.Rect(x, 10+40*i, x+14*len(w), 34+40*i), Block: 1, Para: 1, Line: i + 1})
			x += 14*len(w) + 12
		}
	}
	return []document.Page{p}
}

func TestClassify(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		pages []document.Page
		want  document.Type // "" for UNRECOGNISED
	}{
		{"pan new", page("INCOME TAX DEPARTMENT GOVT. OF INDIA", "Permanent Account Number Card", "ABCPK1234F", "Name", "RAVI KUMAR"), document.TypePAN},
		{"pan old, OCR noise", page("INCOMF TAX DEPARTMNT GOVT OF INDlA", "RAVI KUMAR", "SURESH KUMAR", "16/07/1986", "Permanent Acount Numbr", "ABCPK1234F"), document.TypePAN},
		{"aadhaar front", page("Government of India", "Ravi Kumar", "DOB: 16/07/1986", "MALE", "2341 2341 2346", "Aadhaar - Aam Aadmi ka Adhikar"), document.TypeAadhaar},
		{"aadhaar hindi", page("भारत सरकार", "Ravi Kumar", "2341 2341 2346", "मेरा आधार, मेरी पहचान"), document.TypeAadhaar},
		{"aadhaar letter", page("Unique Identification Authority of India", "Enrolment No.: 1234/12345/12345", "To", "Ravi Kumar", "Your Aadhaar No. :", "2341 2341 2346"), document.TypeAadhaar},
		{"aadhaar front, Hindi lost to OCR", page("@) WRd GAR", "Government of India", "Kalpesh Patel", "OF ogy / Year of Birth : 1963", "Ugy / MALE", "9945 0682 8100", "Ag are, At cea"), document.TypeAadhaar},
		{"a form with an Aadhaar number and a date of birth", page("Customer Form", "Name Ravi Kumar", "DOB 16/07/1986", "2341 2341 2346"), ""},
		{"government of india alone", page("Government of India", "Ministry of Road Transport", "2341 2341 2346"), ""},
		{"govt. of india alone", page("GOVT. OF INDIA", "Some Department", "ABCPK1234F"), ""},
		{"empty", page(), ""},
		{"voter id", page("ELECTION COMMISSION OF INDIA", "IDENTITY CARD", "WKH1186253", "Elector's Name : Ravi Kumar", "Father's Name : Suresh Kumar", "Sex : Male"), document.TypeVoterID},
		{"gst certificate", page("Government of India", "Form GST REG-06", "Registration Certificate", "Registration Number : 27AAPFU0939F1ZV", "Legal Name ABC TRADERS", "Constitution of Business Partnership"), document.TypeGSTCert},
		{"invoice with a PAN", page("TAX INVOICE", "GSTIN 27AAPFU0939F1ZV", "PAN: AAPFU0939F", "Invoice No 123", "Total 125000.00"), document.TypeInvoice},
		{"bank statement", page("STATE BANK OF INDIA", "Account Statement", "Account Number 12345678901", "IFSC SBIN0001234", "Date Narration Debit Credit Balance"), document.TypeBankStatement},
		{"driving licence", page("Union of India", "Driving Licence", "DL No MH12 20110012345", "Name Ravi Kumar", "DOB 16/07/1986"), document.TypeDrivingLicense},
	} {
		got, conf, ok := c.Classify(tc.pages)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: got %s (%.2f), want UNRECOGNISED", tc.name, got, conf)
			}
			continue
		}
		if !ok || got != tc.want || conf <= 0 || conf > 1 {
			t.Errorf("%s: got %s %.2f %v, want %s", tc.name, got, conf, ok, tc.want)
		}
	}
}

// Every recorded docgen sample (real Tesseract output) and the public PAN
// specimen classify as their type.
func TestClassifyRecorded(t *testing.T) {
	c := Default()
	samples, err := extracttest.LoadSamples(extracttest.Dir(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		got, conf, ok := c.Classify(s.Pages)
		if !ok || got != s.Type {
			t.Errorf("%s: got %s %.2f %v, want %s", s.Name, got, conf, ok, s.Type)
		}
	}
	for _, f := range []string{"pan_sharp.tsv", "pan_result_sample.tsv"} {
		pages, err := extracttest.LoadTSV(extracttest.Specimen(f))
		if err != nil {
			t.Fatal(err)
		}
		if got, _, ok := c.Classify(pages); !ok || got != document.TypePAN {
			t.Errorf("%s: got %s %v, want PAN", f, got, ok)
		}
	}
}

// A type is added by registering its rule set on a value.
func TestRegister(t *testing.T) {
	pages := page("ELECTION COMMISSION OF INDIA", "IDENTITY CARD", "WKH1186253")
	if _, _, ok := New().Classify(pages); ok {
		t.Fatal("an empty classifier recognised something")
	}
	c := Default()
	c.Register(RuleSet{
		Type:     document.TypeVoterID,
		Keywords: kw("ELECTION COMMISSION OF INDIA", 2.0, "IDENTITY CARD", 1.0),
		Structure: []Structure{{Name: "epic", Weight: 1, Test: func(ls []extract.Line) float64 {
			if tokens(ls, func(s string) bool { return len(s) == 10 && strings.HasPrefix(s, "WKH") }) {
				return 1
			}
			return 0
		}}},
		MinScore: 3, MinKeywords: 2,
	})
	if got, _, ok := c.Classify(pages); !ok || got != document.TypeVoterID {
		t.Errorf("got %s %v, want VOTER_ID", got, ok)
	}
}
