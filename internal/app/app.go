// Package app is atlas's composition root: it wires the store, the blob
// store, the pipeline's stages, the job queue and the HTTP API into one
// running service. Only cmd/atlas imports it.
package app

import (
	"context"
	"database/sql"
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

	"github.com/riverqueue/river"
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
	"github.com/atlas-oss/atlas/internal/store"
)

// Version is set at build time (-ldflags "-X ...app.Version=...").
var Version = "dev"

// App is a running atlas: the API and, in the same process, the workers.
type App struct {
	cfg     *config.Config
	log     *slog.Logger
	lock    *os.File
	store   *store.SQLite
	blobs   *blob.Store
	ocr     *ocr.Pool
	river   *river.Client[*sql.Tx]
	api     *api.Server
	http    *http.Server
	ln      net.Listener
	metrics *metrics.Metrics
}

// New builds the service from cfg; Run starts it.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (_ *App, err error) {
	a := &App{cfg: cfg, log: log}
	defer func() {
		// Release what was opened before the failure (the named result
		// is nil by then: close a, not it).
		if err != nil {
			a.close()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// One process owns an embedded data directory: two would fight over
	// the SQLite writer and reclaim each other's running jobs.
	if a.lock, err = lockDir(cfg.DataDir); err != nil {
		return nil, err
	}
	dbPath, _ := cfg.SQLitePath()
	if a.store, err = store.OpenSQLite(dbPath); err != nil {
		return nil, err
	}
	if err := Migrate(ctx, a.store); err != nil {
		return nil, err
	}
	driver := riversqlite.New(a.store.Writer())
	// This process owns the data directory: whatever a previous one left
	// running is orphaned. Make it available now rather than after
	// River's rescue delay.
	if n, err := queue.ReclaimOrphans(ctx, driver.GetExecutor()); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("reclaimed_orphaned_jobs", "count", n)
	}
	if _, err := a.store.RequeueAllProcessing(ctx); err != nil {
		return nil, err
	}

	if err := a.ensureDevClient(ctx); err != nil {
		return nil, err
	}
	key := []byte(cfg.JWTKey)
	if len(key) == 0 {
		if key, err = auth.LoadOrCreateKey(filepath.Join(cfg.DataDir, "jwt.key")); err != nil {
			return nil, err
		}
	}
	tokens, err := auth.NewIssuer(key)
	if err != nil {
		return nil, err
	}
	if a.blobs, err = blob.OpenDir(filepath.Join(cfg.DataDir, "blobs")); err != nil {
		return nil, err
	}

	// Listen before building the fetcher: in development mode the server
	// fetches its own sample documents, so its address must be allowed.
	if a.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
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
		return nil, err
	}
	if a.ocr, err = ocr.NewPool(cfg.Workers, ocr.Config{Languages: cfg.OCRLanguages, PageTimeout: cfg.OCRPageTimeout}); err != nil {
		return nil, fmt.Errorf("start OCR engines: %w", err)
	}
	a.metrics = metrics.New(a.store, "all", Version)

	// The same extractors as the offline engine (atlas extract, atlas eval).
	extractors := engine.Extractors()
	decoder := decode.New(decode.Limits{MaxPixels: cfg.MaxPixels, MaxPages: cfg.MaxPages})
	if err := decoder.CheckTools(); err != nil {
		return nil, err
	}
	pipe := &pipeline.Pipeline{
		Fetcher:    fetcher,
		Blobs:      a.blobs,
		Decoder:    decoder,
		OCR:        engine.Lender{Pool: a.ocr},
		Classifier: classify.Default(),
		Extractors: extractors,
		Observe:    a.metrics.ObserveStage,

		AssessQuality: quality.Assess,
		RedactAadhaar: engine.RedactAadhaar,
	}

	// Flows: callbacks are delivered through the same address guard as
	// document fetches, and recorded in the transactions that cause them.
	callbacks := callback.NewClient(fetcher.Transport(), "atlas/"+Version, cfg.CallbackTimeout)
	baseURL := strings.TrimSuffix(cfg.PublicURL, "/")
	if baseURL == "" {
		baseURL = "http://" + a.ln.Addr().String()
	}
	flows := &flow.Jobs[*riversqlite.Driver, *sql.Tx]{
		Store:   a.store,
		BaseURL: baseURL,
		Log:     log,
		Settings: crosscheck.Settings{
			Name:            match.Thresholds{Match: cfg.NameMatch, Review: cfg.NameReview},
			Address:         match.Thresholds{Match: cfg.AddressMatch, Review: cfg.AddressReview},
			AmountTolerance: cfg.AmountTolerance,
			MinConfidence:   cfg.MinConfidence,
		},
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &queue.Worker[*riversqlite.Driver, *sql.Tx]{
		Store: a.store, Runner: pipe, Log: log, JobTimeout: cfg.JobTimeout, RetryDelay: cfg.RetryDelay, Finished: a.metrics.DocumentFinished,
		AfterFinish: flows.DocumentFinished,
	})
	river.AddWorker(workers, &flow.CrossCheckWorker[*riversqlite.Driver, *sql.Tx]{Jobs: flows})
	river.AddWorker(workers, &callback.Worker[*riversqlite.Driver, *sql.Tx]{
		Store: a.store, Client: callbacks, Log: log, BaseDelay: cfg.CallbackRetryDelay, MaxDelay: cfg.CallbackMaxDelay,
		Attempted: a.metrics.CallbackAttempted,
	})
	a.river, err = river.NewClient(driver, &river.Config{
		// Documents take the OCR engines; flow work (cross-checks,
		// callbacks) is quick and must not wait behind a night's batch.
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: cfg.Workers},
			flow.Queue:         {MaxWorkers: 8},
		},
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    200 * time.Millisecond,
		FetchCooldown:        50 * time.Millisecond,
		Logger:               log.With("component", "river"),
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	a.store.Enqueue = queue.Enqueuer(a.river)
	flows.River = a.river
	flows.EnqueueCallback = func(ctx context.Context, tx *sql.Tx, id string) error {
		_, err := a.river.InsertTx(ctx, tx, callback.DeliverArgs{CallbackID: id}, &river.InsertOpts{MaxAttempts: callback.MaxAttempts, Queue: flow.Queue})
		return err
	}

	a.api = api.New(a.store, a.blobs, tokens, api.Config{MaxFiles: cfg.MaxFiles, MaxBodyBytes: cfg.MaxBodyBytes, PublicURL: cfg.PublicURL,
		Address: match.Thresholds{Match: cfg.AddressMatch, Review: cfg.AddressReview}}, a.metrics, log, a.ready)
	a.api.SetCallbackAuth(callbackAuth{client: callbacks, fetcher: fetcher})
	if cfg.Dev {
		a.api.Handle("GET /dev/samples/{name}", samplesHandler())
	}
	a.http = &http.Server{
		Handler:           a.api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return a, nil
}

// Migrate applies atlas's and River's migrations to st.
func Migrate(ctx context.Context, st *store.SQLite) error {
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	migrator, err := rivermigrate.New(riversqlite.New(st.Writer()), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// DataDir is the data directory the process owns.
func (a *App) DataDir() string { return a.cfg.DataDir }

// Addr is the address the API listens on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// Run serves until ctx is cancelled, then stops taking work, lets the
// documents in flight finish (up to the shutdown timeout) and returns.
func (a *App) Run(ctx context.Context) error {
	defer a.close()
	// River cancels its jobs when the context it started with ends: give
	// it one that outlives the signal, so Stop below can drain them.
	if err := a.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- a.http.Serve(a.ln) }()
	a.log.Info("serving", "addr", a.Addr(), "workers", a.cfg.Workers, "version", Version)

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting_down", "timeout", a.cfg.ShutdownTimeout)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	httpErr := a.http.Shutdown(stopCtx)
	// Stop fetching jobs and wait for those running; past the timeout
	// cancel them (they stay recoverable: their results are not written).
	if err := a.river.Stop(stopCtx); err != nil {
		a.log.Warn("workers_did_not_drain", "error", err)
		hardCtx, hardCancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer hardCancel()
		a.river.StopAndCancel(hardCtx)
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
	if err := a.ocr.Ready(); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	return nil
}

func (a *App) ensureDevClient(ctx context.Context) error {
	if a.cfg.DevClient == "" {
		return nil
	}
	id, secret, _ := strings.Cut(a.cfg.DevClient, ":")
	return a.store.UpsertClient(ctx, store.Client{ID: id, Name: "development", SecretHash: auth.HashSecret(secret)})
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
