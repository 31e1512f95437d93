package match

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// addressPairs are pairs of invented addresses as Indian documents print
// them, with the verdict the cross-checks should reach with the default
// thresholds.
var addressPairs = []struct {
	name string
	a, b string
	want Verdict
}{
	// The same household, printed differently.
	{"identical", "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001", "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001", Match},
	{"case and punctuation", "4-CH-64, Near Community Hall, Bhilwara, Rajasthan - 311001", "4 CH 64 NEAR COMMUNITY HALL BHILWARA RAJASTHAN 311001", Match},
	{"road street near", "12, M.G. Rd, Nr. Shiv Mandir, Indore, MP 452001", "12, MG ROAD, NEAR SHIV MANDIR, INDORE, MADHYA PRADESH, 452001", Match},
	{"house no forms", "H.No. 221, Gali No 4, Krishna Ngr, Delhi 110051", "HOUSE NO 221, GALI 4, KRISHNA NAGAR, DELHI, 110051", Match},
	{"flat apartment society", "Flat No. 302, Sai Krupa Apts, Sec 17, Vashi, Navi Mumbai, MH 400703", "302, SAI KRUPA APARTMENT, SECTOR 17, VASHI, NAVI MUMBAI, MAHARASHTRA, 400703", Match},
	{"chs and bldg", "B-204, Shanti Kunj CHS, Bldg 3, Kandivali West, Mumbai 400067", "B 204, SHANTI KUNJ SOCIETY, BUILDING 3, KANDIVALI WEST, MUMBAI, 400067", Match},
	{"care of prefix", "C/O Ramesh Patil, 45, Shivaji Nagar, Kolhapur, Maharashtra 416003", "45, SHIVAJI NAGAR, KOLHAPUR, MAHARASHTRA, 416003", Match},
	{"son of prefix", "S/O: Suresh Kumar Yadav, Vill Rampura, PO Khairthal, Dist Alwar, Rajasthan 301404", "VILLAGE RAMPURA, POST KHAIRTHAL, DISTRICT ALWAR, RAJASTHAN, 301404", Match},
	{"wife of prefix", "W/O Anil Sharma, 7/2 Civil Lines, Moradabad, UP 244001", "7/2, CIVIL LINES, MORADABAD, UTTAR PRADESH, 244001", Match},
	{"village taluk district", "At Post Kalamb, Tq Kalamb, Dist Osmanabad, MH 413507", "AT POST KALAMB, TALUKA KALAMB, DISTRICT OSMANABAD, MAHARASHTRA, 413507", Match},
	{"tehsil", "Vill. Sultanpur, Teh. Kharar, Distt. Mohali, Punjab 140301", "VILLAGE SULTANPUR, TEHSIL KHARAR, DISTRICT MOHALI, PB, 140301", Match},
	{"state code", "No 14, 2nd Cross, 4th Main, Jayanagar, Bengaluru, KA 560041", "14, 2ND CROSS, 4TH MAIN, JAYANAGAR, BENGALURU, KARNATAKA, 560041", Match},
	{"tamil nadu code", "Door No 8, Kamarajar Street, Tambaram, Chennai, TN 600045", "D.NO 8, KAMARAJAR ST, TAMBARAM, CHENNAI, TAMIL NADU - 600045", Match},
	{"bangalore bengaluru", "14, 2nd Cross, Jayanagar, Bangalore 560041", "14, 2ND CROSS, JAYANAGAR, BENGALURU, 560041", Match},
	{"bombay mumbai", "Room 5, Chawl 12, Dharavi, Bombay 400017", "ROOM 5, CHAWL 12, DHARAVI, MUMBAI, 400017", Match},
	{"gurgaon gurugram", "House 88, Sector 21, Gurgaon, Haryana 122016", "HOUSE 88, SECTOR 21, GURUGRAM, HR, 122016", Match},
	{"madras chennai", "22, Pillaiyar Koil Street, Mylapore, Madras 600004", "22, PILLAIYAR KOIL ST, MYLAPORE, CHENNAI 600004", Match},
	{"calcutta kolkata", "17/1, Bose Para Lane, Baranagar, Calcutta, WB 700036", "17/1, BOSE PARA LANE, BARANAGAR, KOLKATA, WEST BENGAL, 700036", Match},
	{"pondicherry puducherry", "12, Mission Street, Pondicherry 605001", "12, MISSION ST, PUDUCHERRY, PUDUCHERRY, 605001", Match},
	{"one-letter slip", "56, Koramangala 5th Block, Bengaluru 560095", "56, KORMANGALA 5TH BLOCK, BENGALURU, 560095", Match},
	{"word order", "Bhilwara, Rajasthan, 311001, 4-CH-64, Near Community Hall", "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, RAJASTHAN, 311001", Match},
	{"extra landmark district india", "4-CH-64, Bhilwara, 311001", "4-CH-64, NEAR COMMUNITY HALL, OPP SBI BANK, BHILWARA, DISTRICT BHILWARA, RAJASTHAN, INDIA, 311001", Match},
	{"ocr zero for o", "1O1, Gandhi Nagar, Ajmer, Rajasthan 3O5001", "101, GANDHI NAGAR, AJMER, RAJASTHAN, 305001", Match},
	{"missing commas", "H No 9 Nehru Colony Dehradun Uttarakhand 248001", "H.NO 9, NEHRU COLONY, DEHRADUN, UTTARAKHAND, 248001", Match},
	{"joined compound", "27, Gandhinagar, Vellore, TN 632006", "27, GANDHI NAGAR, VELLORE, TAMIL NADU, 632006", Match},
	{"extension and layout", "88, HAL 2nd Stage Extn, Indiranagar, Bengaluru 560008", "88, HAL 2ND STAGE EXTENSION, INDIRANAGAR, BENGALURU, 560008", Match},
	{"pin split in two", "3, Ashok Vihar, Phase 1, Delhi 110 052", "3, ASHOK VIHAR, PHASE 1, DELHI, 110052", Match},

	// Too little to tell, or a slip too many: a person should look.
	{"town only", "Bhilwara, Rajasthan, 311001", "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, RAJASTHAN, 311001", Review},
	{"no house number", "Shivaji Nagar, Kolhapur, 416003", "45, SHIVAJI NAGAR, KOLHAPUR, MAHARASHTRA, 416003", Review},
	{"pin one digit off", "45, Shivaji Nagar, Kolhapur, Maharashtra 416003", "45, SHIVAJI NAGAR, KOLHAPUR, MAHARASHTRA, 416008", Review},

	// Different households.
	{"different house same street", "45, Shivaji Nagar, Kolhapur, Maharashtra 416003", "47, SHIVAJI NAGAR, KOLHAPUR, MAHARASHTRA, 416003", Mismatch},
	{"different flat same building", "Flat 302, Sai Krupa Apartment, Sector 17, Vashi, Navi Mumbai 400703", "FLAT 303, SAI KRUPA APARTMENT, SECTOR 17, VASHI, NAVI MUMBAI 400703", Mismatch},
	{"different wing letter", "12A, Lake View Road, Kochi, Kerala 682016", "12B, LAKE VIEW ROAD, KOCHI, KERALA 682016", Mismatch},
	{"different pin", "45, Shivaji Nagar, Kolhapur, Maharashtra 416003", "45, SHIVAJI NAGAR, PUNE, MAHARASHTRA, 411005", Mismatch},
	{"different street same town", "12, MG Road, Bengaluru 560001", "12, BRIGADE ROAD, BENGALURU 560025", Mismatch},
	{"different street same pin", "12, MG Road, Bengaluru 560001", "12, Brigade Road, Bengaluru 560001", Mismatch},
	{"different towns", "4-CH-64, Near Community Hall, Bhilwara, Rajasthan 311001", "22, PILLAIYAR KOIL ST, MYLAPORE, CHENNAI 600004", Mismatch},
	{"different towns no pin", "Village Rampur, Dist Bareilly, UP", "VILLAGE KESHAVPUR, DISTRICT GAYA, BIHAR", Mismatch},
	{"different state", "14, Station Road, Aurangabad, Maharashtra", "14, STATION ROAD, AURANGABAD, BIHAR", Mismatch},
	{"empty", "", "14, STATION ROAD, AURANGABAD, BIHAR", Mismatch},
	{"both empty", "", "", Mismatch},
	{"only a pin", "311001", "311001", Mismatch},
	{"only punctuation", ", , - .", "4-CH-64, BHILWARA, 311001", Mismatch},
}

func TestCompareAddresses(t *testing.T) {
	for _, tc := range addressPairs {
		t.Run(tc.name, func(t *testing.T) {
			c := CompareAddresses(tc.a, tc.b)
			if got := AddressVerdict(c, Thresholds{}); got != tc.want {
				t.Errorf("verdict %s, want %s (%+v)", got, tc.want, c)
			}
			// The cross-checks' own call gives the same verdict.
			if got := (Thresholds{Match: 0.85, Review: 0.6}).Verdict(c.SamePerson / 100); got != tc.want {
				t.Errorf("Thresholds.Verdict %s, want %s", got, tc.want)
			}
			if r := CompareAddresses(tc.b, tc.a); r != c {
				t.Errorf("not symmetric: %+v one way, %+v the other", c, r)
			}
			checkRange(t, c)
		})
	}
}

func TestCompareAddressesPINMatch(t *testing.T) {
	for _, tc := range []struct {
		a, b, want string
	}{
		{"4-CH-64, BHILWARA, 311001", "BHILWARA 311001", PINMatched},
		{"4-CH-64, BHILWARA, 311001", "BHILWARA 311 001", PINMatched},
		{"4-CH-64, BHILWARA, 311001", "BHILWARA 3110O1", PINMatched},
		{"4-CH-64, BHILWARA, 311001", "BHILWARA 311011", PINMismatched},
		{"4-CH-64, BHILWARA, 311001", "BHILWARA, RAJASTHAN", ""},
		{"4-CH-64, BHILWARA", "BHILWARA, RAJASTHAN", ""},
		{"4-CH-64, BHILWARA 011001", "BHILWARA 011001", ""}, // PIN codes never start with 0
		{"", "", ""},
	} {
		if got := CompareAddresses(tc.a, tc.b).PINMatch; got != tc.want {
			t.Errorf("CompareAddresses(%q, %q).PINMatch = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestCompareAddressesScores pins what the scores mean beyond verdicts.
func TestCompareAddressesScores(t *testing.T) {
	same := CompareAddresses("45, SHIVAJI NAGAR, KOLHAPUR, 416003", "45, SHIVAJI NAGAR, KOLHAPUR, 416003")
	if same.Similarity != 100 || same.SamePerson != 100 {
		t.Errorf("identical addresses: %+v, want 100 and 100", same)
	}
	// Abbreviations read alike once expanded.
	if c := CompareAddresses("12, MG RD, INDORE 452001", "12, MG ROAD, INDORE 452001"); c.Similarity != 100 {
		t.Errorf("RD and ROAD: similarity %v, want 100", c.Similarity)
	}
	// A PIN alone reads alike but says nothing of a household.
	if c := CompareAddresses("311001", "311001"); c.Similarity != 100 || c.SamePerson != 0 {
		t.Errorf("only a PIN: %+v", c)
	}
	// Another flat of the building reads alike but is another household.
	c := CompareAddresses("FLAT 302, SAI KRUPA APARTMENT, VASHI 400703", "FLAT 303, SAI KRUPA APARTMENT, VASHI 400703")
	if c.Similarity < 80 || c.SamePerson >= 50 {
		t.Errorf("another flat: %+v, want similarity >= 80 and same person < 50", c)
	}
	// Extra parts cost less than a missing house number.
	extra := CompareAddresses("4-CH-64, BHILWARA, 311001", "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, RAJASTHAN, INDIA, 311001")
	noHouse := CompareAddresses("BHILWARA, 311001", "4-CH-64, BHILWARA, 311001")
	if extra.SamePerson <= noHouse.SamePerson {
		t.Errorf("extra parts %v, no house number %v: want the first higher", extra.SamePerson, noHouse.SamePerson)
	}
	// Scores have one decimal.
	for _, tc := range addressPairs {
		c := CompareAddresses(tc.a, tc.b)
		for _, v := range []float64{c.Similarity, c.SamePerson} {
			if v*10 != float64(int(v*10)) {
				t.Errorf("%s: score %v has more than one decimal", tc.name, v)
			}
		}
	}
}

func TestCompareAddressesLongInput(t *testing.T) {
	long := strings.Repeat("12 GANDHI NAGAR NEAR S/O RAM ", 100_000) // 2.9 MB
	for _, tc := range []struct{ a, b string }{
		{long, long},
		{long, "12, GANDHI NAGAR, AJMER 305001"},
		{strings.Repeat("ा", 500_000), long},
	} {
		c := CompareAddresses(tc.a, tc.b)
		checkRange(t, c)
		if r := CompareAddresses(tc.b, tc.a); r != c {
			t.Errorf("not symmetric on long input: %+v, %+v", c, r)
		}
	}
	// Only the first MaxAddressBytes are read.
	p := parseAddress(long)
	if n := len(p.tokens); n == 0 || n > maxAddressTokens {
		t.Errorf("%d tokens read of a long address, want 1 to %d", n, maxAddressTokens)
	}
	if s := truncate("aा", 2); s != "a" || !utf8.ValidString(s) {
		t.Errorf("truncate cut a rune: %q", s)
	}
}

func TestParseAddress(t *testing.T) {
	for _, tc := range []struct {
		in, pin, state string
		words          []string // the tokens, in order
	}{
		{"4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001", "311001", "RJ",
			[]string{"4", "CH", "64", "NEAR", "COMMUNITY", "HALL", "BHILWARA", "RJ", "311001"}},
		{"S/O Ramesh Kumar, H.No. 12-A, Gandhinagar, Tamilnadu 600001", "600001", "TN",
			[]string{"HOUSE", "12A", "GANDHI", "NAGAR", "TN", "600001"}},
		{"C/O RAVI 5 MG RD NEW DELHI 110001", "110001", "DL",
			[]string{"5", "MG", "ROAD", "NEW", "DL", "DELHI", "110001"}},
		{"Vill. Kesarpura, PO Bagru, Jaipur, RJ", "", "RJ",
			[]string{"VILLAGE", "KESARPURA", "POST", "BAGRU", "JAIPUR", "RJ"}},
		{"B-204, 2nd Floor, C0LONY 1O1", "", "",
			[]string{"B204", "2", "FLOOR", "COLONY", "101"}},
		{"12, CH SECTOR, CHANDIGARH, CH 160012", "160012", "CH",
			[]string{"12", "CH", "SECTOR", "CH", "CHANDIGARH", "CH", "160012"}},
	} {
		p := parseAddress(tc.in)
		var got []string
		for _, tk := range p.tokens {
			got = append(got, tk.text)
		}
		if strings.Join(got, " ") != strings.Join(tc.words, " ") || p.pin != tc.pin || p.state != tc.state {
			t.Errorf("parseAddress(%q) = %q pin %q state %q; want %q pin %q state %q", tc.in, got, p.pin, p.state, tc.words, tc.pin, tc.state)
		}
	}
}

func checkRange(t *testing.T, c AddressComparison) {
	t.Helper()
	for _, v := range []float64{c.Similarity, c.SamePerson} {
		if !(v >= 0 && v <= 100) {
			t.Errorf("score %v out of [0, 100] in %+v", v, c)
		}
	}
	switch c.PINMatch {
	case "", PINMatched, PINMismatched:
	default:
		t.Errorf("PINMatch %q", c.PINMatch)
	}
}

func FuzzCompareAddresses(f *testing.F) {
	for _, tc := range addressPairs {
		f.Add(tc.a, tc.b)
	}
	f.Add("S/O S/O C/O", "D.NO H.NO P.O. V.P.O.")
	f.Add("TAMIL NADU TAMIL NADU DELHI DELHI", "NCT OF DELHI")
	f.Fuzz(func(t *testing.T, a, b string) {
		c := CompareAddresses(a, b)
		checkRange(t, c)
		if r := CompareAddresses(b, a); r != c {
			t.Errorf("CompareAddresses(%q, %q) = %+v, swapped %+v", a, b, c, r)
		}
	})
}
