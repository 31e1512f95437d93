package docgen

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

// gstHolder is the PAN holder-type letter each constitution must carry.
var gstHolder = map[string]byte{
	"Proprietorship": 'P', "Partnership": 'F', "Limited Liability Partnership": 'F',
	"Private Limited Company": 'C', "Public Limited Company": 'C', "Hindu Undivided Family": 'H',
}

func TestGSTCertDeterministic(t *testing.T) {
	a, err := GeneratePDF(11, document.TypeGSTCert, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := GeneratePDF(11, document.TypeGSTCert, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Data, b.Data) || !reflect.DeepEqual(a.Truth, b.Truth) || a.Layout != b.Layout {
		t.Fatal("seed 11 drew two different certificates")
	}
	c, err := GeneratePDF(12, document.TypeGSTCert, false)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Truth, c.Truth) {
		t.Error("seeds 11 and 12 drew the same certificate")
	}
}

// TestGSTCertTruth checks, over 40 seeds, that the truth holds every
// field in its API format, that the GSTIN passes its check and agrees with
// the address's state and the constitution, that the drawing prints each
// value, and that every layout is drawn.
func TestGSTCertTruth(t *testing.T) {
	layouts := map[string]bool{}
	pageCounts := map[int]bool{}
	for seed := uint64(1); seed <= 40; seed++ {
		pages, truth, layout := drawGSTCert(rand.New(rand.NewPCG(seed, 7)))
		layouts[layout] = true
		pageCounts[len(pages)] = true
		for _, k := range []string{"gst_number", "legal_name", "trade_name", "constitution_of_business", "address", "date_of_liability", "date_of_issue", "type_of_registration"} {
			if strings.TrimSpace(truth[k]) == "" {
				t.Fatalf("seed %d: no %s", seed, k)
			}
		}
		g := truth["gst_number"]
		if r := validate.GSTIN(g); !r.Passed() {
			t.Errorf("seed %d: GSTIN %s fails: %v", seed, g, r.Err)
		}
		els := strings.Split(truth["address"], ", ")
		state := els[len(els)-2]
		if gstStateCodes[state] != g[:2] {
			t.Errorf("seed %d: GSTIN %s state code, address state %s", seed, g, state)
		}
		if h, ok := gstHolder[truth["constitution_of_business"]]; !ok || g[5] != h {
			t.Errorf("seed %d: GSTIN %s for %s", seed, g, truth["constitution_of_business"])
		}
		if pin := els[len(els)-1]; len(pin) != 6 || pin[0] == '0' {
			t.Errorf("seed %d: PIN %q", seed, pin)
		}
		for _, k := range []string{"date_of_liability", "date_of_issue"} {
			if _, canon, r := validate.ParseDate(truth[k]); !r.Passed() || canon != truth[k] {
				t.Errorf("seed %d: %s %q", seed, k, truth[k])
			}
		}
		// Page 1 prints every value (the address wrapped over lines).
		var text []string
		for _, tx := range pages[0].texts {
			text = append(text, tx.s)
		}
		page1 := strings.Join(text, " ")
		for k, v := range truth {
			if !strings.Contains(page1, v) && k != "address" {
				t.Errorf("seed %d: page 1 does not print %s %q", seed, k, v)
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(page1), " "), truth["address"]) {
			t.Errorf("seed %d: page 1 does not print the address %q", seed, truth["address"])
		}
		for _, tx := range pages[0].texts {
			if end := tx.x + helveticaWidth(tx.s, tx.size, tx.bold); !tx.right && end > pageWidthPt-20 {
				t.Errorf("seed %d: %q runs off the page (%.0f pt)", seed, tx.s, end)
			}
		}
	}
	for _, l := range gstLayouts {
		if !layouts[l.name] {
			t.Errorf("layout %s never drawn", l.name)
		}
	}
	if !pageCounts[2] || !pageCounts[3] {
		t.Errorf("page counts drawn %v, want 2 and 3", pageCounts)
	}
}
