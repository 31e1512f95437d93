package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

func open(t *testing.T) *store.SQLite {
	t.Helper()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(context.Background(), store.Client{ID: "c", Name: "c", SecretHash: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	return st
}

func docs(n int) []store.Document {
	out := make([]store.Document, n)
	for i := range out {
		out[i] = store.Document{FileUUID: fmt.Sprintf("u-%d", i), DocumentID: fmt.Sprint(i), FileURL: "https://x.example/" + fmt.Sprint(i)}
	}
	return out
}

func TestMigrateRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	for _, step := range []func(context.Context) error{st.MigrateDown, st.Migrate, st.Migrate} {
		if err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.GetClient(ctx, "c"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after down and up, the old client is still there or the table is broken: %v", err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: "c2", Name: "c2", SecretHash: []byte{1}}); err != nil {
		t.Errorf("schema unusable after up, down, up: %v", err)
	}
}

// A batch whose jobs cannot be enqueued is not stored at all: a client
// never gets an answer for documents no job will read.
func TestCreateBatchIsAtomic(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	var enqueued int
	st.Enqueue = func(ctx context.Context, tx *sql.Tx, d []store.Document) error {
		enqueued = len(d)
		return errors.New("queue is down")
	}
	b := &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}
	if err := st.CreateBatch(ctx, b, docs(3)); err == nil {
		t.Fatal("CreateBatch succeeded although the enqueue failed")
	}
	if enqueued != 3 {
		t.Errorf("enqueue saw %d documents, want 3", enqueued)
	}
	if _, err := st.GetBatch(ctx, "c", "B1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the batch was kept: %v", err)
	}
	if ds, _ := st.ListDocuments(ctx, "B1", 0, 10); len(ds) != 0 {
		t.Errorf("%d documents were kept", len(ds))
	}
}

func TestBatchLifecycle(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	b := &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", IdempotencyKey: "k", RequestHash: []byte{9}}
	if err := st.CreateBatch(ctx, b, docs(5)); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B2", ClientID: "c", ProductType: "P", IdempotencyKey: "k"}, docs(1)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second batch with the same idempotency key: %v, want ErrConflict", err)
	}
	if got, err := st.BatchByIdempotencyKey(ctx, "c", "k"); err != nil || got.ID != "B1" || got.DocumentCount != 5 {
		t.Errorf("BatchByIdempotencyKey = %+v, %v", got, err)
	}
	if _, err := st.GetBatch(ctx, "other-client", "B1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client sees the batch: %v", err)
	}
	page, _ := st.ListDocuments(ctx, "B1", 2, 2)
	if len(page) != 2 || page[0].Seq != 3 || page[1].DocumentID != "3" || page[0].Status != document.StatusQueued {
		t.Errorf("ListDocuments(offset 2, limit 2) = %+v", page)
	}

	if err := st.StartDocument(ctx, "u-0"); err != nil {
		t.Fatal(err)
	}
	fd := document.NewFileData(document.TypePAN)
	fd.Set("pan_number", document.Field{Value: "ABCPK1234F", Confidence: 0.97})
	// A failing "also" (the job's completion) rolls the result back.
	err := st.FinishDocument(ctx, "u-0", store.Result{FileData: fd}, func(context.Context, *sql.Tx) error { return errors.New("boom") })
	if d, _ := st.GetDocument(ctx, "u-0"); err == nil || d.Status != document.StatusProcessing || d.Attempts != 1 {
		t.Errorf("after a failed completion: %v, status %s attempts %d", err, d.Status, d.Attempts)
	}
	if err := st.FinishDocument(ctx, "u-0", store.Result{FileData: fd}, nil); err != nil {
		t.Fatal(err)
	}
	d, _ := st.GetDocument(ctx, "u-0")
	if f, ok := d.FileData.Get("pan_number"); d.Status != document.StatusDone || !ok || f.Value != "ABCPK1234F" {
		t.Errorf("stored result: %s %+v", d.Status, d.FileData)
	}
	ferr := &document.Error{Code: document.CodeFetchFailed, Message: "expired", UpstreamStatus: 403}
	if err := st.FinishDocument(ctx, "u-1", store.Result{Error: ferr}, nil); err != nil {
		t.Fatal(err)
	}
	d, _ = st.GetDocument(ctx, "u-1")
	if d.Status != document.StatusFailed || d.Error == nil || d.Error.UpstreamStatus != 403 || d.Error.Code != document.CodeFetchFailed {
		t.Errorf("stored failure: %s %+v", d.Status, d.Error)
	}

	st.StartDocument(ctx, "u-2")
	st.StartDocument(ctx, "u-3")
	st.RequeueDocument(ctx, "u-3")
	if n, err := st.RequeueAllProcessing(ctx); err != nil || n != 1 {
		t.Errorf("RequeueAllProcessing = %d, %v; want 1 (u-2)", n, err)
	}
	counts, _ := st.CountByStatus(ctx)
	if counts[document.StatusQueued] != 3 || counts[document.StatusDone] != 1 || counts[document.StatusFailed] != 1 {
		t.Errorf("CountByStatus = %v", counts)
	}
}
