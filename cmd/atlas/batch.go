package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/atlas-oss/atlas/client"
)

const batchUsage = `usage: atlas batch <command> [flags]

commands:
  submit [--product-type PFL_CDL] [--idempotency-key K] FILE
                     submit the documents listed in FILE ("-": standard input),
                     one per line: URL, or document_id<TAB>URL; prints the batch id
  submit [--product-type PFL_CDL] [--idempotency-key K] --dir FOLDER
                     upload every file in FOLDER (not its subfolders nor
                     dotfiles; images or PDFs) to the server, then submit them
                     as one batch, each named by its file name; shows progress
                     on standard error and prints the batch id
  wait [--interval 5s] BATCH
                     show progress on standard error until every document is
                     read or failed
  results [--format json|jsonl|csv] BATCH
                     print every document's result (csv: one row per document,
                     one column per field with its confidence alongside)

every command takes --url, --client-id and --client-secret, or ATLAS_URL,
ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET.

exit status: 0 every document read, 1 some failed (or, for results, are not
finished), 2 usage error, 3 API or network error.
`

// Exit statuses of atlas batch; 1 is errFilesFailed's.
const (
	exitUsage = 2
	exitAPI   = 3
)

// exitError carries the status a command wants the process to exit with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ExitCode is the process's exit status for this failure.
func (e *exitError) ExitCode() int { return e.code }

// exitCode maps a command's error to the process's exit status: 0 for
// none, 1 when some documents failed, a command's own status, else 2.
func exitCode(err error) int {
	var ec interface{ ExitCode() int }
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFilesFailed):
		return 1
	case errors.As(err, &ec):
		return ec.ExitCode()
	}
	return exitUsage
}

// apiFailure marks err (a failed call to atlas) for exit status 3.
func apiFailure(err error) error { return &exitError{code: exitAPI, err: err} }

// batchCmd runs atlas batch.
func batchCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, batchUsage)
		return flag.ErrHelp
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "submit":
		return batchSubmit(ctx, args[1:], stdout, stderr)
	case "wait":
		return batchWait(ctx, args[1:], stderr)
	case "results":
		return batchResults(ctx, args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, batchUsage)
		return nil
	}
	fmt.Fprint(stderr, batchUsage)
	return fmt.Errorf("unknown batch command %q", args[0])
}

// apiFlags registers the connection flags; newClient builds the client
// once they are parsed.
type apiFlags struct {
	url, id, secret string
}

func (f *apiFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "url", "", "atlas server base URL (e.g. http://127.0.0.1:8080)")
	fs.StringVar(&f.id, "client-id", "", "API client id")
	fs.StringVar(&f.secret, "client-secret", "", "API client secret")
}

func (f *apiFlags) newClient() (*client.Client, error) {
	if f.url == "" || f.id == "" || f.secret == "" {
		return nil, errors.New("--url, --client-id and --client-secret (or ATLAS_URL, ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET) are required")
	}
	return client.New(f.url, f.id, f.secret, client.WithUserAgent("atlas-cli"))
}

// parseBatchCommand parses a batch subcommand's flags and its one
// argument, and builds the client.
func parseBatchCommand(fs *flag.FlagSet, af *apiFlags, args []string, what string) (*client.Client, string, error) {
	fs.SetOutput(io.Discard)
	if err := parseFlags(fs, args); err != nil {
		return nil, "", fmt.Errorf("atlas batch %s: %w", fs.Name(), err)
	}
	if fs.NArg() != 1 {
		return nil, "", fmt.Errorf("atlas batch %s takes one %s, got %d arguments", fs.Name(), what, fs.NArg())
	}
	c, err := af.newClient()
	if err != nil {
		return nil, "", fmt.Errorf("atlas batch %s: %w", fs.Name(), err)
	}
	return c, fs.Arg(0), nil
}

func batchSubmit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	var af apiFlags
	af.register(fs)
	product := fs.String("product-type", "PFL_CDL", "the batch's product type")
	key := fs.String("idempotency-key", "", "resubmitting with the same key returns the first batch (default: a new key)")
	dir := fs.String("dir", "", "upload every file of this folder and submit them (instead of FILE)")
	fs.SetOutput(io.Discard)
	if err := parseFlags(fs, args); err != nil {
		return fmt.Errorf("atlas batch submit: %w", err)
	}
	switch {
	case *dir != "" && fs.NArg() != 0:
		return errors.New("atlas batch submit takes FILE or --dir FOLDER, not both")
	case *dir == "" && fs.NArg() != 1:
		return fmt.Errorf("atlas batch submit takes one FILE (or --dir FOLDER), got %d arguments", fs.NArg())
	}
	c, err := af.newClient()
	if err != nil {
		return fmt.Errorf("atlas batch submit: %w", err)
	}
	var files []client.Entry
	if *dir != "" {
		files, err = uploadDir(ctx, c, *dir, stderr)
	} else {
		files, err = readFileArg(fs.Arg(0))
	}
	if err != nil {
		return err
	}
	up, err := c.Multiupload(ctx, client.MultiuploadRequest{ProductType: *product, Files: files, IdempotencyKey: *key})
	if err != nil {
		return apiFailure(err)
	}
	fmt.Fprintln(stdout, up.BatchID)
	return nil
}

// readFileArg reads the list of documents in file ("-": standard input).
func readFileArg(file string) ([]client.Entry, error) {
	var r io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("atlas batch submit: %w", err)
		}
		defer f.Close()
		r = f
	}
	files, err := readFileList(r)
	if err != nil {
		return nil, fmt.Errorf("atlas batch submit: %s: %w", file, err)
	}
	return files, nil
}

// dirFiles lists the regular files of dir (symbolic links followed), by
// name, leaving out subfolders and dotfiles.
func dirFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if fi.Mode().IsRegular() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, errors.New("no files to upload (subfolders and dotfiles are left out)")
	}
	return names, nil
}

// uploadDir uploads the files of dir one by one, showing n/N on stderr, and
// returns them as batch entries named by their file names. The first
// failure stops it: nothing is submitted, and running again re-uploads
// nothing new (the server stores files by content).
func uploadDir(ctx context.Context, c *client.Client, dir string, stderr io.Writer) ([]client.Entry, error) {
	names, err := dirFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("atlas batch submit: %s: %w", dir, err)
	}
	out := make([]client.Entry, 0, len(names))
	fmt.Fprintf(stderr, "uploaded 0/%d", len(names))
	for i, name := range names {
		up, err := uploadOne(ctx, c, filepath.Join(dir, name))
		if err != nil {
			fmt.Fprintln(stderr)
			return nil, err
		}
		out = append(out, client.Entry{FileURL: up.URL, DocumentID: name})
		fmt.Fprintf(stderr, "\ruploaded %d/%d\033[K", i+1, len(names))
	}
	fmt.Fprintln(stderr)
	return out, nil
}

// uploadOne uploads the file at path.
func uploadOne(ctx context.Context, c *client.Client, path string) (*client.FileUpload, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("atlas batch submit: %w", err)
	}
	defer f.Close()
	up, err := c.UploadFile(ctx, f)
	if err != nil {
		return nil, apiFailure(fmt.Errorf("upload %s: %w", path, err))
	}
	return up, nil
}

// readFileList reads one document a line: "URL" or "document_id<TAB>URL".
// Blank lines and lines starting with # are skipped; a bare URL is named
// by its line number.
func readFileList(r io.Reader) ([]client.Entry, error) {
	var out []client.Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		id, u, ok := strings.Cut(line, "\t")
		if !ok {
			id, u = fmt.Sprint(n), line
		}
		id, u = strings.TrimSpace(id), strings.TrimSpace(u)
		if id == "" || u == "" {
			return nil, fmt.Errorf("line %d: want URL or document_id<TAB>URL", n)
		}
		out = append(out, client.Entry{FileURL: u, DocumentID: id})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no documents listed")
	}
	return out, nil
}

func batchWait(ctx context.Context, args []string, stderr io.Writer) error {
	return wait(ctx, "batch", "BATCH", args, stderr, func(ctx context.Context, c *client.Client, id string) (*client.BatchSummary, error) {
		return c.Summary(ctx, id)
	})
}

// wait polls summary until every document of the batch or flow is read
// or failed, redrawing one progress line on stderr.
func wait(ctx context.Context, command, what string, args []string, stderr io.Writer,
	summary func(ctx context.Context, c *client.Client, id string) (*client.BatchSummary, error)) error {
	fs := flag.NewFlagSet("wait", flag.ContinueOnError)
	var af apiFlags
	af.register(fs)
	interval := fs.Duration("interval", 5*time.Second, "time between polls")
	c, id, err := parseBatchCommand(fs, &af, args, what)
	if err != nil {
		return err
	}
	if *interval <= 0 {
		return fmt.Errorf("atlas %s wait: --interval must be positive", command)
	}
	var p progress
	for {
		s, err := summary(ctx, c, id)
		if err != nil {
			fmt.Fprintln(stderr)
			return apiFailure(err)
		}
		fmt.Fprint(stderr, "\r"+p.line(*s, time.Now())+"\033[K")
		if s.Finished() {
			fmt.Fprintln(stderr)
			if s.Failed > 0 {
				return errFilesFailed
			}
			return nil
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(stderr)
			return apiFailure(ctx.Err())
		case <-time.After(*interval):
		}
	}
}

// progress renders the wait line: counts, throughput since the first
// poll, and the time left at that pace.
type progress struct {
	start     time.Time
	startDone int
}

func (p *progress) line(s client.BatchSummary, now time.Time) string {
	finished := s.Done + s.Failed
	if p.start.IsZero() {
		p.start, p.startDone = now, finished
	}
	rate := 0.0
	if el := now.Sub(p.start).Seconds(); el > 0 {
		rate = float64(finished-p.startDone) / el
	}
	eta := "--"
	switch {
	case finished == s.Total:
		eta = "0s"
	case rate > 0:
		eta = (time.Duration(float64(s.Total-finished)/rate) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("done %d/%d  failed %d  %.1f docs/s  ETA %s", s.Done, s.Total, s.Failed, rate, eta)
}

func batchResults(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("results", flag.ContinueOnError)
	var af apiFlags
	af.register(fs)
	format := fs.String("format", "json", "json (one array), jsonl (one document a line) or csv")
	c, batchID, err := parseBatchCommand(fs, &af, args, "BATCH")
	if err != nil {
		return err
	}
	if *format != "json" && *format != "jsonl" && *format != "csv" {
		return fmt.Errorf("atlas batch results: --format must be json, jsonl or csv, not %q", *format)
	}
	docs, err := c.AllDocuments(ctx, batchID)
	if err != nil {
		return apiFailure(err)
	}
	if err := writeResults(stdout, *format, docs); err != nil {
		return apiFailure(fmt.Errorf("write results: %w", err))
	}
	for _, d := range docs {
		if d.Status != client.StatusDone {
			return errFilesFailed
		}
	}
	return nil
}

// writeResults prints docs in format.
func writeResults(w io.Writer, format string, docs []client.Document) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if docs == nil {
			docs = []client.Document{}
		}
		return enc.Encode(docs)
	case "jsonl":
		enc := json.NewEncoder(w)
		for _, d := range docs {
			if err := enc.Encode(d); err != nil {
				return err
			}
		}
		return nil
	}
	return writeCSV(w, docs)
}

// csvRow is what the csv format shows of one document, of a batch or a flow.
type csvRow struct {
	DocumentID, FileUUID, Status, DocumentType, ErrorCode string
	FieldNames                                            []string
	FileData                                              map[string]client.Field
}

// writeCSV writes batch documents as CSV (see writeRows).
func writeCSV(w io.Writer, docs []client.Document) error {
	rows := make([]csvRow, len(docs))
	for i, d := range docs {
		rows[i] = csvRow{d.DocumentID, d.FileUUID, d.Status, d.DocumentType, d.ErrorCode, d.FieldNames, d.FileData}
	}
	return writeRows(w, rows)
}

// writeRows writes one row per document: its ids, status, type and error
// code, then a value and a confidence column for every field seen in the
// batch (in the order first seen). Structured values are JSON.
func writeRows(w io.Writer, docs []csvRow) error {
	var fields []string
	seen := map[string]bool{}
	for _, d := range docs {
		for _, n := range d.FieldNames {
			if !seen[n] {
				seen[n] = true
				fields = append(fields, n)
			}
		}
	}
	cw := csv.NewWriter(w)
	head := []string{"document_id", "file_uuid", "status", "document_type", "error_code"}
	for _, f := range fields {
		head = append(head, f, f+"_confidence")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, d := range docs {
		row := []string{d.DocumentID, d.FileUUID, d.Status, d.DocumentType, d.ErrorCode}
		for _, n := range fields {
			f, ok := d.FileData[n]
			if !ok {
				row = append(row, "", "")
				continue
			}
			row = append(row, csvValue(f.Value), fmt.Sprintf("%g", f.Confidence))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvValue renders a field value: strings as they are, others as JSON.
func csvValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

const flowUsage = `usage: atlas flow <command> [flags]

commands:
  submit --application-id ID [--product-type PROD_CDL] [--external-reference-id REF] FILE
                     open a flow and upload the documents listed in FILE (as for
                     atlas batch submit); prints the flow id
  wait [--interval 5s] FLOW
                     show progress on standard error until every document is
                     read or failed
  results [--format json|jsonl|csv] FLOW
                     print the flow's documents (json: with the cross-checks)

credentials and exit statuses are as for atlas batch. A failed upload is not
retried by itself (it could add documents twice): check the flow first.
`

// flowCmd runs atlas flow.
func flowCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, flowUsage)
		return flag.ErrHelp
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "submit":
		return flowSubmit(ctx, args[1:], stdout)
	case "wait":
		return flowWait(ctx, args[1:], stderr)
	case "results":
		return flowResults(ctx, args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, flowUsage)
		return nil
	}
	fmt.Fprint(stderr, flowUsage)
	return fmt.Errorf("unknown flow command %q", args[0])
}

// flowUploadChunk is the most files one flow upload may carry.
const flowUploadChunk = 50

func flowSubmit(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	var af apiFlags
	af.register(fs)
	product := fs.String("product-type", "PROD_CDL", "the flow's product type")
	appID := fs.String("application-id", "", "the loan application's id (required)")
	ref := fs.String("external-reference-id", "", "your reference for the flow")
	c, file, err := parseBatchCommand(fs, &af, args, "FILE")
	if err != nil {
		return err
	}
	if *appID == "" {
		return errors.New("atlas flow submit: --application-id is required")
	}
	var r io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("atlas flow submit: %w", err)
		}
		defer f.Close()
		r = f
	}
	entries, err := readFileList(r)
	if err != nil {
		return fmt.Errorf("atlas flow submit: %s: %w", file, err)
	}
	fl, err := c.FlowInit(ctx, client.FlowInitRequest{ProductType: *product, ApplicationID: *appID, ExternalReferenceID: *ref})
	if err != nil {
		return apiFailure(err)
	}
	for start := 0; start < len(entries); start += flowUploadChunk {
		var files []client.FlowFile
		for _, e := range entries[start:min(start+flowUploadChunk, len(entries))] {
			files = append(files, client.FlowFile{FileURL: e.FileURL, DocumentID: e.DocumentID})
		}
		if _, err := c.FlowUpload(ctx, client.FlowUploadRequest{FlowID: fl.FlowID, Files: files}); err != nil {
			return apiFailure(fmt.Errorf("flow %s: upload of documents %d to %d: %w", fl.FlowID, start+1, start+len(files), err))
		}
	}
	fmt.Fprintln(stdout, fl.FlowID)
	return nil
}

func flowWait(ctx context.Context, args []string, stderr io.Writer) error {
	return wait(ctx, "flow", "FLOW", args, stderr, func(ctx context.Context, c *client.Client, id string) (*client.BatchSummary, error) {
		st, err := c.FlowStatus(ctx, id)
		if err != nil {
			return nil, err
		}
		return &client.BatchSummary{Total: st.Documents, Done: st.Processed, Failed: st.Failed}, nil
	})
}

// flowDone is the status of a flow document read to the end.
const flowDone = "PROCESSING_SUCCESS"

func flowResults(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("results", flag.ContinueOnError)
	var af apiFlags
	af.register(fs)
	format := fs.String("format", "json", "json (the whole answer, with cross-checks), jsonl (one document a line) or csv")
	c, flowID, err := parseBatchCommand(fs, &af, args, "FLOW")
	if err != nil {
		return err
	}
	if *format != "json" && *format != "jsonl" && *format != "csv" {
		return fmt.Errorf("atlas flow results: --format must be json, jsonl or csv, not %q", *format)
	}
	ex, err := c.FlowExtracts(ctx, flowID)
	if err != nil {
		return apiFailure(err)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(ex)
	case "jsonl":
		enc := json.NewEncoder(stdout)
		for _, e := range ex.OCRData {
			if err = enc.Encode(e); err != nil {
				break
			}
		}
	case "csv":
		rows := make([]csvRow, len(ex.OCRData))
		for i, e := range ex.OCRData {
			rows[i] = csvRow{e.DocumentID, e.FileUUID, e.Status, e.DocumentType, e.ErrorCode, e.FieldNames, e.FileData}
		}
		err = writeRows(stdout, rows)
	}
	if err != nil {
		return apiFailure(fmt.Errorf("write results: %w", err))
	}
	for _, e := range ex.OCRData {
		if e.Status != flowDone {
			return errFilesFailed
		}
	}
	return nil
}
