package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
)

// Limits of a correction.
const (
	maxCorrectionField = 64
	maxCorrectionValue = 4096
	// maxCorrectionBody bounds the request body: a field name and a value.
	maxCorrectionBody = 16 << 10
)

// ErrUnknownField is wrapped by Correct's error for a field the
// document's type does not have, or one that is not corrected by hand.
var ErrUnknownField = errors.New("unknown field")

// ErrNotRead is wrapped by Correct's error for a document that has not
// been read to the end (queued, being read, or failed): there is no
// result to correct.
var ErrNotRead = errors.New("document not read")

// CorrectionStore is what Correct needs of the store (the review page
// passes its own).
type CorrectionStore interface {
	GetDocument(ctx context.Context, fileUUID string) (*store.Document, error)
	GetBatch(ctx context.Context, clientID, batchID string) (*store.Batch, error)
	SaveCorrection(ctx context.Context, clientID, fileUUID string, c store.Correction) error
}

// typeFields are the fields each document type can have
// (shared/spec/fields.md), for correcting a field that was not read.
var typeFields = map[document.Type][]string{
	document.TypePAN:            {"pan_number", "name_as_per_pan", "father_name", "dob", "document_quality_flag"},
	document.TypeAadhaar:        {"aadhaar_number", "name", "date_of_birth", "gender", "address", "formatted_address", "redact_url", "document_quality_flag"},
	document.TypeVoterID:        {"voter_id", "name", "relation_name", "gender", "date_of_birth", "address", "document_quality_flag"},
	document.TypeDrivingLicense: {"dl_number", "name", "date_of_birth", "relation_name", "address", "issue_date", "valid_till", "state", "document_quality_flag"},
	document.TypePassport: {"passport_number", "name", "surname", "given_names", "nationality", "gender", "date_of_birth", "place_of_birth",
		"place_of_issue", "date_of_issue", "date_of_expiry", "document_quality_flag"},
	document.TypeGSTCert: {"gst_number", "legal_name", "trade_name", "constitution_of_business", "address", "formatted_address",
		"date_of_liability", "date_of_issue", "type_of_registration"},
	document.TypeUdyamCert: {"udyam_number", "enterprise_name", "owner_name", "address", "type_of_enterprise", "date_of_registration"},
	document.TypeShopAct:   {"registration_number", "establishment_name", "employer_name", "address", "nature_of_business", "date_of_registration", "valid_till"},
	document.TypeInvoice: {"invoice_number", "invoice_date", "seller_name", "seller_gstin", "seller_address", "buyer_name", "buyer_gstin",
		"taxable_amount", "total_tax", "total_amount"},
	document.TypeBankStatement: {"bank_name", "account_holder_name", "account_number", "ifsc", "statement_from", "statement_to",
		"opening_balance", "closing_balance", "transactions"},
	document.TypeCheque:        {"bank_name", "ifsc", "account_number", "account_holder_name", "cheque_number", "micr"},
	document.TypeDeliveryOrder: {"do_number", "do_date", "dealer_name", "dealer_address", "customer_name", "product", "model", "invoice_amount", "loan_amount", "down_payment"},
	document.TypeSaleDeed:      {"seller_name", "buyer_name", "property_address", "consideration_amount", "execution_date"},
}

// notCorrected are fields a reviewer's string cannot stand for: a link
// atlas makes, and values structured from others (an object, a list).
var notCorrected = []string{"redact_url", "formatted_address", "transactions"}

// correctable reports whether field can be corrected on fd: one it has or
// one its type can have, and not one of notCorrected.
func correctable(fd *document.FileData, field string) bool {
	if slices.Contains(notCorrected, field) {
		return false
	}
	if _, ok := fd.Get(field); ok {
		return true
	}
	return slices.Contains(typeFields[fd.Type], field)
}

// Correct stores reviewer's value for field of the client's document
// fileUUID, counts it in m (when not nil) and returns the document with
// its corrections. It is the one way corrections are made, by the API
// and by the review page. Its errors are *Error with the status the API
// answers: 400 for a bad field or value (wrapping ErrUnknownField for a
// field the document cannot have), 404 for an unknown or another
// client's document (wrapping store.ErrNotFound), 409 for one not read
// to the end (wrapping ErrNotRead); others are the store's.
func Correct(ctx context.Context, st CorrectionStore, m *metrics.Metrics, clientID, fileUUID, field, value, reviewer string) (*store.Document, error) {
	if reviewer == "" {
		return nil, errors.New("correct field: no reviewer named")
	}
	if err := checkCorrection(field, value); err != nil {
		return nil, err
	}
	notFound := &Error{Status: http.StatusNotFound, Message: fmt.Sprintf("file_uuid %q is unknown", fileUUID), Err: store.ErrNotFound}
	d, err := st.GetDocument(ctx, fileUUID)
	if err == nil {
		// Another client's document is as unknown as a missing one.
		_, err = st.GetBatch(ctx, clientID, d.BatchID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("correct field: %w", err)
	}
	if d.Status != document.StatusDone || d.FileData == nil {
		return nil, &Error{Status: http.StatusConflict, Err: ErrNotRead,
			Message: fmt.Sprintf("document %s is %s: only a document read to the end can be corrected", fileUUID, d.Status)}
	}
	if !correctable(d.FileData, field) {
		return nil, &Error{Status: http.StatusBadRequest, Err: ErrUnknownField,
			Message: fmt.Sprintf("field %q cannot be corrected on a %s document; correct one of: %s", field, d.FileData.Type, strings.Join(correctableFields(d.FileData), ", "))}
	}
	c := store.Correction{Field: field, Value: value, Reviewer: reviewer, At: time.Now().UTC().Truncate(time.Microsecond)}
	err = st.SaveCorrection(ctx, clientID, fileUUID, c)
	if errors.Is(err, store.ErrNotFound) { // deleted in the meantime
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("correct field: %w", err)
	}
	if m != nil {
		m.Corrected(string(d.FileData.Type), field)
	}
	if d.Corrections == nil {
		d.Corrections = map[string]store.Correction{}
	}
	d.Corrections[field] = c
	return d, nil
}

// checkCorrection returns a 400 naming what is wrong with a field name
// and value, or nil. The value itself is never echoed.
func checkCorrection(field, value string) error {
	var probs problems
	switch {
	case field == "":
		probs.add("field is empty")
	case len(field) > maxCorrectionField:
		probs.add("field is longer than %d characters", maxCorrectionField)
	}
	switch {
	case strings.TrimSpace(value) == "":
		probs.add("value is empty")
	case !utf8.ValidString(value):
		probs.add("value is not valid UTF-8")
	case utf8.RuneCountInString(value) > maxCorrectionValue:
		probs.add("value is longer than %d characters", maxCorrectionValue)
	}
	return probs.err()
}

// correctableFields lists, sorted, the fields that can be corrected on fd.
func correctableFields(fd *document.FileData) []string {
	var out []string
	for _, f := range slices.Concat(fd.Names(), typeFields[fd.Type]) {
		if !slices.Contains(out, f) && correctable(fd, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// routeReview registers the corrections endpoint.
func (s *Server) routeReview() {
	s.route("POST /v1/bulk/documents/{file_uuid}/corrections", s.serve(s.authenticated(s.correct)))
}

// CorrectionRequest is the body of POST /v1/bulk/documents/{file_uuid}/corrections.
type CorrectionRequest struct {
	Field *string `json:"field"`
	Value *string `json:"value"`
}

func (s *Server) correct(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return errorf(http.StatusUnsupportedMediaType, "the body must be application/json, not %s", mt)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCorrectionBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errorf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", maxCorrectionBody)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "could not read the body")
	}
	var req CorrectionRequest
	if err := decodeStrict(body, "correction", &req); err != nil {
		return err
	}
	var probs problems
	if req.Field == nil {
		probs.add("field is required")
	}
	if req.Value == nil {
		probs.add("value is required")
	}
	if err := probs.err(); err != nil {
		return err
	}
	ctx, id, client := r.Context(), r.PathValue("file_uuid"), clientID(r.Context())
	d, err := Correct(ctx, s.store, s.metrics, client, id, *req.Field, *req.Value, "api:"+client)
	if err != nil {
		return err
	}
	if s.afterCorrect != nil {
		s.afterCorrect(ctx, client, d)
	}
	c, err := s.store.GetClient(ctx, client)
	if err != nil {
		return fmt.Errorf("correct field: %w", err)
	}
	s.log.Info("field_corrected", "file_uuid", id, "field", *req.Field)
	writeJSON(w, http.StatusOK, s.extractItem(r, c, *d))
	return nil
}

// SetAfterCorrect sets what runs after a correction is stored (the
// service reruns a flow's cross-checks there).
func (s *Server) SetAfterCorrect(fn func(ctx context.Context, clientID string, d *store.Document)) {
	s.afterCorrect = fn
}
