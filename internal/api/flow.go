package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/flow"
	"github.com/atlas-oss/atlas/internal/store"
)

// Limits of the flow API.
const (
	maxApplicationID    = 128
	maxSubmissionMode   = 64
	maxFlowParamsBytes  = 16 << 10
	maxCallbackURL      = 2048
	MaxFlowDocuments    = 100 // cross-checks compare every pair
	maxFlowUploadFiles  = 50
	flowIDv2, flowIDv3  = "flow_id", "flow_uuid"
	v2Prefix, v3Prefix  = "/v2/verification", "/v3/verification"
	closeFlowYes        = "yes"
	closeFlowNo         = "no"
	callbackHeaderNames = "Atlas-Callback-Id, Atlas-Event, Atlas-Timestamp, Atlas-Signature"
)

// CallbackAuth is what the flow API needs of callback delivery.
type CallbackAuth interface {
	// CheckURL says what is wrong with a callback_url or auth_url given
	// at flow init (not http(s), credentials in it, an address atlas may
	// not reach), or nil.
	CheckURL(ctx context.Context, raw string) error
	// Token obtains a token from the flow's auth_url, signed with the
	// client's callback secret; the error says why it could not.
	Token(ctx context.Context, f *store.Flow, secret string) error
}

// SetCallbackAuth gives the flow API its callback checks. Without it,
// callback URLs are checked for syntax only and auth URLs not contacted.
func (s *Server) SetCallbackAuth(c CallbackAuth) { s.callbacks = c }

// routeFlows registers the flow API under its v2 paths (flow_id) and
// Atlas's newer v3 paths (flow_uuid), from the same handlers.
func (s *Server) routeFlows() {
	for _, v := range []struct{ prefix, id string }{{v2Prefix, flowIDv2}, {v3Prefix, flowIDv3}} {
		s.route("POST "+v.prefix+"/flow/init", s.serve(s.authenticated(s.flowInit(v.id))))
		s.route("POST "+v.prefix+"/multiupload", s.serve(s.authenticated(s.flowUpload(v.id))))
		s.route("GET "+v.prefix+"/status", s.serve(s.authenticated(s.flowStatus(v.id))))
		s.route("GET "+v.prefix+"/extracts", s.serve(s.authenticated(s.flowExtracts(v.id))))
		s.route("POST "+v.prefix+"/flow/submit", s.serve(s.authenticated(s.flowSubmit(v.id))))
		s.route("GET "+v.prefix+"/callbacks", s.serve(s.authenticated(s.flowCallbacks(v.id))))
		s.route("GET "+v.prefix+"/callbacks/secret", s.serve(s.authenticated(s.callbackSecret)))
	}
}

// FlowInitRequest is the body of POST /v2/verification/flow/init.
type FlowInitRequest struct {
	ProductType         *string         `json:"product_type"`
	ApplicationID       *string         `json:"application_id"`
	ExternalReferenceID string          `json:"external_reference_id"`
	CallbackURL         string          `json:"callback_url"`
	AuthURL             string          `json:"auth_url"`
	FlowParams          json.RawMessage `json:"flow_params"`
}

// readJSON reads a JSON body of at most limit bytes into v, refusing
// unknown fields and trailing data.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, limit int64, what string, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return errorf(http.StatusUnsupportedMediaType, "the body must be application/json, not %s", mt)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errorf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", limit)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "could not read the body")
	}
	return decodeStrict(body, what, v)
}

func requiredString(p *problems, name string, v *string, max int) {
	switch {
	case v == nil:
		p.add("%s is required", name)
	case strings.TrimSpace(*v) == "":
		p.add("%s is empty", name)
	case len(*v) > max:
		p.add("%s is longer than %d characters", name, max)
	}
}

func (s *Server) checkCallbackURL(ctx context.Context, p *problems, name, raw string) {
	if raw == "" {
		return
	}
	if len(raw) > maxCallbackURL {
		p.add("%s is longer than %d characters", name, maxCallbackURL)
		return
	}
	if msg := checkFileURL(raw); msg != "" {
		p.add("%s %s", name, msg)
		return
	}
	if s.callbacks != nil {
		if err := s.callbacks.CheckURL(ctx, raw); err != nil {
			p.add("%s %v", name, err)
		}
	}
}

// FlowResponse is the answer of flow init.
type FlowResponse struct {
	FlowID              string    `json:"-"`
	ApplicationID       string    `json:"application_id"`
	ExternalReferenceID string    `json:"external_reference_id,omitempty"`
	ProductType         string    `json:"product_type"`
	FlowState           string    `json:"flow_state"`
	CreatedAt           time.Time `json:"created_at"`
}

// withID adds the flow's id under the version's name (flow_id or flow_uuid).
func withID(idName, id string, v any) map[string]any {
	b, _ := json.Marshal(v)
	m := map[string]any{}
	json.Unmarshal(b, &m)
	m[idName] = id
	return m
}

func (s *Server) flowInit(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var req FlowInitRequest
		if err := s.readJSON(w, r, 64<<10, "flow init", &req); err != nil {
			return err
		}
		var p problems
		requiredString(&p, "product_type", req.ProductType, maxProductType)
		requiredString(&p, "application_id", req.ApplicationID, maxApplicationID)
		if len(req.ExternalReferenceID) > maxApplicationID {
			p.add("external_reference_id is longer than %d characters", maxApplicationID)
		}
		s.checkCallbackURL(r.Context(), &p, "callback_url", req.CallbackURL)
		s.checkCallbackURL(r.Context(), &p, "auth_url", req.AuthURL)
		if req.AuthURL != "" && req.CallbackURL == "" {
			p.add("auth_url is given without callback_url: the token it gives is sent with callbacks")
		}
		params := bytes.TrimSpace(req.FlowParams)
		switch {
		case len(params) == 0 || string(params) == "null":
			params = []byte("{}")
		case params[0] != '{':
			p.add("flow_params must be a JSON object")
		case len(params) > maxFlowParamsBytes:
			p.add("flow_params is larger than %d bytes", maxFlowParamsBytes)
		}
		if err := p.err(); err != nil {
			return err
		}
		client := clientID(r.Context())
		f := &store.Flow{ID: uuid.Must(uuid.NewV7()).String(), ClientID: client, ProductType: *req.ProductType, ApplicationID: *req.ApplicationID,
			ExternalReferenceID: req.ExternalReferenceID, CallbackURL: req.CallbackURL, AuthURL: req.AuthURL, Params: params}
		err := s.store.CreateFlow(r.Context(), f)
		if errors.Is(err, store.ErrConflict) {
			msg := fmt.Sprintf("application %q", *req.ApplicationID)
			if req.ExternalReferenceID != "" {
				msg += fmt.Sprintf(" with external_reference_id %q", req.ExternalReferenceID)
			}
			if open, err := s.store.OpenFlowFor(r.Context(), client, *req.ApplicationID, req.ExternalReferenceID); err == nil {
				msg += " already has an open flow " + open.ID
			} else {
				msg += " already has an open flow"
			}
			return errorf(http.StatusConflict, "%s: upload to it, or submit it with close_flow=yes before opening another", msg)
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, withID(idName, f.ID, FlowResponse{ApplicationID: f.ApplicationID,
			ExternalReferenceID: f.ExternalReferenceID, ProductType: f.ProductType, FlowState: flow.Open, CreatedAt: f.CreatedAt}))
		return nil
	}
}

// FlowUploadRequest is the body of POST /v2/verification/multiupload; v3
// names the flow flow_uuid.
type FlowUploadRequest struct {
	FlowID   *string         `json:"flow_id"`
	FlowUUID *string         `json:"flow_uuid"`
	FileURLs []FlowFileEntry `json:"file_urls"`
}

// FlowFileEntry is one file of a flow upload.
type FlowFileEntry struct {
	FileURL        *string `json:"file_url"`
	DocumentID     *string `json:"document_id"`
	SubmissionMode string  `json:"submission_mode"`
}

// FlowUploadEntry is one entry of the flow multiupload answer.
type FlowUploadEntry struct {
	FileUUID   string `json:"file_uuid"`
	BatchID    string `json:"batch_id"`
	DocumentID string `json:"document_id"`
	FileURL    string `json:"file_url"`
}

func (s *Server) flowUpload(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var req FlowUploadRequest
		if err := s.readJSON(w, r, s.cfg.MaxBodyBytes, "multiupload", &req); err != nil {
			return err
		}
		var p problems
		id := req.FlowID
		other := req.FlowUUID
		if idName == flowIDv3 {
			id, other = req.FlowUUID, req.FlowID
		}
		if other != nil {
			p.add("%s is not a field of this version: use %s", map[string]string{flowIDv2: flowIDv3, flowIDv3: flowIDv2}[idName], idName)
		}
		requiredString(&p, idName, id, 64)
		switch {
		case req.FileURLs == nil:
			p.add("file_urls is required")
		case len(req.FileURLs) == 0:
			p.add("file_urls is empty")
		case len(req.FileURLs) > maxFlowUploadFiles:
			p.add("file_urls has %d files; a flow upload may have at most %d", len(req.FileURLs), maxFlowUploadFiles)
		}
		seen := map[string]int{}
		for i, f := range req.FileURLs {
			if f.FileURL == nil {
				p.add("file_urls[%d].file_url is required", i)
			} else if msg := checkFileURL(*f.FileURL); msg != "" {
				p.add("file_urls[%d].file_url %s", i, msg)
			}
			requiredString(&p, fmt.Sprintf("file_urls[%d].document_id", i), f.DocumentID, maxDocumentID)
			if f.DocumentID != nil {
				if j, dup := seen[*f.DocumentID]; dup {
					p.add("file_urls[%d].document_id %q repeats file_urls[%d]", i, *f.DocumentID, j)
				}
				seen[*f.DocumentID] = i
			}
			if len(f.SubmissionMode) > maxSubmissionMode {
				p.add("file_urls[%d].submission_mode is longer than %d characters", i, maxSubmissionMode)
			}
		}
		if err := p.err(); err != nil {
			return err
		}
		ctx := r.Context()
		client := clientID(ctx)
		f, err := s.store.GetFlow(ctx, client, *id)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, "%s %q is unknown: open a flow with POST %s/flow/init", idName, *id, prefixOf(idName))
		}
		if err != nil {
			return err
		}
		if f.Closed() {
			return flowClosed(f)
		}
		existing, err := s.store.ListFlowDocuments(ctx, f.ID)
		if err != nil {
			return err
		}
		if len(existing)+len(req.FileURLs) > MaxFlowDocuments {
			return errorf(http.StatusBadRequest, "flow %s has %d documents; with these %d it would exceed the limit of %d", f.ID, len(existing), len(req.FileURLs), MaxFlowDocuments)
		}
		if f.AuthURL != "" && s.callbacks != nil {
			secret, err := s.store.CallbackSecret(ctx, client)
			if err != nil {
				return err
			}
			if err := s.callbacks.Token(ctx, f, secret); err != nil {
				return &Error{Status: http.StatusUnprocessableEntity, Err: err,
					Message: fmt.Sprintf("could not obtain a callback token: %v; no document was uploaded: make the auth_url answer and upload again", err)}
			}
		}
		docs := make([]store.Document, len(req.FileURLs))
		h := sha256.New()
		fmt.Fprintf(h, "flow %q\n", f.ID)
		for i, e := range req.FileURLs {
			docs[i] = store.Document{FileUUID: uuid.Must(uuid.NewV7()).String(), DocumentID: *e.DocumentID, FileURL: *e.FileURL, SubmissionMode: e.SubmissionMode}
			fmt.Fprintf(h, "%q %q %q\n", *e.DocumentID, *e.FileURL, e.SubmissionMode)
		}
		b := &store.Batch{ClientID: client, ProductType: f.ProductType, FlowID: f.ID}
		for attempt := 0; ; attempt++ {
			b.ID = NewBatchID(time.Now())
			err = s.store.CreateBatch(ctx, b, docs)
			if !errors.Is(err, store.ErrConflict) || attempt == 3 {
				break
			}
		}
		switch {
		case errors.Is(err, store.ErrFlowClosed):
			return flowClosed(f)
		case err != nil:
			return fmt.Errorf("create flow batch: %w", err)
		}
		out := make([]FlowUploadEntry, len(docs))
		for i, d := range docs {
			out[i] = FlowUploadEntry{FileUUID: d.FileUUID, BatchID: b.ID, DocumentID: d.DocumentID, FileURL: d.FileURL}
		}
		writeJSON(w, http.StatusCreated, out)
		return nil
	}
}

func prefixOf(idName string) string {
	if idName == flowIDv3 {
		return v3Prefix
	}
	return v2Prefix
}

func flowClosed(f *store.Flow) error {
	return errorf(http.StatusConflict, "flow %s was closed at %s (submitted with close_flow=yes) and takes no more documents: open a new flow for this application",
		f.ID, f.ClosedAt.UTC().Format(time.RFC3339))
}

// flowFromQuery returns the client's flow named by the query parameter.
func (s *Server) flowFromQuery(r *http.Request, idName string) (*store.Flow, error) {
	id := r.URL.Query().Get(idName)
	if id == "" {
		return nil, errorf(http.StatusBadRequest, "%s is required", idName)
	}
	f, err := s.store.GetFlow(r.Context(), clientID(r.Context()), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errorf(http.StatusBadRequest, "%s %q is unknown", idName, id)
	}
	return f, err
}

// FlowFile is one document in a flow's status.
type FlowFile struct {
	DocumentID   string `json:"document_id"`
	FileUUID     string `json:"file_uuid"`
	BatchID      string `json:"batch_id"`
	Status       string `json:"status"`
	DocumentType string `json:"document_type,omitempty"`
	ErrorCode    string `json:"error_code,omitempty"`
}

// FlowStatusResponse is the answer of GET /v2/verification/status.
type FlowStatusResponse struct {
	flow.Flow
	flow.Status
	Files []FlowFile `json:"files"`
}

func (s *Server) flowStatus(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.flowFromQuery(r, idName)
		if err != nil {
			return err
		}
		docs, err := s.store.ListFlowDocuments(r.Context(), f.ID)
		if err != nil {
			return err
		}
		out := FlowStatusResponse{Flow: flow.FlowOf(f), Status: flow.StatusOf(f, docs), Files: make([]FlowFile, len(docs))}
		for i, d := range docs {
			out.Files[i] = FlowFile{DocumentID: d.DocumentID, FileUUID: d.FileUUID, BatchID: d.BatchID, Status: flow.FileStatus(d)}
			if d.FileData != nil {
				out.Files[i].DocumentType = string(d.FileData.Type)
			}
			if d.Error != nil {
				out.Files[i].ErrorCode = string(d.Error.Code)
			}
		}
		writeJSON(w, http.StatusOK, renameID(idName, out))
		return nil
	}
}

// renameID marshals v (which carries flow_id) with the version's id name.
func renameID(idName string, v any) any {
	if idName == flowIDv2 {
		return v
	}
	b, _ := json.Marshal(v)
	m := map[string]json.RawMessage{}
	json.Unmarshal(b, &m)
	m[idName] = m[flowIDv2]
	delete(m, flowIDv2)
	return m
}

// FlowExtracts is the answer of GET /v2/verification/extracts and of
// submit: every document read so far and the cross-checks.
type FlowExtracts struct {
	flow.Flow
	flow.Status
	OCRData     []flow.Entry       `json:"ocr_data"`
	CrossChecks []crosscheck.Check `json:"cross_checks"`
}

func (s *Server) extractsOf(r *http.Request, f *store.Flow) (*FlowExtracts, error) {
	ctx := r.Context()
	docs, err := s.store.ListFlowDocuments(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.GetClient(ctx, f.ClientID)
	if err != nil {
		return nil, err
	}
	out := &FlowExtracts{Flow: flow.FlowOf(f), Status: flow.StatusOf(f, docs), OCRData: make([]flow.Entry, len(docs)), CrossChecks: []crosscheck.Check{}}
	for i, d := range docs {
		out.OCRData[i] = flow.NewEntry(d, c, s.baseURL(r))
	}
	if f.CrossChecks != nil {
		if err := json.Unmarshal(f.CrossChecks, &out.CrossChecks); err != nil {
			return nil, fmt.Errorf("decode cross-checks of flow %s: %w", f.ID, err)
		}
	}
	return out, nil
}

func (s *Server) flowExtracts(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.flowFromQuery(r, idName)
		if err != nil {
			return err
		}
		out, err := s.extractsOf(r, f)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, renameID(idName, out))
		return nil
	}
}

func (s *Server) flowSubmit(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		closeFlow := r.URL.Query().Get("close_flow")
		if closeFlow == "" {
			closeFlow = closeFlowNo
		}
		if closeFlow != closeFlowYes && closeFlow != closeFlowNo {
			return errorf(http.StatusBadRequest, "close_flow must be yes or no, not %q", closeFlow)
		}
		f, err := s.flowFromQuery(r, idName)
		if err != nil {
			return err
		}
		if closeFlow == closeFlowYes && !f.Closed() {
			if err := s.store.CloseFlow(r.Context(), f.ClientID, f.ID); err != nil {
				return err
			}
			if f, err = s.store.GetFlow(r.Context(), f.ClientID, f.ID); err != nil {
				return err
			}
		}
		out, err := s.extractsOf(r, f)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, renameID(idName, out))
		return nil
	}
}

// CallbackAttempt is one delivery attempt, as the API shows it.
type CallbackAttempt struct {
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
}

// CallbackInfo is one callback of a flow and its delivery.
type CallbackInfo struct {
	CallbackID  string            `json:"callback_id"`
	Event       string            `json:"event"`
	FileUUID    string            `json:"file_uuid,omitempty"`
	Status      string            `json:"status"`
	Attempts    int               `json:"attempts"`
	CreatedAt   time.Time         `json:"created_at"`
	DeliveredAt *time.Time        `json:"delivered_at,omitempty"`
	History     []CallbackAttempt `json:"history"`
}

// FlowCallbacks is the answer of GET /v2/verification/callbacks.
type FlowCallbacks struct {
	FlowID      string         `json:"flow_id"`
	CallbackURL string         `json:"callback_url,omitempty"`
	Callbacks   []CallbackInfo `json:"callbacks"`
}

func (s *Server) flowCallbacks(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.flowFromQuery(r, idName)
		if err != nil {
			return err
		}
		cbs, err := s.store.ListCallbacks(r.Context(), f.ID)
		if err != nil {
			return err
		}
		out := FlowCallbacks{FlowID: f.ID, CallbackURL: f.CallbackURL, Callbacks: make([]CallbackInfo, len(cbs))}
		for i, c := range cbs {
			ci := CallbackInfo{CallbackID: c.ID, Event: c.Event, FileUUID: c.FileUUID, Status: c.Status, Attempts: c.Attempts,
				CreatedAt: c.CreatedAt, History: make([]CallbackAttempt, len(c.History))}
			if !c.DeliveredAt.IsZero() {
				t := c.DeliveredAt
				ci.DeliveredAt = &t
			}
			for k, a := range c.History {
				ci.History[k] = CallbackAttempt{Attempt: a.Attempt, At: a.At, StatusCode: a.StatusCode, Error: a.Error, DurationMS: a.Duration.Milliseconds()}
			}
			out.Callbacks[i] = ci
		}
		writeJSON(w, http.StatusOK, renameID(idName, out))
		return nil
	}
}

// CallbackSecretResponse tells a client how to verify its callbacks.
type CallbackSecretResponse struct {
	CallbackSecret string `json:"callback_secret"`
	Algorithm      string `json:"algorithm"`
	SignedPayload  string `json:"signed_payload"`
	Headers        string `json:"headers"`
}

func (s *Server) callbackSecret(w http.ResponseWriter, r *http.Request) error {
	secret, err := s.store.CallbackSecret(r.Context(), clientID(r.Context()))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, CallbackSecretResponse{CallbackSecret: secret, Algorithm: "HMAC-SHA256",
		SignedPayload: "Atlas-Timestamp + \".\" + raw request body; Atlas-Signature is v1=<hex digest>", Headers: callbackHeaderNames})
	return nil
}
