package crosscheck

import (
	"fmt"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
)

// BenchmarkRun measures a cross-check run over a typical application (4
// documents) and over a flow at its limit of 100 documents, where every
// pair of name fields is compared.
func BenchmarkRun(b *testing.B) {
	app := []Document{
		doc("pan", document.TypePAN, "pan_number", "ABCPK1234F", "name_as_per_pan", "D MANIKANDAN DURAISAMY", "dob", "16/07/1986"),
		doc("aadhaar", document.TypeAadhaar, "name", "Manikandan Duraisamy D", "date_of_birth", "16/07/1986", "gender", "MALE",
			"address", "12, Gandhi Street, Anna Nagar, Chennai, Tamil Nadu, 600040"),
		doc("invoice", document.TypeInvoice, "buyer_name", "MANIKANDAN DURAISAMY", "seller_name", "Sri Murugan Motors", "total_amount", "65000.00",
			"seller_address", "4, Mount Road, Chennai, Tamil Nadu, 600002"),
		doc("do", document.TypeDeliveryOrder, "customer_name", "Manikandan D", "dealer_name", "Sri Murugan Motors", "invoice_amount", "65000.00",
			"dealer_address", "4, Mount Road, Chennai, Tamil Nadu, 600002"),
	}
	declared := map[string]any{"name": "Manikandan Duraisamy", "dob": "16/07/1986"}
	var big []Document
	for i := range 25 {
		for _, d := range app {
			d.DocumentID = fmt.Sprintf("%s-%d", d.DocumentID, i)
			big = append(big, d)
		}
	}
	for _, tc := range []struct {
		name string
		docs []Document
	}{{"4docs", app}, {"100docs", big}} {
		b.Run(tc.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = len(Run(tc.docs, declared, Settings{}))
			}
			b.ReportMetric(float64(n), "checks")
		})
	}
}
