package docgen

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

// shopActRand is the content stream Generate would give a shop-act licence.
func shopActRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(document.TypeShopAct)))
}

// Registration number shapes by the layout's state prefix.
var shopActNumber = map[string]*regexp.Regexp{
	"shopact-mh-": regexp.MustCompile(`^(27\d{14}|\d{9}/COMMERCIAL(I|II|III))$`),
	"shopact-dl-": regexp.MustCompile(`^(\d{4})\d{9}$`),
	"shopact-ka-": regexp.MustCompile(`^(BN|MY|HB|MN)/\d{2}/SA/\d{4}/(\d{4})$`),
}

func TestRenderShopAct(t *testing.T) {
	base := []string{"registration_number", "establishment_name", "employer_name", "address", "nature_of_business", "date_of_registration"}
	seen := map[string]bool{}
	for seed := int64(1); seed <= 30; seed++ {
		img, layout, truth := renderShopAct(shopActRand(seed))
		seen[layout] = true
		if b := img.Bounds(); b.Dx() != invoiceW || b.Dy() != invoiceH {
			t.Errorf("seed %d: size %v", seed, b)
		}
		for _, k := range base {
			if truth[k] == "" {
				t.Errorf("seed %d (%s): %s missing", seed, layout, k)
			}
		}
		reg, _, r1 := validate.ParseDate(truth["date_of_registration"])
		if !r1.Passed() {
			t.Errorf("seed %d: date_of_registration %q: %v", seed, truth["date_of_registration"], r1.Err)
		}
		state := layout[:len("shopact-xx-")]
		re, ok := shopActNumber[state]
		if !ok {
			t.Fatalf("seed %d: unknown layout %q", seed, layout)
		}
		num := truth["registration_number"]
		m := re.FindStringSubmatch(num)
		if m == nil {
			t.Errorf("seed %d (%s): registration_number %q has not the state's shape", seed, layout, num)
		}
		if strings.ContainsAny(num, " abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("seed %d: registration_number %q not upper case without spaces", seed, num)
		}
		// Delhi and Karnataka numbers carry the year of registration.
		if state != "shopact-mh-" && m != nil && m[len(m)-1] != reg.Format("2006") {
			t.Errorf("seed %d: number %q, registered %s", seed, num, truth["date_of_registration"])
		}
		// Maharashtra's intimation receipt has no validity; the others do,
		// after registration.
		v, hasValid := truth["valid_till"]
		if hasValid == (state == "shopact-mh-") {
			t.Errorf("seed %d (%s): valid_till %q present=%v", seed, layout, v, hasValid)
		}
		if hasValid {
			till, _, r2 := validate.ParseDate(v)
			if !r2.Passed() || !till.After(reg) {
				t.Errorf("seed %d: valid_till %q not a date after %s", seed, v, truth["date_of_registration"])
			}
		}
		if !regexp.MustCompile(`, [A-Za-z ]+, [1-9]\d{5}$`).MatchString(truth["address"]) {
			t.Errorf("seed %d: address %q does not end with state and PIN", seed, truth["address"])
		}
	}
	// Each state plain and ruled (Karnataka is always ruled), and the
	// employer's row first in each state.
	for _, want := range []string{
		"shopact-mh-form-f", "shopact-mh-form-f-ruled", "shopact-dl-form-b", "shopact-dl-form-b-ruled",
		"shopact-ka-form-c-ruled", "shopact-mh-form-f-employer-first-ruled", "shopact-dl-form-b-employer-first",
		"shopact-ka-form-c-employer-first-ruled",
	} {
		if !seen[want] {
			t.Errorf("layout %s not drawn in 30 seeds (drew %v)", want, seen)
		}
	}
}

// The same seed draws the same licence, pixel for pixel.
func TestRenderShopActDeterministic(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		a, la, ta := renderShopAct(shopActRand(seed))
		b, lb, tb := renderShopAct(shopActRand(seed))
		if la != lb || !bytes.Equal(a.Pix, b.Pix) || len(ta) != len(tb) {
			t.Fatalf("seed %d: two renders differ", seed)
		}
		for k, v := range ta {
			if tb[k] != v {
				t.Errorf("seed %d: %s %q then %q", seed, k, v, tb[k])
			}
		}
	}
	_, _, t1 := renderShopAct(shopActRand(1))
	_, _, t2 := renderShopAct(shopActRand(2))
	if t1["registration_number"] == t2["registration_number"] {
		t.Error("seeds 1 and 2 drew the same number")
	}
}
