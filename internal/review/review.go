// Package review serves the review page: a client's users log in with the
// client's credentials, open a batch or a flow, see each document's image
// with the box of every extracted field drawn on it, the fields sorted by
// confidence (low ones highlighted), their validation and, for flows, the
// cross-check verdicts, and correct a value. It is plain server-rendered
// HTML (html/template escapes everything) with a little optional script,
// mounted by the composition root at /review/ on the API's server.
package review

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/atlas-oss/atlas/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is the path the handler is mounted at.
const Prefix = "/review/"

// PerPage is how many documents a batch page shows.
const PerPage = 50

// LowConfidence is the confidence under which a field is highlighted for
// a reviewer's attention.
const LowConfidence = 0.8

// Store is what the review page needs of the store.
type Store interface {
	GetClient(ctx context.Context, id string) (*store.Client, error)
	GetBatch(ctx context.Context, clientID, batchID string) (*store.Batch, error)
	ListDocuments(ctx context.Context, batchID string, offset, limit int) ([]store.Document, error)
	GetDocument(ctx context.Context, fileUUID string) (*store.Document, error)
	GetFlow(ctx context.Context, clientID, id string) (*store.Flow, error)
	ListFlowDocuments(ctx context.Context, flowID string) ([]store.Document, error)
}

// Blobs reads documents' originals by their Document.BlobKey.
type Blobs interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// Corrector validates and stores a reviewer's value for a field of a
// client's document (api.Correct, which also counts it in the metrics).
// It returns store.ErrNotFound for another client's or an unknown
// document; an *api.Error with a status below 500 is the reviewer's
// mistake, and its message is shown to them.
type Corrector interface {
	Correct(ctx context.Context, clientID, fileUUID, field, value, reviewer string) (*store.Document, error)
}

// CorrectorFunc adapts a function to Corrector.
type CorrectorFunc func(ctx context.Context, clientID, fileUUID, field, value, reviewer string) (*store.Document, error)

// Correct calls f.
func (f CorrectorFunc) Correct(ctx context.Context, clientID, fileUUID, field, value, reviewer string) (*store.Document, error) {
	return f(ctx, clientID, fileUUID, field, value, reviewer)
}

// Handler serves the review pages under Prefix.
type Handler struct {
	store    Store
	blobs    Blobs
	correct  Corrector
	sessions *sessions
	log      *slog.Logger
	pages    map[string]*template.Template
	mux      *http.ServeMux
}

var _ http.Handler = (*Handler)(nil)

// New returns the review handler. sessionKey signs the session cookies and
// CSRF tokens (at least MinKeyBytes; keep it apart from the API's token
// key, e.g. derived from it with HMAC); log gets no document contents.
func New(st Store, blobs Blobs, correct Corrector, sessionKey []byte, log *slog.Logger) (*Handler, error) {
	if st == nil || blobs == nil || correct == nil {
		return nil, errors.New("new review handler: store, blobs and corrector are required")
	}
	sess, err := newSessions(sessionKey)
	if err != nil {
		return nil, fmt.Errorf("new review handler: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("new review handler: %w", err)
	}
	h := &Handler{store: st, blobs: blobs, correct: correct, sessions: sess, log: log, pages: pages, mux: http.NewServeMux()}
	h.routes()
	return h, nil
}

// SetClock replaces the clock sessions are issued and checked with (tests).
func (h *Handler) SetClock(now func() time.Time) { h.sessions.now = now }

// ServeHTTP serves the review pages.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Pages show documents' contents: never cached, never framed.
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) routes() {
	static, _ := fs.Sub(staticFS, "static")
	h.mux.Handle("GET /review/static/", http.StripPrefix("/review/static/", http.FileServerFS(static)))
	h.mux.HandleFunc("GET /review/login", h.serve(h.loginForm))
	h.mux.HandleFunc("POST /review/login", h.serve(h.login))
	h.mux.HandleFunc("POST /review/logout", h.serve(h.authed(h.logout)))
	h.mux.HandleFunc("GET /review/{$}", h.serve(h.authed(h.home)))
	h.mux.HandleFunc("GET /review/open", h.serve(h.authed(h.open)))
	h.mux.HandleFunc("GET /review/batch/{batch_id}", h.serve(h.authed(h.batch)))
	h.mux.HandleFunc("GET /review/flow/{flow_id}", h.serve(h.authed(h.flow)))
	h.mux.HandleFunc("GET /review/doc/{file_uuid}/image", h.serve(h.authed(h.image)))
	h.mux.HandleFunc("POST /review/doc/{file_uuid}/correct", h.serve(h.authed(h.correctField)))
	h.mux.HandleFunc("/", h.serve(h.authed(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound
	})))
}

// pageError is a failure shown to the reviewer: a status and a message
// safe to show (no internals); the cause goes to the log for 5xx only.
type pageError struct {
	status int
	msg    string
	err    error
}

func (e *pageError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%d %s: %v", e.status, e.msg, e.err)
	}
	return fmt.Sprintf("%d %s", e.status, e.msg)
}

func (e *pageError) Unwrap() error { return e.err }

var errNotFound = &pageError{status: http.StatusNotFound, msg: "Not found: no such page, batch, flow or document for this client."}

// handlerFunc is a page handler that returns its failure; serve renders
// it in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (h *Handler) serve(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		var pe *pageError
		switch {
		case errors.As(err, &pe):
		case errors.Is(err, store.ErrNotFound):
			pe = errNotFound
		default:
			pe = &pageError{status: http.StatusInternalServerError, msg: "Something went wrong on our side; try again.", err: err}
		}
		if pe.status >= 500 {
			// Paths hold ids only; errors come from the store and blobs,
			// never quote document contents.
			h.log.Error("review_failed", "method", r.Method, "path", r.URL.Path, "status", pe.status, "error", err)
		}
		h.render(w, r, pe.status, "error", pageData{Title: http.StatusText(pe.status), Message: pe.msg})
	}
}

// pageData is what every page template gets.
type pageData struct {
	Title    string
	ClientID string
	CSRF     string
	Message  string
	// Next is where the login form returns to.
	Next string
	// Body is the page's own data.
	Body any
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, d pageData) {
	if s, ok := sessionOf(r.Context()); ok {
		d.ClientID, d.CSRF = s.clientID, h.sessions.csrf(s)
	}
	var buf bytes.Buffer
	if err := h.pages[page].ExecuteTemplate(&buf, "layout", d); err != nil {
		h.log.Error("review_render_failed", "page", page, "error", err)
		http.Error(w, "something went wrong on our side; try again", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// parsePages parses each page template with the shared layout.
func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"pct": func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
		"score": func(f float64) string {
			return strconv.FormatFloat(f, 'f', 2, 64)
		},
	}
	pages := map[string]*template.Template{}
	for _, p := range []string{"login", "home", "documents", "error"} {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", p, err)
		}
		pages[p] = t
	}
	return pages, nil
}
