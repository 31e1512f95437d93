// Package config reads atlas serve's settings from flags, each of which can
// also be set by an environment variable of the same name (--data-dir is
// ATLAS_DATA_DIR); a flag on the command line wins over the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/atlas-oss/atlas/internal/fetch"
)

// Roles a process plays.
const (
	RoleAll    = "all"    // the API and the workers (the embedded default)
	RoleAPI    = "api"    // the HTTP API only: stores documents, enqueues jobs
	RoleWorker = "worker" // works jobs; serves only /healthz, /readyz, /metrics
)

// Config is atlas serve's configuration. Zero values mean the defaults.
type Config struct {
	Role        string
	Addr        string
	PublicURL   string
	DataDir     string
	DatabaseURL string
	BlobURL     string
	// AutoMigrate applies migrations at start (else `atlas migrate` must).
	AutoMigrate bool
	// Retention is how long batches and flows are kept; 0 keeps them.
	Retention       time.Duration
	Workers         int
	JobTimeout      time.Duration
	RescueAfter     time.Duration
	RetryDelay      time.Duration
	ShutdownTimeout time.Duration

	AllowPrivateURLs bool
	FetchAllow       string // comma-separated CIDR prefixes
	FetchTimeout     time.Duration
	MaxDocumentBytes int64
	MaxPages         int
	MaxPixels        int

	MaxFiles     int
	MaxBodyBytes int64

	OCRLanguages   string
	OCRPageTimeout time.Duration

	// Callbacks: the first retry waits CallbackRetryDelay, each further
	// one twice as long, at most CallbackMaxDelay.
	CallbackRetryDelay time.Duration
	CallbackMaxDelay   time.Duration
	CallbackTimeout    time.Duration

	// Cross-check thresholds (scores in [0, 1]).
	NameMatch       float64
	NameReview      float64
	AddressMatch    float64
	AddressReview   float64
	AmountTolerance float64
	MinConfidence   float64

	JWTKey    string
	DevClient string // ID:SECRET
	Dev       bool

	LogLevel  string
	LogFormat string
}

// Defaults, as flags show them.
func Defaults() Config {
	return Config{
		Role:             RoleAll,
		AutoMigrate:      true,
		Addr:             "127.0.0.1:8080",
		DataDir:          "./data",
		Workers:          runtime.NumCPU(),
		JobTimeout:       10 * time.Minute,
		RescueAfter:      15 * time.Minute,
		RetryDelay:       30 * time.Second,
		ShutdownTimeout:  2 * time.Minute,
		FetchTimeout:     30 * time.Second,
		MaxDocumentBytes: 25 << 20,
		MaxPages:         100,
		MaxPixels:        40_000_000,
		MaxFiles:         10_000,
		MaxBodyBytes:     16 << 20,
		OCRLanguages:     "eng",
		OCRPageTimeout:   60 * time.Second,

		CallbackRetryDelay: 30 * time.Second,
		CallbackMaxDelay:   time.Hour,
		CallbackTimeout:    10 * time.Second,
		NameMatch:          0.85,
		NameReview:         0.6,
		AddressMatch:       0.85,
		AddressReview:      0.6,
		AmountTolerance:    0.01,
		MinConfidence:      0.5,
		LogLevel:           "info",
		LogFormat:          "text",
	}
}

// Register defines the serve flags on fs, writing into c.
func (c *Config) Register(fs *flag.FlagSet) {
	d := Defaults()
	fs.StringVar(&c.Role, "role", d.Role, "what this process does: all (API and workers), api, or worker (api and worker need --database-url postgres://...)")
	fs.StringVar(&c.Addr, "addr", d.Addr, "address to listen on (host:port)")
	fs.StringVar(&c.PublicURL, "public-url", "", "base URL of links atlas hands out (redact_url), e.g. https://atlas.example.com; empty: the host each request came to")
	fs.StringVar(&c.DataDir, "data-dir", d.DataDir, "directory for the SQLite database, originals and the signing key")
	fs.StringVar(&c.DatabaseURL, "database-url", "", "database URL: postgres://user@host/db, or empty for SQLite in the data directory (sqlite:///path/to/file.db also accepted)")
	fs.StringVar(&c.BlobURL, "blob-url", "", "where originals and redacted copies are kept: empty for blobs/ in the data directory, file:///dir, or s3://bucket?endpoint=http://host:port&region=... (path-style; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	fs.BoolVar(&c.AutoMigrate, "migrate", d.AutoMigrate, "apply database migrations at start (false: run atlas migrate first)")
	fs.DurationVar(&c.Retention, "retention", 0, "delete batches and flows (documents, originals, redacted copies) older than this, checked hourly; 0 keeps them")
	fs.IntVar(&c.Workers, "workers", d.Workers, "documents read at once (one OCR engine each); default: CPU cores")
	fs.DurationVar(&c.JobTimeout, "job-timeout", d.JobTimeout, "longest one attempt at a document may take")
	fs.DurationVar(&c.RescueAfter, "rescue-after", d.RescueAfter, "a job running longer than this is presumed orphaned and retried (must exceed --job-timeout)")
	fs.DurationVar(&c.RetryDelay, "retry-delay", d.RetryDelay, "wait before retrying a document whose URL failed transiently; grows four-fold per attempt")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", d.ShutdownTimeout, "on SIGTERM, how long to let in-flight documents finish")
	fs.BoolVar(&c.AllowPrivateURLs, "allow-private-urls", false, "let document URLs reach loopback and private addresses (development only)")
	fs.StringVar(&c.FetchAllow, "fetch-allow", "", "comma-separated CIDR prefixes document URLs may reach although private, e.g. 127.0.0.0/8")
	fs.DurationVar(&c.FetchTimeout, "fetch-timeout", d.FetchTimeout, "longest one fetch attempt may take")
	fs.Int64Var(&c.MaxDocumentBytes, "max-document-bytes", d.MaxDocumentBytes, "largest document accepted, in bytes")
	fs.IntVar(&c.MaxPages, "max-pages", d.MaxPages, "most pages a PDF may have")
	fs.IntVar(&c.MaxPixels, "max-pixels", d.MaxPixels, "largest page image, in pixels")
	fs.IntVar(&c.MaxFiles, "max-files", d.MaxFiles, "most files one multiupload may carry")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", d.MaxBodyBytes, "largest request body, in bytes")
	fs.StringVar(&c.OCRLanguages, "ocr-languages", d.OCRLanguages, "Tesseract languages, joined by + (e.g. eng+hin)")
	fs.DurationVar(&c.OCRPageTimeout, "ocr-page-timeout", d.OCRPageTimeout, "longest OCR of one page may take")
	fs.DurationVar(&c.CallbackRetryDelay, "callback-retry-delay", d.CallbackRetryDelay, "wait before a failed callback's second attempt; doubles for each further one")
	fs.DurationVar(&c.CallbackMaxDelay, "callback-max-delay", d.CallbackMaxDelay, "longest wait between two attempts at a callback")
	fs.DurationVar(&c.CallbackTimeout, "callback-timeout", d.CallbackTimeout, "longest one callback or auth_url request may take")
	fs.Float64Var(&c.NameMatch, "name-match", d.NameMatch, "cross-checks: least name score that is a match")
	fs.Float64Var(&c.NameReview, "name-review", d.NameReview, "cross-checks: least name score sent for review (below: mismatch)")
	fs.Float64Var(&c.AddressMatch, "address-match", d.AddressMatch, "cross-checks: least same-household address score (0-1) that is a match")
	fs.Float64Var(&c.AddressReview, "address-review", d.AddressReview, "cross-checks: least address score sent for review (below: mismatch)")
	fs.Float64Var(&c.AmountTolerance, "amount-tolerance", d.AmountTolerance, "cross-checks: relative difference of amounts sent for review rather than called a mismatch")
	fs.Float64Var(&c.MinConfidence, "min-confidence", d.MinConfidence, "cross-checks: a reading less sure than this can confirm a match but not assert a mismatch")
	fs.StringVar(&c.JWTKey, "jwt-key", "", "token signing key (at least 32 bytes); empty: a random key kept in the data directory")
	fs.StringVar(&c.DevClient, "dev-client", "", "ensure an API client ID:SECRET exists (development and tests)")
	fs.BoolVar(&c.Dev, "dev", false, "development mode: serve sample documents under /dev/samples/ and let the server fetch them")
	fs.StringVar(&c.LogLevel, "log-level", d.LogLevel, "debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", d.LogFormat, "text or json")
}

// EnvName is the environment variable for a flag: ATLAS_ and the flag's
// name in upper case with dashes as underscores.
func EnvName(flagName string) string {
	return "ATLAS_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// ApplyEnv sets every flag not given on the command line from its
// environment variable, if that is set.
func ApplyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		env := EnvName(f.Name)
		if v := getenv(env); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", env, v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// Parse reads args and the environment into a Config and validates it.
func Parse(name string, args []string) (*Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var c Config
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := ApplyEnv(fs, os.Getenv); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks every setting and names the bad ones.
func (c *Config) Validate() error {
	var errs []error
	bad := func(flagName, format string, args ...any) {
		errs = append(errs, fmt.Errorf("--%s (%s): %s", flagName, EnvName(flagName), fmt.Sprintf(format, args...)))
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("addr", "%q is not host:port", c.Addr)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("public-url", "%q is not an http(s) URL", c.PublicURL)
		}
	}
	if c.DataDir == "" {
		bad("data-dir", "must not be empty")
	}
	switch c.Role {
	case RoleAll, RoleAPI, RoleWorker:
	default:
		bad("role", "%q is not all, api or worker", c.Role)
	}
	if c.UsesPostgres() {
		if c.JWTKey == "" && c.Role != RoleWorker {
			bad("jwt-key", "is required with PostgreSQL: every API process must sign and accept the same tokens")
		}
	} else {
		if c.DatabaseURL != "" {
			if _, err := c.SQLitePath(); err != nil {
				bad("database-url", "%v", err)
			}
		}
		if c.Role != RoleAll {
			bad("role", "%s needs --database-url postgres://...: the embedded SQLite belongs to one process", c.Role)
		}
	}
	if c.Workers < 1 || c.Workers > 256 {
		bad("workers", "%d is not between 1 and 256", c.Workers)
	}
	if c.JobTimeout < time.Second {
		bad("job-timeout", "%v is shorter than a second", c.JobTimeout)
	}
	if c.RescueAfter <= c.JobTimeout {
		bad("rescue-after", "%v must be longer than --job-timeout (%v)", c.RescueAfter, c.JobTimeout)
	}
	if c.RetryDelay < 0 {
		bad("retry-delay", "must not be negative")
	}
	if c.ShutdownTimeout < 0 {
		bad("shutdown-timeout", "must not be negative")
	}
	if _, err := c.FetchAllowPrefixes(); err != nil {
		bad("fetch-allow", "%v", err)
	}
	if c.FetchTimeout < 100*time.Millisecond {
		bad("fetch-timeout", "%v is too short", c.FetchTimeout)
	}
	if c.MaxDocumentBytes < 1024 {
		bad("max-document-bytes", "%d is below 1 KiB", c.MaxDocumentBytes)
	}
	if c.MaxPages < 1 {
		bad("max-pages", "must be at least 1")
	}
	if c.MaxPixels < 100_000 {
		bad("max-pixels", "%d is too small to read a card", c.MaxPixels)
	}
	if c.MaxFiles < 1 {
		bad("max-files", "must be at least 1")
	}
	if c.MaxBodyBytes < 1024 {
		bad("max-body-bytes", "%d is below 1 KiB", c.MaxBodyBytes)
	}
	if c.OCRLanguages == "" {
		bad("ocr-languages", "must not be empty")
	}
	if c.OCRPageTimeout < time.Second {
		bad("ocr-page-timeout", "%v is shorter than a second", c.OCRPageTimeout)
	}
	if c.CallbackRetryDelay <= 0 || c.CallbackMaxDelay < c.CallbackRetryDelay {
		bad("callback-retry-delay", "%v must be positive and at most --callback-max-delay (%v)", c.CallbackRetryDelay, c.CallbackMaxDelay)
	}
	if c.Retention < 0 || (c.Retention > 0 && c.Retention < time.Hour) {
		bad("retention", "%v must be 0 (keep) or at least 1h", c.Retention)
	}
	if c.CallbackTimeout < 100*time.Millisecond {
		bad("callback-timeout", "%v is too short", c.CallbackTimeout)
	}
	for _, th := range []struct {
		name          string
		match, review float64
	}{{"name", c.NameMatch, c.NameReview}, {"address", c.AddressMatch, c.AddressReview}} {
		if th.match <= 0 || th.match > 1 || th.review <= 0 || th.review > th.match {
			bad(th.name+"-match", "thresholds %v (match) and %v (review) must satisfy 0 < review <= match <= 1", th.match, th.review)
		}
	}
	if c.AmountTolerance < 0 || c.AmountTolerance >= 1 {
		bad("amount-tolerance", "%v is not in [0, 1)", c.AmountTolerance)
	}
	if c.MinConfidence < 0 || c.MinConfidence > 1 {
		bad("min-confidence", "%v is not in [0, 1]", c.MinConfidence)
	}
	if c.JWTKey != "" && len(c.JWTKey) < 32 {
		bad("jwt-key", "is %d bytes; it must be at least 32", len(c.JWTKey))
	}
	if c.DevClient != "" {
		if id, secret, ok := strings.Cut(c.DevClient, ":"); !ok || id == "" || len(secret) < 8 {
			bad("dev-client", "must be ID:SECRET with a secret of at least 8 characters")
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log-level", "%q is not debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log-format", "%q is not text or json", c.LogFormat)
	}
	return errors.Join(errs...)
}

// UsesPostgres reports whether the database is PostgreSQL.
func (c *Config) UsesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath returns the SQLite database file to use.
func (c *Config) SQLitePath() (string, error) {
	switch {
	case c.DatabaseURL == "":
		return c.DataDir + "/atlas.db", nil
	case strings.HasPrefix(c.DatabaseURL, "sqlite://"):
		p := strings.TrimPrefix(c.DatabaseURL, "sqlite://")
		if p == "" || p == "/" {
			return "", errors.New("sqlite:// URL names no file")
		}
		return p, nil
	case c.UsesPostgres():
		return "", errors.New("a PostgreSQL URL is not a SQLite file")
	}
	return "", fmt.Errorf("%q is neither sqlite:// nor postgres://", redactURL(c.DatabaseURL))
}

// FetchAllowPrefixes parses --fetch-allow.
func (c *Config) FetchAllowPrefixes() ([]netip.Prefix, error) {
	return fetch.ParseAllow(c.FetchAllow)
}

// redactURL drops a URL's password before it is shown.
func redactURL(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "…@" + s[i+1:]
		}
	}
	return s
}
