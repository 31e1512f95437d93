package engine_test

import (
	"context"
	"testing"

	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/engine"
)

// applicationKeys are, by type, the fields of a generated application
// that the flows cross-check: each must read exactly as printed. A key
// the layout does not print (an Aadhaar front's address) is not asked.
var applicationKeys = map[document.Type][]string{
	document.TypePAN:            {"pan_number", "name_as_per_pan", "dob"},
	document.TypeAadhaar:        {"aadhaar_number", "name", "date_of_birth", "gender", "address"},
	document.TypeVoterID:        {"voter_id", "name", "relation_name", "gender", "date_of_birth", "address"},
	document.TypeDrivingLicense: {"dl_number", "name", "relation_name", "date_of_birth", "address", "valid_till"},
	document.TypeInvoice:        {"seller_name", "seller_gstin", "buyer_name", "taxable_amount", "total_amount"},
	document.TypeDeliveryOrder:  {"dealer_name", "customer_name", "invoice_amount"},
}

// readApplication generates the clean documents of types of application
// seed, reads each with e and checks that it is recognised as its type
// and that its applicationKeys read as the generator printed them. It
// returns the samples and, parallel to them, what was read (nil for a
// document that failed to read or was misrecognised).
func readApplication(t *testing.T, e *engine.Engine, seed int64, types ...document.Type) ([]*docgen.Sample, []*document.FileData) {
	t.Helper()
	ss, err := docgen.GenerateApplication(seed, docgen.Clean, types...)
	if err != nil {
		t.Fatalf("generate application %d: %v", seed, err)
	}
	fds := make([]*document.FileData, len(ss))
	for i, s := range ss {
		fd, _, err := e.Read(context.Background(), s.Data)
		if err != nil {
			t.Errorf("seed %d %s: read: %v", seed, s.Type, err)
			continue
		}
		if fd.Type != s.Type {
			t.Errorf("seed %d %s read as %s", seed, s.Type, fd.Type)
			continue
		}
		fds[i] = fd
		for _, k := range applicationKeys[s.Type] {
			want, printed := s.Truth[k]
			if !printed {
				continue
			}
			// Synthetic values: safe to log.
			if f, ok := fd.Get(k); !ok || f.Value != want {
				t.Errorf("seed %d %s (%s): %s = %v (present %v), want %q", seed, s.Type, s.Layout, k, f.Value, ok, want)
			}
		}
	}
	return ss, fds
}

// TestReadApplication reads the clean documents of one generated loan
// application with real Tesseract and checks that the fields the flows
// cross-check (names, date of birth, dealer, amounts) come out as the
// generator says: the generated application is fit for the end-to-end
// test. Seed 2 is one whose key fields all read exactly; most seeds do.
// TestCrossCheckApplication reads the identity cards that print the
// home address.
func TestReadApplication(t *testing.T) {
	if testing.Short() {
		t.Skip("reads with Tesseract")
	}
	ss, fds := readApplication(t, newEngine(t), 2, document.TypePAN, document.TypeAadhaar, document.TypeInvoice, document.TypeDeliveryOrder)
	for i, s := range ss {
		// A consumer's invoice names no buyer GSTIN; none may be invented.
		if fds[i] == nil || s.Type != document.TypeInvoice {
			continue
		}
		if f, ok := fds[i].Get("buyer_gstin"); ok {
			t.Errorf("invoice: buyer_gstin %v read where none is printed", f.Value)
		}
	}
}
