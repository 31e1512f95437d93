// Package flow is the loan-application side of atlas: what a flow's status
// is, how its documents are presented, and the jobs that run when its
// documents are read (cross-checks, callbacks). The bulk API and flows
// share the pipeline; this package adds what only flows have.
package flow

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

// FileData returns a document's file data as a client may see it:
// reviewers' corrections in place of what was read, the link to the
// redacted Aadhaar copy (under baseURL) and, for a client that asked for
// it, only the last four digits of an Aadhaar number (a corrected one
// too). The stored result is not changed.
func FileData(d store.Document, c *store.Client, baseURL string) *document.FileData {
	if d.FileData == nil {
		return nil
	}
	fd := corrected(d.FileData, d.Corrections)
	num, ok := fd.Get("aadhaar_number")
	if !ok {
		return fd
	}
	if fd == d.FileData {
		fd = fd.Clone()
	}
	if d.RedactedKey != "" && baseURL != "" {
		fd.Set("redact_url", document.Field{Value: baseURL + "/v1/bulk/redacted/" + d.FileUUID, Confidence: num.Confidence})
	}
	if v, _ := num.Value.(string); c != nil && c.AadhaarLast4Only && len(v) >= 4 {
		num.Value = "XXXX XXXX " + v[len(v)-4:]
		fd.Set("aadhaar_number", num)
	}
	return fd
}

// corrected returns fd with each corrected field's value replaced by the
// reviewer's, marked reviewed and fully confident (its validation, which
// judged the value read, is dropped); a corrected field that was not read
// is added, after the others in field-name order. fd itself is returned
// when there is no correction.
func corrected(fd *document.FileData, cs map[string]store.Correction) *document.FileData {
	if len(cs) == 0 {
		return fd
	}
	out := fd.Clone()
	for _, name := range slices.Sorted(maps.Keys(cs)) {
		f, _ := out.Get(name)
		f.Value, f.Confidence, f.Validation, f.Reviewed = cs[name].Value, 1.0, nil, true
		out.Set(name, f)
	}
	return out
}

// File statuses of the flow API.
const (
	FileUploaded   = "UPLOAD_SUCCESS"
	FileProcessing = "PROCESSING"
	FileDone       = "PROCESSING_SUCCESS"
	FileFailed     = "FAILED"
)

// FileStatus maps a document's status to the flow API's.
func FileStatus(d store.Document) string {
	switch d.Status {
	case document.StatusDone:
		return FileDone
	case document.StatusFailed:
		return FileFailed
	case document.StatusProcessing:
		return FileProcessing
	}
	if d.Attempts > 0 {
		return FileProcessing // waiting for another attempt
	}
	return FileUploaded
}

// Entry is one document of a flow, as ocr_data lists it and a document
// callback carries it.
type Entry struct {
	DocumentID     string             `json:"document_id"`
	FileUUID       string             `json:"file_uuid"`
	BatchID        string             `json:"batch_id"`
	FileURL        string             `json:"file_url"`
	SubmissionMode string             `json:"submission_mode,omitempty"`
	Status         string             `json:"status"`
	DocumentType   document.Type      `json:"document_type,omitempty"`
	FileData       *document.FileData `json:"file_data,omitempty"`
	ErrorCode      document.ErrorCode `json:"error_code,omitempty"`
	ErrorMessage   string             `json:"error_message,omitempty"`
}

// NewEntry presents one document.
func NewEntry(d store.Document, c *store.Client, baseURL string) Entry {
	e := Entry{DocumentID: d.DocumentID, FileUUID: d.FileUUID, BatchID: d.BatchID, FileURL: d.FileURL,
		SubmissionMode: d.SubmissionMode, Status: FileStatus(d)}
	if fd := FileData(d, c, baseURL); fd != nil && d.Status == document.StatusDone {
		e.DocumentType, e.FileData = fd.Type, fd
	}
	if d.Status == document.StatusFailed && d.Error != nil {
		e.ErrorCode, e.ErrorMessage = d.Error.Code, d.Error.Message
	}
	return e
}

// Flow-level statuses.
const (
	NotStarted = "NOT_STARTED"
	Pending    = "PENDING"
	Completed  = "COMPLETED"
	Closed     = "CLOSED"
	Open       = "OPEN"
)

// Status is where a flow is.
type Status struct {
	// FlowState is OPEN or CLOSED (submitted with close_flow=yes).
	FlowState string `json:"flow_state"`
	// UploadStatus is NOT_STARTED until a document is uploaded, then
	// COMPLETED.
	UploadStatus string `json:"upload_status"`
	// ProcessingStatus is PENDING while any document is being read,
	// COMPLETED when all are (read or failed).
	ProcessingStatus string `json:"processing_status"`
	// CrosscheckStatus is PENDING until the cross-checks have run over
	// every finished document, then COMPLETED.
	CrosscheckStatus string `json:"crosscheck_status"`
	// MasterStatus is COMPLETED when processing and cross-checks are,
	// PENDING before (NOT_STARTED with no document).
	MasterStatus string `json:"master_status"`
	Documents    int    `json:"documents"`
	Done         int    `json:"processed"`
	Failed       int    `json:"failed"`
}

// StatusOf computes a flow's status from its documents.
func StatusOf(f *store.Flow, docs []store.Document) Status {
	s := Status{FlowState: Open, Documents: len(docs)}
	if f.Closed() {
		s.FlowState = Closed
	}
	for _, d := range docs {
		switch d.Status {
		case document.StatusDone:
			s.Done++
		case document.StatusFailed:
			s.Failed++
		}
	}
	finished := s.Done + s.Failed
	switch {
	case len(docs) == 0:
		s.UploadStatus, s.ProcessingStatus, s.CrosscheckStatus, s.MasterStatus = NotStarted, NotStarted, NotStarted, NotStarted
		return s
	case finished < len(docs):
		s.UploadStatus, s.ProcessingStatus, s.CrosscheckStatus = Completed, Pending, Pending
	default:
		s.UploadStatus, s.ProcessingStatus = Completed, Completed
		s.CrosscheckStatus = Pending
		if f.CrossChecks != nil && f.CrossChecksDocs == finished {
			s.CrosscheckStatus = Completed
		}
	}
	s.MasterStatus = Pending
	if s.ProcessingStatus == Completed && s.CrosscheckStatus == Completed {
		s.MasterStatus = Completed
	}
	return s
}

// Params returns a flow's flow_params as JSON to echo (an object, never
// null).
func Params(f *store.Flow) json.RawMessage {
	if len(f.Params) == 0 {
		return json.RawMessage("{}")
	}
	return f.Params
}
