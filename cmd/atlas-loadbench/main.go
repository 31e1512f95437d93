// Command atlas-loadbench measures how atlas scales out: for each number of
// worker processes asked for, it starts one `atlas serve --role api` and
// that many `--role worker` processes on a fresh PostgreSQL schema, lets
// concurrent clients upload batches of generated cards and poll their
// extracts until every document is read, and prints documents per second,
// the ratio to the one-worker run, API latencies and errors.
//
//	make build   # makes bin/atlas, which --atlas must name
//	go run ./cmd/atlas-loadbench --atlas ./bin/atlas \
//	    --database-url 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// It is a command, not a test: it takes minutes and its numbers depend on
// the machine. It exits 1 when a document went missing or an API call
// failed, 2 when it could not run.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atlas-oss/atlas/internal/docgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errBenchFailed):
		os.Exit(1) // the table says what went wrong
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "atlas-loadbench:", err)
		os.Exit(2)
	}
}

// errBenchFailed reports a run that finished but lost documents or saw
// API errors.
var errBenchFailed = errors.New("documents missing or API errors")

// Development credentials given to the api process with --dev-client.
const (
	devClientID     = "loadbench"
	devClientSecret = "loadbench-secret"
)

// options are the command's settings.
type options struct {
	Atlas            string
	DatabaseURL      string
	BlobURL          string
	Workers          []int
	Clients          int
	Batches          int
	BatchSize        int
	ThreadsPerWorker int
	Pool             int
	Poll             time.Duration
	Timeout          time.Duration
	Keep             bool
}

const usageHead = `usage: atlas-loadbench --atlas ./bin/atlas --database-url postgres://... [flags]

Starts one atlas api process and W worker processes for each W of --workers,
on a fresh PostgreSQL schema each time, and measures throughput and API
latency under --clients concurrent clients. --atlas is required: build the
binary first with 'make build' (it makes bin/atlas).

flags:
`

// parseFlags reads the command line into options and checks them.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("atlas-loadbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageHead)
		fs.PrintDefaults()
	}
	workers := fs.String("workers", "1,2,3", "comma-separated numbers of worker processes to measure, one run each")
	fs.StringVar(&o.Atlas, "atlas", "", "path of the atlas binary (required; 'make build' makes bin/atlas)")
	fs.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL (required); each run gets a schema of its own, dropped afterwards")
	fs.StringVar(&o.BlobURL, "blob-url", "", "where the processes keep originals: s3://...; empty: a local directory shared by the processes (one machine only)")
	fs.IntVar(&o.Clients, "clients", 4, "concurrent clients")
	fs.IntVar(&o.Batches, "batches", 3, "batches each client uploads")
	fs.IntVar(&o.BatchSize, "batch-size", 10, "documents per batch")
	fs.IntVar(&o.ThreadsPerWorker, "threads-per-worker", 1, "documents each worker process reads at once (its --workers)")
	fs.IntVar(&o.Pool, "pool", 10, "distinct generated cards, served under many URLs")
	fs.DurationVar(&o.Poll, "poll", 500*time.Millisecond, "how often each client polls its extracts")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "longest one run may take before its unfinished documents count as missing")
	fs.BoolVar(&o.Keep, "keep", false, "keep the working directory (process logs) even when all went well")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.Workers, err = parseWorkerList(*workers); err != nil {
		return o, fmt.Errorf("--workers: %w", err)
	}
	return o, o.validate()
}

// validate names the first bad setting.
func (o options) validate() error {
	var errs []error
	if o.Atlas == "" {
		errs = append(errs, errors.New("--atlas is required (build it with 'make build': bin/atlas)"))
	}
	if u, err := url.Parse(o.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, errors.New("--database-url must be a postgres:// URL"))
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"clients", o.Clients}, {"batches", o.Batches}, {"batch-size", o.BatchSize}, {"threads-per-worker", o.ThreadsPerWorker}, {"pool", o.Pool}} {
		if f.v < 1 {
			errs = append(errs, fmt.Errorf("--%s: %d is less than 1", f.name, f.v))
		}
	}
	if o.Poll <= 0 {
		errs = append(errs, errors.New("--poll must be positive"))
	}
	if o.Timeout <= 0 {
		errs = append(errs, errors.New("--timeout must be positive"))
	}
	return errors.Join(errs...)
}

// parseWorkerList parses "1,2,3" into distinct positive counts, in order.
func parseWorkerList(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		if slices.Contains(out, n) {
			return nil, fmt.Errorf("%d is listed twice", n)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if _, err := os.Stat(o.Atlas); err != nil {
		return fmt.Errorf("atlas binary: %w (build it with 'make build')", err)
	}
	work, err := os.MkdirTemp("", "atlas-loadbench-")
	if err != nil {
		return fmt.Errorf("create working directory: %w", err)
	}
	docs, err := startDocServer(o.Pool)
	if err != nil {
		return err
	}
	defer docs.close()

	fmt.Fprintf(stdout, "atlas-loadbench: %d CPUs; %d clients x %d batches x %d documents per run; %d thread(s) per worker process; %d distinct cards\n",
		runtime.NumCPU(), o.Clients, o.Batches, o.BatchSize, o.ThreadsPerWorker, o.Pool)
	if o.BlobURL == "" {
		fmt.Fprintln(stdout, "blobs: a local directory shared by the processes (valid on one machine only)")
	} else {
		fmt.Fprintln(stdout, "blobs:", redactURL(o.BlobURL))
	}

	var results []result
	var runErr error
	for _, w := range o.Workers {
		fmt.Fprintf(stderr, "run: %d worker process(es)...\n", w)
		r, err := benchOnce(ctx, o, w, docs, filepath.Join(work, fmt.Sprintf("w%d", w)))
		if r.Workers > 0 {
			results = append(results, r) // measured, even if stopping failed
		}
		if err != nil {
			runErr = fmt.Errorf("run with %d workers: %w", w, err)
			break
		}
	}
	if len(results) > 0 {
		fmt.Fprintln(stdout)
		writeTable(stdout, results)
		if c := cpuCaveat(o.Workers, o.ThreadsPerWorker, runtime.NumCPU()); c != "" {
			fmt.Fprintln(stdout, c)
		}
	}
	failed := runErr != nil
	for _, r := range results {
		if r.Missing > 0 || r.Errors > 0 {
			failed = true
		}
	}
	if failed || o.Keep {
		fmt.Fprintln(stderr, "process logs kept in", work)
	} else {
		os.RemoveAll(work)
	}
	if runErr != nil {
		return runErr
	}
	if failed {
		return errBenchFailed
	}
	return nil
}

// result is one run's measurements.
type result struct {
	Workers   int
	Documents int // uploaded
	Finished  int // done or failed
	Failed    int
	Missing   int // uploaded but never seen done or failed
	Wall      time.Duration
	Upload    []time.Duration
	Extracts  []time.Duration
	Errors    int
	// ErrorSamples are the first few errors, as route and status only.
	ErrorSamples []string
}

// docsPerSecond is the finished documents over the wall time.
func (r result) docsPerSecond() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Finished) / r.Wall.Seconds()
}

// benchOnce measures one number of worker processes on a fresh schema.
// A run that measured but could not stop or clean up cleanly returns its
// result with the error.
func benchOnce(ctx context.Context, o options, workers int, docs *docServer, dir string) (res result, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return result{}, fmt.Errorf("create run directory: %w", err)
	}
	dbURL, dropSchema, err := freshSchema(ctx, o.DatabaseURL)
	if err != nil {
		return result{}, err
	}
	defer func() {
		// The processes are stopped by now (deferred after this).
		if derr := dropSchema(); derr != nil && err == nil {
			err = derr
		}
	}()
	blobURL := o.BlobURL
	if blobURL == "" {
		blobURL = "file://" + filepath.Join(dir, "blobs")
	}
	key := make([]byte, 32)
	rand.Read(key)
	common := []string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL, "--blob-url", blobURL,
		"--fetch-allow", "127.0.0.0/8", "--log-level", "warn", "--shutdown-timeout", "30s"}

	var procs []*proc
	defer func() {
		if serr := stopAll(procs); serr != nil && err == nil {
			err = serr
		}
	}()
	// The api process applies the migrations; the workers start once it
	// is ready, so they do not race for the migration lock.
	api, err := startProc(ctx, o.Atlas, filepath.Join(dir, "api"), append(common, "--role", "api",
		"--jwt-key", hex.EncodeToString(key), "--dev-client", devClientID+":"+devClientSecret))
	if err != nil {
		return result{}, err
	}
	procs = append(procs, api)
	if err := waitReady(ctx, api.addr); err != nil {
		return result{}, fmt.Errorf("api process: %w", err)
	}
	for i := range workers {
		p, err := startProc(ctx, o.Atlas, filepath.Join(dir, fmt.Sprintf("worker%d", i+1)), append(common, "--role", "worker",
			"--migrate=false", "--workers", strconv.Itoa(o.ThreadsPerWorker)))
		if err != nil {
			return result{}, err
		}
		procs = append(procs, p)
	}
	for _, p := range procs[1:] {
		if err := waitReady(ctx, p.addr); err != nil {
			return result{}, fmt.Errorf("worker process: %w", err)
		}
	}
	res = drive(ctx, o, "http://"+api.addr, docs)
	res.Workers = workers
	return res, nil
}

// freshSchema creates a schema of its own for one run and returns the
// database URL confined to it and a function that drops it.
func freshSchema(ctx context.Context, base string) (string, func() error, error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "lb_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, errors.New("connect to --database-url: " + redactErr(err, base))
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	drop := func() error {
		// The run's context may be cancelled (Ctrl-C): still clean up.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return fmt.Errorf("connect to drop schema %s: %w", schema, err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	u, _ := url.Parse(base) // validated already
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// proc is one running atlas process.
type proc struct {
	cmd  *exec.Cmd
	addr string
	done chan error
	log  string
}

var listenRe = regexp.MustCompile(`listening on http://(\S+)`)

// startProc starts atlas with args, its stderr in dir/stderr.log, and
// waits until it prints the address it listens on.
func startProc(ctx context.Context, bin, dir string, args []string) (*proc, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create process directory: %w", err)
	}
	args = append(slices.Clone(args), "--data-dir", dir)
	logPath := filepath.Join(dir, "stderr.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create process log: %w", err)
	}
	cmd := exec.Command(bin, args...)
	// The OCR engine gets no threads of its own: the worker's --workers
	// is all the parallelism a process has.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, fmt.Errorf("atlas stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start atlas: %w", err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1), log: logPath}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listenRe.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	go func() {
		p.done <- cmd.Wait()
		logFile.Close()
	}()
	select {
	case p.addr = <-addr:
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("atlas exited before listening (%v); see %s", err, logPath)
	case <-time.After(60 * time.Second):
	case <-ctx.Done():
	}
	cmd.Process.Kill()
	<-p.done
	return nil, fmt.Errorf("atlas did not start listening; see %s", logPath)
}

// stopAll sends SIGTERM to every process and waits for each to exit,
// killing those that take longer than a minute.
func stopAll(procs []*proc) error {
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	var errs []error
	for _, p := range procs {
		select {
		case err := <-p.done:
			if err != nil {
				errs = append(errs, fmt.Errorf("atlas pid %d exited with %v; see %s", p.cmd.Process.Pid, err, p.log))
			}
		case <-time.After(time.Minute):
			p.cmd.Process.Kill()
			<-p.done
			errs = append(errs, fmt.Errorf("atlas pid %d ignored SIGTERM for a minute and was killed; see %s", p.cmd.Process.Pid, p.log))
		}
	}
	return errors.Join(errs...)
}

// waitReady polls addr's /readyz until it answers 200.
func waitReady(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s/readyz not ready within a minute", addr)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// docServer serves a pool of generated cards under many URLs.
type docServer struct {
	base string
	pool [][]byte
	srv  *http.Server
	mu   sync.Mutex
	next int
}

// startDocServer generates n cards (cycling through the card types) and
// serves them on 127.0.0.2, which Linux routes to loopback.
func startDocServer(n int) (*docServer, error) {
	ds := &docServer{}
	for i := range n {
		t := docgen.Types[i%len(docgen.Types)]
		s, err := docgen.Generate(int64(1000+i), t, docgen.Clean)
		if err != nil {
			return nil, fmt.Errorf("generate %s card: %w", t, err)
		}
		ds.pool = append(ds.pool, s.Data)
	}
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the document server: %w", err)
	}
	ds.base = "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /doc/{n}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("n"), ".png"))
		if err != nil || i < 0 {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(ds.pool[i%len(ds.pool)])
	})
	ds.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go ds.srv.Serve(ln)
	return ds, nil
}

// url returns a URL never handed out before (for a card of the pool).
func (ds *docServer) url() string {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.next++
	return fmt.Sprintf("%s/doc/%d.png", ds.base, ds.next)
}

func (ds *docServer) close() { ds.srv.Close() }

// Routes whose latency is reported.
const (
	routeAuth     = "authtoken"
	routeUpload   = "multiupload"
	routeExtracts = "extracts"
)

// recorder collects every API request's latency by route, and errors.
type recorder struct {
	mu      sync.Mutex
	lat     map[string][]time.Duration
	errors  int
	samples []string
}

func newRecorder() *recorder { return &recorder{lat: map[string][]time.Duration{}} }

// observe records one request; status 0 is a transport error. Only the
// route and status are kept, never a body, which could quote a document.
func (rec *recorder) observe(route string, d time.Duration, status int, err error) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.lat[route] = append(rec.lat[route], d)
	if err == nil && status/100 == 2 {
		return
	}
	rec.errors++
	if len(rec.samples) < 5 {
		if err != nil {
			rec.samples = append(rec.samples, fmt.Sprintf("%s: transport error", route))
		} else {
			rec.samples = append(rec.samples, fmt.Sprintf("%s: status %d", route, status))
		}
	}
}

// client is one simulated API client.
type client struct {
	base  string
	token string
	hc    *http.Client
	rec   *recorder
}

// do sends one request and returns the status and body, recording it.
func (c *client) do(ctx context.Context, route, method, path string, body []byte, hdr map[string]string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("build %s request: %w", route, err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil { // a run cut short is not the API's error
			c.rec.observe(route, time.Since(start), 0, err)
		}
		return 0, nil, fmt.Errorf("%s: %w", route, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	c.rec.observe(route, time.Since(start), resp.StatusCode, err)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: read body: %w", route, err)
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, nil, fmt.Errorf("%s: status %d", route, resp.StatusCode)
	}
	return resp.StatusCode, b, nil
}

func (c *client) authenticate(ctx context.Context) error {
	_, b, err := c.do(ctx, routeAuth, http.MethodPost, "/v1/bulk/authtoken", nil,
		map[string]string{"Client-Id": devClientID, "Client-Secret": devClientSecret})
	if err != nil {
		return err
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &tr); err != nil || tr.AccessToken == "" {
		return errors.New("authtoken: no access_token in the answer")
	}
	c.token = tr.AccessToken
	return nil
}

// upload submits one batch and returns its id.
func (c *client) upload(ctx context.Context, urls, ids []string) (string, error) {
	type entry struct {
		FileURL    string `json:"file_url"`
		DocumentID string `json:"document_id"`
	}
	req := struct {
		ProductType string  `json:"product_type"`
		FileURLs    []entry `json:"file_urls"`
	}{ProductType: "PFL_CDL"}
	for i := range urls {
		req.FileURLs = append(req.FileURLs, entry{urls[i], ids[i]})
	}
	body, _ := json.Marshal(req)
	_, b, err := c.do(ctx, routeUpload, http.MethodPost, "/v1/bulk/multiupload", body,
		map[string]string{"Token": c.token, "Content-Type": "application/json"})
	if err != nil {
		return "", err
	}
	var out []struct {
		BatchID string `json:"batch_id"`
	}
	if err := json.Unmarshal(b, &out); err != nil || len(out) == 0 || out[0].BatchID == "" {
		return "", errors.New("multiupload: no batch_id in the answer")
	}
	return out[0].BatchID, nil
}

// item is the part of an extracts entry the benchmark reads.
type item struct {
	DocumentID string `json:"document_id"`
	Status     string `json:"status"`
}

// extracts returns a batch's documents, walking every page.
func (c *client) extracts(ctx context.Context, batchID string) ([]item, error) {
	var items []item
	for page := 1; ; page++ {
		path := fmt.Sprintf("/v1/bulk/extracts?batch_id=%s&page=%d&per_page=50", url.QueryEscape(batchID), page)
		_, b, err := c.do(ctx, routeExtracts, http.MethodGet, path, nil, map[string]string{"Token": c.token})
		if err != nil {
			return nil, err
		}
		var p struct {
			Data    []item `json:"data"`
			HasNext bool   `json:"has_next"`
		}
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, errors.New("extracts: answer is not a page of documents")
		}
		items = append(items, p.Data...)
		if !p.HasNext {
			return items, nil
		}
	}
}

// batchState is what one client knows about one of its batches.
type batchState struct {
	id       string
	want     map[string]bool // document ids uploaded
	finished map[string]string
}

// clientResult is one client's counts.
type clientResult struct {
	uploaded, finished, failed int
	firstUpload, lastFinish    time.Time
}

// drive runs the clients against the api at base and gathers the result.
func drive(ctx context.Context, o options, base string, docs *docServer) result {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	rec := newRecorder()
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * o.Clients}}
	defer hc.CloseIdleConnections()

	results := make([]clientResult, o.Clients)
	var wg sync.WaitGroup
	for i := range o.Clients {
		wg.Go(func() {
			c := &client{base: base, hc: hc, rec: rec}
			results[i] = runClient(ctx, o, c, docs, i)
		})
	}
	wg.Wait()

	r := result{Documents: o.Clients * o.Batches * o.BatchSize}
	var first, last time.Time
	for _, cr := range results {
		r.Finished += cr.finished
		r.Failed += cr.failed
		if !cr.firstUpload.IsZero() && (first.IsZero() || cr.firstUpload.Before(first)) {
			first = cr.firstUpload
		}
		if cr.lastFinish.After(last) {
			last = cr.lastFinish
		}
	}
	r.Missing = r.Documents - r.Finished
	if !first.IsZero() && last.After(first) {
		r.Wall = last.Sub(first)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	r.Upload = rec.lat[routeUpload]
	r.Extracts = rec.lat[routeExtracts]
	r.Errors = rec.errors
	r.ErrorSamples = rec.samples
	return r
}

// runClient uploads the client's batches, then polls them until every
// document is done or failed, or ctx ends.
func runClient(ctx context.Context, o options, c *client, docs *docServer, n int) clientResult {
	var cr clientResult
	if err := c.authenticate(ctx); err != nil {
		return cr // recorded as an error; its documents count as missing
	}
	var batches []*batchState
	for b := range o.Batches {
		urls := make([]string, o.BatchSize)
		ids := make([]string, o.BatchSize)
		bs := &batchState{want: map[string]bool{}, finished: map[string]string{}}
		for i := range urls {
			urls[i] = docs.url()
			ids[i] = fmt.Sprintf("c%d-b%d-d%d", n, b, i)
			bs.want[ids[i]] = true
		}
		if cr.firstUpload.IsZero() {
			cr.firstUpload = time.Now()
		}
		id, err := c.upload(ctx, urls, ids)
		if err != nil {
			continue // recorded; these documents count as missing
		}
		bs.id = id
		cr.uploaded += o.BatchSize
		batches = append(batches, bs)
	}
	for len(batches) > 0 {
		select {
		case <-ctx.Done():
			return cr
		case <-time.After(o.Poll):
		}
		batches = slices.DeleteFunc(batches, func(bs *batchState) bool {
			items, err := c.extracts(ctx, bs.id)
			if err != nil {
				return false // recorded; try again next poll
			}
			now := time.Now()
			for _, it := range items {
				if !bs.want[it.DocumentID] || bs.finished[it.DocumentID] != "" {
					continue
				}
				if it.Status == "done" || it.Status == "failed" {
					bs.finished[it.DocumentID] = it.Status
					cr.finished++
					if it.Status == "failed" {
						cr.failed++
					}
					cr.lastFinish = now
				}
			}
			return len(bs.finished) == len(bs.want)
		})
	}
	return cr
}

// percentile returns the p-th percentile (0 < p <= 100) of ds by the
// nearest-rank method, or 0 for no values. ds need not be sorted.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

// writeTable prints the results, one row per run. The ratio is each
// run's documents per second over the one-worker run's (or the first
// run's, when one worker was not measured).
func writeTable(w io.Writer, results []result) {
	base := results[0]
	baseName := fmt.Sprintf("%d worker(s)", base.Workers)
	for _, r := range results {
		if r.Workers == 1 {
			base, baseName = r, "1 worker"
			break
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "workers\tdocuments\twall s\tdocs/s\tratio vs %s\tupload p50/p99 ms\textracts p50/p99 ms\terrors\tfailed docs\t\n", baseName)
	for _, r := range results {
		ratio := "-"
		if b := base.docsPerSecond(); b > 0 {
			ratio = strconv.FormatFloat(r.docsPerSecond()/b, 'f', 2, 64)
		}
		docsCol := strconv.Itoa(r.Finished)
		if r.Missing > 0 {
			docsCol = fmt.Sprintf("%d (%d missing)", r.Finished, r.Missing)
		}
		fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.2f\t%s\t%s/%s\t%s/%s\t%d\t%d\t\n",
			r.Workers, docsCol, r.Wall.Seconds(), r.docsPerSecond(), ratio,
			ms(percentile(r.Upload, 50)), ms(percentile(r.Upload, 99)),
			ms(percentile(r.Extracts, 50)), ms(percentile(r.Extracts, 99)),
			r.Errors, r.Failed)
	}
	tw.Flush()
	for _, r := range results {
		for _, s := range r.ErrorSamples {
			fmt.Fprintf(w, "error with %d workers: %s\n", r.Workers, s)
		}
	}
}

// cpuCaveat returns a warning when some run had more OCR threads than
// the machine has CPUs, or "" when none did.
func cpuCaveat(workers []int, threads, cpus int) string {
	var over []string
	for _, w := range workers {
		if w*threads > cpus {
			over = append(over, strconv.Itoa(w))
		}
	}
	if len(over) == 0 {
		return ""
	}
	return fmt.Sprintf("caveat: with %s worker process(es) x %d thread(s) the OCR threads outnumber the %d CPUs; OCR is CPU-bound, so those runs cannot scale further on this machine.",
		strings.Join(over, ", "), threads, cpus)
}

// redactURL drops a URL's password and query (which can hold keys).
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery = ""
	return u.String()
}

// redactErr is err's text with the URL's password, if any, removed.
func redactErr(err error, rawURL string) string {
	msg := err.Error()
	if u, perr := url.Parse(rawURL); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "…")
		}
	}
	return msg
}
