package api

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/flow"
	"github.com/atlas-oss/atlas/internal/store"
)

// Field limits of a multiupload request.
const (
	maxProductType    = 64
	maxDocumentID     = 256
	maxFileURL        = 8192
	maxIdempotencyKey = 255
	maxListedProblems = 10
)

// MultiUploadRequest is the body of POST /v1/bulk/multiupload.
type MultiUploadRequest struct {
	ProductType *string     `json:"product_type"`
	FileURLs    []FileEntry `json:"file_urls"`
}

// FileEntry is one file of a batch.
type FileEntry struct {
	FileURL    *string `json:"file_url"`
	DocumentID *string `json:"document_id"`
}

// UploadEntry is one entry of the multiupload answer.
type UploadEntry struct {
	BatchID    string `json:"batch_id"`
	DocumentID string `json:"document_id"`
	FileUUID   string `json:"file_uuid"`
}

// DecodeMultiUpload parses and validates a multiupload body. Every problem
// found (up to ten) is named in the error, with the entry it concerns.
func DecodeMultiUpload(body []byte, maxFiles int) (*MultiUploadRequest, error) {
	var req MultiUploadRequest
	if err := decodeStrict(body, "multiupload", &req); err != nil {
		return nil, err
	}
	var probs problems
	add := probs.add
	switch {
	case req.ProductType == nil:
		add("product_type is required")
	case strings.TrimSpace(*req.ProductType) == "":
		add("product_type is empty")
	case len(*req.ProductType) > maxProductType:
		add("product_type is longer than %d characters", maxProductType)
	}
	switch {
	case req.FileURLs == nil:
		add("file_urls is required")
	case len(req.FileURLs) == 0:
		add("file_urls is empty")
	case len(req.FileURLs) > maxFiles:
		return nil, errorf(http.StatusBadRequest, "file_urls has %d files; a batch may have at most %d: split it", len(req.FileURLs), maxFiles)
	}
	seen := make(map[string]int, len(req.FileURLs))
	for i, f := range req.FileURLs {
		switch {
		case f.FileURL == nil:
			add("file_urls[%d].file_url is required", i)
		default:
			if p := checkFileURL(*f.FileURL); p != "" {
				add("file_urls[%d].file_url %s", i, p)
			}
		}
		switch {
		case f.DocumentID == nil:
			add("file_urls[%d].document_id is required", i)
		case strings.TrimSpace(*f.DocumentID) == "":
			add("file_urls[%d].document_id is empty", i)
		case len(*f.DocumentID) > maxDocumentID:
			add("file_urls[%d].document_id is longer than %d characters", i, maxDocumentID)
		default:
			if j, dup := seen[*f.DocumentID]; dup {
				add("file_urls[%d].document_id %q repeats file_urls[%d]: document ids must be unique within a batch", i, *f.DocumentID, j)
			} else {
				seen[*f.DocumentID] = i
			}
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return &req, nil
}

// checkFileURL returns what is wrong with a document URL, or "".
func checkFileURL(s string) string {
	if strings.TrimSpace(s) == "" {
		return "is empty"
	}
	if len(s) > maxFileURL {
		return fmt.Sprintf("is longer than %d characters", maxFileURL)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "is not a valid URL"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "must be an http or https URL"
	}
	if u.Host == "" || u.Hostname() == "" {
		return "has no host"
	}
	return ""
}

// jsonProblem describes a JSON decoding error without echoing the body.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty"
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("%s must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return fmt.Sprintf("the body must be a JSON object, not %s", te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed JSON"
}

func jsonKind(k string) string {
	switch k {
	case "ptr", "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct":
		return "an object"
	}
	return k
}

func (s *Server) multiUpload(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return errorf(http.StatusUnsupportedMediaType, "the body must be application/json, not %s", mt)
		}
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return errorf(http.StatusBadRequest, "the Idempotency-Key header is longer than %d characters", maxIdempotencyKey)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errorf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes: split the batch", s.cfg.MaxBodyBytes)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "could not read the body")
	}
	req, err := DecodeMultiUpload(body, s.cfg.MaxFiles)
	if err != nil {
		return err
	}
	client := clientID(r.Context())
	hash := requestHash(req)
	if key != "" {
		if entries, err := s.replay(r, client, key, hash); entries != nil || err != nil {
			if err == nil {
				w.Header().Set("Idempotent-Replayed", "true")
				writeJSON(w, http.StatusCreated, entries)
			}
			return err
		}
	}

	docs := make([]store.Document, len(req.FileURLs))
	for i, f := range req.FileURLs {
		docs[i] = store.Document{FileUUID: uuid.Must(uuid.NewV7()).String(), DocumentID: *f.DocumentID, FileURL: *f.FileURL}
	}
	b := &store.Batch{ClientID: client, ProductType: *req.ProductType, IdempotencyKey: key, RequestHash: hash}
	for attempt := 0; ; attempt++ {
		b.ID = NewBatchID(time.Now())
		err = s.store.CreateBatch(r.Context(), b, docs)
		if !errors.Is(err, store.ErrConflict) {
			break
		}
		if key != "" { // the same key raced us: answer as its first request did
			if entries, err := s.replay(r, client, key, hash); entries != nil || err != nil {
				if err == nil {
					w.Header().Set("Idempotent-Replayed", "true")
					writeJSON(w, http.StatusCreated, entries)
				}
				return err
			}
		}
		if attempt == 3 {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("create batch: %w", err)
	}
	entries := make([]UploadEntry, len(docs))
	for i, d := range docs {
		entries[i] = UploadEntry{BatchID: b.ID, DocumentID: d.DocumentID, FileUUID: d.FileUUID}
	}
	writeJSON(w, http.StatusCreated, entries)
	return nil
}

// replay returns the answer of the batch first created with key, nil if
// there is none, or an error if the key came with a different request.
func (s *Server) replay(r *http.Request, client, key string, hash []byte) ([]UploadEntry, error) {
	b, err := s.store.BatchByIdempotencyKey(r.Context(), client, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(b.RequestHash, hash) {
		return nil, errorf(http.StatusUnprocessableEntity, "this Idempotency-Key was used for a different request; use a new key for a new batch")
	}
	docs, err := s.store.ListDocuments(r.Context(), b.ID, 0, b.DocumentCount)
	if err != nil {
		return nil, err
	}
	entries := make([]UploadEntry, len(docs))
	for i, d := range docs {
		entries[i] = UploadEntry{BatchID: b.ID, DocumentID: d.DocumentID, FileUUID: d.FileUUID}
	}
	return entries, nil
}

// requestHash identifies a request's content for idempotent replays.
func requestHash(req *MultiUploadRequest) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q\n", *req.ProductType)
	for _, f := range req.FileURLs {
		fmt.Fprintf(h, "%q %q\n", *f.DocumentID, *f.FileURL)
	}
	return h.Sum(nil)
}

// NewBatchID returns an id in Atlas's format BATCH-NNNNN-LLLLL-YYYYMMDDhhmmss
// (five random digits, five random upper-case letters, UTC time).
func NewBatchID(t time.Time) string {
	var b strings.Builder
	b.WriteString("BATCH-")
	n, _ := rand.Int(rand.Reader, big.NewInt(100000))
	fmt.Fprintf(&b, "%05d-", n.Int64())
	for range 5 {
		l, _ := rand.Int(rand.Reader, big.NewInt(26))
		b.WriteByte(byte('A' + l.Int64()))
	}
	b.WriteString("-" + t.UTC().Format("20060102150405"))
	return b.String()
}

// ExtractItem is one document of an extracts page.
type ExtractItem struct {
	DocumentID string             `json:"document_id"`
	FileUUID   string             `json:"file_uuid"`
	Status     document.Status    `json:"status"`
	FileData   *document.FileData `json:"file_data,omitempty"`
	ErrorCode  string             `json:"error_code,omitempty"`
	Error      *ItemError         `json:"error,omitempty"`
}

// ItemError is why a document failed.
type ItemError struct {
	Code           document.ErrorCode `json:"code"`
	Message        string             `json:"message"`
	UpstreamStatus int                `json:"upstream_status,omitempty"`
}

// ExtractsPage is the answer of GET /v1/bulk/extracts.
type ExtractsPage struct {
	Data       []ExtractItem `json:"data"`
	Page       int           `json:"page"`
	PerPage    int           `json:"per_page"`
	TotalPages int           `json:"total_pages"`
	TotalItems int           `json:"total_items"`
	HasNext    bool          `json:"has_next"`
	HasPrev    bool          `json:"has_prev"`
}

func (s *Server) extracts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	batchID := q.Get("batch_id")
	if batchID == "" {
		return errorf(http.StatusBadRequest, "batch_id is required")
	}
	page, err := intParam(q, "page", 1)
	if err != nil {
		return err
	}
	perPage, err := intParam(q, "per_page", DefaultPerPage)
	if err != nil {
		return err
	}
	perPage = min(perPage, MaxPerPage)
	b, err := s.store.GetBatch(r.Context(), clientID(r.Context()), batchID)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusBadRequest, "batch_id %q is unknown", batchID)
	}
	if err != nil {
		return err
	}
	client, err := s.store.GetClient(r.Context(), b.ClientID)
	if err != nil {
		return err
	}
	out := ExtractsPage{Data: []ExtractItem{}, Page: page, PerPage: perPage, TotalItems: b.DocumentCount}
	out.TotalPages = (b.DocumentCount + perPage - 1) / perPage
	out.HasNext = page < out.TotalPages
	out.HasPrev = page > 1
	if offset := (page - 1) * perPage; offset < b.DocumentCount {
		docs, err := s.store.ListDocuments(r.Context(), b.ID, offset, perPage)
		if err != nil {
			return err
		}
		for _, d := range docs {
			out.Data = append(out.Data, s.extractItem(r, client, d))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) extractItem(r *http.Request, client *store.Client, d store.Document) ExtractItem {
	it := ExtractItem{DocumentID: d.DocumentID, FileUUID: d.FileUUID, Status: d.Status}
	switch d.Status {
	case document.StatusDone:
		// redact_url and Aadhaar masking are added as the document is
		// served, not stored: the link follows the host the client
		// reaches atlas by, and the client's masking setting may change.
		it.FileData = flow.FileData(d, client, s.baseURL(r))
	case document.StatusFailed:
		if d.Error != nil {
			it.ErrorCode = string(d.Error.Code)
			it.Error = &ItemError{Code: d.Error.Code, Message: d.Error.Message, UpstreamStatus: d.Error.UpstreamStatus}
		}
	}
	return it
}

// redacted serves the copy of an Aadhaar with its first eight digits
// blacked out, to the client whose document it is.
func (s *Server) redacted(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("file_uuid")
	d, err := s.store.GetDocument(r.Context(), id)
	if err == nil {
		_, err = s.store.GetBatch(r.Context(), clientID(r.Context()), d.BatchID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "file_uuid %q is unknown", id)
	}
	if err != nil {
		return err
	}
	if d.RedactedKey == "" {
		return errorf(http.StatusNotFound, "document %s has no redacted copy (only Aadhaar images read to the end have one)", id)
	}
	img, err := s.blobs.Get(r.Context(), d.RedactedKey)
	if err != nil {
		return fmt.Errorf("read redacted copy: %w", err)
	}
	w.Header().Set("Content-Type", http.DetectContentType(img))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(img)
	return nil
}

func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// intParam reads a positive integer query parameter.
func intParam(q url.Values, name string, def int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000_000 {
		return 0, errorf(http.StatusBadRequest, "%s must be a whole number from 1, not %q", name, v)
	}
	return n, nil
}
