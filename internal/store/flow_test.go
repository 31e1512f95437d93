package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

func openFlow(t *testing.T, st *store.SQLite, id, app, ref string) *store.Flow {
	t.Helper()
	f := &store.Flow{ID: id, ClientID: "c", ProductType: "PROD_CDL", ApplicationID: app, ExternalReferenceID: ref,
		CallbackURL: "https://los.example/cb", Params: json.RawMessage(`{"name":"A B"}`)}
	if err := st.CreateFlow(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f
}

// One open flow per application and reference; closing it frees the
// pair, and a closed flow refuses documents even from an upload that
// checked it a moment before.
func TestFlowLifecycle(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	f := openFlow(t, st, "f1", "APP-1", "REF-1")
	if err := st.CreateFlow(ctx, &store.Flow{ID: "f2", ClientID: "c", ProductType: "P", ApplicationID: "APP-1", ExternalReferenceID: "REF-1"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second open flow for the same application and reference: %v, want ErrConflict", err)
	}
	openFlow(t, st, "f3", "APP-1", "REF-2") // another reference is another flow
	if open, err := st.OpenFlowFor(ctx, "c", "APP-1", "REF-1"); err != nil || open.ID != f.ID {
		t.Errorf("OpenFlowFor = %v, %v; want %s", open, err, f.ID)
	}
	if _, err := st.GetFlow(ctx, "someone-else", f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client's flow: %v, want ErrNotFound", err)
	}

	b := &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: f.ID}
	if err := st.CreateBatch(ctx, b, docs(2)); err != nil {
		t.Fatal(err)
	}
	if err := st.CloseFlow(ctx, "c", f.ID); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetFlow(ctx, "c", f.ID)
	if err != nil || !got.Closed() || string(got.Params) != `{"name":"A B"}` {
		t.Fatalf("after close: %+v, %v", got, err)
	}
	d := docs(3)[2:]
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B2", ClientID: "c", ProductType: "P", FlowID: f.ID}, d); !errors.Is(err, store.ErrFlowClosed) {
		t.Errorf("upload to a closed flow: %v, want ErrFlowClosed", err)
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B3", ClientID: "c", ProductType: "P", FlowID: "nope"}, d); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("upload to an unknown flow: %v, want ErrNotFound", err)
	}
	if list, _ := st.ListFlowDocuments(ctx, f.ID); len(list) != 2 {
		t.Errorf("flow holds %d documents, want the 2 uploaded before it closed", len(list))
	}
	// The pair is free again.
	openFlow(t, st, "f4", "APP-1", "REF-1")
}

// FlowOfDocumentTx counts the flow's unfinished documents inside the
// finishing transaction, so exactly the last one sees none.
func TestFlowOfDocumentTx(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	f := openFlow(t, st, "f1", "APP-1", "")
	for i, id := range []string{"B1", "B2"} {
		ds := []store.Document{{FileUUID: fmt.Sprintf("u-%d", i), DocumentID: fmt.Sprint(i), FileURL: "https://x.example/d"}}
		if err := st.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "c", ProductType: "P", FlowID: f.ID}, ds); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "BULK", ClientID: "c", ProductType: "P"}, []store.Document{{FileUUID: "bulk", DocumentID: "x", FileURL: "https://x.example/d"}}); err != nil {
		t.Fatal(err)
	}
	var seen []int
	finish := func(uuid string) (*store.Flow, int) {
		var fl *store.Flow
		var n int
		err := st.FinishDocument(ctx, uuid, store.Result{FileData: document.NewFileData(document.TypePAN)}, func(ctx context.Context, tx *sql.Tx) error {
			var err error
			fl, n, err = st.FlowOfDocumentTx(ctx, tx, uuid)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, n)
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
	if err != nil || len(list) != 2 || list[0].FileUUID != "u-0" || list[1].FileUUID != "u-1" {
		t.Errorf("flow documents in upload order: %v, %v", list, err)
	}
}

// A cross-check run over fewer documents than the stored one (two runs
// raced) is not saved, and nothing else in its transaction runs.
func TestSaveCrossChecksKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	f := openFlow(t, st, "f1", "APP-1", "")
	also := 0
	count := func(context.Context, *sql.Tx) error { also++; return nil }
	for _, tc := range []struct {
		docs  int
		saved bool
	}{{2, true}, {3, true}, {2, false}, {3, false}, {4, true}} {
		saved, err := st.SaveCrossChecks(ctx, f.ID, json.RawMessage(fmt.Sprintf(`[{"docs":%d}]`, tc.docs)), tc.docs, count)
		if err != nil || saved != tc.saved {
			t.Errorf("run over %d documents: saved %v, %v; want %v", tc.docs, saved, err, tc.saved)
		}
	}
	got, _ := st.FlowByID(ctx, f.ID)
	if got.CrossChecksDocs != 4 || string(got.CrossChecks) != `[{"docs":4}]` || also != 3 {
		t.Errorf("stored run over %d documents (%s), %d transactions ran; want 4 and 3", got.CrossChecksDocs, got.CrossChecks, also)
	}
}

func TestCallbacksAndAttempts(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	f := openFlow(t, st, "f1", "APP-1", "")
	for _, id := range []string{"cb1", "cb2"} {
		tx, err := st.Writer().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.InsertCallbackTx(ctx, tx, &store.Callback{ID: id, ClientID: "c", FlowID: f.ID, Event: "document.processed", URL: f.CallbackURL, Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
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
	if err != nil || cb.Status != store.CallbackDelivered || cb.Attempts != 3 || cb.DeliveredAt.IsZero() || cb.URL != f.CallbackURL {
		t.Fatalf("cb1 = %+v, %v", cb, err)
	}
	list, err := st.ListCallbacks(ctx, f.ID)
	if err != nil || len(list) != 2 || list[0].ID != "cb1" || len(list[0].History) != 3 || len(list[1].History) != 0 {
		t.Fatalf("ListCallbacks = %+v, %v", list, err)
	}
	if h := list[0].History; h[0].StatusCode != 500 || h[1].StatusCode != 0 || h[2].StatusCode != 200 || h[2].Duration != 15*time.Millisecond {
		t.Errorf("history %+v", h)
	}
}

// A client's callback secret is made once and then stays the same.
func TestCallbackSecret(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	a, err := st.CallbackSecret(ctx, "c")
	if err != nil || len(a) < 40 {
		t.Fatalf("secret %q, %v", a, err)
	}
	if b, _ := st.CallbackSecret(ctx, "c"); b != a {
		t.Error("the secret changed on a second read")
	}
	if _, err := st.CallbackSecret(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown client: %v", err)
	}
}
