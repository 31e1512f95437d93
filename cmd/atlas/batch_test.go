package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/client"
	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
	"github.com/atlas-oss/atlas/internal/upload"
)

const cliClientID, cliSecret = "cli", "cli-secret-0123456789"

// startAtlas runs a real atlas API on a real SQLite store.
func startAtlas(t *testing.T) (url string, st *store.SQLite) {
	t.Helper()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: cliClientID, Name: cliClientID, SecretHash: auth.HashSecret(cliSecret)}); err != nil {
		t.Fatal(err)
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("c", 32)))
	s := api.New(st, nil, iss, api.Config{}, metrics.New(st, "all", "test"), slog.New(slog.DiscardHandler), func(ctx context.Context) error { return st.Ping(ctx) })
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL, st
}

// runBatch runs atlas batch with args and returns its output and exit status.
func runBatch(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(append([]string{"batch"}, args...), &out, &errOut)
	return out.String(), errOut.String(), exitCode(err)
}

func creds(url string) []string {
	return []string{"--url", url, "--client-id", cliClientID, "--client-secret", cliSecret}
}

// finishAll marks every document of a batch read (a PAN) except those
// whose document_id is in failed.
func finishAll(t *testing.T, st *store.SQLite, batchID string, failed ...string) {
	t.Helper()
	if err := finish(st, batchID, failed...); err != nil {
		t.Fatal(err)
	}
}

// finish is finishAll for any goroutine.
func finish(st *store.SQLite, batchID string, failed ...string) error {
	ctx := context.Background()
	docs, err := st.ListDocuments(ctx, batchID, 0, 1000)
	if err != nil {
		return err
	}
	for i, d := range docs {
		r := store.Result{}
		if strings.Contains(" "+strings.Join(failed, " ")+" ", " "+d.DocumentID+" ") {
			r.Error = &document.Error{Code: document.CodeUnreadable, Message: "too blurred to read"}
		} else {
			fd := document.NewFileData(document.TypePAN)
			fd.Set("pan_number", document.Field{Value: fmt.Sprintf("ABCDE%04dF", i), Confidence: 0.9})
			if i == 0 {
				fd.Set("formatted_address", document.Field{Value: map[string]any{"pincode": "411001"}, Confidence: 0.5})
			}
			r.FileData = fd
		}
		if err := st.FinishDocument(ctx, d.FileUUID, r, nil); err != nil {
			return err
		}
	}
	return nil
}

func submit(t *testing.T, url string, lines string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "files.txt")
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runBatch(t, append(append([]string{"submit"}, creds(url)...), file)...)
	if code != 0 {
		t.Fatalf("submit: exit %d, %s", code, errOut)
	}
	return strings.TrimSpace(out)
}

const fileList = "# documents of one application\nhttps://files.example.com/a.jpg\n\npan-7\thttps://files.example.com/b.jpg\nhttps://files.example.com/c.jpg\n"

func TestBatchSubmitWaitResults(t *testing.T) {
	url, st := startAtlas(t)
	batchID := submit(t, url, fileList)
	if !strings.HasPrefix(batchID, "BATCH-") || strings.Contains(batchID, "\n") {
		t.Fatalf("submit printed %q, want the batch id alone", batchID)
	}
	finishAll(t, st, batchID, "5")

	_, progress, code := runBatch(t, append(append([]string{"wait", "--interval", "10ms"}, creds(url)...), batchID)...)
	if code != 1 || !strings.Contains(progress, "done 2/3  failed 1") || !strings.Contains(progress, "ETA 0s") {
		t.Errorf("wait: exit %d, progress %q; want exit 1 with done 2/3 failed 1", code, progress)
	}

	out, _, code := runBatch(t, append(append([]string{"results", "--format", "csv"}, creds(url)...), batchID)...)
	if code != 1 {
		t.Errorf("results with a failed document: exit %d, want 1", code)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	wantHead := "document_id,file_uuid,status,document_type,error_code,pan_number,pan_number_confidence,formatted_address,formatted_address_confidence"
	if len(rows) != 4 || strings.Join(rows[0], ",") != wantHead {
		t.Fatalf("csv:\n%s\nwant 4 rows under %s", out, wantHead)
	}
	want := [][]string{
		{"2", "done", "PAN", "", "ABCDE0000F", "0.9", `{"pincode":"411001"}`, "0.5"},
		{"pan-7", "done", "PAN", "", "ABCDE0001F", "0.9", "", ""},
		{"5", "failed", "", "UNREADABLE", "", "", "", ""},
	}
	for i, w := range want {
		r := rows[i+1]
		got := append([]string{r[0]}, r[2:]...)
		if strings.Join(got, "|") != strings.Join(w, "|") || r[1] == "" {
			t.Errorf("row %d = %q, want %q", i+1, r, w)
		}
	}

	out, _, _ = runBatch(t, append(append([]string{"results", "--format", "jsonl"}, creds(url)...), batchID)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("jsonl: %d lines, want 3:\n%s", len(lines), out)
	}
	var d client.Document
	if err := json.Unmarshal([]byte(lines[1]), &d); err != nil || d.DocumentID != "pan-7" || d.FileData["pan_number"].Value != "ABCDE0001F" {
		t.Errorf("jsonl line 2 = %s (%v)", lines[1], err)
	}
	out, _, _ = runBatch(t, append(append([]string{"results"}, creds(url)...), batchID)...)
	var all []client.Document
	if err := json.Unmarshal([]byte(out), &all); err != nil || len(all) != 3 || all[2].ErrorCode != "UNREADABLE" {
		t.Errorf("json: %d documents (%v):\n%s", len(all), err, out)
	}
}

func TestBatchAllDoneExitsZero(t *testing.T) {
	url, st := startAtlas(t)
	t.Setenv("ATLAS_URL", url)
	t.Setenv("ATLAS_CLIENT_ID", cliClientID)
	t.Setenv("ATLAS_CLIENT_SECRET", cliSecret)
	batchID := submit(t, url, fileList)
	finished := make(chan error, 1)
	go func() {
		time.Sleep(50 * time.Millisecond) // finish while wait polls
		finished <- finish(st, batchID)
	}()
	_, progress, code := runBatch(t, "wait", "--interval", "10ms", batchID)
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	if code != 0 || !strings.Contains(progress, "done 3/3  failed 0") {
		t.Errorf("wait: exit %d, progress %q; want 0 and done 3/3", code, progress)
	}
	if _, _, code := runBatch(t, "results", "--format", "csv", batchID); code != 0 {
		t.Errorf("results of a fully read batch: exit %d, want 0", code)
	}
}

func TestBatchExitCodes(t *testing.T) {
	url, _ := startAtlas(t)
	list := filepath.Join(t.TempDir(), "files.txt")
	os.WriteFile(list, []byte("https://files.example.com/a.jpg\n"), 0o600)
	empty := filepath.Join(t.TempDir(), "empty.txt")
	os.WriteFile(empty, []byte("# nothing\n"), 0o600)
	bad := []string{"--url", url, "--client-id", cliClientID, "--client-secret", "wrong-secret"}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"no credentials", []string{"results", "BATCH-1"}, 2},
		{"no batch", append([]string{"results"}, creds(url)...), 2},
		{"two batches", append(append([]string{"results"}, creds(url)...), "a", "b"), 2},
		{"bad format", append(append([]string{"results", "--format", "xml"}, creds(url)...), "a"), 2},
		{"bad flag", append(append([]string{"wait", "--nope"}, creds(url)...), "a"), 2},
		{"missing file", append(append([]string{"submit"}, creds(url)...), "/no/such/file"), 2},
		{"empty file", append(append([]string{"submit"}, creds(url)...), empty), 2},
		{"unknown batch", append(append([]string{"results"}, creds(url)...), "BATCH-00000-AAAAA-20260101000000"), 3},
		{"wrong secret", append(append([]string{"submit"}, bad...), list), 3},
		{"refused upload", append(append([]string{"submit", "--product-type", " "}, creds(url)...), list), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runBatch(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.want, errOut)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errFilesFailed, 1},
		{fmt.Errorf("x: %w", errFilesFailed), 1},
		{flag.ErrHelp, 2},
		{errors.New("usage"), 2},
		{apiFailure(errors.New("503")), 3},
		{fmt.Errorf("wrapped: %w", apiFailure(context.Canceled)), 3},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestReadFileList(t *testing.T) {
	tests := []struct {
		in      string
		want    string // id=url pairs
		wantErr bool
	}{
		{"https://a/1\nhttps://a/2\n", "1=https://a/1 2=https://a/2", false},
		{"# c\n\n x\thttps://a/1 \r\nhttps://a/2", "x=https://a/1 4=https://a/2", false},
		{"\thttps://a/1\n", "", true},
		{"x\t\n", "", true},
		{"# only\n\n", "", true},
	}
	for _, tt := range tests {
		got, err := readFileList(strings.NewReader(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("readFileList(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		var pairs []string
		for _, e := range got {
			pairs = append(pairs, e.DocumentID+"="+e.FileURL)
		}
		if s := strings.Join(pairs, " "); s != tt.want {
			t.Errorf("readFileList(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var p progress
	steps := []struct {
		at   time.Duration
		s    client.BatchSummary
		want string
	}{
		{0, client.BatchSummary{Total: 100, Done: 10, Queued: 90}, "done 10/100  failed 0  0.0 docs/s  ETA --"},
		{10 * time.Second, client.BatchSummary{Total: 100, Done: 25, Failed: 5, Queued: 70}, "done 25/100  failed 5  2.0 docs/s  ETA 35s"},
		{20 * time.Second, client.BatchSummary{Total: 100, Done: 90, Failed: 10}, "done 90/100  failed 10  4.5 docs/s  ETA 0s"},
	}
	for _, st := range steps {
		if got := p.line(st.s, t0.Add(st.at)); got != st.want {
			t.Errorf("at +%v: %q, want %q", st.at, got, st.want)
		}
	}
}

// runFlow runs atlas flow with args and returns its output and exit status.
func runFlow(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := flowCmd(args, &out, &errOut)
	return out.String(), errOut.String(), exitCode(err)
}

func TestFlowSubmitWaitResults(t *testing.T) {
	url, st := startAtlas(t)
	file := filepath.Join(t.TempDir(), "files.txt")
	var list strings.Builder
	for i := range 60 { // two uploads of at most 50
		fmt.Fprintf(&list, "doc-%02d\thttps://files.example.com/%d.jpg\n", i, i)
	}
	os.WriteFile(file, []byte(list.String()), 0o600)
	if _, _, code := runFlow(t, append(append([]string{"submit"}, creds(url)...), file)...); code != 2 {
		t.Errorf("submit without --application-id: exit %d, want 2", code)
	}
	out, errOut, code := runFlow(t, append(append([]string{"submit", "--application-id", "APP-1"}, creds(url)...), file)...)
	if code != 0 {
		t.Fatalf("flow submit: exit %d: %s", code, errOut)
	}
	flowID := strings.TrimSpace(out)
	docs, err := st.ListFlowDocuments(context.Background(), flowID)
	if err != nil || len(docs) != 60 {
		t.Fatalf("the flow has %d documents (%v), want 60", len(docs), err)
	}
	for _, batchID := range []string{docs[0].BatchID, docs[59].BatchID} {
		finishAll(t, st, batchID, "doc-59")
	}

	_, progress, code := runFlow(t, append(append([]string{"wait", "--interval", "10ms"}, creds(url)...), flowID)...)
	if code != 1 || !strings.Contains(progress, "done 59/60  failed 1") {
		t.Errorf("flow wait: exit %d, progress %q", code, progress)
	}
	out, _, code = runFlow(t, append(append([]string{"results", "--format", "csv"}, creds(url)...), flowID)...)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || code != 1 || len(rows) != 61 || rows[0][5] != "pan_number" || rows[1][0] != "doc-00" || rows[1][2] != "PROCESSING_SUCCESS" || rows[60][4] != "UNREADABLE" {
		t.Errorf("flow results csv: exit %d, %d rows (%v):\n%.400s", code, len(rows), err, out)
	}
	out, _, _ = runFlow(t, append(append([]string{"results"}, creds(url)...), flowID)...)
	var ex client.FlowExtracts
	if err := json.Unmarshal([]byte(out), &ex); err != nil || ex.FlowID != flowID || len(ex.OCRData) != 60 || ex.CrossChecks == nil {
		t.Errorf("flow results json: %v, flow %q, %d documents", err, ex.FlowID, len(ex.OCRData))
	}
	if _, _, code := runFlow(t, append(append([]string{"results"}, creds(url)...), "no-such-flow")...); code != 3 {
		t.Errorf("results of an unknown flow: exit %d, want 3", code)
	}
}

// startAtlasWithUploads is startAtlas with a blob store and an upload
// signer, so the server takes local files.
func startAtlasWithUploads(t *testing.T) (url string, st *store.SQLite) {
	t.Helper()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: cliClientID, Name: cliClientID, SecretHash: auth.HashSecret(cliSecret)}); err != nil {
		t.Fatal(err)
	}
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	signer, err := upload.NewSigner([]byte(strings.Repeat("u", 32)))
	if err != nil {
		t.Fatal(err)
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("c", 32)))
	s := api.New(st, bs, iss, api.Config{}, metrics.New(st, "all", "test"), slog.New(slog.DiscardHandler), st.Ping)
	s.SetUploadSigner(signer)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL, st
}

// writeDir makes a folder holding files (name → content); a name ending in
// "/" is a subfolder.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o700); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	jpegData = "\xff\xd8\xff\xe0\x00\x10JFIF\x00 a PAN card"
	pdfData  = "%PDF-1.7\n1 0 obj << >> endobj\n"
	pngData  = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
)

func TestBatchSubmitDir(t *testing.T) {
	url, st := startAtlasWithUploads(t)
	dir := writeDir(t, map[string]string{
		"pan.jpg": jpegData, "aadhaar.pdf": pdfData, "voter id.png": pngData,
		".DS_Store": "junk", "old/": "", "old/pan-2019.jpg": jpegData,
	})
	out, errOut, code := runBatch(t, append(append([]string{"submit", "--product-type", "PFL_CDL"}, creds(url)...), "--dir", dir)...)
	if code != 0 {
		t.Fatalf("submit --dir: exit %d, %s", code, errOut)
	}
	if !strings.Contains(errOut, "uploaded 3/3") {
		t.Errorf("stderr %q does not show the uploads' progress", errOut)
	}
	batchID := strings.TrimSpace(out)
	if !strings.HasPrefix(batchID, "BATCH-") {
		t.Fatalf("submit printed %q, want the batch id", out)
	}
	docs, err := st.ListDocuments(context.Background(), batchID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"aadhaar.pdf": pdfData, "pan.jpg": jpegData, "voter id.png": pngData}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.DocumentID)
		resp, err := http.Get(d.FileURL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != want[d.DocumentID] {
			t.Errorf("%s: its file_url %s answers %d %q, want the file", d.DocumentID, d.FileURL, resp.StatusCode, body)
		}
	}
	if got := strings.Join(ids, ","); got != "aadhaar.pdf,pan.jpg,voter id.png" {
		t.Errorf("document ids %s, want the file names in order, without dotfiles and subfolders", got)
	}
}

func TestBatchSubmitDirFailures(t *testing.T) {
	url, st := startAtlasWithUploads(t)
	plain, _ := startAtlas(t)
	good := writeDir(t, map[string]string{"pan.jpg": jpegData})
	tests := []struct {
		name     string
		url      string
		args     []string
		want     int
		contains string
	}{
		{"FILE and --dir", url, []string{"--dir", good, "list.txt"}, 2, "not both"},
		{"no FILE nor --dir", url, nil, 2, "one FILE"},
		{"missing folder", url, []string{"--dir", filepath.Join(good, "nope")}, 2, "nope"},
		{"only dotfiles and folders", url, []string{"--dir", writeDir(t, map[string]string{".env": "x", "sub/": ""})}, 2, "no files"},
		{"a file that is no document", url, []string{"--dir", writeDir(t, map[string]string{"a.jpg": jpegData, "notes.txt": "call back on Monday"})}, 3, "notes.txt"},
		{"server without uploads", plain, []string{"--dir", good}, 3, "501"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(append(append([]string{"batch", "submit"}, creds(tt.url)...), tt.args...), &out, &errOut)
			if code := exitCode(err); code != tt.want || err == nil || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("exit %d (%v), want %d with an error saying %q", code, err, tt.want, tt.contains)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q, want no batch id", out.String())
			}
		})
	}
	var batches int
	if err := st.Writer().QueryRow(`SELECT COUNT(*) FROM batch`).Scan(&batches); err != nil {
		t.Fatal(err)
	}
	if batches != 0 {
		t.Errorf("%d batches created by failed submissions, want 0", batches)
	}
}

func TestBatchUsageMentionsDir(t *testing.T) {
	out, _, code := runBatch(t, "help")
	if code != 0 || !strings.Contains(out, "--dir FOLDER") {
		t.Errorf("atlas batch help (exit %d) does not describe --dir:\n%s", code, out)
	}
}
