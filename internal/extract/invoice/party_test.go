package invoice

import "testing"

// TestNotPartyName: an address or label line read in place of a firm's
// name is told by its shape, and a firm's name is not.
func TestNotPartyName(t *testing.T) {
	for v, want := range map[string]bool{
		"Tiwari Industries":       false,
		"Jai Gowda Enterprises":   false,
		"Shree Shinde Motors":     false,
		"Plot No 98 Station Road": true,
		"Shop No Bazaar Street":   true,
		"Invoice Date":            true,
		"Bill To":                 true,
	} {
		if got := notPartyName(v); got != want {
			t.Errorf("notPartyName(%q) = %v; want %v", v, got, want)
		}
	}
}
