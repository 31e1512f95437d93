package review

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // image configs of the formats browsers show
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/flow"
	"github.com/atlas-oss/atlas/internal/store"
)

// maxFormBytes bounds a form's body: a login or one corrected value.
const maxFormBytes = 64 << 10

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if c, err := r.Cookie(CookieName); err == nil {
		if _, ok := h.sessions.verify(c.Value); ok {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
	}
	h.render(w, r, http.StatusOK, "login", pageData{Title: "Log in", Next: next})
	return nil
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	id, secret := strings.TrimSpace(r.PostFormValue("client_id")), r.PostFormValue("client_secret")
	next := safeNext(r.PostFormValue("next"))
	var c *store.Client
	if id != "" && secret != "" {
		var err error
		c, err = h.store.GetClient(r.Context(), id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("get client: %w", err)
		}
	}
	// One answer for an unknown id and a wrong secret: no client probing.
	if c == nil || !auth.SecretMatches(secret, c.SecretHash) {
		h.log.Info("review_login_refused")
		h.render(w, r, http.StatusUnauthorized, "login", pageData{Title: "Log in", Next: next, Message: "Invalid client credentials."})
		return nil
	}
	s := h.sessions.issue(c.ID)
	http.SetCookie(w, cookie(r, s.raw, s.expires))
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, cookie(r, "", time.Time{}))
	http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
	return nil
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	h.render(w, r, http.StatusOK, "home", pageData{Title: "Review"})
	return nil
}

// open sends the home page's form to the batch's or flow's page.
func (h *Handler) open(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if id := strings.TrimSpace(q.Get("batch_id")); id != "" {
		http.Redirect(w, r, Prefix+"batch/"+url.PathEscape(id), http.StatusSeeOther)
		return nil
	}
	if id := strings.TrimSpace(q.Get("flow_id")); id != "" {
		http.Redirect(w, r, Prefix+"flow/"+url.PathEscape(id), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
	return nil
}

// documentsPage is the data of a batch's or a flow's page.
type documentsPage struct {
	Kind, ID string
	// Back is this page's path, where corrections return to.
	Back        string
	Docs        []docView
	CrossChecks []crosscheck.Check
	// HasCrossChecks tells "not run yet" from "none".
	HasCrossChecks bool
	Page, Pages    int
	PrevURL        string
	NextURL        string
	Total          int
}

// docView is one document as the page shows it.
type docView struct {
	FileUUID, DocumentID string
	Status               document.Status
	Type                 document.Type
	Error                string
	// Image is the first page's URL, with its pixel size, when the
	// original is an image a browser shows; NoPreview says why not.
	Image         string
	Width, Height int
	NoPreview     string
	Boxes         []boxView
	Fields        []fieldView
}

type boxView struct {
	Field      string
	X, Y, W, H int
	// LabelY is where the label sits (above the box, or inside at the top
	// edge); FontSize scales with the image.
	LabelY, FontSize int
	Low              bool
}

type fieldView struct {
	Name       string
	Value      string
	Confidence float64
	Low        bool
	Rule       string
	// Validation is "passed", "failed" or "" when the field has none.
	Validation string
	Reviewed   bool
	Reviewer   string
	// Editable is false for structured values (addresses, transactions),
	// which the form cannot carry.
	Editable bool
}

func (h *Handler) batch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sess, _ := sessionOf(ctx)
	b, err := h.store.GetBatch(ctx, sess.clientID, r.PathValue("batch_id"))
	if err != nil {
		return fmt.Errorf("get batch: %w", err)
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			return &pageError{status: http.StatusBadRequest, msg: "page must be a positive number."}
		}
	}
	c, err := h.store.GetClient(ctx, sess.clientID)
	if err != nil {
		return fmt.Errorf("get client: %w", err)
	}
	back := Prefix + "batch/" + url.PathEscape(b.ID)
	out := documentsPage{Kind: "Batch", ID: b.ID, Page: page, Pages: max(1, (b.DocumentCount+PerPage-1)/PerPage), Total: b.DocumentCount}
	out.Back = back
	if page > 1 {
		out.Back += "?page=" + strconv.Itoa(page)
		out.PrevURL = back + "?page=" + strconv.Itoa(min(page-1, out.Pages))
	}
	if page < out.Pages {
		out.NextURL = back + "?page=" + strconv.Itoa(page+1)
	}
	if offset := (page - 1) * PerPage; offset < b.DocumentCount {
		docs, err := h.store.ListDocuments(ctx, b.ID, offset, PerPage)
		if err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		out.Docs = h.docViews(ctx, c, docs)
	}
	h.render(w, r, http.StatusOK, "documents", pageData{Title: "Batch " + b.ID, Body: out})
	return nil
}

func (h *Handler) flow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sess, _ := sessionOf(ctx)
	f, err := h.store.GetFlow(ctx, sess.clientID, r.PathValue("flow_id"))
	if err != nil {
		return fmt.Errorf("get flow: %w", err)
	}
	c, err := h.store.GetClient(ctx, sess.clientID)
	if err != nil {
		return fmt.Errorf("get client: %w", err)
	}
	docs, err := h.store.ListFlowDocuments(ctx, f.ID)
	if err != nil {
		return fmt.Errorf("list flow documents: %w", err)
	}
	out := documentsPage{Kind: "Flow", ID: f.ID, Back: Prefix + "flow/" + url.PathEscape(f.ID), Page: 1, Pages: 1, Total: len(docs)}
	if len(f.CrossChecks) > 0 {
		if err := json.Unmarshal(f.CrossChecks, &out.CrossChecks); err != nil {
			return fmt.Errorf("decode cross-checks: %w", err)
		}
		out.HasCrossChecks = true
	}
	out.Docs = h.docViews(ctx, c, docs)
	h.render(w, r, http.StatusOK, "documents", pageData{Title: "Flow " + f.ID, Body: out})
	return nil
}

// docViews presents documents. An original that cannot be read is shown
// without its image rather than failing the page.
func (h *Handler) docViews(ctx context.Context, c *store.Client, docs []store.Document) []docView {
	out := make([]docView, 0, len(docs))
	for _, d := range docs {
		v := docView{FileUUID: d.FileUUID, DocumentID: d.DocumentID, Status: d.Status}
		if d.Error != nil {
			v.Error = string(d.Error.Code) + ": " + d.Error.Message
		}
		h.preview(ctx, d, &v)
		if fd := flow.FileData(d, c, ""); fd != nil && d.Status == document.StatusDone {
			v.Type = fd.Type
			v.Fields = fieldViews(d, fd)
		}
		if v.Width > 0 {
			v.Boxes = boxViews(d, v.Fields, v.Height)
		}
		out = append(out, v)
	}
	return out
}

// preview fills in the image of the document's first page, when the
// original is an image a browser shows.
func (h *Handler) preview(ctx context.Context, d store.Document, v *docView) {
	if d.BlobKey == "" {
		v.NoPreview = "The original is not stored."
		return
	}
	data, err := h.blobs.Get(ctx, d.BlobKey)
	if err != nil {
		h.log.Warn("review_blob_unreadable", "file_uuid", d.FileUUID, "error", err)
		v.NoPreview = "The original could not be read."
		return
	}
	if !previewable(http.DetectContentType(data)) {
		v.NoPreview = "No preview for this format."
		return
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		v.NoPreview = "The image could not be decoded."
		return
	}
	v.Image = Prefix + "doc/" + url.PathEscape(d.FileUUID) + "/image"
	v.Width, v.Height = cfg.Width, cfg.Height
}

// previewable reports whether a browser shows the content type as an
// image and image.DecodeConfig knows it.
func previewable(contentType string) bool {
	switch contentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// fieldViews lists a document's fields, least confident first.
func fieldViews(d store.Document, fd *document.FileData) []fieldView {
	var out []fieldView
	for _, name := range fd.Names() {
		f, _ := fd.Get(name)
		v := fieldView{Name: name, Confidence: f.Confidence, Low: f.Confidence < LowConfidence, Reviewed: f.Reviewed}
		switch val := f.Value.(type) {
		case string:
			v.Value, v.Editable = val, true
		case nil:
			v.Editable = true
		default:
			b, _ := json.Marshal(val)
			v.Value = string(b)
		}
		if f.Validation != nil {
			v.Rule, v.Validation = f.Validation.Rule, "failed"
			if f.Validation.Passed {
				v.Validation = "passed"
			}
		}
		if corr, ok := d.Corrections[name]; ok {
			v.Reviewed, v.Reviewer = true, corr.Reviewer
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b fieldView) int {
		return cmp.Or(cmp.Compare(a.Confidence, b.Confidence), strings.Compare(a.Name, b.Name))
	})
	return out
}

// boxViews lists the boxes drawn on the first page's image, in the order
// of the fields table. Boxes of other pages are not drawn.
func boxViews(d store.Document, fields []fieldView, height int) []boxView {
	low := map[string]bool{}
	for _, f := range fields {
		low[f.Name] = f.Low
	}
	font := max(14, height/28)
	var out []boxView
	for name, b := range d.Boxes {
		if b.Page > 1 || b.X1 <= b.X0 || b.Y1 <= b.Y0 {
			continue
		}
		label := b.Y0 - font/4
		if b.Y0 < font {
			label = b.Y0 + font
		}
		out = append(out, boxView{Field: name, X: b.X0, Y: b.Y0, W: b.X1 - b.X0, H: b.Y1 - b.Y0, LabelY: label, FontSize: font, Low: low[name]})
	}
	slices.SortFunc(out, func(a, b boxView) int { return strings.Compare(a.Field, b.Field) })
	return out
}

// ownDocument returns the session client's document, or store.ErrNotFound
// for another client's: the two cannot be told apart.
func (h *Handler) ownDocument(ctx context.Context, fileUUID string) (*store.Document, error) {
	sess, _ := sessionOf(ctx)
	d, err := h.store.GetDocument(ctx, fileUUID)
	if err != nil {
		return nil, fmt.Errorf("get document: %w", err)
	}
	if _, err := h.store.GetBatch(ctx, sess.clientID, d.BatchID); err != nil {
		return nil, fmt.Errorf("get batch of document: %w", err)
	}
	return d, nil
}

// image serves a document's original, when it is an image.
func (h *Handler) image(w http.ResponseWriter, r *http.Request) error {
	d, err := h.ownDocument(r.Context(), r.PathValue("file_uuid"))
	if err != nil {
		return err
	}
	if d.BlobKey == "" {
		return errNotFound
	}
	data, err := h.blobs.Get(r.Context(), d.BlobKey)
	if err != nil {
		return fmt.Errorf("get original: %w", err)
	}
	ct := http.DetectContentType(data)
	if !previewable(ct) {
		return errNotFound
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
	return nil
}

func (h *Handler) correctField(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sess, _ := sessionOf(ctx)
	fileUUID := r.PathValue("file_uuid")
	field, value := r.PostFormValue("field"), strings.TrimSpace(r.PostFormValue("value"))
	if field == "" {
		return &pageError{status: http.StatusBadRequest, msg: "Say which field to correct."}
	}
	if value == "" {
		return &pageError{status: http.StatusBadRequest, msg: "Type the corrected value."}
	}
	_, err := h.correct.Correct(ctx, sess.clientID, fileUUID, field, value, "review:"+sess.clientID)
	var ae *api.Error
	switch {
	case errors.As(err, &ae) && ae.Status < 500:
		// The reviewer's mistake (an unknown field, a value the field's
		// rule refuses): the API's message says what to fix.
		return &pageError{status: ae.Status, msg: ae.Message}
	case err != nil:
		return fmt.Errorf("correct field: %w", err)
	}
	h.log.Info("review_corrected", "file_uuid", fileUUID, "field", field)
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, Prefix+"batch/") && !strings.HasPrefix(back, Prefix+"flow/") {
		back = Prefix
	}
	http.Redirect(w, r, safeNext(back)+"#doc-"+url.PathEscape(fileUUID), http.StatusSeeOther)
	return nil
}
