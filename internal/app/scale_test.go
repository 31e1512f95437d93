package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/blob/blobtest"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// postgresSchema returns ATLAS_TEST_DATABASE_URL pointed at a fresh
// schema, dropped when the test ends. Without the variable the test is
// skipped, except on CI, where a missing database is a broken runner.
func postgresSchema(t *testing.T) (dsn string, conn *pgx.Conn) {
	t.Helper()
	base := os.Getenv("ATLAS_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("ATLAS_TEST_DATABASE_URL is not set on CI; make test sets it where PostgreSQL answers on 127.0.0.1:5432")
		}
		t.Skip("ATLAS_TEST_DATABASE_URL is not set: run through make test with PostgreSQL on 127.0.0.1:5432")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "scale_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SET search_path TO "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(context.Background())
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, conn
}

// TestScaleOut runs one API process and three worker processes on
// PostgreSQL and an S3-compatible server (versitygw on loopback), sends
// 300 documents, kills one worker with SIGKILL and stops another with
// SIGTERM mid-run: every document ends done exactly once (one job each,
// completed), with the results a single process gives for the same files.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("several processes through Tesseract; run without -short")
	}
	dsn, conn := postgresSchema(t)
	s3URL, s3Env := blobtest.StartS3(t)
	var env []string
	for k, v := range s3Env {
		env = append(env, k+"="+v)
	}
	bin := buildAtlas(t)
	ds := startDocServer(t, func() string { return "127.0.0.1:1" })

	// 30 distinct cards, each under 10 URLs: 300 documents to read, 30
	// to compare with a single process.
	const distinct, copies = 30, 10
	var samples []apitest.File
	for i := range distinct {
		typ := document.TypePAN
		if i%2 == 1 {
			typ = document.TypeAadhaar
		}
		name := fmt.Sprintf("s%02d.png", i)
		samples = append(samples, apitest.File{URL: ds.addSample(t, name, int64(300+i), typ, docgen.Clean), DocumentID: name})
	}
	var batches [][]apitest.File
	for c := range copies {
		var files []apitest.File
		for i, s := range samples {
			files = append(files, apitest.File{URL: fmt.Sprintf("%s?copy=%d", s.URL, c), DocumentID: fmt.Sprintf("c%d-%02d", c, i)})
		}
		batches = append(batches, files)
	}

	common := []string{"--database-url", dsn, "--blob-url", s3URL, "--jwt-key", strings.Repeat("k", 32),
		"--job-timeout", "20s", "--rescue-after", "25s"}
	api := startProcEnv(t, bin, t.TempDir(), env, append([]string{"--role", "api"}, common...)...)
	var workers []*proc
	for range 3 {
		workers = append(workers, startProcEnv(t, bin, t.TempDir(), env, append([]string{"--role", "worker", "--workers", "1"}, common...)...))
	}
	for _, p := range append([]*proc{api}, workers...) {
		resp, err := http.Get("http://" + p.addr + "/readyz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s not ready: %v", p.addr, err)
		}
		resp.Body.Close()
	}

	c := &apitest.Client{T: t, Base: "http://" + api.addr}
	c.Authenticate(devID, devSecret)
	var ids []string
	for _, files := range batches {
		ids = append(ids, c.Upload(files))
	}
	done := func() int {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM document WHERE status IN ('done', 'failed')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitDone := func(n int, within time.Duration) {
		t.Helper()
		for deadline := time.Now().Add(within); done() < n; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d documents finished in %s", done(), n, within)
			}
		}
	}
	waitDone(40, 4*time.Minute)
	// A worker dies holding a job; River's rescuer gives it to another
	// after --rescue-after.
	workers[0].cmd.Process.Signal(syscall.SIGKILL)
	<-workers[0].done
	waitDone(120, 4*time.Minute)
	// Another is stopped: it takes no more jobs and finishes its own.
	workers[1].cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-workers[1].done:
		if err != nil {
			t.Errorf("worker did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("worker did not drain and exit within a minute of SIGTERM")
	}
	waitDone(distinct*copies, 6*time.Minute)

	// One job per document, each completed once.
	var jobs, completed int
	conn.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM river_job WHERE kind = 'process_document'`).Scan(&jobs, &completed)
	if jobs != distinct*copies || completed != jobs {
		t.Errorf("river_job: %d document jobs, %d completed; want %d each", jobs, completed, distinct*copies)
	}

	// The same results as one process reading the 30 files.
	ref, stop := startAtlas(t, nil)
	defer stop()
	rc := &apitest.Client{T: t, Base: "http://" + ref.Addr()}
	rc.Authenticate(devID, devSecret)
	want := rc.Wait(rc.Upload(samples), 4*time.Minute)
	for b, id := range ids {
		items := c.Wait(id, time.Minute)
		if len(items) != distinct {
			t.Fatalf("batch %d: %d items", b, len(items))
		}
		for i, it := range items {
			if u := it.Value("redact_url"); u != "" && b == 0 && i == 1 {
				// Written by a worker to the object store, read back by
				// the API process.
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("Token", c.Token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
					t.Errorf("redacted copy through the API: %v, status %v", err, resp.Status)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
			delete(it.FileData, "redact_url") // names the server it came from
			delete(want[i].FileData, "redact_url")
			if it.Status != "done" || want[i].Status != "done" || !reflect.DeepEqual(it.FileData, want[i].FileData) {
				t.Errorf("batch %d %s: %s %v; one process: %s %v", b, it.DocumentID, it.Status, it.FileData, want[i].Status, want[i].FileData)
			}
		}
	}
	for _, p := range append([]*proc{api}, workers[2]) {
		p.cmd.Process.Signal(syscall.SIGTERM)
		<-p.done
	}
}
