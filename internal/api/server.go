// Package api serves the Atlas Bulk API over HTTP: token issue, batch
// upload and paged extracts, plus health, readiness, metrics and the
// OpenAPI document. Handlers return errors; serve maps them to Atlas's
// error envelope in one place.
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/match"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
	"github.com/atlas-oss/atlas/internal/upload"
)

//go:embed openapi.yaml
var openapiYAML []byte

// OpenAPI returns the API's OpenAPI 3.1 document.
func OpenAPI() []byte { return openapiYAML }

// Store is what the API needs of the store.
type Store interface {
	GetClient(ctx context.Context, id string) (*store.Client, error)
	CreateBatch(ctx context.Context, b *store.Batch, docs []store.Document) error
	GetBatch(ctx context.Context, clientID, batchID string) (*store.Batch, error)
	BatchByIdempotencyKey(ctx context.Context, clientID, key string) (*store.Batch, error)
	ListDocuments(ctx context.Context, batchID string, offset, limit int) ([]store.Document, error)
	GetDocument(ctx context.Context, fileUUID string) (*store.Document, error)

	CreateFlow(ctx context.Context, f *store.Flow) error
	GetFlow(ctx context.Context, clientID, id string) (*store.Flow, error)
	OpenFlowFor(ctx context.Context, clientID, applicationID, ref string) (*store.Flow, error)
	CloseFlow(ctx context.Context, clientID, id string) error
	ListFlowDocuments(ctx context.Context, flowID string) ([]store.Document, error)
	ListCallbacks(ctx context.Context, flowID string) ([]store.Callback, error)
	CallbackSecret(ctx context.Context, clientID string) (string, error)

	DeleteBatch(ctx context.Context, clientID, batchID string) (deleted int, orphans []string, err error)
	DeleteFlow(ctx context.Context, clientID, flowID string) (deleted int, orphans []string, err error)

	SaveCorrection(ctx context.Context, clientID, fileUUID string, c store.Correction) error
}

// Blobs reads stored copies (the redacted Aadhaar images) and deletes the
// originals and copies of deleted batches and flows.
type Blobs interface {
	Get(ctx context.Context, key string) ([]byte, error)
	// Put stores data under a key derived from its content (so storing
	// the same bytes twice is one blob) and returns the key.
	Put(ctx context.Context, data []byte) (string, error)
	// Delete removes a blob; a missing one is no error.
	Delete(ctx context.Context, key string) error
}

// Config holds the API's limits. The zero value means the defaults.
type Config struct {
	// MaxFiles is the most files one multiupload may carry (default 10,000).
	MaxFiles int
	// MaxBodyBytes bounds a request body (default 16 MiB, ample for
	// 10,000 pre-signed URLs).
	MaxBodyBytes int64
	// PublicURL is the base of links the API hands out (redact_url);
	// empty means the scheme and host the request came to.
	PublicURL string
	// MaxFileBytes bounds one file uploaded to POST /v1/bulk/files
	// (default DefaultMaxFileBytes).
	MaxFileBytes int64
	// Address turns address scores into verdicts, as the cross-checks do
	// (zero: match.Thresholds' defaults).
	Address match.Thresholds
}

// Defaults.
const (
	DefaultMaxFiles     = 10_000
	DefaultMaxBodyBytes = 16 << 20
	DefaultPerPage      = 50
	MaxPerPage          = 50
)

// Server holds the API's dependencies.
type Server struct {
	store   Store
	blobs   Blobs
	tokens  *auth.Issuer
	cfg     Config
	metrics *metrics.Metrics
	log     *slog.Logger
	ready   func(ctx context.Context) error
	mux     *http.ServeMux
	// callbacks checks callback URLs and auth URLs for the flow API.
	callbacks CallbackAuth
	// uploads signs the links to uploaded files; nil disables uploads.
	uploads *upload.Signer
	// routes are the patterns served, for the spec's coverage test.
	routes []string
	// role and version are reported by /readyz.
	role, version string
	// afterCorrect runs after a correction is stored.
	afterCorrect func(ctx context.Context, clientID string, d *store.Document)
}

// New returns the API. ready reports whether the process can serve
// (database reachable, OCR engines loaded); extra routes (e.g. the
// development samples) may be added with Handle.
func New(st Store, blobs Blobs, tokens *auth.Issuer, cfg Config, m *metrics.Metrics, log *slog.Logger, ready func(context.Context) error) *Server {
	if cfg.MaxFiles <= 0 {
		cfg.MaxFiles = DefaultMaxFiles
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{store: st, blobs: blobs, tokens: tokens, cfg: cfg, metrics: m, log: log, ready: ready, mux: http.NewServeMux()}
	s.route("POST /v1/bulk/authtoken", s.serve(s.authToken))
	s.route("POST /v1/bulk/multiupload", s.serve(s.authenticated(s.multiUpload)))
	s.route("GET /v1/bulk/extracts", s.serve(s.authenticated(s.extracts)))
	s.route("GET /v1/bulk/redacted/{file_uuid}", s.serve(s.authenticated(s.redacted)))
	s.routeFlows()
	s.routeDelete()
	s.routeReview()
	s.routeFiles()
	s.route("POST /v1/address/match/batch", s.serve(s.authenticated(s.addressMatchBatch)))
	s.route("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.route("GET /readyz", s.serve(s.readyz))
	s.route("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openapiYAML)
	})
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("/", s.serve(func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
	}))
	return s
}

// Routes returns the patterns of the API's routes ("POST /v1/bulk/multiupload").
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

// SetReadyInfo sets the role and version /readyz reports.
func (s *Server) SetReadyInfo(role, version string) { s.role, s.version = role, version }

// Handle adds a route outside the API proper.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// route registers h and counts its requests under the pattern's path.
func (s *Server) route(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h(rec, r)
		s.metrics.Requests.WithLabelValues(pattern, strconv.Itoa(rec.status)).Inc()
		s.metrics.Latency.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
	}))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		return &Error{Status: http.StatusServiceUnavailable, Message: "not ready: " + err.Error(), Err: err}
	}
	out := map[string]string{"status": "ready"}
	if s.role != "" {
		out["role"], out["version"] = s.role, s.version
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type ctxKey struct{}

// clientID returns the authenticated client of a request.
func clientID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// authenticated admits requests whose Token header holds a valid token.
func (s *Server) authenticated(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tok := r.Header.Get("Token")
		if tok == "" {
			return errorf(http.StatusUnauthorized, "the Token header is missing; get one from POST /v1/bulk/authtoken")
		}
		id, err := s.tokens.Verify(tok)
		if err != nil {
			return errorf(http.StatusUnauthorized, "the token is invalid or expired; get a new one from POST /v1/bulk/authtoken")
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
	}
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

func (s *Server) authToken(w http.ResponseWriter, r *http.Request) error {
	id, secret := r.Header.Get("Client-Id"), r.Header.Get("Client-Secret")
	if id == "" || secret == "" {
		return errorf(http.StatusUnauthorized, "the Client-Id and Client-Secret headers are required")
	}
	c, err := s.store.GetClient(r.Context(), id)
	if err != nil && err != store.ErrNotFound {
		return err
	}
	// One answer for an unknown id and a wrong secret: no client probing.
	if c == nil || !auth.SecretMatches(secret, c.SecretHash) {
		return errorf(http.StatusUnauthorized, "invalid client credentials")
	}
	tok, ttl, err := s.tokens.Issue(c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: tok, ExpiresIn: int(ttl.Seconds())})
	return nil
}
