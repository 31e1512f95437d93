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

// deliveryOrderRand is the content stream Generate would give a delivery
// order.
func deliveryOrderRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(document.TypeDeliveryOrder)))
}

func TestRenderDeliveryOrder(t *testing.T) {
	keys := []string{"do_number", "do_date", "dealer_name", "dealer_address", "customer_name", "product", "model", "invoice_amount", "loan_amount", "down_payment"}
	layouts := map[string]int{}
	for seed := int64(1); seed <= 30; seed++ {
		img, layout, truth := renderDeliveryOrder(deliveryOrderRand(seed))
		layouts[layout]++
		if b := img.Bounds(); b.Dx() != invoiceW || b.Dy() != invoiceH {
			t.Errorf("seed %d: size %v", seed, b)
		}
		// Nothing runs off the page: the bottom margin stays blank.
		for y := invoiceH - 40; y < invoiceH; y++ {
			for x := 0; x < invoiceW; x++ {
				if c := img.RGBAAt(x, y); c.R < 250 || c.G < 250 || c.B < 250 {
					t.Fatalf("seed %d (%s): ink at (%d, %d) in the bottom margin", seed, layout, x, y)
				}
			}
		}
		if len(truth) != len(keys) {
			t.Errorf("seed %d: %d truth fields, want %d", seed, len(truth), len(keys))
		}
		for _, k := range keys {
			if truth[k] == "" {
				t.Errorf("seed %d: %s missing", seed, k)
			}
		}
		if _, _, r := validate.ParseDate(truth["do_date"]); !r.Passed() {
			t.Errorf("seed %d: do_date %q", seed, truth["do_date"])
		}
		// The dealer is a GST-registered firm of the address's state.
		addr := strings.Split(truth["dealer_address"], ", ")
		if len(addr) < 4 || len(addr[len(addr)-1]) != 6 {
			t.Errorf("seed %d: dealer_address %q", seed, truth["dealer_address"])
		}
		inv, loan, down := invoicePaise(t, truth["invoice_amount"]), invoicePaise(t, truth["loan_amount"]), invoicePaise(t, truth["down_payment"])
		if loan+down != inv || loan <= 0 || down <= 0 {
			t.Errorf("seed %d: %d + %d != %d", seed, loan, down, inv)
		}
		// Deterministic: the same seed draws the same page.
		img2, _, truth2 := renderDeliveryOrder(deliveryOrderRand(seed))
		if !bytes.Equal(img.Pix, img2.Pix) || fmt.Sprint(truth) != fmt.Sprint(truth2) {
			t.Errorf("seed %d: not deterministic", seed)
		}
	}
	for _, l := range []string{"do-vehicle-table", "do-vehicle-list", "do-durable-table", "do-durable-list"} {
		if layouts[l] == 0 {
			t.Errorf("layout %s not drawn in 30 seeds (drawn: %v)", l, layouts)
		}
	}
}

// TestDODealerGSTIN checks that the dealer's GSTIN is valid and names the
// dealer's state and firm: the issue that cross-checks a DO against an
// invoice matches dealers by it.
func TestDODealerGSTIN(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		r := deliveryOrderRand(seed)
		reg := &regions[r.IntN(len(regions))]
		d := newDODealer(r, reg, doVehicleFirms)
		if res := validate.GSTIN(d.gstin); !res.Passed() {
			t.Errorf("seed %d: GSTIN %s invalid: %v", seed, d.gstin, res.Err)
		}
		if d.gstin[:2] != gstStateCodes[reg.state] {
			t.Errorf("seed %d: GSTIN %s in %s", seed, d.gstin, reg.state)
		}
		if d.gstin[6] != strings.ToUpper(d.name)[0] {
			t.Errorf("seed %d: GSTIN %s, firm %q", seed, d.gstin, d.name)
		}
		ok := false
		for _, s := range doVehicleFirms {
			ok = ok || strings.HasSuffix(d.name, " "+s)
		}
		if !ok {
			t.Errorf("seed %d: dealer %q is no vehicle dealer", seed, d.name)
		}
	}
}
