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

// TestRenderCheque checks generated cheques without OCR: deterministic,
// every truth field present and valid (IFSC and MICR structure, the
// IFSC's and the MICR's bank parts those of the named bank), and every
// style, account kind and the cancelled variant reachable.
func TestRenderCheque(t *testing.T) {
	layouts := map[string]bool{}
	account := regexp.MustCompile(`^[1-9][0-9]{8,17}$`)
	six := regexp.MustCompile(`^[0-9]{6}$`)
	for seed := uint64(1); seed <= 30; seed++ {
		img, layout, truth := renderCheque(rand.New(rand.NewPCG(seed, 7)))
		if seed <= 3 { // rendering is slow: determinism on a few seeds
			img2, layout2, _ := renderCheque(rand.New(rand.NewPCG(seed, 7)))
			if layout != layout2 || !bytes.Equal(img.Pix, img2.Pix) {
				t.Errorf("seed %d: two renders differ", seed)
			}
		}
		if b := img.Bounds(); b.Dx() != chequeW || b.Dy() != chequeH {
			t.Errorf("seed %d: size %v, want a CTS-2010 leaf %dx%d", seed, b, chequeW, chequeH)
		}
		layouts[layout] = true
		for _, k := range []string{"bank_name", "ifsc", "account_number", "account_holder_name", "cheque_number", "micr"} {
			if truth[k] == "" {
				t.Errorf("seed %d: no %s", seed, k)
			}
		}
		if !validate.IFSC(truth["ifsc"]).Passed() || !validate.MICR(truth["micr"]).Passed() {
			t.Errorf("seed %d: ifsc %q micr %q fail their checks", seed, truth["ifsc"], truth["micr"])
		}
		var bank *chequeBank
		for i := range chequeBanks {
			if chequeBanks[i].name == truth["bank_name"] {
				bank = &chequeBanks[i]
			}
		}
		if bank == nil || !strings.HasPrefix(truth["ifsc"], bank.ifsc) || truth["micr"][3:6] != bank.micr {
			t.Errorf("seed %d: bank %q, ifsc %q, micr %q disagree", seed, truth["bank_name"], truth["ifsc"], truth["micr"])
		}
		if !account.MatchString(truth["account_number"]) || !six.MatchString(truth["cheque_number"]) {
			t.Errorf("seed %d: account %q cheque %q", seed, truth["account_number"], truth["cheque_number"])
		}
		if strings.ToUpper(truth["account_holder_name"]) != truth["account_holder_name"] || strings.HasPrefix(truth["account_holder_name"], "FOR ") {
			t.Errorf("seed %d: holder %q is not as printed", seed, truth["account_holder_name"])
		}
	}
	for _, st := range chequeStyles {
		for _, kind := range []string{"-personal", "-firm"} {
			if !layouts["cheque-"+st.name+kind] && !layouts["cheque-"+st.name+kind+"-cancelled"] {
				t.Errorf("layout cheque-%s%s never drawn in 30 seeds", st.name, kind)
			}
		}
	}
	cancelled := 0
	for l := range layouts {
		if strings.HasSuffix(l, "-cancelled") {
			cancelled++
		}
	}
	if cancelled == 0 || cancelled == len(layouts) {
		t.Errorf("cancelled and filled cheques both expected, got layouts %v", layouts)
	}
}

// Generate applies every condition to cheques.
func TestGenerateChequeConditions(t *testing.T) {
	for _, c := range Conditions {
		s, err := Generate(3, document.TypeCheque, c)
		if err != nil || len(s.Data) == 0 || s.Truth["micr"] == "" {
			t.Errorf("%s: %v", c, err)
		}
	}
}

func TestRupeesWords(t *testing.T) {
	for n, want := range map[int]string{
		25000: "Twenty Five Thousand", 2500: "Two Thousand Five Hundred",
		150000: "One Lakh Fifty Thousand", 19: "Nineteen", 100: "One Hundred",
	} {
		if got := rupeesWords(n); got != want {
			t.Errorf("rupeesWords(%d) = %q, want %q", n, got, want)
		}
	}
}
