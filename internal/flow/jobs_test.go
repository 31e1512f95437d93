package flow_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/atlas-oss/atlas/internal/app"
	"github.com/atlas-oss/atlas/internal/crosscheck"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/flow"
	"github.com/atlas-oss/atlas/internal/store"
)

type jobs = flow.Jobs[*riversqlite.Driver, *sql.Tx]

// setup is the real store and a real River client working the flow
// queue, with the flow jobs wired as the service wires them; callbacks
// are recorded (their delivery is the callback package's business).
func setup(t *testing.T) (*store.SQLite, *jobs, *[]string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := app.MigrateSQLite(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: "c", Name: "c", SecretHash: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	j := &jobs{Store: st, BaseURL: "https://atlas.example", Log: slog.New(slog.DiscardHandler),
		Settings: crosscheck.Settings{Now: func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }}}
	var enqueued []string
	j.EnqueueCallback = func(ctx context.Context, tx *sql.Tx, id string) error {
		enqueued = append(enqueued, id)
		return nil
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &flow.CrossCheckWorker[*riversqlite.Driver, *sql.Tx]{Jobs: j})
	rc, err := river.NewClient(riversqlite.New(st.Writer()), &river.Config{
		Queues:            map[string]river.QueueConfig{flow.Queue: {MaxWorkers: 2}},
		Workers:           workers,
		FetchPollInterval: 50 * time.Millisecond,
		FetchCooldown:     20 * time.Millisecond,
		Logger:            slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	j.River = rc
	if err := rc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rc.Stop(stop)
	})
	return st, j, &enqueued
}

func pan(name string) *document.FileData {
	fd := document.NewFileData(document.TypePAN)
	fd.Set("pan_number", document.Field{Value: "ABCPK1234F", Confidence: 0.97})
	fd.Set("name_as_per_pan", document.Field{Value: name, Confidence: 0.95})
	return fd
}

func aadhaar(name string) *document.FileData {
	fd := document.NewFileData(document.TypeAadhaar)
	fd.Set("name", document.Field{Value: name, Confidence: 0.95})
	return fd
}

// finish stores a document's result as the document worker does, with the
// flow hook in the same transaction.
func finish(t *testing.T, st *store.SQLite, j *jobs, fileUUID string, r store.Result) {
	t.Helper()
	if err := st.FinishDocument(context.Background(), fileUUID, r, func(ctx context.Context, tx *sql.Tx) error {
		return j.DocumentFinished(ctx, tx, fileUUID)
	}); err != nil {
		t.Fatal(err)
	}
}

func waitChecks(t *testing.T, st *store.SQLite, flowID string, docs int) []crosscheck.Check {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		f, err := st.FlowByID(context.Background(), flowID)
		if err != nil {
			t.Fatal(err)
		}
		if f.CrossChecks != nil && f.CrossChecksDocs == docs {
			var checks []crosscheck.Check
			if err := json.Unmarshal(f.CrossChecks, &checks); err != nil {
				t.Fatal(err)
			}
			return checks
		}
		if time.Now().After(deadline) {
			t.Fatalf("cross-checks over %d documents never ran (have %d)", docs, f.CrossChecksDocs)
		}
	}
}

// The cross-checks run once the last unfinished document is read, and
// again when a later upload is; with a callback URL, every document and
// every run is a recorded callback whose delivery is enqueued with it.
func TestCrossChecksFollowTheDocuments(t *testing.T) {
	ctx := context.Background()
	st, j, enqueued := setup(t)
	f := &store.Flow{ID: "f1", ClientID: "c", ProductType: "P", ApplicationID: "A", CallbackURL: "https://los.example/cb",
		Params: json.RawMessage(`{"name":"Ravi Kumar"}`)}
	if err := st.CreateFlow(ctx, f); err != nil {
		t.Fatal(err)
	}
	first := []store.Document{{FileUUID: "u1", DocumentID: "pan", FileURL: "https://x.example/1"}, {FileUUID: "u2", DocumentID: "aadhaar", FileURL: "https://x.example/2"}}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: f.ID}, first); err != nil {
		t.Fatal(err)
	}
	finish(t, st, j, "u1", store.Result{FileData: pan("RAVI KUMAR")})
	if f, _ := st.FlowByID(ctx, "f1"); f.CrossChecks != nil {
		t.Error("cross-checks ran while a document was still being read")
	}
	finish(t, st, j, "u2", store.Result{FileData: aadhaar("Ravi Kumar")})
	checks := waitChecks(t, st, "f1", 2)
	if len(checks) != 3 { // name, and the declared name against both
		t.Errorf("%d checks over PAN and Aadhaar, want 3: %+v", len(checks), checks)
	}

	// A later upload: a failed document takes part in no comparison but
	// the run is repeated over three documents.
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B2", ClientID: "c", ProductType: "P", FlowID: f.ID},
		[]store.Document{{FileUUID: "u3", DocumentID: "blank", FileURL: "https://x.example/3"}}); err != nil {
		t.Fatal(err)
	}
	finish(t, st, j, "u3", store.Result{Error: document.Errorf(document.CodeUnrecognised, "not a document atlas knows")})
	if again := waitChecks(t, st, "f1", 3); len(again) != len(checks) {
		t.Errorf("second run: %d checks, want %d", len(again), len(checks))
	}

	for deadline := time.Now().Add(5 * time.Second); len(*enqueued) < 5 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	cbs, err := st.ListCallbacks(ctx, "f1")
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, cb := range cbs {
		events = append(events, cb.Event)
	}
	want := []string{flow.EventDocumentProcessed, flow.EventDocumentProcessed, flow.EventCrossChecks, flow.EventDocumentFailed, flow.EventCrossChecks}
	if len(events) != len(want) || len(*enqueued) != len(want) {
		t.Fatalf("callbacks %v (%d deliveries enqueued), want %v", events, len(*enqueued), want)
	}
	for i := range want {
		if events[i] != want[i] || cbs[i].ID != (*enqueued)[i] {
			t.Errorf("callback %d: %s %s, want %s enqueued in order", i, events[i], cbs[i].ID, want[i])
		}
	}
	var last flow.CrossChecksEvent
	if err := json.Unmarshal(cbs[4].Body, &last); err != nil {
		t.Fatal(err)
	}
	if last.CallbackID != cbs[4].ID || last.Status.MasterStatus != flow.Completed || len(last.OCRData) != 3 || string(last.FlowParams) != `{"name":"Ravi Kumar"}` {
		t.Errorf("last callback body: %+v", last)
	}
}

// Without a callback URL the cross-checks still run; nothing is sent.
func TestCrossChecksWithoutCallbacks(t *testing.T) {
	ctx := context.Background()
	st, j, enqueued := setup(t)
	if err := st.CreateFlow(ctx, &store.Flow{ID: "f1", ClientID: "c", ProductType: "P", ApplicationID: "A"}); err != nil {
		t.Fatal(err)
	}
	docs := []store.Document{{FileUUID: "u1", DocumentID: "pan", FileURL: "https://x.example/1"}, {FileUUID: "u2", DocumentID: "aadhaar", FileURL: "https://x.example/2"}}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: "f1"}, docs); err != nil {
		t.Fatal(err)
	}
	finish(t, st, j, "u1", store.Result{FileData: pan("MOHAN KUMAR")})
	finish(t, st, j, "u2", store.Result{FileData: aadhaar("Manikandan Duraisamy")})
	checks := waitChecks(t, st, "f1", 2)
	if len(checks) != 1 || checks[0].Status != "mismatch" || checks[0].Documents[0] != "pan" {
		t.Errorf("checks %+v, want one name mismatch naming the PAN", checks)
	}
	if cbs, _ := st.ListCallbacks(ctx, "f1"); len(cbs) != 0 || len(*enqueued) != 0 {
		t.Errorf("%d callbacks recorded, %d enqueued, for a flow without a callback URL", len(cbs), len(*enqueued))
	}
}

// The cross-checks compare what reviewers corrected, not what was misread.
func TestCrossChecksUseCorrections(t *testing.T) {
	ctx := context.Background()
	st, j, _ := setup(t)
	if err := st.CreateFlow(ctx, &store.Flow{ID: "f1", ClientID: "c", ProductType: "P", ApplicationID: "A"}); err != nil {
		t.Fatal(err)
	}
	docs := []store.Document{{FileUUID: "u1", DocumentID: "pan", FileURL: "https://x.example/1"}, {FileUUID: "u2", DocumentID: "aadhaar", FileURL: "https://x.example/2"}}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: "f1"}, docs); err != nil {
		t.Fatal(err)
	}
	finish(t, st, j, "u1", store.Result{FileData: pan("MANIKANDAM DURAI")}) // misread
	if err := st.SaveCorrection(ctx, "c", "u1", store.Correction{Field: "name_as_per_pan", Value: "MANIKANDAN DURAISAMY", Reviewer: "review:c", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	finish(t, st, j, "u2", store.Result{FileData: aadhaar("Manikandan Duraisamy")})
	checks := waitChecks(t, st, "f1", 2)
	if len(checks) != 1 || checks[0].Status != "match" || checks[0].Score != 1 {
		t.Errorf("checks %+v, want the corrected PAN name to match the Aadhaar's", checks)
	}
}

// A rerun after a correction replaces the checks over the same documents
// and calls the flow back again.
func TestCrossChecksRerunAfterCorrection(t *testing.T) {
	ctx := context.Background()
	st, j, enqueued := setup(t)
	if err := st.CreateFlow(ctx, &store.Flow{ID: "f1", ClientID: "c", ProductType: "P", ApplicationID: "A", CallbackURL: "https://los.example/cb"}); err != nil {
		t.Fatal(err)
	}
	docs := []store.Document{{FileUUID: "u1", DocumentID: "pan", FileURL: "https://x.example/1"}, {FileUUID: "u2", DocumentID: "aadhaar", FileURL: "https://x.example/2"}}
	if err := st.CreateBatch(ctx, &store.Batch{ID: "B1", ClientID: "c", ProductType: "P", FlowID: "f1"}, docs); err != nil {
		t.Fatal(err)
	}
	finish(t, st, j, "u1", store.Result{FileData: pan("MANIKANDAM DURAI")})
	finish(t, st, j, "u2", store.Result{FileData: aadhaar("Manikandan Duraisamy")})
	if checks := waitChecks(t, st, "f1", 2); len(checks) != 1 || checks[0].Status == "match" {
		t.Fatalf("before the correction: %+v, want the misread name not to match", checks)
	}
	if err := st.SaveCorrection(ctx, "c", "u1", store.Correction{Field: "name_as_per_pan", Value: "MANIKANDAN DURAISAMY", Reviewer: "review:c", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// Without Rerun, a job over the same documents changes nothing.
	if _, err := j.River.Insert(ctx, flow.CrossCheckArgs{FlowID: "f1"}, &river.InsertOpts{Queue: flow.Queue}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.River.Insert(ctx, flow.CrossCheckArgs{FlowID: "f1", Rerun: true}, &river.InsertOpts{Queue: flow.Queue}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		checks := waitChecks(t, st, "f1", 2)
		if len(checks) == 1 && checks[0].Status == "match" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the correction and a rerun: %+v, want a match", checks)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cbs, _ := st.ListCallbacks(ctx, "f1"); len(cbs) == 4 {
			break
		}
	}
	cbs, _ := st.ListCallbacks(ctx, "f1")
	var runs int
	for _, cb := range cbs {
		if cb.Event == flow.EventCrossChecks {
			runs++
		}
	}
	if runs != 2 || len(*enqueued) != 4 {
		t.Errorf("%d cross-check callbacks (%d callbacks enqueued), want 2: the first run and the rerun", runs, len(*enqueued))
	}
}
