package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/validate"
)

// invoiceRand is the content stream Generate would give an invoice.
func invoiceRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), streamContent^typeHash(document.TypeInvoice)))
}

func invoicePaise(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 || strings.Contains(s, ",") {
		t.Fatalf("amount %q not plain", s)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q: %v %v", s, err1, err2)
	}
	return w*100 + f
}

func TestRenderInvoice(t *testing.T) {
	keys := []string{"invoice_number", "invoice_date", "seller_name", "seller_gstin", "seller_address", "buyer_name", "buyer_gstin", "taxable_amount", "total_tax", "total_amount"}
	layouts := map[string]bool{}
	for seed := int64(1); seed <= 12; seed++ {
		img, layout, truth := renderInvoice(invoiceRand(seed))
		layouts[layout] = true
		if b := img.Bounds(); b.Dx() != invoiceW || b.Dy() != invoiceH {
			t.Errorf("seed %d: size %v", seed, b)
		}
		for _, k := range keys {
			if truth[k] == "" {
				t.Errorf("seed %d: %s missing", seed, k)
			}
		}
		for _, k := range []string{"seller_gstin", "buyer_gstin"} {
			if r := validate.GSTIN(truth[k]); !r.Passed() {
				t.Errorf("seed %d: %s invalid: %v", seed, k, r.Err)
			}
		}
		intra := truth["seller_gstin"][:2] == truth["buyer_gstin"][:2]
		if intra != (layout == "invoice-cgst-sgst") {
			t.Errorf("seed %d: layout %s with state codes %s/%s", seed, layout, truth["seller_gstin"][:2], truth["buyer_gstin"][:2])
		}
		if _, _, r := validate.ParseDate(truth["invoice_date"]); !r.Passed() {
			t.Errorf("seed %d: invoice_date %q", seed, truth["invoice_date"])
		}
		taxable, tax, total := invoicePaise(t, truth["taxable_amount"]), invoicePaise(t, truth["total_tax"]), invoicePaise(t, truth["total_amount"])
		if taxable+tax != total || tax <= 0 {
			t.Errorf("seed %d: %d + %d != %d", seed, taxable, tax, total)
		}
		// Deterministic: the same seed draws the same page.
		img2, _, truth2 := renderInvoice(invoiceRand(seed))
		if !bytes.Equal(img.Pix, img2.Pix) || fmt.Sprint(truth) != fmt.Sprint(truth2) {
			t.Errorf("seed %d: not deterministic", seed)
		}
	}
	if len(layouts) != 2 {
		t.Errorf("layouts %v, want both intra- and inter-state", layouts)
	}
}

// invoiceSeeds are the recorded samples: 1 inter-state (IGST), 4 and 5
// intra-state (CGST and SGST).
var invoiceSeeds = []int64{1, 4, 5}

// TestWriteInvoiceImages writes clean and scanned invoice PNGs with their
// truth, named as extracttest.RecordOne names samples, for recording OCR
// output (internal/extract/invoice/testdata). Opt-in:
//
//	INVOICE_IMAGES=/tmp/inv go test ./internal/docgen -run TestWriteInvoiceImages
func TestWriteInvoiceImages(t *testing.T) {
	dir := os.Getenv("INVOICE_IMAGES")
	if dir == "" {
		t.Skip("set INVOICE_IMAGES to a directory to write invoice images")
	}
	for _, c := range []Condition{Clean, Scan} {
		for _, seed := range invoiceSeeds {
			card, layout, truth := renderInvoice(invoiceRand(seed))
			var out image.Image = card
			if c == Scan {
				out = scan(card, rand.New(rand.NewPCG(uint64(seed), streamCondition)))
			}
			name := fmt.Sprintf("invoice-%s-%d", c, seed)
			var buf bytes.Buffer
			if err := png.Encode(&buf, out); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".png"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			j, err := json.MarshalIndent(map[string]any{"seed": seed, "document_type": document.TypeInvoice, "condition": c, "layout": layout, "rotation": 0, "truth": truth}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".json"), append(j, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
