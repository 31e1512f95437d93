package validate

import (
	"testing"
	"unicode/utf8"
)

func TestRepair(t *testing.T) {
	for _, tc := range []struct {
		raw, shape, want string
		n                int
		ok               bool
	}{
		{"ABCPK1234F", ShapePAN, "ABCPK1234F", 0, true},
		{"A8CPKI234F", ShapePAN, "ABCPK1234F", 2, true},
		{"ABCPK|2S4F", ShapePAN, "ABCPK1254F", 2, true},
		{"abcpk1234f", ShapePAN, "ABCPK1234F", 0, true},
		{"0BCPKl234F", ShapePAN, "OBCPK1234F", 2, true},
		{"ABCPK1234", ShapePAN, "", 0, false},
		{"ABCPK12#4F", ShapePAN, "", 0, false},
		{"234I2341234G", ShapeAadhaar, "234123412346", 2, true},
		{"27AAPFU0939F12V", ShapeGSTIN, "27AAPFU0939F1ZV", 1, true},
		{"I6/O7/l986", ShapeDate, "16/07/1986", 3, true},
		{"ABCPK1@34F", ShapePAN, "ABCPK1034F", 1, true}, // Go Mono's slashed zero
		{"आधार", ShapePAN, "", 0, false},
	} {
		got, n, ok := Repair(tc.raw, tc.shape)
		if got != tc.want || n != tc.n || ok != tc.ok {
			t.Errorf("Repair(%q, %q) = %q %d %v, want %q %d %v", tc.raw, tc.shape, got, n, ok, tc.want, tc.n, tc.ok)
		}
	}
}

func TestRepairAadhaar(t *testing.T) {
	for _, tc := range []struct {
		raw, want      string
		n              int
		passed, wantOK bool
	}{
		{"234123412346", "234123412346", 0, true, true},
		// 'Z' reads as 2 by default; the checksum picks 7.
		{"Z34567890124", "234567890124", 1, true, true},
		// one digit misread (8 for 3): the only single swap that passes.
		{"234567890184", "234567890124", 0, false, true},
		{"2341234I2346", "234123412346", 1, true, true},
		{"23412341234", "", 0, false, false},
	} {
		got, n, passed, ok := RepairAadhaar(tc.raw)
		if ok != tc.wantOK || (ok && passed && (got != tc.want || n != tc.n)) {
			t.Errorf("RepairAadhaar(%q) = %q %d %v %v, want %q %d %v", tc.raw, got, n, passed, ok, tc.want, tc.n, tc.passed)
		}
	}
}

func TestRepairGSTIN(t *testing.T) {
	got, n, passed, ok := RepairGSTIN("27AAPFUO939FIZV")
	if !ok || !passed || got != "27AAPFU0939F1ZV" || n != 2 {
		t.Errorf("RepairGSTIN = %q %d %v %v", got, n, passed, ok)
	}
}

func FuzzRepair(f *testing.F) {
	for _, s := range []string{"A8CPKI234F", "234I2341234G", "27AAPFU0939F12V", "I6/O7/l986", "आधार", "", "||||||||||"} {
		f.Add(s)
	}
	shapes := []string{ShapePAN, ShapeAadhaar, ShapeGSTIN, ShapeIFSC, ShapeVoterID, ShapeDate}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, shape := range shapes {
			got, n, ok := Repair(raw, shape)
			if !ok {
				continue
			}
			if len(got) != len(shape) || n < 0 || n > utf8.RuneCountInString(raw) {
				t.Fatalf("Repair(%q, %q) = %q %d", raw, shape, got, n)
			}
			// A repaired value fits its shape: repairing it again changes nothing.
			if again, n2, ok2 := Repair(got, shape); !ok2 || again != got || n2 != 0 {
				t.Fatalf("Repair not idempotent on %q: %q %d %v", got, again, n2, ok2)
			}
		}
		if v, _, passed, ok := RepairAadhaar(raw); ok && passed && !Aadhaar(v).Passed() {
			t.Fatalf("RepairAadhaar(%q) = %q reported passed but fails", raw, v)
		}
	})
}
