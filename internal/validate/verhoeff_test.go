package validate

import "testing"

func TestVerhoeff(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"1428570", true}, {"6548", true}, {"2363", true}, {"123451", true},
		{"1234567890120", true}, {"234123412346", true},
		{"654", false}, {"2369", false}, {"123459", false}, {"234123412347", false},
		{"", false}, {"12a4", false},
	} {
		if got := Verhoeff(tc.in); got != tc.want {
			t.Errorf("Verhoeff(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{{"654", "8"}, {"236", "3"}, {"12345", "1"}, {"142857", "0"}, {"23412341234", "6"}} {
		if got := string(VerhoeffDigit(tc.in)); got != tc.want {
			t.Errorf("VerhoeffDigit(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
