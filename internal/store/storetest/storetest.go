// Package storetest is the conformance suite every store.Store passes:
// SQLite and PostgreSQL must behave alike, down to the errors they return
// and what a concurrent caller can observe. Each store's own test file
// calls Run with a function that opens a fresh store.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

// Run runs the suite. open must return a new, empty, migrated store of its
// own for each call (a fresh file or schema) and close it in t.Cleanup; it
// is called from parallel subtests.
func Run[TTx any](t *testing.T, open func(t *testing.T) store.Store[TTx]) {
	s := suite[TTx]{open: open}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"MigrateRoundTrip", s.migrateRoundTrip},
		{"Clients", s.clients},
		{"CreateBatchIsAtomic", s.createBatchIsAtomic},
		{"BatchLifecycle", s.batchLifecycle},
		{"ResultsKeepFieldOrder", s.resultsKeepFieldOrder},
		{"FlowLifecycle", s.flowLifecycle},
		{"FlowParamsByteExact", s.flowParamsByteExact},
		{"FlowOfDocumentTx", s.flowOfDocumentTx},
		{"LastDocumentsFinishingConcurrently", s.lastDocumentsFinishingConcurrently},
		{"CloseFlowRacingCreateBatch", s.closeFlowRacingCreateBatch},
		{"SaveCrossChecksKeepsTheNewest", s.saveCrossChecksKeepsTheNewest},
		{"CallbacksAndAttempts", s.callbacksAndAttempts},
		{"CallbackSecret", s.callbackSecret},
		{"DeleteBatch", s.deleteBatch},
		{"DeleteFlow", s.deleteFlow},
		{"PurgeBefore", s.purgeBefore},
		{"DeleteFlowRacingFinish", s.deleteFlowRacingFinish},
		{"BoxesRoundTrip", s.boxesRoundTrip},
		{"Corrections", s.corrections},
		{"CorrectionsGoWithTheirDocuments", s.correctionsGoWithTheirDocuments},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t)
		})
	}
}

type suite[TTx any] struct {
	open func(t *testing.T) store.Store[TTx]
}

// store opens a fresh store holding one client, "c".
func (s suite[TTx]) store(t *testing.T) store.Store[TTx] {
	t.Helper()
	st := s.open(t)
	if err := st.CreateClient(context.Background(), store.Client{ID: "c", Name: "c", SecretHash: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	return st
}

func docs(prefix string, n int) []store.Document {
	out := make([]store.Document, n)
	for i := range out {
		out[i] = store.Document{FileUUID: fmt.Sprintf("%su-%d", prefix, i), DocumentID: fmt.Sprint(i), FileURL: "https://x.example/" + fmt.Sprint(i)}
	}
	return out
}

func createFlow[TTx any](t *testing.T, st store.Store[TTx], id, app, ref string) *store.Flow {
	t.Helper()
	f := &store.Flow{ID: id, ClientID: "c", ProductType: "PROD_CDL", ApplicationID: app, ExternalReferenceID: ref,
		CallbackURL: "https://los.example/cb", Params: json.RawMessage(`{"name":"A B"}`)}
	if err := st.CreateFlow(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f
}

func panResult() store.Result {
	return store.Result{FileData: document.NewFileData(document.TypePAN)}
}

// Down, up, up: the data is gone, applying twice is harmless and every
// table is usable again.
func (s suite[TTx]) migrateRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	for _, step := range []func(context.Context) error{st.MigrateDown, st.Migrate, st.Migrate} {
		if err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.GetClient(ctx, "c"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after down and up, the old client is still there or the table is broken: %v", err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: "c", Name: "c", SecretHash: []byte{1}}); err != nil {
		t.Fatalf("schema unusable after down, up, up: %v", err)
	}
	f := createFlow(t, st, "f1", "APP-1", "")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: f.ID}, docs("", 1)); err != nil {
		t.Fatalf("batch after down, up, up: %v", err)
	}
	err := st.InTx(ctx, func(ctx context.Context, tx TTx) error {
		return st.InsertCallbackTx(ctx, tx, &store.Callback{ID: "cb1", ClientID: "c", FlowID: f.ID, Event: "document.processed", URL: f.CallbackURL, Body: []byte(`{}`)})
	})
	if err != nil {
		t.Fatalf("callback after down, up, up: %v", err)
	}
	if err := st.SaveCorrection(ctx, "c", "u-0", store.Correction{Field: "name", Value: "A B", Reviewer: "r"}); err != nil {
		t.Fatalf("correction after down, up, up: %v", err)
	}
	if err := st.MigrateDown(ctx); err != nil {
		t.Fatalf("down with data in every table: %v", err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}

func (s suite[TTx]) clients(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	if err := st.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	c := store.Client{ID: "c", Name: "first", SecretHash: []byte{1, 2}, AadhaarLast4Only: true}
	if err := st.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, c); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second client with the same id: %v, want ErrConflict", err)
	}
	got, err := st.GetClient(ctx, "c")
	if err != nil || got.Name != "first" || !slices.Equal(got.SecretHash, []byte{1, 2}) || !got.AadhaarLast4Only || got.CreatedAt.IsZero() {
		t.Errorf("GetClient = %+v, %v", got, err)
	}
	if err := st.UpsertClient(ctx, store.Client{ID: "c", Name: "second", SecretHash: []byte{3}}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertClient(ctx, store.Client{ID: "d", Name: "new", SecretHash: []byte{4}}); err != nil {
		t.Fatal(err)
	}
	got, err = st.GetClient(ctx, "c")
	if err != nil || got.Name != "second" || !slices.Equal(got.SecretHash, []byte{3}) || got.AadhaarLast4Only {
		t.Errorf("after upsert: %+v, %v", got, err)
	}
	if got, err := st.GetClient(ctx, "d"); err != nil || got.Name != "new" {
		t.Errorf("upserted new client: %+v, %v", got, err)
	}
	if _, err := st.GetClient(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown client: %v, want ErrNotFound", err)
	}
}

// A batch whose jobs cannot be enqueued is not stored at all: a client
// never gets an answer for documents no job will read.
func (s suite[TTx]) createBatchIsAtomic(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	var enqueued int
	st.SetEnqueue(func(ctx context.Context, tx TTx, d []store.Document) error {
		enqueued = len(d)
		return errors.New("queue is down")
	})
	b := &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}
	if err := st.CreateBatch(ctx, b, docs("", 3)); err == nil {
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

	// The enqueue runs inside the transaction: it reads the new rows.
	var seen []document.Status
	st.SetEnqueue(func(ctx context.Context, tx TTx, d []store.Document) error {
		for _, doc := range d {
			got, err := st.GetDocumentTx(ctx, tx, doc.FileUUID)
			if err != nil {
				return err
			}
			seen = append(seen, got.Status)
		}
		return nil
	})
	if err := st.CreateBatch(ctx, b, docs("", 2)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []document.Status{document.StatusQueued, document.StatusQueued}) {
		t.Errorf("enqueue saw the documents as %v, want both queued", seen)
	}
}

func (s suite[TTx]) batchLifecycle(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	b := &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", IdempotencyKey: "k", RequestHash: []byte{9}}
	if err := st.CreateBatch(ctx, b, docs("", 5)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    *store.Batch
		docs []store.Document
	}{
		{"same idempotency key", &store.Batch{ID: "B2", ClientID: "c", ProductType: "P", IdempotencyKey: "k"}, docs("x", 1)},
		{"same batch id", &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}, docs("y", 1)},
		{"same file uuid", &store.Batch{ID: "B3", ClientID: "c", ProductType: "P"}, docs("", 1)},
	} {
		if err := st.CreateBatch(ctx, tc.b, tc.docs); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a batch with the %s: %v, want ErrConflict", tc.name, err)
		}
	}
	// Batches without a key do not collide on the absent key.
	for _, id := range []string{"B4", "B5"} {
		if err := st.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "c", ProductType: "P"}, docs(id, 1)); err != nil {
			t.Errorf("batch %s without an idempotency key: %v", id, err)
		}
	}
	got, err := st.BatchByIdempotencyKey(ctx, "c", "k")
	if err != nil || got.ID != "B1" || got.DocumentCount != 5 || !slices.Equal(got.RequestHash, []byte{9}) || got.FlowID != "" || got.CreatedAt.IsZero() {
		t.Errorf("BatchByIdempotencyKey = %+v, %v", got, err)
	}
	if _, err := st.BatchByIdempotencyKey(ctx, "other-client", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client's key: %v, want ErrNotFound", err)
	}
	if _, err := st.GetBatch(ctx, "other-client", "B1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client sees the batch: %v", err)
	}
	if got, err := st.GetBatch(ctx, "c", "B1"); err != nil || got.IdempotencyKey != "k" || got.ProductType != "P" {
		t.Errorf("GetBatch = %+v, %v", got, err)
	}
	page, _ := st.ListDocuments(ctx, "B1", 2, 2)
	if len(page) != 2 || page[0].Seq != 3 || page[1].DocumentID != "3" || page[0].Status != document.StatusQueued || page[0].BatchID != "B1" {
		t.Errorf("ListDocuments(offset 2, limit 2) = %+v", page)
	}
	if page, _ := st.ListDocuments(ctx, "B1", 5, 2); len(page) != 0 {
		t.Errorf("a page past the end has %d documents", len(page))
	}

	if err := st.StartDocument(ctx, "u-0"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetBlobKey(ctx, "u-0", "blobs/u-0"); err != nil {
		t.Fatal(err)
	}
	fd := document.NewFileData(document.TypePAN)
	fd.Set("pan_number", document.Field{Value: "ABCPK1234F", Confidence: 0.97})
	// A failing "also" (the job's completion) rolls the result back.
	err = st.FinishDocument(ctx, "u-0", store.Result{FileData: fd}, func(context.Context, TTx) error { return errors.New("boom") })
	if d, _ := st.GetDocument(ctx, "u-0"); err == nil || d.Status != document.StatusProcessing || d.Attempts != 1 || d.FileData != nil {
		t.Errorf("after a failed completion: %v, status %s attempts %d", err, d.Status, d.Attempts)
	}
	// A successful "also" sees the result in its transaction.
	var inTx document.Status
	err = st.FinishDocument(ctx, "u-0", store.Result{FileData: fd, RedactedKey: "blobs/u-0.redacted"}, func(ctx context.Context, tx TTx) error {
		d, err := st.GetDocumentTx(ctx, tx, "u-0")
		if err == nil {
			inTx = d.Status
		}
		return err
	})
	if err != nil || inTx != document.StatusDone {
		t.Fatalf("FinishDocument: %v; the transaction saw %q", err, inTx)
	}
	d, _ := st.GetDocument(ctx, "u-0")
	if f, ok := d.FileData.Get("pan_number"); d.Status != document.StatusDone || !ok || f.Value != "ABCPK1234F" || f.Confidence != 0.97 || d.Error != nil {
		t.Errorf("stored result: %s %+v", d.Status, d.FileData)
	}
	if d.BlobKey != "blobs/u-0" || d.RedactedKey != "blobs/u-0.redacted" || d.UpdatedAt.Before(d.CreatedAt) || d.CreatedAt.Location() != time.UTC {
		t.Errorf("stored document: blob %q redacted %q created %v updated %v", d.BlobKey, d.RedactedKey, d.CreatedAt, d.UpdatedAt)
	}
	if err := st.FinishDocument(ctx, "u-1", store.Result{}, nil); err == nil {
		t.Error("an empty result was stored")
	}
	ferr := &document.Error{Code: document.CodeFetchFailed, Message: "expired", UpstreamStatus: 403}
	if err := st.FinishDocument(ctx, "u-1", store.Result{Error: ferr}, nil); err != nil {
		t.Fatal(err)
	}
	d, _ = st.GetDocument(ctx, "u-1")
	if d.Status != document.StatusFailed || d.Error == nil || d.Error.UpstreamStatus != 403 || d.Error.Code != document.CodeFetchFailed || d.Error.Message != "expired" || d.FileData != nil {
		t.Errorf("stored failure: %s %+v", d.Status, d.Error)
	}
	// A finished document is not started again.
	if err := st.StartDocument(ctx, "u-1"); err != nil {
		t.Fatal(err)
	}
	if d, _ := st.GetDocument(ctx, "u-1"); d.Status != document.StatusFailed || d.Attempts != 0 {
		t.Errorf("a failed document was restarted: %s, %d attempts", d.Status, d.Attempts)
	}
	if _, err := st.GetDocument(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown document: %v, want ErrNotFound", err)
	}

	st.StartDocument(ctx, "u-2")
	st.StartDocument(ctx, "u-3")
	st.RequeueDocument(ctx, "u-3")
	if n, err := st.RequeueAllProcessing(ctx); err != nil || n != 1 {
		t.Errorf("RequeueAllProcessing = %d, %v; want 1 (u-2)", n, err)
	}
	counts, _ := st.CountByStatus(ctx)
	// u-2, u-3, u-4, B4u-0, B5u-0
	want := map[document.Status]int{document.StatusQueued: 5, document.StatusDone: 1, document.StatusFailed: 1}
	if len(counts) != len(want) || counts[document.StatusQueued] != 5 || counts[document.StatusDone] != 1 || counts[document.StatusFailed] != 1 {
		t.Errorf("CountByStatus = %v, want %v", counts, want)
	}
	// Counting only some statuses (the metrics' queue depth).
	unfinished, err := st.CountByStatus(ctx, document.StatusQueued, document.StatusProcessing)
	if err != nil || len(unfinished) != 1 || unfinished[document.StatusQueued] != 5 {
		t.Errorf("CountByStatus(queued, processing) = %v, %v; want only queued: 5", unfinished, err)
	}
}

// A result is read back with its fields in the order they were set: the
// API returns them in that order.
func (s suite[TTx]) resultsKeepFieldOrder(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}, docs("", 1)); err != nil {
		t.Fatal(err)
	}
	fd := document.NewFileData(document.TypePAN)
	names := []string{"zeta_last_alphabetically", "a", "name", "date_of_birth", "pan_number"}
	for i, n := range names {
		fd.Set(n, document.Field{Value: fmt.Sprint(i), Confidence: 0.5})
	}
	if err := st.FinishDocument(ctx, "u-0", store.Result{FileData: fd}, nil); err != nil {
		t.Fatal(err)
	}
	d, err := st.GetDocument(ctx, "u-0")
	if err != nil || d.FileData == nil {
		t.Fatalf("GetDocument = %+v, %v", d, err)
	}
	if got := d.FileData.Names(); !slices.Equal(got, names) {
		t.Errorf("field order %v, want %v", got, names)
	}
	if d.FileData.Type != document.TypePAN {
		t.Errorf("type %q", d.FileData.Type)
	}
}

// One open flow per application and reference; closing it frees the
// pair, and a closed flow refuses documents.
func (s suite[TTx]) flowLifecycle(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	f := createFlow(t, st, "f1", "APP-1", "REF-1")
	if err := st.CreateFlow(ctx, &store.Flow{ID: "f2", ClientID: "c", ProductType: "P", ApplicationID: "APP-1", ExternalReferenceID: "REF-1"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second open flow for the same application and reference: %v, want ErrConflict", err)
	}
	if err := st.CreateFlow(ctx, &store.Flow{ID: "f1", ClientID: "c", ProductType: "P", ApplicationID: "APP-9"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second flow with the same id: %v, want ErrConflict", err)
	}
	createFlow(t, st, "f3", "APP-1", "REF-2") // another reference is another flow
	if open, err := st.OpenFlowFor(ctx, "c", "APP-1", "REF-1"); err != nil || open.ID != f.ID {
		t.Errorf("OpenFlowFor = %v, %v; want %s", open, err, f.ID)
	}
	if _, err := st.GetFlow(ctx, "someone-else", f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client's flow: %v, want ErrNotFound", err)
	}
	got, err := st.GetFlow(ctx, "c", f.ID)
	if err != nil || got.Closed() || got.CrossChecks != nil || !got.CrossChecksAt.IsZero() || !got.CreatedAt.Equal(f.CreatedAt) || got.CallbackURL != f.CallbackURL {
		t.Errorf("new flow: %+v, %v (created %v)", got, err, f.CreatedAt)
	}

	b := &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: f.ID}
	if err := st.CreateBatch(ctx, b, docs("", 2)); err != nil {
		t.Fatal(err)
	}
	if got, err := st.GetBatch(ctx, "c", "B1"); err != nil || got.FlowID != f.ID {
		t.Errorf("flow batch: %+v, %v", got, err)
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B9", ClientID: "someone-else", ProductType: "P", FlowID: f.ID}, docs("x", 1)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("upload to another client's flow: %v, want ErrNotFound", err)
	}
	if err := st.CloseFlow(ctx, "someone-else", f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("closing another client's flow: %v, want ErrNotFound", err)
	}
	if err := st.CloseFlow(ctx, "c", f.ID); err != nil {
		t.Fatal(err)
	}
	got, err = st.GetFlow(ctx, "c", f.ID)
	if err != nil || !got.Closed() || string(got.Params) != `{"name":"A B"}` {
		t.Fatalf("after close: %+v, %v", got, err)
	}
	if err := st.CloseFlow(ctx, "c", f.ID); err != nil {
		t.Errorf("closing a closed flow: %v", err)
	}
	if again, _ := st.GetFlow(ctx, "c", f.ID); !again.ClosedAt.Equal(got.ClosedAt) {
		t.Errorf("closing again moved closed_at from %v to %v", got.ClosedAt, again.ClosedAt)
	}
	if _, err := st.OpenFlowFor(ctx, "c", "APP-1", "REF-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenFlowFor a closed flow: %v, want ErrNotFound", err)
	}
	d := docs("", 3)[2:]
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B2", ClientID: "c", ProductType: "P", FlowID: f.ID}, d); !errors.Is(err, store.ErrFlowClosed) {
		t.Errorf("upload to a closed flow: %v, want ErrFlowClosed", err)
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B3", ClientID: "c", ProductType: "P", FlowID: "nope"}, d); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("upload to an unknown flow: %v, want ErrNotFound", err)
	}
	if list, _ := st.ListFlowDocuments(ctx, f.ID); len(list) != 2 {
		t.Errorf("flow holds %d documents, want the 2 uploaded before it closed", len(list))
	}
	if err := st.CloseFlow(ctx, "c", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("closing an unknown flow: %v, want ErrNotFound", err)
	}
	if _, err := st.FlowByID(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FlowByID of an unknown flow: %v, want ErrNotFound", err)
	}
	// The pair is free again.
	createFlow(t, st, "f4", "APP-1", "REF-1")
}

// flow_params come back byte for byte as the client sent them (callbacks
// echo them): key order, spacing and all.
func (s suite[TTx]) flowParamsByteExact(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	for i, params := range []string{
		`{"z": 1, "a": {"y": [3, 1], "b": null},  "name": "Ä B"}`,
		`{"b":2,"a":1}`,
		``, // none given: stored as {}
	} {
		f := &store.Flow{ID: fmt.Sprintf("f%d", i), ClientID: "c", ProductType: "P", ApplicationID: fmt.Sprint("APP-", i), Params: json.RawMessage(params)}
		if err := st.CreateFlow(ctx, f); err != nil {
			t.Fatal(err)
		}
		want := params
		if want == "" {
			want = "{}"
		}
		got, err := st.FlowByID(ctx, f.ID)
		if err != nil || string(got.Params) != want {
			t.Errorf("params %q came back as %q, %v", want, got.Params, err)
		}
	}
}

// FlowOfDocumentTx counts the flow's unfinished documents inside the
// finishing transaction, so exactly the last one sees none.
func (s suite[TTx]) flowOfDocumentTx(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	f := createFlow(t, st, "f1", "APP-1", "")
	for i, id := range []string{"B1", "B2"} {
		ds := []store.Document{{FileUUID: fmt.Sprintf("u-%d", i), DocumentID: fmt.Sprint(i), FileURL: "https://x.example/d", SubmissionMode: "camera"}}
		if err := st.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "c", ProductType: "P", FlowID: f.ID}, ds); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "BULK", ClientID: "c", ProductType: "P"}, []store.Document{{FileUUID: "bulk", DocumentID: "x", FileURL: "https://x.example/d"}}); err != nil {
		t.Fatal(err)
	}
	finish := func(uuid string) (*store.Flow, int) {
		var fl *store.Flow
		var n int
		err := st.FinishDocument(ctx, uuid, panResult(), func(ctx context.Context, tx TTx) error {
			var err error
			fl, n, err = st.FlowOfDocumentTx(ctx, tx, uuid)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return fl, n
	}
	if fl, _ := finish("bulk"); fl != nil {
		t.Errorf("a bulk document belongs to flow %s", fl.ID)
	}
	if fl, n := finish("u-0"); fl == nil || fl.ID != f.ID || n != 1 {
		t.Errorf("first flow document: flow %v, %d unfinished; want f1, 1", fl, n)
	}
	if _, n := finish("u-1"); n != 0 {
		t.Errorf("last flow document: %d unfinished, want 0", n)
	}
	list, err := st.ListFlowDocuments(ctx, f.ID)
	if err != nil || len(list) != 2 || list[0].FileUUID != "u-0" || list[1].FileUUID != "u-1" || list[0].SubmissionMode != "camera" {
		t.Errorf("flow documents in upload order: %v, %v", list, err)
	}
}

// Two workers finishing a flow's last two documents at the same moment:
// exactly one of them sees no unfinished document (and so sends the
// flow's cross-checks), under any interleaving. Each finishing
// transaction waits a little for the other to reach the same point, so a
// store that does not serialise the count lets both count before either
// commits; a store that does serialise (SQLite's single writer, a row lock)
// simply makes the wait run out.
func (s suite[TTx]) lastDocumentsFinishingConcurrently(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	for round := range 5 {
		f := createFlow(t, st, fmt.Sprint("f", round), fmt.Sprint("APP-", round), "")
		ds := docs(fmt.Sprint(round), 3)
		if err := st.CreateBatch(ctx, &store.Batch{ID: fmt.Sprint("B", round), ClientID: "c", ProductType: "P", FlowID: f.ID}, ds); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishDocument(ctx, ds[0].FileUUID, panResult(), nil); err != nil {
			t.Fatal(err)
		}
		var arrived sync.WaitGroup
		arrived.Add(2)
		bothArrived := make(chan struct{})
		go func() { arrived.Wait(); close(bothArrived) }()
		unfinished := make([]int, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, d := range ds[1:] {
			wg.Go(func() {
				errs[i] = st.FinishDocument(ctx, d.FileUUID, panResult(), func(ctx context.Context, tx TTx) error {
					arrived.Done()
					select {
					case <-bothArrived:
					case <-time.After(200 * time.Millisecond):
					}
					_, n, err := st.FlowOfDocumentTx(ctx, tx, d.FileUUID)
					unfinished[i] = n
					return err
				})
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		slices.Sort(unfinished)
		if !slices.Equal(unfinished, []int{0, 1}) {
			t.Errorf("round %d: the two last documents saw %v unfinished, want one 0 and one 1", round, unfinished)
		}
	}
}

// A flow closed while a batch is being uploaded to it: the batch is
// either stored before the close or refused with ErrFlowClosed, never
// stored after the flow was closed.
func (s suite[TTx]) closeFlowRacingCreateBatch(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)

	// A close that starts while the upload's transaction is open (after
	// its check of the flow) must not finish before that transaction does.
	f := createFlow(t, st, "f-wait", "APP-W", "")
	closed := make(chan error, 1)
	var closedInside bool
	st.SetEnqueue(func(ctx context.Context, tx TTx, d []store.Document) error {
		go func() { closed <- st.CloseFlow(ctx, "c", f.ID) }()
		select {
		case err := <-closed:
			closedInside = true
			closed <- err
		case <-time.After(200 * time.Millisecond):
		}
		return nil
	})
	if err := st.CreateBatch(ctx, &store.Batch{ID: "BW", ClientID: "c", ProductType: "P", FlowID: f.ID}, docs("w", 1)); err != nil {
		t.Fatal(err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if closedInside {
		t.Error("the flow was closed while an upload to it was still being stored")
	}
	st.SetEnqueue(nil)

	// Free races: every outcome is one of the two allowed, and what the
	// flow holds matches what the uploads were told.
	for round := range 5 {
		f := createFlow(t, st, fmt.Sprint("f", round), fmt.Sprint("APP-", round), "")
		var wg sync.WaitGroup
		var uploadErr, closeErr error
		wg.Go(func() {
			uploadErr = st.CreateBatch(ctx, &store.Batch{ID: fmt.Sprint("B", round), ClientID: "c", ProductType: "P", FlowID: f.ID}, docs(fmt.Sprint(round), 2))
		})
		wg.Go(func() { closeErr = st.CloseFlow(ctx, "c", f.ID) })
		wg.Wait()
		if closeErr != nil {
			t.Fatalf("round %d: close: %v", round, closeErr)
		}
		if uploadErr != nil && !errors.Is(uploadErr, store.ErrFlowClosed) {
			t.Fatalf("round %d: upload: %v, want success or ErrFlowClosed", round, uploadErr)
		}
		list, err := st.ListFlowDocuments(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 2, false: 0}[uploadErr == nil]; len(list) != want {
			t.Errorf("round %d: upload returned %v and the flow holds %d documents", round, uploadErr, len(list))
		}
	}
}

// A cross-check run over fewer documents than the stored one (two runs
// raced) is not saved, and nothing else in its transaction runs; one over
// as many (a rerun after a correction) replaces it.
func (s suite[TTx]) saveCrossChecksKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	f := createFlow(t, st, "f1", "APP-1", "")
	also := 0
	count := func(context.Context, TTx) error { also++; return nil }
	for _, tc := range []struct {
		docs  int
		saved bool
	}{{2, true}, {3, true}, {2, false}, {3, true}, {4, true}} {
		saved, err := st.SaveCrossChecks(ctx, f.ID, json.RawMessage(fmt.Sprintf(`[{"docs":%d}]`, tc.docs)), tc.docs, count)
		if err != nil || saved != tc.saved {
			t.Errorf("run over %d documents: saved %v, %v; want %v", tc.docs, saved, err, tc.saved)
		}
	}
	got, _ := st.FlowByID(ctx, f.ID)
	if got.CrossChecksDocs != 4 || string(got.CrossChecks) != `[{"docs":4}]` || also != 4 || got.CrossChecksAt.IsZero() {
		t.Errorf("stored run over %d documents (%s) at %v, %d transactions ran; want 4 and 4", got.CrossChecksDocs, got.CrossChecks, got.CrossChecksAt, also)
	}
	// A failing "also" rolls the save back.
	if _, err := st.SaveCrossChecks(ctx, f.ID, json.RawMessage(`[]`), 5, func(context.Context, TTx) error { return errors.New("boom") }); err == nil {
		t.Error("SaveCrossChecks succeeded although its transaction failed")
	}
	if got, _ := st.FlowByID(ctx, f.ID); got.CrossChecksDocs != 4 {
		t.Errorf("a failed save left a run over %d documents", got.CrossChecksDocs)
	}
	// A first run over no document is saved: there was none before.
	g := createFlow(t, st, "f2", "APP-2", "")
	if saved, err := st.SaveCrossChecks(ctx, g.ID, json.RawMessage(`[]`), 0, nil); err != nil || !saved {
		t.Errorf("first run over 0 documents: saved %v, %v", saved, err)
	}
}

func (s suite[TTx]) callbacksAndAttempts(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	f := createFlow(t, st, "f1", "APP-1", "")
	for _, c := range []*store.Callback{
		{ID: "cb1", ClientID: "c", FlowID: f.ID, Event: "document.processed", FileUUID: "u-0", URL: f.CallbackURL, Body: []byte(`{"a":1}`)},
		{ID: "cb2", ClientID: "c", FlowID: f.ID, Event: "flow.cross_checks_completed", URL: f.CallbackURL, Body: []byte(`{}`)},
	} {
		err := st.InTx(ctx, func(ctx context.Context, tx TTx) error { return st.InsertCallbackTx(ctx, tx, c) })
		if err != nil || c.Status != store.CallbackPending || c.CreatedAt.IsZero() {
			t.Fatalf("insert %s: %v, status %q", c.ID, err, c.Status)
		}
	}
	// A transaction that fails stores no callback.
	err := st.InTx(ctx, func(ctx context.Context, tx TTx) error {
		if err := st.InsertCallbackTx(ctx, tx, &store.Callback{ID: "cb3", ClientID: "c", FlowID: f.ID, Event: "x", URL: f.CallbackURL, Body: []byte(`{}`)}); err != nil {
			return err
		}
		return errors.New("boom")
	})
	if err == nil {
		t.Error("InTx returned nil for a failing function")
	}
	if _, err := st.GetCallback(ctx, "cb3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a rolled-back callback: %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for i, a := range []struct {
		code   int
		status string
	}{{500, store.CallbackPending}, {0, store.CallbackPending}, {200, store.CallbackDelivered}} {
		err := st.RecordCallbackAttempt(ctx, store.CallbackAttempt{CallbackID: "cb1", Attempt: i + 1, At: at.Add(time.Duration(i) * time.Minute),
			StatusCode: a.code, Duration: 15 * time.Millisecond}, a.status)
		if err != nil {
			t.Fatal(err)
		}
	}
	cb, err := st.GetCallback(ctx, "cb1")
	if err != nil || cb.Status != store.CallbackDelivered || cb.Attempts != 3 || !cb.DeliveredAt.Equal(at.Add(2*time.Minute)) || cb.URL != f.CallbackURL ||
		cb.FileUUID != "u-0" || string(cb.Body) != `{"a":1}` || cb.Event != "document.processed" {
		t.Fatalf("cb1 = %+v, %v", cb, err)
	}
	if cb, err := st.GetCallback(ctx, "cb2"); err != nil || cb.Status != store.CallbackPending || !cb.DeliveredAt.IsZero() || cb.FileUUID != "" {
		t.Errorf("cb2 = %+v, %v", cb, err)
	}
	list, err := st.ListCallbacks(ctx, f.ID)
	if err != nil || len(list) != 2 || list[0].ID != "cb1" || list[1].ID != "cb2" || len(list[0].History) != 3 || len(list[1].History) != 0 {
		t.Fatalf("ListCallbacks = %+v, %v", list, err)
	}
	h := list[0].History
	if h[0].StatusCode != 500 || h[1].StatusCode != 0 || h[2].StatusCode != 200 || h[2].Duration != 15*time.Millisecond || !h[1].At.Equal(at.Add(time.Minute)) {
		t.Errorf("history %+v", h)
	}
	// Recording the same attempt again (a retried job) replaces it.
	if err := st.RecordCallbackAttempt(ctx, store.CallbackAttempt{CallbackID: "cb2", Attempt: 1, At: at, StatusCode: 502, Error: "bad gateway"}, store.CallbackPending); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordCallbackAttempt(ctx, store.CallbackAttempt{CallbackID: "cb2", Attempt: 1, At: at, StatusCode: 503, Error: "unavailable"}, store.CallbackFailed); err != nil {
		t.Fatal(err)
	}
	list, _ = st.ListCallbacks(ctx, f.ID)
	if len(list) != 2 || len(list[1].History) != 1 || list[1].History[0].StatusCode != 503 || list[1].History[0].Error != "unavailable" ||
		list[1].Status != store.CallbackFailed || list[1].Attempts != 1 {
		t.Errorf("cb2 after a repeated attempt: %+v", list)
	}
	if _, err := st.GetCallback(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown callback: %v, want ErrNotFound", err)
	}
}

// A client's callback secret is made once and then stays the same, even
// when the first requests come at once.
func (s suite[TTx]) callbackSecret(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	secrets := make([]string, 4)
	errs := make([]error, len(secrets))
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() { secrets[i], errs[i] = st.CallbackSecret(ctx, "c") })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	a := secrets[0]
	if len(a) < 40 {
		t.Fatalf("secret %q", a)
	}
	for _, b := range secrets[1:] {
		if b != a {
			t.Error("concurrent first requests got different secrets")
		}
	}
	if b, _ := st.CallbackSecret(ctx, "c"); b != a {
		t.Error("the secret changed on a later read")
	}
	if _, err := st.CallbackSecret(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown client: %v, want ErrNotFound", err)
	}
}

// withBlobs gives a document its original's key and, when redacted is
// set, a result with a redacted copy, as the worker does.
func withBlobs[TTx any](t *testing.T, st store.Store[TTx], fileUUID, key, redacted string) {
	t.Helper()
	ctx := context.Background()
	if err := st.SetBlobKey(ctx, fileUUID, key); err != nil {
		t.Fatal(err)
	}
	if redacted != "" {
		r := store.Result{FileData: document.NewFileData(document.TypeAadhaar), RedactedKey: redacted}
		if err := st.FinishDocument(ctx, fileUUID, r, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// A client deletes its bulk batch and nobody else's; a blob is released
// only when the last document referring to it (as original or as
// redacted copy) is gone; jobs of deleted documents run to their end
// without an error.
func (s suite[TTx]) deleteBatch(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	if err := st.CreateClient(ctx, store.Client{ID: "d", Name: "d", SecretHash: []byte{2}}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct {
		id, prefix string
		n          int
	}{{"B1", "a", 2}, {"B2", "b", 2}} {
		if err := st.CreateBatch(ctx, &store.Batch{ID: b.id, ClientID: "c", ProductType: "P"}, docs(b.prefix, b.n)); err != nil {
			t.Fatal(err)
		}
	}
	withBlobs(t, st, "au-0", "k-shared", "")
	withBlobs(t, st, "au-1", "k-own", "k-cross")
	withBlobs(t, st, "bu-0", "k-shared", "")
	withBlobs(t, st, "bu-1", "k-cross", "") // the same bytes as another's redacted copy
	f := createFlow(t, st, "f1", "APP-1", "")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "FB", ClientID: "c", ProductType: "P", FlowID: f.ID}, docs("f", 1)); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, client, batch string }{
		{"another client's batch", "d", "B1"},
		{"an unknown batch", "c", "nope"},
		{"a flow's batch", "c", "FB"},
	} {
		if n, orphans, err := st.DeleteBatch(ctx, tc.client, tc.batch); !errors.Is(err, store.ErrNotFound) || n != 0 || orphans != nil {
			t.Errorf("deleting %s: %d, %v, %v; want ErrNotFound", tc.name, n, orphans, err)
		}
	}
	if _, err := st.GetBatch(ctx, "c", "B1"); err != nil {
		t.Fatalf("a refused deletion removed the batch: %v", err)
	}
	if got, _ := st.ListFlowDocuments(ctx, f.ID); len(got) != 1 {
		t.Errorf("a refused deletion of a flow's batch left %d documents, want 1", len(got))
	}

	n, orphans, err := st.DeleteBatch(ctx, "c", "B1")
	if err != nil || n != 2 || !slices.Equal(orphans, []string{"k-own"}) {
		t.Errorf("DeleteBatch(B1) = %d, %v, %v; want 2 documents and [k-own] (k-shared and k-cross are still used)", n, orphans, err)
	}
	if _, err := st.GetBatch(ctx, "c", "B1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted batch: %v, want ErrNotFound", err)
	}
	if _, err := st.GetDocument(ctx, "au-0"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("document of a deleted batch: %v, want ErrNotFound", err)
	}
	if page, _ := st.ListDocuments(ctx, "B1", 0, 10); len(page) != 0 {
		t.Errorf("a deleted batch lists %d documents", len(page))
	}
	if _, _, err := st.DeleteBatch(ctx, "c", "B1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}

	// A job of a deleted document still running: every step is a no-op,
	// none fails.
	if err := st.StartDocument(ctx, "au-0"); err != nil {
		t.Errorf("StartDocument of a deleted document: %v", err)
	}
	if err := st.SetBlobKey(ctx, "au-0", "k-late"); err != nil {
		t.Errorf("SetBlobKey of a deleted document: %v", err)
	}
	if err := st.RequeueDocument(ctx, "au-0"); err != nil {
		t.Errorf("RequeueDocument of a deleted document: %v", err)
	}
	var fl *store.Flow
	err = st.FinishDocument(ctx, "au-0", panResult(), func(ctx context.Context, tx TTx) error {
		var err error
		fl, _, err = st.FlowOfDocumentTx(ctx, tx, "au-0")
		return err
	})
	if err != nil || fl != nil {
		t.Errorf("FinishDocument of a deleted document: %v (flow %v)", err, fl)
	}
	if _, err := st.GetDocument(ctx, "au-0"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("finishing a deleted document brought it back: %v", err)
	}

	n, orphans, err = st.DeleteBatch(ctx, "c", "B2")
	if err != nil || n != 2 || !slices.Equal(orphans, []string{"k-cross", "k-shared"}) {
		t.Errorf("DeleteBatch(B2) = %d, %v, %v; want 2 documents and [k-cross k-shared]", n, orphans, err)
	}
	// A batch whose documents have no blob yet releases none.
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B3", ClientID: "c", ProductType: "P"}, docs("c", 3)); err != nil {
		t.Fatal(err)
	}
	if n, orphans, err := st.DeleteBatch(ctx, "c", "B3"); err != nil || n != 3 || len(orphans) != 0 {
		t.Errorf("DeleteBatch(B3) = %d, %v, %v; want 3 documents, no blob", n, orphans, err)
	}
	if got, _ := st.CountByStatus(ctx); got[document.StatusQueued] != 1 || len(got) != 1 {
		t.Errorf("documents left: %v, want the flow's one", got)
	}
}

// A flow, open or closed, goes with its batches, documents, callbacks
// and their attempts; another client cannot delete it; a delivery of a
// deleted flow's callback records nothing and does not fail.
func (s suite[TTx]) deleteFlow(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	f := createFlow(t, st, "f1", "APP-1", "REF")
	keep := createFlow(t, st, "f2", "APP-2", "")
	for i, id := range []string{"FB1", "FB2"} {
		if err := st.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "c", ProductType: "P", FlowID: f.ID}, docs(fmt.Sprint(i), i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "KB", ClientID: "c", ProductType: "P", FlowID: keep.ID}, docs("k", 1)); err != nil {
		t.Fatal(err)
	}
	withBlobs(t, st, "0u-0", "k-shared", "k-red")
	withBlobs(t, st, "1u-0", "k-own", "")
	withBlobs(t, st, "ku-0", "k-shared", "")
	for _, c := range []*store.Callback{
		{ID: "cb1", ClientID: "c", FlowID: f.ID, Event: "document.processed", FileUUID: "0u-0", URL: f.CallbackURL, Body: []byte(`{}`)},
		{ID: "cb2", ClientID: "c", FlowID: f.ID, Event: "flow.cross_checks_completed", URL: f.CallbackURL, Body: []byte(`{}`)},
		{ID: "cb3", ClientID: "c", FlowID: keep.ID, Event: "document.processed", FileUUID: "ku-0", URL: keep.CallbackURL, Body: []byte(`{}`)},
	} {
		if err := st.InTx(ctx, func(ctx context.Context, tx TTx) error { return st.InsertCallbackTx(ctx, tx, c) }); err != nil {
			t.Fatal(err)
		}
		if err := st.RecordCallbackAttempt(ctx, store.CallbackAttempt{CallbackID: c.ID, Attempt: 1, At: time.Now(), StatusCode: 500}, store.CallbackPending); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CloseFlow(ctx, "c", f.ID); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, client, flow string }{
		{"another client's flow", "someone-else", f.ID},
		{"an unknown flow", "c", "nope"},
	} {
		if n, orphans, err := st.DeleteFlow(ctx, tc.client, tc.flow); !errors.Is(err, store.ErrNotFound) || n != 0 || orphans != nil {
			t.Errorf("deleting %s: %d, %v, %v; want ErrNotFound", tc.name, n, orphans, err)
		}
	}
	if _, err := st.GetFlow(ctx, "c", f.ID); err != nil {
		t.Fatalf("a refused deletion removed the flow: %v", err)
	}

	n, orphans, err := st.DeleteFlow(ctx, "c", f.ID)
	if err != nil || n != 3 || !slices.Equal(orphans, []string{"k-own", "k-red"}) {
		t.Errorf("DeleteFlow = %d, %v, %v; want 3 documents and [k-own k-red] (k-shared is still used)", n, orphans, err)
	}
	if _, err := st.GetFlow(ctx, "c", f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted flow: %v, want ErrNotFound", err)
	}
	if _, err := st.FlowByID(ctx, f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted flow by id: %v, want ErrNotFound", err)
	}
	for _, id := range []string{"FB1", "FB2"} {
		if _, err := st.GetBatch(ctx, "c", id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("batch %s of a deleted flow: %v, want ErrNotFound", id, err)
		}
	}
	if got, err := st.ListFlowDocuments(ctx, f.ID); err != nil || len(got) != 0 {
		t.Errorf("a deleted flow lists %d documents, %v", len(got), err)
	}
	for _, id := range []string{"cb1", "cb2"} {
		if _, err := st.GetCallback(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("callback %s of a deleted flow: %v, want ErrNotFound", id, err)
		}
	}
	if got, err := st.ListCallbacks(ctx, f.ID); err != nil || len(got) != 0 {
		t.Errorf("a deleted flow lists %d callbacks, %v", len(got), err)
	}
	// A delivery finishing after the deletion records nothing, quietly.
	if err := st.RecordCallbackAttempt(ctx, store.CallbackAttempt{CallbackID: "cb1", Attempt: 2, At: time.Now(), StatusCode: 200}, store.CallbackDelivered); err != nil {
		t.Errorf("recording an attempt of a deleted callback: %v", err)
	}
	if _, err := st.GetCallback(ctx, "cb1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("recording an attempt brought the callback back: %v", err)
	}
	// The attempts went too: a new callback reusing an id has no history.
	g := createFlow(t, st, "f3", "APP-1", "REF") // the pair is free again
	if err := st.InTx(ctx, func(ctx context.Context, tx TTx) error {
		return st.InsertCallbackTx(ctx, tx, &store.Callback{ID: "cb1", ClientID: "c", FlowID: g.ID, Event: "x", URL: g.CallbackURL, Body: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ListCallbacks(ctx, g.ID); len(got) != 1 || len(got[0].History) != 0 {
		t.Errorf("a reused callback id shows the deleted callback's attempts: %+v", got)
	}
	// The other flow is untouched.
	if got, _ := st.ListCallbacks(ctx, keep.ID); len(got) != 1 || len(got[0].History) != 1 {
		t.Errorf("the other flow's callbacks: %+v", got)
	}
	if got, _ := st.ListFlowDocuments(ctx, keep.ID); len(got) != 1 || got[0].BlobKey != "k-shared" {
		t.Errorf("the other flow's documents: %+v", got)
	}
	// An open flow can be deleted too, and its last reference releases
	// the shared blob.
	if n, orphans, err := st.DeleteFlow(ctx, "c", keep.ID); err != nil || n != 1 || !slices.Equal(orphans, []string{"k-shared"}) {
		t.Errorf("DeleteFlow(open f2) = %d, %v, %v; want 1 and [k-shared]", n, orphans, err)
	}
	if n, _, err := st.DeleteFlow(ctx, "c", keep.ID); !errors.Is(err, store.ErrNotFound) || n != 0 {
		t.Errorf("deleting twice: %d, %v; want ErrNotFound", n, err)
	}
}

// PurgeBefore removes whole bulk batches and whole flows created before
// the cutoff, oldest first, at most limit of them per call, and nothing
// newer; shared blobs still used by newer documents are kept.
func (s suite[TTx]) purgeBefore(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	var oldBatches []string
	for i := range 3 {
		id := fmt.Sprint("OLD", i)
		if err := st.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "c", ProductType: "P"}, docs(id, 1)); err != nil {
			t.Fatal(err)
		}
		oldBatches = append(oldBatches, id)
	}
	withBlobs(t, st, "OLD0u-0", "k-shared", "")
	withBlobs(t, st, "OLD1u-0", "k-old", "k-old-red")
	oldFlow := createFlow(t, st, "of1", "APP-1", "")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "OFB1", ClientID: "c", ProductType: "P", FlowID: oldFlow.ID}, docs("of", 2)); err != nil {
		t.Fatal(err)
	}
	if err := st.InTx(ctx, func(ctx context.Context, tx TTx) error {
		return st.InsertCallbackTx(ctx, tx, &store.Callback{ID: "ocb", ClientID: "c", FlowID: oldFlow.ID, Event: "x", URL: oldFlow.CallbackURL, Body: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	emptyFlow := createFlow(t, st, "of2", "APP-2", "")

	// The stores keep times to the microsecond (SQLite compares them to
	// the millisecond): a few milliseconds apart, old and new cannot tie.
	time.Sleep(10 * time.Millisecond)
	cutoff := time.Now()
	time.Sleep(10 * time.Millisecond)

	if err := st.CreateBatch(ctx, &store.Batch{ID: "NEW", ClientID: "c", ProductType: "P"}, docs("NEW", 1)); err != nil {
		t.Fatal(err)
	}
	withBlobs(t, st, "NEWu-0", "k-shared", "")
	newFlow := createFlow(t, st, "nf", "APP-3", "")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "NFB", ClientID: "c", ProductType: "P", FlowID: newFlow.ID}, docs("nf", 1)); err != nil {
		t.Fatal(err)
	}
	// A new upload to an old flow goes with the flow.
	if err := st.CreateBatch(ctx, &store.Batch{ID: "OFB2", ClientID: "c", ProductType: "P", FlowID: oldFlow.ID}, docs("of2-", 1)); err != nil {
		t.Fatal(err)
	}

	if n, orphans, err := st.PurgeBefore(ctx, cutoff, 0); err != nil || n != 0 || len(orphans) != 0 {
		t.Errorf("PurgeBefore(limit 0) = %d, %v, %v", n, orphans, err)
	}
	var counts []int
	var released []string
	for range 10 {
		n, orphans, err := st.PurgeBefore(ctx, cutoff, 2)
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, n)
		released = append(released, orphans...)
		if n < 2 {
			break
		}
	}
	// OLD0, OLD1 | OLD2, of1 | of2
	if !slices.Equal(counts, []int{2, 2, 1}) {
		t.Errorf("batches and flows purged per call: %v, want [2 2 1]", counts)
	}
	slices.Sort(released)
	if !slices.Equal(released, []string{"k-old", "k-old-red"}) {
		t.Errorf("released blobs %v, want [k-old k-old-red] (k-shared is still used by a new document)", released)
	}
	for _, id := range append(oldBatches, "OFB1", "OFB2") {
		if _, err := st.GetBatch(ctx, "c", id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old batch %s: %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []string{oldFlow.ID, emptyFlow.ID} {
		if _, err := st.FlowByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old flow %s: %v, want ErrNotFound", id, err)
		}
	}
	if _, err := st.GetCallback(ctx, "ocb"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old flow's callback: %v, want ErrNotFound", err)
	}
	if _, err := st.GetDocument(ctx, "of2-u-0"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a new upload to an old flow outlived it: %v", err)
	}
	if d, err := st.GetDocument(ctx, "NEWu-0"); err != nil || d.BlobKey != "k-shared" {
		t.Errorf("new bulk document: %+v, %v", d, err)
	}
	if got, err := st.ListFlowDocuments(ctx, newFlow.ID); err != nil || len(got) != 1 {
		t.Errorf("new flow's documents: %d, %v", len(got), err)
	}
	if counts, _ := st.CountByStatus(ctx); counts[document.StatusQueued] != 2 {
		t.Errorf("documents left: %v, want the 2 new ones", counts)
	}
	// Everything left is newer than the cutoff.
	if n, _, err := st.PurgeBefore(ctx, cutoff, 100); err != nil || n != 0 {
		t.Errorf("purging again: %d, %v; want 0", n, err)
	}
}

// A flow deleted while its documents are being finished (each finishing
// transaction locks the flow, as the worker's does): every call succeeds,
// whichever comes first, and nothing of the flow is left.
func (s suite[TTx]) deleteFlowRacingFinish(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	for round := range 5 {
		f := createFlow(t, st, fmt.Sprint("f", round), fmt.Sprint("APP-", round), "")
		ds := docs(fmt.Sprint(round), 4)
		if err := st.CreateBatch(ctx, &store.Batch{ID: fmt.Sprint("B", round), ClientID: "c", ProductType: "P", FlowID: f.ID}, ds); err != nil {
			t.Fatal(err)
		}
		errs := make([]error, len(ds)+1)
		var wg sync.WaitGroup
		for i, d := range ds {
			wg.Go(func() {
				errs[i] = st.FinishDocument(ctx, d.FileUUID, panResult(), func(ctx context.Context, tx TTx) error {
					_, _, err := st.FlowOfDocumentTx(ctx, tx, d.FileUUID)
					return err
				})
			})
		}
		wg.Go(func() {
			_, _, errs[len(ds)] = st.DeleteFlow(ctx, "c", f.ID)
		})
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if _, err := st.FlowByID(ctx, f.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("round %d: flow after deletion: %v", round, err)
		}
		for _, d := range ds {
			if _, err := st.GetDocument(ctx, d.FileUUID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("round %d: document %s after deletion: %v", round, d.FileUUID, err)
			}
		}
	}
}

// The boxes of a result's fields are kept (those without one are not) and
// returned by every read; a later failure clears them.
func (s suite[TTx]) boxesRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}, docs("", 2)); err != nil {
		t.Fatal(err)
	}
	fd := document.NewFileData(document.TypePAN)
	fd.Set("pan_number", document.Field{Value: "ABCPK1234F", Confidence: 0.9, Box: image.Rect(10, 20, 110, 40), Page: 1})
	fd.Set("name_as_per_pan", document.Field{Value: "A B", Confidence: 0.8, Box: image.Rect(5, 50, 200, 70), Page: 2})
	fd.Set("document_quality_flag", document.Field{Value: "original", Confidence: 0.7}) // no box
	if err := st.FinishDocument(ctx, "u-0", store.Result{FileData: fd}, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishDocument(ctx, "u-1", panResult(), nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]store.Box{
		"pan_number":      {Page: 1, X0: 10, Y0: 20, X1: 110, Y1: 40},
		"name_as_per_pan": {Page: 2, X0: 5, Y0: 50, X1: 200, Y1: 70},
	}
	got, err := st.GetDocument(ctx, "u-0")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.Boxes, want) {
		t.Errorf("GetDocument boxes = %v, want %v", got.Boxes, want)
	}
	listed, err := st.ListDocuments(ctx, "B1", 0, 10)
	if err != nil || len(listed) != 2 {
		t.Fatalf("ListDocuments = %d, %v", len(listed), err)
	}
	if !maps.Equal(listed[0].Boxes, want) {
		t.Errorf("ListDocuments boxes = %v, want %v", listed[0].Boxes, want)
	}
	if listed[1].Boxes != nil {
		t.Errorf("a result without boxes reads back %v, want none", listed[1].Boxes)
	}
	if err := st.FinishDocument(ctx, "u-0", store.Result{Error: &document.Error{Code: "UNRECOGNISED", Message: "x"}}, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := st.GetDocument(ctx, "u-0"); err != nil || got.Boxes != nil {
		t.Errorf("after a failure, boxes = %v, %v; want none", got.Boxes, err)
	}
}

// A correction is kept per document and field, a later one replacing the
// earlier; every read returns them; another client's or an unknown
// document is ErrNotFound and gets none.
func (s suite[TTx]) corrections(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	if err := st.CreateClient(ctx, store.Client{ID: "d", Name: "d", SecretHash: []byte{2}}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}, docs("", 2)); err != nil {
		t.Fatal(err)
	}
	f := createFlow(t, st, "f1", "APP-1", "")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "FB", ClientID: "c", ProductType: "P", FlowID: f.ID}, docs("f", 1)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
	for _, c := range []struct {
		file string
		c    store.Correction
	}{
		{"u-0", store.Correction{Field: "name", Value: "FIRST", Reviewer: "r1", At: at}},
		{"u-0", store.Correction{Field: "dob", Value: "01/02/1990", Reviewer: "r1", At: at}},
		{"u-0", store.Correction{Field: "name", Value: "SECOND", Reviewer: "r2", At: at.Add(time.Hour)}},
		{"fu-0", store.Correction{Field: "pan_number", Value: "ABCPK1234F", Reviewer: "r3", At: at}},
	} {
		if err := st.SaveCorrection(ctx, "c", c.file, c.c); err != nil {
			t.Fatalf("SaveCorrection(%s, %s): %v", c.file, c.c.Field, err)
		}
	}
	for _, tc := range []struct{ name, client, file string }{
		{"another client's document", "d", "u-1"},
		{"an unknown document", "c", "nope"},
	} {
		err := st.SaveCorrection(ctx, tc.client, tc.file, store.Correction{Field: "name", Value: "X", Reviewer: "r", At: at})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("correcting %s: %v, want ErrNotFound", tc.name, err)
		}
	}
	want := map[string]store.Correction{
		"name": {Field: "name", Value: "SECOND", Reviewer: "r2", At: at.Add(time.Hour)},
		"dob":  {Field: "dob", Value: "01/02/1990", Reviewer: "r1", At: at},
	}
	check := func(how string, got map[string]store.Correction, want map[string]store.Correction) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: corrections %v, want %v", how, got, want)
			return
		}
		for k, w := range want {
			g := got[k]
			if g.Field != w.Field || g.Value != w.Value || g.Reviewer != w.Reviewer || !g.At.Equal(w.At) || g.At.Location() != time.UTC {
				t.Errorf("%s: correction %s = %+v, want %+v", how, k, g, w)
			}
		}
	}
	d, err := st.GetDocument(ctx, "u-0")
	if err != nil {
		t.Fatal(err)
	}
	check("GetDocument", d.Corrections, want)
	listed, err := st.ListDocuments(ctx, "B1", 0, 10)
	if err != nil || len(listed) != 2 {
		t.Fatalf("ListDocuments = %d, %v", len(listed), err)
	}
	check("ListDocuments", listed[0].Corrections, want)
	check("ListDocuments, the other document", listed[1].Corrections, nil)
	fdocs, err := st.ListFlowDocuments(ctx, f.ID)
	if err != nil || len(fdocs) != 1 {
		t.Fatalf("ListFlowDocuments = %d, %v", len(fdocs), err)
	}
	check("ListFlowDocuments", fdocs[0].Corrections, map[string]store.Correction{
		"pan_number": {Field: "pan_number", Value: "ABCPK1234F", Reviewer: "r3", At: at},
	})
	err = st.InTx(ctx, func(ctx context.Context, tx TTx) error {
		d, err := st.GetDocumentTx(ctx, tx, "u-0")
		if err == nil {
			check("GetDocumentTx", d.Corrections, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A correction without a time is stamped now.
	before := time.Now().Add(-time.Second)
	if err := st.SaveCorrection(ctx, "c", "u-1", store.Correction{Field: "name", Value: "N", Reviewer: "r"}); err != nil {
		t.Fatal(err)
	}
	if d, err := st.GetDocument(ctx, "u-1"); err != nil || d.Corrections["name"].At.Before(before) {
		t.Errorf("an unstamped correction reads back %+v, %v; want it stamped now", d.Corrections, err)
	}
}

// Deleting a batch, a flow or purging old ones removes their documents'
// corrections: the same file_uuid used again starts with none.
func (s suite[TTx]) correctionsGoWithTheirDocuments(t *testing.T) {
	ctx := context.Background()
	st := s.store(t)
	correct := func(file string) {
		t.Helper()
		if err := st.SaveCorrection(ctx, "c", file, store.Correction{Field: "name", Value: "X", Reviewer: "r"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P"}, docs("b", 1)); err != nil {
		t.Fatal(err)
	}
	correct("bu-0")
	f := createFlow(t, st, "f1", "APP-1", "")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "FB", ClientID: "c", ProductType: "P", FlowID: f.ID}, docs("f", 1)); err != nil {
		t.Fatal(err)
	}
	correct("fu-0")
	if err := st.CreateBatch(ctx, &store.Batch{ID: "OLD", ClientID: "c", ProductType: "P"}, docs("o", 1)); err != nil {
		t.Fatal(err)
	}
	correct("ou-0")

	if n, _, err := st.DeleteBatch(ctx, "c", "B1"); err != nil || n != 1 {
		t.Fatalf("DeleteBatch = %d, %v", n, err)
	}
	if n, _, err := st.DeleteFlow(ctx, "c", f.ID); err != nil || n != 1 {
		t.Fatalf("DeleteFlow = %d, %v", n, err)
	}
	if n, _, err := st.PurgeBefore(ctx, time.Now().Add(time.Hour), 10); err != nil || n != 1 {
		t.Fatalf("PurgeBefore = %d, %v", n, err)
	}
	for _, prefix := range []string{"b", "f", "o"} {
		if err := st.CreateBatch(ctx, &store.Batch{ID: "N" + prefix, ClientID: "c", ProductType: "P"}, docs(prefix, 1)); err != nil {
			t.Fatal(err)
		}
		d, err := st.GetDocument(ctx, prefix+"u-0")
		if err != nil {
			t.Fatal(err)
		}
		if d.Corrections != nil {
			t.Errorf("%su-0 used again has the deleted document's corrections %v", prefix, d.Corrections)
		}
	}
}
