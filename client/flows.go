package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// FlowInitRequest opens a flow: one loan application's documents, read and
// cross-checked together.
type FlowInitRequest struct {
	ProductType   string `json:"product_type"`
	ApplicationID string `json:"application_id"`
	// ExternalReferenceID is the caller's reference (e.g. the LOS id);
	// one flow may be open per application and reference.
	ExternalReferenceID string `json:"external_reference_id,omitempty"`
	// CallbackURL receives signed callbacks as documents are read.
	CallbackURL string `json:"callback_url,omitempty"`
	// AuthURL, with CallbackURL, is where atlas gets a token for them.
	AuthURL string `json:"auth_url,omitempty"`
	// FlowParams is echoed in callbacks; its declared values (name, dob,
	// pan, address, amounts) are cross-checked with the documents.
	FlowParams map[string]any `json:"flow_params,omitempty"`
}

// Flow is the answer of FlowInit.
type Flow struct {
	FlowID              string    `json:"flow_id"`
	ApplicationID       string    `json:"application_id"`
	ExternalReferenceID string    `json:"external_reference_id,omitempty"`
	ProductType         string    `json:"product_type"`
	FlowState           string    `json:"flow_state"`
	CreatedAt           time.Time `json:"created_at"`
}

// FlowInit opens a flow. It creates a flow the server cannot de-duplicate,
// so it is not retried on 5xx or a connection lost mid-request (see the
// package doc); an application that already has an open flow answers 409.
func (c *Client) FlowInit(ctx context.Context, req FlowInitRequest) (*Flow, error) {
	body, err := jsonBody(req)
	if err != nil {
		return nil, err
	}
	var out Flow
	if _, err := c.call(ctx, &request{method: http.MethodPost, path: "/v2/verification/flow/init", body: body, auth: true, retry: retryUnsent}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FlowUploadRequest adds documents to a flow (at most 50 a request, 100 a
// flow).
type FlowUploadRequest struct {
	FlowID string     `json:"flow_id"`
	Files  []FlowFile `json:"file_urls"`
}

// FlowFile is one file of a flow upload.
type FlowFile struct {
	FileURL    string `json:"file_url"`
	DocumentID string `json:"document_id"`
	// SubmissionMode (upload, camera, whatsapp) is kept for audit.
	SubmissionMode string `json:"submission_mode,omitempty"`
}

// FlowUploadEntry is what atlas recorded for one uploaded file.
type FlowUploadEntry struct {
	FileUUID   string `json:"file_uuid"`
	BatchID    string `json:"batch_id"`
	DocumentID string `json:"document_id"`
	FileURL    string `json:"file_url"`
}

// FlowUpload uploads documents to a flow. The server has no idempotency
// key for flow uploads, so a 5xx or a connection lost mid-request is NOT
// retried (a retry could add the documents twice): check FlowStatus before
// sending again. 429 and connections never made are retried.
func (c *Client) FlowUpload(ctx context.Context, req FlowUploadRequest) ([]FlowUploadEntry, error) {
	body, err := jsonBody(req)
	if err != nil {
		return nil, err
	}
	var out []FlowUploadEntry
	if _, err := c.call(ctx, &request{method: http.MethodPost, path: "/v2/verification/multiupload", body: body, auth: true, retry: retryUnsent}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// FlowIdentity names a flow in status and extracts answers.
type FlowIdentity struct {
	FlowID              string          `json:"flow_id"`
	ApplicationID       string          `json:"application_id"`
	ExternalReferenceID string          `json:"external_reference_id,omitempty"`
	ProductType         string          `json:"product_type"`
	FlowParams          json.RawMessage `json:"flow_params"`
}

// FlowProgress is where a flow is.
type FlowProgress struct {
	// FlowState is OPEN or CLOSED.
	FlowState string `json:"flow_state"`
	// UploadStatus is NOT_STARTED or COMPLETED.
	UploadStatus string `json:"upload_status"`
	// ProcessingStatus, CrosscheckStatus and MasterStatus are NOT_STARTED,
	// PENDING or COMPLETED.
	ProcessingStatus string `json:"processing_status"`
	CrosscheckStatus string `json:"crosscheck_status"`
	MasterStatus     string `json:"master_status"`
	// Documents counts the flow's documents; Processed those read and
	// Failed those that could not be.
	Documents int `json:"documents"`
	Processed int `json:"processed"`
	Failed    int `json:"failed"`
}

// FlowFileStatus is one document in a flow's status.
type FlowFileStatus struct {
	DocumentID string `json:"document_id"`
	FileUUID   string `json:"file_uuid"`
	BatchID    string `json:"batch_id"`
	// Status is UPLOAD_SUCCESS, PROCESSING, PROCESSING_SUCCESS or FAILED.
	Status       string `json:"status"`
	DocumentType string `json:"document_type,omitempty"`
	ErrorCode    string `json:"error_code,omitempty"`
}

// FlowStatus is the answer of FlowStatus.
type FlowStatus struct {
	FlowIdentity
	FlowProgress
	Files []FlowFileStatus `json:"files"`
}

// FlowStatus returns where a flow and each of its documents are.
func (c *Client) FlowStatus(ctx context.Context, flowID string) (*FlowStatus, error) {
	var out FlowStatus
	if err := c.flowGet(ctx, "/v2/verification/status", flowID, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FlowEntry is one document of a flow with what was read from it.
type FlowEntry struct {
	DocumentID     string
	FileUUID       string
	BatchID        string
	FileURL        string
	SubmissionMode string
	// Status is UPLOAD_SUCCESS, PROCESSING, PROCESSING_SUCCESS or FAILED.
	Status       string
	DocumentType string
	// FileData holds the fields read, by name; FieldNames their order.
	FileData     map[string]Field
	FieldNames   []string
	ErrorCode    string
	ErrorMessage string
}

// flowEntryJSON is a FlowEntry as the API writes it.
type flowEntryJSON struct {
	DocumentID     string          `json:"document_id"`
	FileUUID       string          `json:"file_uuid"`
	BatchID        string          `json:"batch_id"`
	FileURL        string          `json:"file_url"`
	SubmissionMode string          `json:"submission_mode,omitempty"`
	Status         string          `json:"status"`
	DocumentType   string          `json:"document_type,omitempty"`
	FileData       json.RawMessage `json:"file_data,omitempty"`
	ErrorCode      string          `json:"error_code,omitempty"`
	ErrorMessage   string          `json:"error_message,omitempty"`
}

// UnmarshalJSON reads an ocr_data entry, keeping the field order.
func (e *FlowEntry) UnmarshalJSON(b []byte) error {
	var j flowEntryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = FlowEntry{DocumentID: j.DocumentID, FileUUID: j.FileUUID, BatchID: j.BatchID, FileURL: j.FileURL, SubmissionMode: j.SubmissionMode,
		Status: j.Status, DocumentType: j.DocumentType, ErrorCode: j.ErrorCode, ErrorMessage: j.ErrorMessage}
	dt, fields, names, err := decodeFileData(j.FileData)
	if err != nil {
		return fmt.Errorf("flow document %s: %w", j.FileUUID, err)
	}
	if e.DocumentType == "" {
		e.DocumentType = dt
	}
	e.FileData, e.FieldNames = fields, names
	return nil
}

// MarshalJSON writes the entry as the API does.
func (e FlowEntry) MarshalJSON() ([]byte, error) {
	j := flowEntryJSON{DocumentID: e.DocumentID, FileUUID: e.FileUUID, BatchID: e.BatchID, FileURL: e.FileURL, SubmissionMode: e.SubmissionMode,
		Status: e.Status, DocumentType: e.DocumentType, ErrorCode: e.ErrorCode, ErrorMessage: e.ErrorMessage}
	if len(e.FileData) > 0 {
		fd, err := encodeFileData(e.DocumentType, e.FileData, e.FieldNames)
		if err != nil {
			return nil, err
		}
		j.FileData = fd
	}
	return json.Marshal(j)
}

// CrossCheck is one comparison across a flow's documents (or with a
// declared value in flow_params).
type CrossCheck struct {
	// Check names the comparison (name, date_of_birth, declared_pan, ...).
	Check string `json:"check"`
	// Documents are the document ids compared; "flow_params" stands for
	// the declared value.
	Documents []string `json:"documents"`
	// Fields are the fields compared, parallel to Documents.
	Fields []string `json:"fields"`
	// Status is match, mismatch or review.
	Status string  `json:"status"`
	Score  float64 `json:"score"`
	Detail string  `json:"detail"`
}

// FlowExtracts is everything read from a flow so far, with its
// cross-checks.
type FlowExtracts struct {
	FlowIdentity
	FlowProgress
	OCRData     []FlowEntry  `json:"ocr_data"`
	CrossChecks []CrossCheck `json:"cross_checks"`
}

// FlowExtracts returns every document of a flow read so far and the
// cross-checks.
func (c *Client) FlowExtracts(ctx context.Context, flowID string) (*FlowExtracts, error) {
	var out FlowExtracts
	if err := c.flowGet(ctx, "/v2/verification/extracts", flowID, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Submit answers as FlowExtracts; with closeFlow the flow is closed first
// and takes no more documents. Closing a closed flow changes nothing, so
// Submit is retried like a read.
func (c *Client) Submit(ctx context.Context, flowID string, closeFlow bool) (*FlowExtracts, error) {
	if flowID == "" {
		return nil, errors.New("submit flow: the flow id is required")
	}
	cl := "no"
	if closeFlow {
		cl = "yes"
	}
	var out FlowExtracts
	q := url.Values{"flow_id": {flowID}, "close_flow": {cl}}
	if _, err := c.call(ctx, &request{method: http.MethodPost, path: "/v2/verification/flow/submit", query: q, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CallbackAttempt is one delivery attempt of a callback.
type CallbackAttempt struct {
	Attempt int       `json:"attempt"`
	At      time.Time `json:"at"`
	// StatusCode is what the receiver answered; 0 when it was not reached.
	StatusCode int    `json:"status_code,omitempty"`
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// Callback is one callback of a flow and its delivery.
type Callback struct {
	// CallbackID is sent as Atlas-Callback-Id: de-duplicate on it.
	CallbackID string `json:"callback_id"`
	// Event is document.processed, document.failed or
	// flow.cross_checks_completed.
	Event    string `json:"event"`
	FileUUID string `json:"file_uuid,omitempty"`
	// Status is pending, delivered or failed (atlas gave up).
	Status      string            `json:"status"`
	Attempts    int               `json:"attempts"`
	CreatedAt   time.Time         `json:"created_at"`
	DeliveredAt *time.Time        `json:"delivered_at,omitempty"`
	History     []CallbackAttempt `json:"history"`
}

// FlowCallbacks is the answer of Callbacks.
type FlowCallbacks struct {
	FlowID      string     `json:"flow_id"`
	CallbackURL string     `json:"callback_url,omitempty"`
	Callbacks   []Callback `json:"callbacks"`
}

// Callbacks returns a flow's callbacks and how their delivery went.
func (c *Client) Callbacks(ctx context.Context, flowID string) (*FlowCallbacks, error) {
	var out FlowCallbacks
	if err := c.flowGet(ctx, "/v2/verification/callbacks", flowID, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CallbackSecret tells how to verify callbacks. The secret is a credential:
// keep it out of logs.
type CallbackSecret struct {
	Secret        string `json:"callback_secret"`
	Algorithm     string `json:"algorithm"`
	SignedPayload string `json:"signed_payload"`
	Headers       string `json:"headers"`
}

// CallbackSecret returns the secret callbacks to this client are signed
// with.
func (c *Client) CallbackSecret(ctx context.Context) (*CallbackSecret, error) {
	var out CallbackSecret
	if _, err := c.call(ctx, &request{method: http.MethodGet, path: "/v2/verification/callbacks/secret", auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteFlow deletes a flow with all its documents and stored copies.
func (c *Client) DeleteFlow(ctx context.Context, flowID string) (*DeleteResponse, error) {
	if flowID == "" {
		return nil, errors.New("delete flow: the flow id is required")
	}
	var out DeleteResponse
	if _, err := c.call(ctx, &request{method: http.MethodDelete, path: "/v2/verification/flow/" + url.PathEscape(flowID), auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// flowGet reads a flow endpoint that takes flow_id in the query.
func (c *Client) flowGet(ctx context.Context, path, flowID string, out any) error {
	if flowID == "" {
		return fmt.Errorf("GET %s: the flow id is required", path)
	}
	_, err := c.call(ctx, &request{method: http.MethodGet, path: path, query: url.Values{"flow_id": {flowID}}, auth: true}, out)
	return err
}
