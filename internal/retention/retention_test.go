package retention_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/retention"
	"github.com/atlas-oss/atlas/internal/store"
)

type worker = retention.Worker[*riversqlite.Driver, *sql.Tx]

type env struct {
	t     *testing.T
	store *store.SQLite
	blobs *blob.Store
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: "c", Name: "c", SecretHash: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	return &env{t: t, store: st, blobs: bs}
}

// batch stores a bulk batch of one document whose original holds data,
// and returns the blob's key.
func (e *env) batch(id string, data string) string {
	e.t.Helper()
	ctx := context.Background()
	doc := store.Document{FileUUID: id + "-doc", DocumentID: "1", FileURL: "https://files.example/" + id + "?secret-token"}
	if err := e.store.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "c", ProductType: "P"}, []store.Document{doc}); err != nil {
		e.t.Fatal(err)
	}
	return e.putFor(doc.FileUUID, data)
}

func (e *env) putFor(fileUUID, data string) string {
	e.t.Helper()
	ctx := context.Background()
	key, err := e.blobs.Put(ctx, []byte(data))
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.SetBlobKey(ctx, fileUUID, key); err != nil {
		e.t.Fatal(err)
	}
	return key
}

func (e *env) exists(key string) bool {
	e.t.Helper()
	ok, err := e.blobs.Exists(context.Background(), key)
	if err != nil {
		e.t.Fatal(err)
	}
	return ok
}

func (e *env) documents() int {
	e.t.Helper()
	counts, err := e.store.CountByStatus(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// More batches than one store call takes are purged in several, with
// every blob only they used, and nothing younger than MaxAge.
func TestPurgeRemovesTheExpiredAndKeepsTheRest(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	var oldKeys []string
	for i := range retention.BatchSize + 30 {
		oldKeys = append(oldKeys, e.batch(fmt.Sprintf("OLD-%03d", i), fmt.Sprint("old original ", i)))
	}
	shared := e.batch("OLD-SHARED", "the same bytes")
	f := &store.Flow{ID: "flow-old", ClientID: "c", ProductType: "P", ApplicationID: "APP-1", CallbackURL: "https://los.example/cb"}
	if err := e.store.CreateFlow(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateBatch(ctx, &store.Batch{ID: "FB", ClientID: "c", ProductType: "P", FlowID: f.ID},
		[]store.Document{{FileUUID: "flow-doc", DocumentID: "1", FileURL: "https://files.example/f"}}); err != nil {
		t.Fatal(err)
	}
	redacted, err := e.blobs.Put(ctx, []byte("redacted copy"))
	if err != nil {
		t.Fatal(err)
	}
	oldKeys = append(oldKeys, e.putFor("flow-doc", "flow original"), redacted)
	if err := e.store.FinishDocument(ctx, "flow-doc", store.Result{FileData: document.NewFileData(document.TypeAadhaar), RedactedKey: redacted}, nil); err != nil {
		t.Fatal(err)
	}

	// Old and young are apart by more than the stores' precision.
	time.Sleep(10 * time.Millisecond)
	mid := time.Now()
	time.Sleep(10 * time.Millisecond)
	young := e.batch("YOUNG", "young original")
	if again := e.batch("YOUNG-SHARED", "the same bytes"); again != shared {
		t.Fatalf("the same bytes got keys %s and %s", shared, again)
	}

	var logs bytes.Buffer
	maxAge := 24 * time.Hour
	w := &worker{Store: e.store, Blobs: e.blobs, MaxAge: maxAge, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Now: func() time.Time { return mid.Add(maxAge) }}
	if err := w.Work(ctx, &river.Job[retention.PurgeArgs]{}); err != nil {
		t.Fatal(err)
	}
	for _, k := range oldKeys {
		if e.exists(k) {
			t.Errorf("blob %s of a purged document is still there", k)
		}
	}
	for _, k := range []string{young, shared} {
		if !e.exists(k) {
			t.Errorf("blob %s of a kept document was deleted", k)
		}
	}
	if n := e.documents(); n != 2 {
		t.Errorf("%d documents left, want the 2 young ones", n)
	}
	if _, err := e.store.FlowByID(ctx, f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the old flow: %v, want ErrNotFound", err)
	}
	out := logs.String()
	wantCounts := fmt.Sprintf("deleted=%d blobs_deleted=%d blob_failures=0", retention.BatchSize+32, len(oldKeys))
	if !strings.Contains(out, "purge_done") || !strings.Contains(out, wantCounts) {
		t.Errorf("log %q does not report %q", out, wantCounts)
	}
	for _, secret := range []string{"files.example", "secret-token", "OLD-", "flow-old", "APP-1", "-doc"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log names what was deleted (%q): %s", secret, out)
		}
	}
}

// flakyBlobs fails to delete one key.
type flakyBlobs struct {
	retention.Blobs
	bad string
}

func (f flakyBlobs) Delete(ctx context.Context, key string) error {
	if key == f.bad {
		return errors.New("bucket unreachable")
	}
	return f.Blobs.Delete(ctx, key)
}

// failingStore fails every purge.
type failingStore struct{}

func (failingStore) PurgeBefore(context.Context, time.Time, int) (int, []string, error) {
	return 0, nil, errors.New("database is down")
}

func TestPurgeFaults(t *testing.T) {
	ctx := context.Background()
	later := func() time.Time { return time.Now().Add(48 * time.Hour) }

	t.Run("a blob that cannot be deleted is counted, not fatal", func(t *testing.T) {
		e := newEnv(t)
		bad, good := e.batch("B1", "one"), e.batch("B2", "two")
		var logs bytes.Buffer
		w := &worker{Store: e.store, Blobs: flakyBlobs{Blobs: e.blobs, bad: bad}, MaxAge: time.Hour, Now: later,
			Log: slog.New(slog.NewTextHandler(&logs, nil))}
		st, err := w.Purge(ctx)
		if err != nil {
			t.Fatalf("Purge failed for one blob: %v", err)
		}
		if st != (retention.Stats{Deleted: 2, Blobs: 1, BlobFailures: 1}) {
			t.Errorf("stats %+v", st)
		}
		if e.exists(good) || !e.exists(bad) || e.documents() != 0 {
			t.Errorf("after the purge: good blob kept %v, bad blob kept %v, %d documents", e.exists(good), e.exists(bad), e.documents())
		}
		if !strings.Contains(logs.String(), "purge_blob_delete_failed") {
			t.Errorf("the failure was not logged: %s", logs.String())
		}
	})

	t.Run("a store failure fails the job", func(t *testing.T) {
		w := &worker{Store: failingStore{}, Blobs: nil, MaxAge: time.Hour}
		if err := w.Work(ctx, &river.Job[retention.PurgeArgs]{}); err == nil || !strings.Contains(err.Error(), "database is down") {
			t.Errorf("Work = %v, want the store's error", err)
		}
	})

	t.Run("no max age keeps everything", func(t *testing.T) {
		e := newEnv(t)
		key := e.batch("B1", "one")
		for _, age := range []time.Duration{0, -time.Hour} {
			w := &worker{Store: e.store, Blobs: e.blobs, MaxAge: age, Now: later}
			if st, err := w.Purge(ctx); err != nil || st != (retention.Stats{}) {
				t.Errorf("MaxAge %v: %+v, %v", age, st, err)
			}
		}
		if !e.exists(key) || e.documents() != 1 {
			t.Error("a purge without a max age deleted something")
		}
	})

	t.Run("nothing old enough", func(t *testing.T) {
		e := newEnv(t)
		key := e.batch("B1", "one")
		w := &worker{Store: e.store, Blobs: e.blobs, MaxAge: time.Hour}
		if st, err := w.Purge(ctx); err != nil || st != (retention.Stats{}) {
			t.Errorf("Purge = %+v, %v; want nothing deleted", st, err)
		}
		if !e.exists(key) || e.documents() != 1 {
			t.Error("a document younger than MaxAge was purged")
		}
	})
}

// The periodic job runs on River as the app registers it: once at start,
// it purges the expired batches.
func TestPeriodicJobOnRiver(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	key := e.batch("B1", "one")
	driver := riversqlite.New(e.store.Writer())
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &worker{Store: e.store, Blobs: e.blobs, MaxAge: time.Hour,
		Now: func() time.Time { return time.Now().Add(2 * time.Hour) }})
	client, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
		Workers:           workers,
		PeriodicJobs:      []*river.PeriodicJob{retention.Periodic(time.Hour)},
		FetchPollInterval: 200 * time.Millisecond,
		Logger:            slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx)
	select {
	case ev := <-events:
		if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != "purge_expired" {
			t.Fatalf("event %s for a %s job, want a completed purge_expired", ev.Kind, ev.Job.Kind)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no purge ran within 30 s of the client's start")
	}
	if e.documents() != 0 || e.exists(key) {
		t.Errorf("after the periodic purge: %d documents, blob kept %v", e.documents(), e.exists(key))
	}
}
