package app_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// buildAtlas builds the atlas binary once for the process tests.
func buildAtlas(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "atlas")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/atlas")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build atlas: %v\n%s", err, out)
	}
	return bin
}

type proc struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

var listenRe = regexp.MustCompile(`listening on http://(\S+)`)

// startProc runs `atlas serve` on dataDir and waits for its address.
func startProc(t *testing.T, bin, dataDir string, extra ...string) *proc {
	t.Helper()
	return startProcEnv(t, bin, dataDir, nil, extra...)
}

// startProcEnv is startProc with extra environment variables.
func startProcEnv(t *testing.T, bin, dataDir string, env []string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--dev-client", devID + ":" + devSecret,
		"--fetch-allow", "127.0.0.2/32", "--workers", "2", "--log-level", "warn", "--shutdown-timeout", "2m"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), "OMP_THREAD_LIMIT=1"), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listenRe.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case p.addr = <-addr:
	case err := <-p.done:
		t.Fatalf("atlas exited before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("atlas did not start in 60 s")
	}
	return p
}

func countStatus(items []apitest.Item, status string) int {
	n := 0
	for _, it := range items {
		if it.Status == status {
			n++
		}
	}
	return n
}

// TestRestartResumesBatch kills the server with SIGKILL mid-batch, restarts
// it, stops it with SIGTERM mid-batch (it must drain: nothing left
// processing), restarts it again, and finds every document read exactly
// once, with the right values.
func TestRestartResumesBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary through Tesseract; run without -short")
	}
	bin := buildAtlas(t)
	dataDir := t.TempDir()
	ds := startDocServer(t, func() string { return "127.0.0.1:1" })
	const n = 12
	var files []apitest.File
	for i := range n {
		typ := document.TypePAN
		if i%2 == 1 {
			typ = document.TypeAadhaar
		}
		name := fmt.Sprintf("doc%02d.png", i)
		files = append(files, apitest.File{URL: ds.addSample(t, name, int64(100+i), typ, docgen.Clean), DocumentID: name})
	}

	p := startProc(t, bin, dataDir)
	c := &apitest.Client{T: t, Base: "http://" + p.addr}
	c.Authenticate(devID, devSecret)
	batch := c.Upload(files)
	waitFor(t, c, batch, func(items []apitest.Item) bool { return countStatus(items, "done") >= 2 })
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done

	p = startProc(t, bin, dataDir)
	c.Base = "http://" + p.addr
	before, _ := c.Extracts(batch)
	waitFor(t, c, batch, func(items []apitest.Item) bool {
		return countStatus(items, "done") >= countStatus(before, "done")+2
	})
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("atlas did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("atlas did not drain and exit within 90 s of SIGTERM")
	}
	// Drained: no document was left half-read.
	db, err := sql.Open("sqlite", filepath.Join(dataDir, "atlas.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var processing int
	db.QueryRow(`SELECT count(*) FROM document WHERE status = 'processing'`).Scan(&processing)
	if processing != 0 {
		t.Errorf("%d documents left processing after SIGTERM", processing)
	}

	p = startProc(t, bin, dataDir)
	c.Base = "http://" + p.addr
	items := c.Wait(batch, 4*time.Minute)
	if len(items) != n {
		t.Fatalf("%d items, want %d", len(items), n)
	}
	// The interruptions changed nothing: the results are those of an
	// uninterrupted run over the same documents (Tesseract is
	// deterministic), and none is missing, repeated or out of order.
	ref := startProc(t, bin, t.TempDir())
	rc := &apitest.Client{T: t, Base: "http://" + ref.addr}
	rc.Authenticate(devID, devSecret)
	want := rc.Wait(rc.Upload(files), 4*time.Minute)
	seen := map[string]bool{}
	for i, it := range items {
		if it.DocumentID != files[i].DocumentID || seen[it.FileUUID] {
			t.Errorf("item %d: %s %s (duplicate or out of order)", i, it.DocumentID, it.FileUUID)
		}
		seen[it.FileUUID] = true
		// A redacted copy's link names the document and the server's
		// address: it differs between the two runs by design.
		delete(it.FileData, "redact_url")
		delete(want[i].FileData, "redact_url")
		if it.Status != want[i].Status || !reflect.DeepEqual(it.FileData, want[i].FileData) {
			t.Errorf("%s: %s %v after restarts, %s %v uninterrupted", it.DocumentID, it.Status, it.FileData, want[i].Status, want[i].FileData)
		}
		if it.Status != "done" || it.DocumentType() != string(ds.truth[it.DocumentID].Type) {
			t.Errorf("%s: %s %s %+v, want done %s", it.DocumentID, it.Status, it.DocumentType(), it.Error, ds.truth[it.DocumentID].Type)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done
	// Exactly one job per document, every one completed: nothing was
	// enqueued or finished twice.
	var jobs, completed int
	db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM river_job`).Scan(&jobs, &completed)
	if jobs != n || completed != n {
		t.Errorf("river_job: %d jobs, %d completed; want %d and %d", jobs, completed, n, n)
	}
}

func waitFor(t *testing.T, c *apitest.Client, batch string, cond func([]apitest.Item) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		items, err := c.Extracts(batch)
		if err != nil {
			t.Fatal(err)
		}
		if cond(items) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("condition not reached in 3 minutes")
}
