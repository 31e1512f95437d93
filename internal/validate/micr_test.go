package validate

import (
	"errors"
	"testing"
)

func TestMICR(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"400002011", nil},
		{"110240123", nil},
		{"400 002 011", nil}, // printed groups are compacted
		{"40000201", ErrLength},
		{"4000020110", ErrLength},
		{"", ErrLength},
		{"40000201O", ErrFormat},
		{"000002011", ErrComponent}, // no city 000
		{"400000011", ErrComponent},
		{"400002000", ErrComponent},
	} {
		res := MICR(tc.in)
		if res.Rule != RuleMICR {
			t.Errorf("MICR(%q).Rule = %q", tc.in, res.Rule)
		}
		if !errors.Is(res.Err, tc.want) || (tc.want == nil) != res.Passed() {
			t.Errorf("MICR(%q) = %v, want %v", tc.in, res.Err, tc.want)
		}
	}
}

func TestRepairMICR(t *testing.T) {
	v, n, ok := Repair("4OO0O2O11", ShapeMICR)
	if !ok || v != "400002011" || n != 4 || !MICR(v).Passed() {
		t.Errorf("Repair = %q %d %v", v, n, ok)
	}
}

func FuzzMICR(f *testing.F) {
	f.Add("400002011")
	f.Add("000000000")
	f.Fuzz(func(t *testing.T, s string) {
		if res := MICR(s); res.Passed() && len(compact(s)) != 9 {
			t.Errorf("MICR(%q) passed with %d characters", s, len(compact(s)))
		}
	})
}
