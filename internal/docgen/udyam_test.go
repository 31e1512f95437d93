package docgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

func udyamRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(document.TypeUdyamCert)))
}

// TestRenderUdyam checks the certificate generator without OCR: the truth
// is complete and valid, the owner is in it exactly when the layout prints
// one, every layout is reached, and a seed always draws the same page.
func TestRenderUdyam(t *testing.T) {
	layouts := map[string]bool{}
	for seed := int64(1); seed <= 30; seed++ {
		img, layout, truth := renderUdyam(udyamRand(seed))
		layouts[layout] = true
		if b := img.Bounds(); b.Dx() != invoiceW || b.Dy() != invoiceH {
			t.Errorf("seed %d: size %v", seed, b)
		}
		for _, k := range []string{"udyam_number", "enterprise_name", "address", "type_of_enterprise", "date_of_registration"} {
			if truth[k] == "" {
				t.Errorf("seed %d: %s missing", seed, k)
			}
		}
		if _, ok := truth["owner_name"]; ok != strings.HasSuffix(layout, "-owner") {
			t.Errorf("seed %d: layout %s, owner_name present %v", seed, layout, ok)
		}
		if r := validate.Udyam(truth["udyam_number"]); !r.Passed() {
			t.Errorf("seed %d: udyam_number %q: %v", seed, truth["udyam_number"], r.Err)
		}
		d, _, r := validate.ParseDate(truth["date_of_registration"])
		if !r.Passed() || d.Year() < 2020 || d.Year() > 2025 {
			t.Errorf("seed %d: date_of_registration %q", seed, truth["date_of_registration"])
		}
		switch truth["type_of_enterprise"] {
		case "MICRO", "SMALL", "MEDIUM":
		default:
			t.Errorf("seed %d: type_of_enterprise %q", seed, truth["type_of_enterprise"])
		}
		// The number's state code is the address's state.
		els := strings.Split(truth["address"], ", ")
		if len(els) < 4 || len(els[len(els)-1]) != 6 {
			t.Errorf("seed %d: address %q", seed, truth["address"])
		} else if code := truth["udyam_number"][6:8]; !strings.EqualFold(func() string {
			for st, c := range udyamStateCodes {
				if c == code {
					return st
				}
			}
			return ""
		}(), els[len(els)-2]) {
			t.Errorf("seed %d: code %s, state %q", seed, code, els[len(els)-2])
		}
		img2, _, truth2 := renderUdyam(udyamRand(seed))
		if !bytes.Equal(img.Pix, img2.Pix) || fmt.Sprint(truth) != fmt.Sprint(truth2) {
			t.Errorf("seed %d: not deterministic", seed)
		}
	}
	for _, w := range []string{"old", "new"} {
		for _, c := range []string{"upper", "title"} {
			for _, o := range []string{"owner", "noowner"} {
				if l := fmt.Sprintf("udyam-%s-%s-%s", w, c, o); !layouts[l] {
					t.Errorf("layout %s never drawn in 30 seeds", l)
				}
			}
		}
	}
}
