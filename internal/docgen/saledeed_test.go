package docgen

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

func TestDeedWords(t *testing.T) {
	for _, tc := range []struct {
		n     int64
		lakhs bool
		want  string
	}{
		{4500000, false, "Forty Five Lakh"},
		{4500000, true, "Forty Five Lakhs"},
		{100000, true, "One Lakh"},
		{21537500, false, "Two Crore Fifteen Lakh Thirty Seven Thousand Five Hundred"},
		{1200000000, false, "One Hundred Twenty Crore"},
		{2024, false, "Two Thousand Twenty Four"},
		{90019, false, "Ninety Thousand Nineteen"},
	} {
		if got := deedWords(tc.n, tc.lakhs); got != tc.want {
			t.Errorf("deedWords(%d, %v) = %q, want %q", tc.n, tc.lakhs, got, tc.want)
		}
	}
	for d, want := range map[int]string{1: "First", 12: "Twelfth", 20: "Twentieth", 23: "Twenty Third", 31: "Thirty First"} {
		if got := deedOrdinal(d); got != want {
			t.Errorf("deedOrdinal(%d) = %q, want %q", d, got, want)
		}
	}
}

// TestGenerateSaleDeed checks generated deeds: deterministic, 3-6 pages,
// every truth field present in its fields.md format, the names, date and
// amount printed on the pages, and every layout reached.
func TestGenerateSaleDeed(t *testing.T) {
	layouts := map[string]bool{}
	amount := regexp.MustCompile(`^[1-9][0-9]*\.[0-9]{2}$`)
	address := regexp.MustCompile(`, [0-9]{6}$`)
	twoSellers := false
	for seed := int64(1); seed <= 30; seed++ {
		a, err := GeneratePDF(seed, document.TypeSaleDeed, false)
		if err != nil {
			t.Fatal(err)
		}
		b, err := GeneratePDF(seed, document.TypeSaleDeed, false)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Data, b.Data) || a.Layout != b.Layout {
			t.Errorf("seed %d: not deterministic", seed)
		}
		layouts[a.Layout] = true
		tr := a.Truth
		for _, k := range []string{"seller_name", "buyer_name", "property_address", "consideration_amount", "execution_date"} {
			if strings.TrimSpace(tr[k]) == "" || strings.Join(strings.Fields(tr[k]), " ") != tr[k] {
				t.Errorf("seed %d: %s = %q", seed, k, tr[k])
			}
		}
		if !amount.MatchString(tr["consideration_amount"]) {
			t.Errorf("seed %d: consideration_amount %q", seed, tr["consideration_amount"])
		}
		if !address.MatchString(tr["property_address"]) {
			t.Errorf("seed %d: property_address %q", seed, tr["property_address"])
		}
		d, _, r := validate.ParseDate(tr["execution_date"])
		if !r.Passed() || d.After(time.Now()) {
			t.Errorf("seed %d: execution_date %q", seed, tr["execution_date"])
		}
		twoSellers = twoSellers || strings.Contains(tr["seller_name"], ", ")

		// What the truth says is printed on the pages.
		draws, _, _ := drawSaleDeed(rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(document.TypeSaleDeed))))
		if n := len(draws); n < 3 || n > 6 {
			t.Errorf("seed %d: %d pages", seed, n)
		}
		var text strings.Builder
		for _, dr := range draws {
			for _, pt := range dr.texts {
				text.WriteString(pt.s + " ")
			}
		}
		all := strings.Join(strings.Fields(text.String()), " ")
		for _, name := range strings.Split(tr["seller_name"]+", "+tr["buyer_name"], ", ") {
			if !strings.Contains(all, name+",") {
				t.Errorf("seed %d: name %q not printed", seed, name)
			}
		}
		whole := strings.TrimSuffix(tr["consideration_amount"], ".00")
		if !strings.Contains(strings.ReplaceAll(all, ",", ""), whole) {
			t.Errorf("seed %d: amount %s not printed", seed, whole)
		}
	}
	for _, l := range deedLayouts {
		if !layouts[l.name] {
			t.Errorf("layout %s never drawn in 30 seeds", l.name)
		}
	}
	if !twoSellers {
		t.Error("no deed with two sellers in 30 seeds")
	}
}
