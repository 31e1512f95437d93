// Package store keeps atlas's state: API clients, batches and their
// documents with results. SQLite is the embedded default; every write that
// must not be lost (a batch with its documents and their jobs, a result with
// its job's completion) commits in one transaction.
package store

import (
	"errors"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// ErrNotFound is returned when a row does not exist (or belongs to another
// client, which callers must not be able to tell apart).
var ErrNotFound = errors.New("not found")

// ErrFlowClosed is returned when documents are added to a closed flow.
var ErrFlowClosed = errors.New("flow is closed")

// ErrConflict is returned when a unique key is taken, e.g. a batch id.
var ErrConflict = errors.New("conflict")

// Client is an API client: an id and the SHA-256 of its secret.
type Client struct {
	ID         string
	Name       string
	SecretHash []byte
	// AadhaarLast4Only makes the API return only the last four digits of
	// Aadhaar numbers to this client ("XXXX XXXX 1234").
	AadhaarLast4Only bool
	CreatedAt        time.Time
}

// Batch is one multiupload call.
type Batch struct {
	ID             string
	ClientID       string
	ProductType    string
	DocumentCount  int
	IdempotencyKey string // empty when the request carried none
	RequestHash    []byte
	// FlowID is the flow the batch was uploaded to; empty for the bulk API.
	FlowID    string
	CreatedAt time.Time
}

// Document is one file of a batch and, once read, its result.
type Document struct {
	FileUUID   string
	BatchID    string
	Seq        int // 1-based upload order within the batch
	DocumentID string
	FileURL    string
	// SubmissionMode is how the client says the file reached it (upload,
	// camera, whatsapp), kept for audit; flows only.
	SubmissionMode string
	Status         document.Status
	FileData       *document.FileData // when done
	// Error is set when failed.
	Error   *document.Error
	BlobKey string
	// RedactedKey is the blob of an Aadhaar's copy with the first eight
	// digits blacked out.
	RedactedKey string
	Attempts    int
	// Boxes is where each field was read (for the review page), by field
	// name; set when done.
	Boxes map[string]Box
	// Corrections are reviewers' values, by field name.
	Corrections map[string]Correction
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Box is where a field was read: the page (from 1) and the rectangle in
// that page's pixels, as the page image was decoded (before any rotation
// the reader applied).
type Box struct {
	Page int `json:"page"`
	X0   int `json:"x0"`
	Y0   int `json:"y0"`
	X1   int `json:"x1"`
	Y1   int `json:"y1"`
}

// Correction is a reviewer's value for one field of a document.
type Correction struct {
	Field string
	Value string
	// Reviewer names who corrected it (the review page's login).
	Reviewer string
	At       time.Time
}

// Result is what the pipeline made of a document: file data or an error.
type Result struct {
	FileData    *document.FileData
	Error       *document.Error
	RedactedKey string
}
