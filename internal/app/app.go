// Package app is atlas's composition root: it wires the store, the blob
// store, the pipeline's stages, the job queue and the HTTP API into one
// running service. Only cmd/atlas imports it.
//
// One binary plays three roles: "all" (the API and the workers in one
// process, the embedded default on SQLite), "api" and "worker" (separate
// processes sharing PostgreSQL and an object store). The service is built
// once, generically over the database's transaction type, so SQLite and
// PostgreSQL run the same code.
package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/callback"
	"github.com/atlas-oss/atlas/internal/classify"
	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/decode"
	"github.com/atlas-oss/atlas/internal/engine"
	"github.com/atlas-oss/atlas/internal/fetch"
	"github.com/atlas-oss/atlas/internal/flow"
	"github.com/atlas-oss/atlas/internal/match"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/ocr"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/quality"
	"github.com/atlas-oss/atlas/internal/queue"
	"github.com/atlas-oss/atlas/internal/retention"
	"github.com/atlas-oss/atlas/internal/review"
	"github.com/atlas-oss/atlas/internal/store"
	"github.com/atlas-oss/atlas/internal/upload"
)

// Version is set at build time (-ldflags "-X ...app.Version=...").
var Version = "dev"

// queueClient is what App needs of River's client, whatever the driver.
type queueClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// pinger is what readiness needs of the store.
type pinger interface {
	Ping(ctx context.Context) error
	Close() error
}

// App is a running atlas in one of its roles.
type App struct {
	cfg     *config.Config
	log     *slog.Logger
	lock    *os.File
	store   pinger
	blobs   *blob.Store
	ocr     *ocr.Pool // nil for the api role
	river   queueClient
	working bool // this process works jobs (roles worker and all)
	http    *http.Server
	ln      net.Listener
	metrics *metrics.Metrics
}

// New builds the service from cfg; Run starts it.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (_ *App, err error) {
	a := &App{cfg: cfg, log: log, working: cfg.Role != config.RoleAPI}
	defer func() {
		// Release what was opened before the failure (the named result
		// is nil by then: close a, not it).
		if err != nil {
			a.close()
		}
	}()
	if cfg.UsesPostgres() {
		if err := a.buildPostgres(ctx); err != nil {
			return nil, err
		}
		return a, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// One process owns an embedded data directory: two would fight over
	// the SQLite writer and reclaim each other's running jobs.
	if a.lock, err = lockDir(cfg.DataDir); err != nil {
		return nil, err
	}
	dbPath, _ := cfg.SQLitePath()
	st, err := store.OpenSQLite(dbPath)
	if err != nil {
		return nil, err
	}
	a.store = st
	driver := riversqlite.New(st.Writer())
	if err := Migrate(ctx, st, driver); err != nil {
		return nil, err
	}
	// This process owns the data directory: whatever a previous one left
	// running is orphaned. Make it available now rather than after
	// River's rescue delay.
	if n, err := queue.ReclaimOrphans(ctx, driver.GetExecutor()); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("reclaimed_orphaned_jobs", "count", n)
	}
	if _, err := st.RequeueAllProcessing(ctx); err != nil {
		return nil, err
	}
	if err := build(ctx, a, st, driver); err != nil {
		return nil, err
	}
	return a, nil
}

// Migrate applies atlas's and River's migrations.
func Migrate[TDriver riverdriver.Driver[TTx], TTx any](ctx context.Context, st store.Store[TTx], driver TDriver) error {
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// MigrateSQLite applies every migration to an embedded store.
func MigrateSQLite(ctx context.Context, st *store.SQLite) error {
	return Migrate(ctx, st, riversqlite.New(st.Writer()))
}

// build wires the service on a migrated store and its River driver.
func build[TDriver riverdriver.Driver[TTx], TTx any](ctx context.Context, a *App, st store.Store[TTx], driver TDriver) (err error) {
	cfg, log := a.cfg, a.log
	if err := ensureDevClient(ctx, cfg, st); err != nil {
		return err
	}
	key := []byte(cfg.JWTKey)
	if len(key) == 0 {
		if key, err = auth.LoadOrCreateKey(filepath.Join(cfg.DataDir, "jwt.key")); err != nil {
			return err
		}
	}
	tokens, err := auth.NewIssuer(key)
	if err != nil {
		return err
	}
	// Links to uploaded files are signed with a key made from the token
	// key, so a worker process can check what an API process signed.
	signer, err := upload.NewSigner(key)
	if err != nil {
		return err
	}
	if a.blobs, err = openBlobs(ctx, cfg); err != nil {
		return err
	}

	// Listen before building the fetcher: in development mode the server
	// fetches its own sample documents, so its address must be allowed.
	if a.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	allow, _ := cfg.FetchAllowPrefixes()
	if cfg.Dev {
		if ap, err := netip.ParseAddrPort(a.ln.Addr().String()); err == nil {
			allow = append(allow, netip.PrefixFrom(ap.Addr().Unmap(), ap.Addr().Unmap().BitLen()))
		}
	}
	fetcher, err := fetch.New(fetch.Config{
		MaxBytes: cfg.MaxDocumentBytes, Timeout: cfg.FetchTimeout, UserAgent: "atlas/" + Version,
		AllowPrivate: cfg.AllowPrivateURLs, Allow: allow, Logger: log,
	})
	if err != nil {
		return err
	}
	a.metrics = metrics.New(st, cfg.Role, Version)

	// Flows: callbacks are delivered through the same address guard as
	// document fetches, and recorded in the transactions that cause them.
	callbacks := callback.NewClient(fetcher.Transport(), "atlas/"+Version, cfg.CallbackTimeout)
	baseURL := strings.TrimSuffix(cfg.PublicURL, "/")
	if baseURL == "" {
		baseURL = "http://" + a.ln.Addr().String()
	}
	flows := &flow.Jobs[TDriver, TTx]{
		Store:   st,
		BaseURL: baseURL,
		Log:     log,
		Settings: crosscheck.Settings{
			Name:            match.Thresholds{Match: cfg.NameMatch, Review: cfg.NameReview},
			Address:         match.Thresholds{Match: cfg.AddressMatch, Review: cfg.AddressReview},
			AmountTolerance: cfg.AmountTolerance,
			MinConfidence:   cfg.MinConfidence,
		},
	}

	rcfg := &river.Config{
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    200 * time.Millisecond,
		FetchCooldown:        50 * time.Millisecond,
		Logger:               log.With("component", "river"),
	}
	if a.working {
		pipe, err := a.pipeline(&upload.Fetcher{Next: fetcher, Blobs: a.blobs, Signer: signer, MaxBytes: cfg.MaxDocumentBytes})
		if err != nil {
			return err
		}
		workers := river.NewWorkers()
		river.AddWorker(workers, &queue.Worker[TDriver, TTx]{
			Store: st, Runner: pipe, Log: log, JobTimeout: cfg.JobTimeout, RetryDelay: cfg.RetryDelay, Finished: a.metrics.DocumentFinished,
			AfterFinish: flows.DocumentFinished,
		})
		river.AddWorker(workers, &flow.CrossCheckWorker[TDriver, TTx]{Jobs: flows})
		river.AddWorker(workers, &callback.Worker[TDriver, TTx]{
			Store: st, Client: callbacks, Log: log, BaseDelay: cfg.CallbackRetryDelay, MaxDelay: cfg.CallbackMaxDelay,
			Attempted: a.metrics.CallbackAttempted,
		})
		if cfg.Retention > 0 {
			river.AddWorker(workers, &retention.Worker[TDriver, TTx]{Store: st, Blobs: a.blobs, MaxAge: cfg.Retention, Log: log})
			rcfg.PeriodicJobs = append(rcfg.PeriodicJobs, retention.Periodic(time.Hour))
		}
		rcfg.Workers = workers
		// Documents take the OCR engines; flow work (cross-checks,
		// callbacks) is quick and must not wait behind a night's batch.
		rcfg.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: cfg.Workers},
			flow.Queue:         {MaxWorkers: 8},
		}
	}
	// An api process's client only inserts jobs, in the transactions
	// that store documents.
	rc, err := river.NewClient(driver, rcfg)
	if err != nil {
		return fmt.Errorf("river client: %w", err)
	}
	a.river = rc
	st.SetEnqueue(queue.Enqueuer(rc))
	flows.River = rc
	flows.EnqueueCallback = func(ctx context.Context, tx TTx, id string) error {
		_, err := rc.InsertTx(ctx, tx, callback.DeliverArgs{CallbackID: id}, &river.InsertOpts{MaxAttempts: callback.MaxAttempts, Queue: flow.Queue})
		return err
	}

	var handler http.Handler
	if cfg.Role == config.RoleWorker {
		handler = a.opsHandler()
	} else {
		srv := api.New(st, a.blobs, tokens, api.Config{MaxFiles: cfg.MaxFiles, MaxBodyBytes: cfg.MaxBodyBytes, PublicURL: cfg.PublicURL, MaxFileBytes: cfg.MaxDocumentBytes,
			Address: match.Thresholds{Match: cfg.AddressMatch, Review: cfg.AddressReview}}, a.metrics, log, a.ready)
		srv.SetReadyInfo(cfg.Role, Version)
		srv.SetCallbackAuth(callbackAuth{client: callbacks, fetcher: fetcher})
		srv.SetUploadSigner(signer)
		// The review page, behind its own login; its sessions are signed
		// with a key derived from the token key, so every API process
		// accepts them.
		// A correction to a flow's document reruns its cross-checks (and
		// so calls the flow back with them).
		rerun := func(ctx context.Context, clientID string, d *store.Document) {
			b, err := st.GetBatch(ctx, clientID, d.BatchID)
			if err != nil || b.FlowID == "" {
				return
			}
			if _, err := rc.Insert(ctx, flow.CrossCheckArgs{FlowID: b.FlowID, Rerun: true}, &river.InsertOpts{MaxAttempts: 10, Queue: flow.Queue}); err != nil {
				log.Warn("cross_check_rerun_not_scheduled", "flow_id", b.FlowID, "error", err)
			}
		}
		srv.SetAfterCorrect(rerun)
		rv, err := review.New(st, a.blobs, review.CorrectorFunc(func(ctx context.Context, clientID, fileUUID, field, value, reviewer string) (*store.Document, error) {
			d, err := api.Correct(ctx, st, a.metrics, clientID, fileUUID, field, value, reviewer)
			if err == nil {
				rerun(ctx, clientID, d)
			}
			return d, err
		}), derivedKey(key, "atlas review sessions"), log)
		if err != nil {
			return err
		}
		srv.Handle(review.Prefix, rv)
		if cfg.Dev {
			srv.Handle("GET /dev/samples/{name}", samplesHandler())
		}
		handler = srv
	}
	a.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return nil
}

// pipeline builds the reading pipeline with its OCR engines.
func (a *App) pipeline(fetcher pipeline.Fetcher) (*pipeline.Pipeline, error) {
	cfg := a.cfg
	var err error
	if a.ocr, err = ocr.NewPool(cfg.Workers, ocr.Config{Languages: cfg.OCRLanguages, PageTimeout: cfg.OCRPageTimeout}); err != nil {
		return nil, fmt.Errorf("start OCR engines: %w", err)
	}
	decoder := decode.New(decode.Limits{MaxPixels: cfg.MaxPixels, MaxPages: cfg.MaxPages})
	if err := decoder.CheckTools(); err != nil {
		return nil, err
	}
	// The same extractors as the offline engine (atlas extract, atlas eval).
	return &pipeline.Pipeline{
		Fetcher:    fetcher,
		Blobs:      a.blobs,
		Decoder:    decoder,
		OCR:        engine.Lender{Pool: a.ocr},
		Classifier: classify.Default(),
		Extractors: engine.Extractors(),
		Observe:    a.metrics.ObserveStage,

		AssessQuality: quality.Assess,
		RedactAadhaar: engine.RedactAadhaar,
	}, nil
}

// opsHandler serves a worker process's health, readiness and metrics.
func (a *App) opsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusOK, map[string]string{"status": "ok", "role": a.cfg.Role, "version": Version})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := a.ready(ctx); err != nil {
			writeStatus(w, http.StatusServiceUnavailable, map[string]string{"error_code": "503", "error_message": "Service Unavailable: not ready: " + err.Error()})
			return
		}
		writeStatus(w, http.StatusOK, map[string]string{"status": "ready", "role": a.cfg.Role, "version": Version})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.metrics.Registry, promhttp.HandlerOpts{}))
	return mux
}

// DataDir is the data directory the process uses.
func (a *App) DataDir() string { return a.cfg.DataDir }

// Addr is the address the process listens on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// Run serves until ctx is cancelled, then stops taking work, lets the
// documents in flight finish (up to the shutdown timeout) and returns.
func (a *App) Run(ctx context.Context) error {
	defer a.close()
	if a.working {
		// River cancels its jobs when the context it started with ends:
		// give it one that outlives the signal, so Stop below can drain
		// them.
		if err := a.river.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- a.http.Serve(a.ln) }()
	a.log.Info("serving", "addr", a.Addr(), "role", a.cfg.Role, "workers", a.cfg.Workers, "version", Version)

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting_down", "timeout", a.cfg.ShutdownTimeout)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	httpErr := a.http.Shutdown(stopCtx)
	if a.working {
		// Stop fetching jobs and wait for those running; past the
		// timeout cancel them (they stay recoverable: their results are
		// not written).
		if err := a.river.Stop(stopCtx); err != nil {
			a.log.Warn("workers_did_not_drain", "error", err)
			hardCtx, hardCancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer hardCancel()
			a.river.StopAndCancel(hardCtx)
		}
	}
	a.log.Info("stopped")
	if errors.Is(httpErr, context.DeadlineExceeded) {
		return nil
	}
	return httpErr
}

func (a *App) ready(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := a.blobs.Ping(ctx); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	if a.ocr != nil {
		if err := a.ocr.Ready(); err != nil {
			return fmt.Errorf("ocr: %w", err)
		}
	}
	return nil
}

func ensureDevClient[TTx any](ctx context.Context, cfg *config.Config, st store.Store[TTx]) error {
	if cfg.DevClient == "" {
		return nil
	}
	id, secret, _ := strings.Cut(cfg.DevClient, ":")
	return st.UpsertClient(ctx, store.Client{ID: id, Name: "development", SecretHash: auth.HashSecret(secret)})
}

func openBlobs(ctx context.Context, cfg *config.Config) (*blob.Store, error) {
	if cfg.BlobURL == "" {
		return blob.OpenDir(filepath.Join(cfg.DataDir, "blobs"))
	}
	return blob.Open(ctx, cfg.BlobURL)
}

func (a *App) close() {
	if a.ocr != nil {
		a.ocr.Close()
	}
	if a.blobs != nil {
		a.blobs.Close()
	}
	if a.store != nil {
		a.store.Close()
	}
	if a.ln != nil {
		a.ln.Close()
	}
	if a.lock != nil {
		a.lock.Close()
	}
}

// lockDir takes an exclusive lock on dir for the life of the process.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "atlas.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("data directory %s is in use by another atlas process", dir)
	}
	return f, nil
}

// callbackAuth gives the API the callback checks: URL syntax, the address
// guard, and a token from a flow's auth_url.
type callbackAuth struct {
	client  *callback.Client
	fetcher *fetch.Fetcher
}

func (c callbackAuth) CheckURL(ctx context.Context, raw string) error {
	if err := callback.CheckURL(raw); err != nil {
		return err
	}
	return c.fetcher.CheckAddress(ctx, raw)
}

func (c callbackAuth) Token(ctx context.Context, f *store.Flow, secret string) error {
	_, err := c.client.Token(ctx, f.AuthURL, []byte(secret), callback.TokenRequest{ClientID: f.ClientID, FlowID: f.ID, ApplicationID: f.ApplicationID})
	if te, ok := errors.AsType[*callback.TokenError](err); ok {
		return errors.New(te.Message()) // the client-safe sentence
	}
	return err
}

// derivedKey is a key for one purpose made from the token signing key.
func derivedKey(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// writeStatus writes a small JSON answer.
func writeStatus(w http.ResponseWriter, code int, v map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
