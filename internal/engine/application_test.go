package engine_test

import (
	"context"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// TestReadApplication reads the clean documents of one generated loan
// application with real Tesseract and checks that the fields the flows
// cross-check (names, date of birth, dealer, amounts) come out as the
// generator says: the generated application is fit for the end-to-end
// test. Seed 2 is one whose key fields all read exactly; most seeds do.
func TestReadApplication(t *testing.T) {
	if testing.Short() {
		t.Skip("reads with Tesseract")
	}
	const seed = 2
	keys := map[document.Type][]string{
		document.TypePAN:           {"pan_number", "name_as_per_pan", "dob"},
		document.TypeAadhaar:       {"aadhaar_number", "name", "date_of_birth"},
		document.TypeInvoice:       {"seller_name", "seller_gstin", "buyer_name", "taxable_amount", "total_amount"},
		document.TypeDeliveryOrder: {"dealer_name", "customer_name", "invoice_amount"},
	}
	ss, err := docgen.GenerateApplication(seed, docgen.Clean, document.TypePAN, document.TypeAadhaar, document.TypeInvoice, document.TypeDeliveryOrder)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t)
	for _, s := range ss {
		fd, _, err := e.Read(context.Background(), s.Data)
		if err != nil {
			t.Errorf("%s: read: %v", s.Type, err)
			continue
		}
		if fd.Type != s.Type {
			t.Errorf("%s read as %s", s.Type, fd.Type)
			continue
		}
		for _, k := range keys[s.Type] {
			// Synthetic values: safe to log.
			if f, ok := fd.Get(k); !ok || f.Value != s.Truth[k] {
				t.Errorf("%s (%s): %s = %v (present %v), want %q", s.Type, s.Layout, k, f.Value, ok, s.Truth[k])
			}
		}
		// A consumer's invoice names no buyer GSTIN; none may be invented.
		if f, ok := fd.Get("buyer_gstin"); ok && s.Type == document.TypeInvoice {
			t.Errorf("invoice: buyer_gstin %v read where none is printed", f.Value)
		}
	}
}
