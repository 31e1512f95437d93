package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Document statuses of an extracts item.
const (
	StatusQueued     = "queued"
	StatusProcessing = "processing"
	StatusDone       = "done"
	StatusFailed     = "failed"
)

// MultiuploadRequest is a batch to submit.
type MultiuploadRequest struct {
	// ProductType is the lending product the batch belongs to (e.g. PFL_CDL).
	ProductType string `json:"product_type"`
	// Files are the documents, each a URL atlas fetches once.
	Files []Entry `json:"file_urls"`
	// IdempotencyKey makes a repeated submission return the first batch
	// instead of creating another. When empty, Multiupload generates one
	// for this call, so its own retries are safe.
	IdempotencyKey string `json:"-"`
}

// Entry is one file of a batch.
type Entry struct {
	// FileURL is an http(s) URL, typically pre-signed.
	FileURL string `json:"file_url"`
	// DocumentID is the caller's id for the file, unique within the batch.
	DocumentID string `json:"document_id"`
}

// UploadEntry is what atlas recorded for one file.
type UploadEntry struct {
	BatchID    string `json:"batch_id"`
	DocumentID string `json:"document_id"`
	FileUUID   string `json:"file_uuid"`
}

// MultiuploadResponse is the answer of Multiupload.
type MultiuploadResponse struct {
	// BatchID is the new batch's id.
	BatchID string
	// Entries are one per file, in request order.
	Entries []UploadEntry
	// IdempotencyKey is the key sent (the caller's or the generated one):
	// sending the same request with it again is safe.
	IdempotencyKey string
	// Replayed says the server answered with a batch it had already
	// created for this key.
	Replayed bool
}

// Multiupload submits a batch of documents. It always sends an
// Idempotency-Key, so it is retried on temporary failures without the risk
// of creating two batches.
func (c *Client) Multiupload(ctx context.Context, req MultiuploadRequest) (*MultiuploadResponse, error) {
	key := req.IdempotencyKey
	if key == "" {
		k, err := newIdempotencyKey()
		if err != nil {
			return nil, err
		}
		key = k
	}
	body, err := jsonBody(req)
	if err != nil {
		return nil, err
	}
	var entries []UploadEntry
	resp, err := c.call(ctx, &request{method: http.MethodPost, path: "/v1/bulk/multiupload", body: body, auth: true,
		header: http.Header{"Idempotency-Key": {key}}, retry: retrySafe}, &entries)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, errors.New("multiupload: the answer has no entries")
	}
	return &MultiuploadResponse{BatchID: entries[0].BatchID, Entries: entries, IdempotencyKey: key,
		Replayed: resp.header.Get("Idempotent-Replayed") == "true"}, nil
}

// Validation says which structural check a field's value passed or failed.
type Validation struct {
	Passed bool   `json:"passed"`
	Rule   string `json:"rule"`
}

// Field is one value read from a document.
type Field struct {
	// Value is a string, or for structured fields an object
	// (formatted_address) or a list (transactions), as JSON decodes them.
	Value any `json:"value"`
	// Confidence is how sure the reading is, from 0 to 1.
	Confidence float64 `json:"confidence_score"`
	// Validation is the check the value passed or failed, if any.
	Validation *Validation `json:"validation,omitempty"`
	// Reviewed says a person confirmed or corrected the value.
	Reviewed bool `json:"reviewed,omitempty"`
}

// DocumentError is why a document failed.
type DocumentError struct {
	// Code is one of UNRECOGNISED, FETCH_FAILED, UNSUPPORTED_FORMAT,
	// TOO_LARGE, UNREADABLE, TIMEOUT, INTERNAL.
	Code    string `json:"code"`
	Message string `json:"message"`
	// UpstreamStatus is, for FETCH_FAILED, what the document URL answered.
	UpstreamStatus int `json:"upstream_status,omitempty"`
}

// Document is one document of a batch and, once read, its fields.
type Document struct {
	DocumentID string
	FileUUID   string
	// Status is queued, processing, done or failed.
	Status string
	// DocumentType is what the document was read as (PAN, AADHAAR, ...)
	// when Status is done.
	DocumentType string
	// FileData holds the fields read, by name, when Status is done.
	FileData map[string]Field
	// FieldNames are FileData's keys in the order the server gave them.
	FieldNames []string
	// ErrorCode and Error say why the document failed.
	ErrorCode string
	Error     *DocumentError
}

// documentJSON is a Document as the API writes it.
type documentJSON struct {
	DocumentID string          `json:"document_id"`
	FileUUID   string          `json:"file_uuid"`
	Status     string          `json:"status"`
	FileData   json.RawMessage `json:"file_data,omitempty"`
	ErrorCode  string          `json:"error_code,omitempty"`
	Error      *DocumentError  `json:"error,omitempty"`
}

// UnmarshalJSON reads an extracts item, keeping the field order.
func (d *Document) UnmarshalJSON(b []byte) error {
	var j documentJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Document{DocumentID: j.DocumentID, FileUUID: j.FileUUID, Status: j.Status, ErrorCode: j.ErrorCode, Error: j.Error}
	var err error
	d.DocumentType, d.FileData, d.FieldNames, err = decodeFileData(j.FileData)
	if err != nil {
		return fmt.Errorf("document %s: %w", j.FileUUID, err)
	}
	return nil
}

// MarshalJSON writes the document as the API does, fields in FieldNames
// order, so a CLI can pass results on unchanged.
func (d Document) MarshalJSON() ([]byte, error) {
	j := documentJSON{DocumentID: d.DocumentID, FileUUID: d.FileUUID, Status: d.Status, ErrorCode: d.ErrorCode, Error: d.Error}
	if d.DocumentType != "" || len(d.FileData) > 0 {
		fd, err := encodeFileData(d.DocumentType, d.FileData, d.FieldNames)
		if err != nil {
			return nil, err
		}
		j.FileData = fd
	}
	return json.Marshal(j)
}

// decodeFileData splits a file_data object into its document_type and its
// fields, in order. Empty input (no file_data) is no error.
func decodeFileData(raw json.RawMessage) (docType string, fields map[string]Field, names []string, err error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", nil, nil, errors.New("file_data: want an object")
	}
	fields = map[string]Field{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", nil, nil, fmt.Errorf("file_data: %w", err)
		}
		key, _ := tok.(string)
		if key == "document_type" {
			if err := dec.Decode(&docType); err != nil {
				return "", nil, nil, fmt.Errorf("file_data document_type: %w", err)
			}
			continue
		}
		var f Field
		if err := dec.Decode(&f); err != nil {
			return "", nil, nil, fmt.Errorf("file_data field %s: %w", key, err)
		}
		if _, dup := fields[key]; !dup {
			names = append(names, key)
		}
		fields[key] = f
	}
	return docType, fields, names, nil
}

// encodeFileData writes {"document_type": ..., fields...}: the names in
// order first, then any field not named, so none is lost.
func encodeFileData(docType string, fields map[string]Field, names []string) (json.RawMessage, error) {
	var b bytes.Buffer
	b.WriteString(`{"document_type":`)
	t, _ := json.Marshal(docType)
	b.Write(t)
	written := make(map[string]bool, len(fields))
	write := func(n string) error {
		f, ok := fields[n]
		if !ok || written[n] {
			return nil
		}
		written[n] = true
		k, _ := json.Marshal(n)
		v, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("encode field %s: %w", n, err)
		}
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
		return nil
	}
	for _, n := range names {
		if err := write(n); err != nil {
			return nil, err
		}
	}
	for _, n := range sortedKeys(fields) {
		if err := write(n); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ExtractsPage is one page of a batch's documents.
type ExtractsPage struct {
	Data       []Document `json:"data"`
	Page       int        `json:"page"`
	PerPage    int        `json:"per_page"`
	TotalPages int        `json:"total_pages"`
	TotalItems int        `json:"total_items"`
	HasNext    bool       `json:"has_next"`
	HasPrev    bool       `json:"has_prev"`
}

// Extracts returns one page (from 1) of a batch's documents, perPage of
// them (at most 50; 0 means 50). To read a whole batch use Documents or
// ExtractsPages, which check that nothing was missed.
func (c *Client) Extracts(ctx context.Context, batchID string, page, perPage int) (*ExtractsPage, error) {
	if batchID == "" {
		return nil, errors.New("extracts: the batch id is required")
	}
	if page < 1 {
		page = 1
	}
	if perPage < 1 {
		perPage = PerPage
	}
	q := url.Values{"batch_id": {batchID}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(perPage)}}
	var out ExtractsPage
	if _, err := c.call(ctx, &request{method: http.MethodGet, path: "/v1/bulk/extracts", query: q, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteResponse is the answer of a deletion.
type DeleteResponse struct {
	// DeletedDocuments is how many documents were deleted.
	DeletedDocuments int `json:"deleted_documents"`
}

// DeleteBatch deletes a batch, its documents and their stored copies. A
// retried deletion whose first attempt took effect answers 404.
func (c *Client) DeleteBatch(ctx context.Context, batchID string) (*DeleteResponse, error) {
	if batchID == "" {
		return nil, errors.New("delete batch: the batch id is required")
	}
	var out DeleteResponse
	if _, err := c.call(ctx, &request{method: http.MethodDelete, path: "/v1/bulk/batch/" + url.PathEscape(batchID), auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
