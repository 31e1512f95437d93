package extract

import "testing"

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1,25,000.00", 12500000, true},
		{"125,000.00", 12500000, true},
		{"125000.00", 12500000, true},
		{"0.50", 50, true},
		{"1,00,00,000.99", 1000000099, true},
		{"12,345.67Cr", 1234567, true},
		{"₹1,250.00", 125000, true},
		{"Rs.1,250.00", 125000, true},
		{"1,25,OOO.OO", 12500000, true}, // OCR's O for 0
		{"125000", 0, false},            // a reference number, not an amount
		{"803442", 0, false},
		{"04-06-2024", 0, false},
		{"12.5", 0, false},
		{"ATM", 0, false},
		{"", 0, false},
		{"-", 0, false},
	} {
		got, ok := ParseAmount(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1,25,000.00", "125,000.00", "0.50", "12,345.67Cr", "₹1,250.00", "1,25,OOO.OO", "..,,..", "9999999999999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseAmount(s)
		if ok && v < 0 {
			t.Errorf("ParseAmount(%q) = %d, negative", s, v)
		}
	})
}
