package docgen

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// streamApplication is the PCG stream of GenerateApplication: the
// applicant is drawn from it, and each document's content from it mixed
// with the type, apart from Generate's streams.
const streamApplication = 0x646f6367656e03

// ApplicationTypes lists the types GenerateApplication renders, in a
// stable order (new types are appended).
var ApplicationTypes = []document.Type{
	document.TypePAN, document.TypeAadhaar, document.TypeInvoice, document.TypeDeliveryOrder,
	document.TypeVoterID, document.TypeDrivingLicense,
}

// ErrNoTypes: GenerateApplication was asked for no document.
var ErrNoTypes = errors.New("no document type asked for")

// applicant is what the documents of one loan application share: the
// person, and, once the delivery order is drawn, the sale its invoice
// bills. Renderers take it as an argument; nil means "draw your own".
type applicant struct {
	person *person
	sale   *sale
}

// sale is what a delivery order says a dealer sells the applicant, for
// the dealer's invoice to bill.
type sale struct {
	dealer   invoiceParty
	customer string // the applicant's name as the DO prints it
	date     time.Time
	rate     int64 // GST percent
	items    []saleItem
	total    int64 // paise, GST included: the DO's invoice amount
}

// saleItem is one priced line of a sale, GST included, in paise.
type saleItem struct {
	desc   string
	amount int64
}

// holder is the person a document names: a's person, or a new one drawn
// from r when there is no applicant.
func (a *applicant) holder(r *rand.Rand) *person {
	if a == nil {
		return newPerson(r)
	}
	return a.person
}

// saleRate is the GST percent a dealer charges on asset: 28 on cars and
// two-wheelers, 12 on tractors, 18 on consumer durables.
func saleRate(asset doAsset) int64 {
	switch asset.product {
	case "Two Wheeler", "Four Wheeler":
		return 28
	case "Tractor":
		return 12
	}
	return 18
}

// fitPrice raises parts[0] (the price) by whole rupees, a few at most,
// until the parts' sum is a total that an invoice at asset's GST rate can
// reach: taxable plus tax rounded to paise skips some totals. The dealer
// is of the applicant's state, so the invoice charges CGST and SGST.
func (a *applicant) fitPrice(parts []int64, asset doAsset) {
	for {
		var total int64
		for _, p := range parts {
			total += p
		}
		if _, ok := taxableFor(total, saleRate(asset), true); ok {
			return
		}
		parts[0] += 100
	}
}

// recordSale keeps what the DO sells a, for the invoice: the dealer, the
// customer's name as printed, the date, and one item per priced row
// (the asset's model, then accessories or warranty by their row label).
func (a *applicant) recordSale(dealer invoiceParty, customer string, date time.Time, asset doAsset, rows [][2]string, parts []int64) {
	s := &sale{dealer: dealer, customer: customer, date: date, rate: saleRate(asset)}
	for i, p := range parts {
		desc := rows[i][0]
		if i == 0 {
			desc = asset.model
		}
		s.items = append(s.items, saleItem{desc: desc, amount: p})
		s.total += p
	}
	a.sale = s
}

// taxableFor finds the taxable amount whose GST at rate percent, rounded
// as invoiceTax rounds it, makes total; ok is false when none does.
func taxableFor(total, rate int64, intra bool) (taxable int64, ok bool) {
	guess := total * 100 / (100 + rate)
	// Rounding moves the tax by a paisa or two: the answer, if any, is
	// next to the guess.
	for x := guess - 3; x <= guess+3; x++ {
		if tax, _ := invoiceTax(x, rate, intra); x+tax == total && x > 0 {
			return x, true
		}
	}
	return 0, false
}

// drawSaleInvoice draws the dealer's B2C tax invoice for a's sale: seller
// the DO's dealer, buyer a's person (the name as the DO prints it, the
// postal address, no GSTIN), dated the DO's date, one line per sale item
// with the taxable amounts worked back from the DO's total.
func drawSaleInvoice(r *rand.Rand, a *applicant) (*image.RGBA, string, map[string]string, error) {
	s := a.sale
	printed, address := a.person.postalAddress()
	buyer := invoiceParty{name: s.customer, state: a.person.region.state, printed: printed, address: address}
	intra := s.dealer.state == buyer.state
	taxable, ok := taxableFor(s.total, s.rate, intra)
	if !ok {
		return nil, "", nil, fmt.Errorf("invoice for total %d paise at %d%%: no taxable amount reaches it", s.total, s.rate)
	}
	b := invoiceBill{seller: s.dealer, buyer: buyer, date: s.date, rate: s.rate}
	b.number = invoiceNumber(r, s.date)
	// Split taxable over the items in proportion to their prices; the
	// first takes the paise left over.
	b.items = make([]invoiceLine, len(s.items))
	rest := taxable
	for i := len(s.items) - 1; i >= 0; i-- {
		it := s.items[i]
		line := (it.amount*taxable + s.total/2) / s.total
		if i == 0 {
			line = rest
		}
		rest -= line
		b.items[i] = invoiceLine{desc: it.desc, hsn: digits(r, pick(r, []int{4, 6, 8})), qty: 1, rate: line, total: line}
	}
	b.indian = r.IntN(2) == 0
	img, layout, truth := drawInvoice(b)
	return img, layout, truth, nil
}

// GenerateApplication renders one document of each of types (in that
// order; each of ApplicationTypes) of one fake applicant chosen by seed,
// captured under c, as the documents of one loan application: PAN,
// Aadhaar, voter ID and driving licence name the same person, with the
// same father (or husband), gender and full date of birth, and Aadhaar
// (when its layout shows the address), voter ID and driving licence the
// same home: house, street, locality, town, state and PIN. The delivery
// order's dealer sells that person the goods the dealer's B2C tax
// invoice bills, for the DO's invoice amount. Names and addresses are
// printed in each document's convention (PAN and licence names in
// capitals; Aadhaar's address after the care-of element, the cards'
// without it) with the same words. Everything is deterministic from
// seed; the documents differ from Generate's for the same seed.
func GenerateApplication(seed int64, c Condition, types ...document.Type) ([]*Sample, error) {
	if !slices.Contains(Conditions, c) {
		return nil, fmt.Errorf("generate application %q: %w", c, ErrUnknownCondition)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("generate application: %w", ErrNoTypes)
	}
	for _, t := range types {
		if !slices.Contains(ApplicationTypes, t) {
			return nil, fmt.Errorf("generate application %s: %w", t, ErrUnsupported)
		}
	}
	a := &applicant{person: newPerson(rand.New(rand.NewPCG(uint64(seed), streamApplication)))}
	content := func(t document.Type) *rand.Rand {
		return rand.New(rand.NewPCG(uint64(seed), streamApplication^typeHash(t)))
	}

	type page struct {
		card   *image.RGBA
		layout string
		truth  map[string]string
	}
	// The invoice bills the DO's sale: the DO is drawn first.
	var do page
	if slices.Contains(types, document.TypeInvoice) || slices.Contains(types, document.TypeDeliveryOrder) {
		do.card, do.layout, do.truth = drawDeliveryOrder(content(document.TypeDeliveryOrder), a)
	}

	out := make([]*Sample, 0, len(types))
	for _, t := range types {
		var p page
		r := content(t)
		switch t {
		case document.TypePAN:
			p.card, p.layout, p.truth = drawPAN(r, a.person)
		case document.TypeAadhaar:
			f := aadhaarFieldsOf(r, a.person)
			// The full date, so that it can be checked against PAN's.
			f.yearOnly, f.dob = false, a.person.dob.Format("02/01/2006")
			p.card, p.layout, p.truth = drawAadhaar(r, f)
		case document.TypeVoterID:
			p.card, p.layout, p.truth = drawVoterID(r, a.person)
		case document.TypeDrivingLicense:
			p.card, p.layout, p.truth = drawDL(r, a.person)
		case document.TypeDeliveryOrder:
			p = do
		case document.TypeInvoice:
			var err error
			if p.card, p.layout, p.truth, err = drawSaleInvoice(r, a); err != nil {
				return nil, fmt.Errorf("generate application %d: %w", seed, err)
			}
		}
		s := &Sample{Seed: seed, Type: t, Condition: c, Layout: p.layout, Truth: p.truth}
		// Each document has its own capture, as separate photos or scans.
		if err := capture(s, p.card, rand.New(rand.NewPCG(uint64(seed), streamCondition^typeHash(t)))); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// capture encodes card into s as captured under s.Condition, drawing the
// capture's randomness from r, exactly as Generate does for cards.
func capture(s *Sample, card *image.RGBA, r *rand.Rand) error {
	var out image.Image
	switch s.Condition {
	case Clean:
		out, s.Format = card, "png"
	case Scan:
		out, s.Format = scan(card, r), "png"
	case Photo:
		out, s.Format = photo(card, r), "jpeg"
	case Rotated:
		s.Rotation = 90 * (1 + r.IntN(3))
		out, s.Format = rotate(card, s.Rotation), "png"
	default:
		return fmt.Errorf("capture %q: %w", s.Condition, ErrUnknownCondition)
	}
	s.Width, s.Height = out.Bounds().Dx(), out.Bounds().Dy()

	var buf bytes.Buffer
	var err error
	if s.Format == "jpeg" {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: 76 + r.IntN(9)})
	} else {
		// Fast compression, as Generate: read once, encoding dominates.
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		err = enc.Encode(&buf, out)
	}
	if err != nil {
		return fmt.Errorf("encode %s: %w", s.Format, err)
	}
	s.Data = buf.Bytes()
	return nil
}
