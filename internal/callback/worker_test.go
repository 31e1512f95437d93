package callback

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/atlas-oss/atlas/internal/store"
)

type sqliteWorker = Worker[*riversqlite.Driver, *sql.Tx]

// openStore returns a migrated SQLite store (atlas's and River's tables)
// with one client.
func openStore(t *testing.T) *store.SQLite {
	t.Helper()
	ctx := t.Context()
	st, err := store.OpenSQLite(t.TempDir() + "/a.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Not app.Migrate: app will import this package.
	migrator, err := rivermigrate.New(riversqlite.New(st.Writer()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: "c1", Name: "c1", SecretHash: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	return st
}

// newFlow opens flow f1 of client c1 (application app-1).
func newFlow(t *testing.T, st *store.SQLite, callbackURL, authURL string) *store.Flow {
	t.Helper()
	f := &store.Flow{ID: "f1", ClientID: "c1", ProductType: "PROD_CDL", ApplicationID: "app-1", CallbackURL: callbackURL, AuthURL: authURL}
	if err := st.CreateFlow(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	return f
}

// insertCallback stores a callback of flow f1 and, when rc is set, its
// job, in one transaction.
func insertCallback(t *testing.T, st *store.SQLite, rc *river.Client[*sql.Tx], id, url string, opts *river.InsertOpts) *store.Callback {
	t.Helper()
	ctx := t.Context()
	cb := &store.Callback{ID: id, ClientID: "c1", FlowID: "f1", Event: "document.processed", FileUUID: "", URL: url, Body: testBody}
	tx, err := st.Writer().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := st.InsertCallbackTx(ctx, tx, cb); err != nil {
		t.Fatal(err)
	}
	if rc != nil {
		if _, err := rc.InsertTx(ctx, tx, DeliverArgs{CallbackID: id}, opts); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return cb
}

// startRiver starts a River client working callbacks with w.
func startRiver(t *testing.T, st *store.SQLite, w *sqliteWorker) *river.Client[*sql.Tx] {
	t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	rc, err := river.NewClient(riversqlite.New(st.Writer()), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		FetchPollInterval: 50 * time.Millisecond,
		FetchCooldown:     10 * time.Millisecond,
		Logger:            slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Start(context.WithoutCancel(t.Context())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rc.Stop(ctx)
	})
	return rc
}

// waitForStatus polls the store until the callback has status (River
// promotes retries on its own schedule: allow it time, assert nothing on
// how much).
func waitForStatus(t *testing.T, st *store.SQLite, id, status string) *store.Callback {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		cb, err := st.GetCallback(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if cb.Status == status {
			return cb
		}
		if time.Now().After(deadline) {
			t.Fatalf("callback %s is %s after %d attempts, want %s", id, cb.Status, cb.Attempts, status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// storeSecret is client c1's signing secret.
func storeSecret(t *testing.T, st *store.SQLite) []byte {
	t.Helper()
	secret, err := st.CallbackSecret(t.Context(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(secret)
}

func historyOf(t *testing.T, st *store.SQLite, id string) store.Callback {
	t.Helper()
	cbs, err := st.ListCallbacks(t.Context(), "f1")
	if err != nil {
		t.Fatal(err)
	}
	for _, cb := range cbs {
		if cb.ID == id {
			return cb
		}
	}
	t.Fatalf("callback %s not listed", id)
	return store.Callback{}
}

func TestWorkerRetriesUntilDelivered(t *testing.T) {
	st := openStore(t)
	auth := newAuthServer(t, storeSecret(t, st), nil, func(int32) (int, string) { return 200, `{"access_token":"tok-1","expires_in":3600}` })
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	newFlow(t, st, recv.URL, auth.URL)
	w := &sqliteWorker{Store: st, Client: newTestClient(t, 5*time.Second), BaseDelay: 10 * time.Millisecond, MaxDelay: 20 * time.Millisecond}
	rc := startRiver(t, st, w)

	insertCallback(t, st, rc, "cb-1", recv.URL+"/hook", InsertOpts())
	got := waitForStatus(t, st, "cb-1", store.CallbackDelivered)

	secret := storeSecret(t, st)
	if n := recv.count(); n != 3 {
		t.Fatalf("receiver saw %d requests, want 3", n)
	}
	recv.mu.Lock()
	for i, r := range recv.requests {
		if id := r.Header.Get(HeaderID); id != "cb-1" {
			t.Errorf("attempt %d: %s = %q, want cb-1", i+1, HeaderID, id)
		}
		if err := Verify(secret, r.Header, recv.bodies[i], time.Now(), time.Minute); err != nil {
			t.Errorf("attempt %d: signature: %v", i+1, err)
		}
		if a := r.Header.Get("Authorization"); a != "Bearer tok-1" {
			t.Errorf("attempt %d: Authorization = %q", i+1, a)
		}
		if string(recv.bodies[i]) != string(testBody) {
			t.Errorf("attempt %d: body = %s", i+1, recv.bodies[i])
		}
	}
	recv.mu.Unlock()
	if n := auth.hits.Load(); n != 1 {
		t.Errorf("auth server saw %d requests, want 1 (token cached)", n)
	}
	if req := auth.lastRequest(); req != (TokenRequest{ClientID: "c1", FlowID: "f1", ApplicationID: "app-1"}) {
		t.Errorf("token request = %+v", req)
	}

	if got.Attempts != 3 || got.DeliveredAt.IsZero() {
		t.Errorf("callback attempts %d delivered at %v, want 3 and a time", got.Attempts, got.DeliveredAt)
	}
	h := historyOf(t, st, "cb-1").History
	if len(h) != 3 {
		t.Fatalf("history has %d attempts, want 3", len(h))
	}
	for i, want := range []int{500, 500, 200} {
		if h[i].Attempt != i+1 || h[i].StatusCode != want {
			t.Errorf("attempt %d: number %d status %d, want %d", i+1, h[i].Attempt, h[i].StatusCode, want)
		}
	}
	if h[0].Error != "receiver answered HTTP 500" || h[2].Error != "" {
		t.Errorf("attempt errors %q, %q", h[0].Error, h[2].Error)
	}
}

func TestWorkerGivesUp(t *testing.T) {
	st := openStore(t)
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusServiceUnavailable) })
	newFlow(t, st, recv.URL, "")
	w := &sqliteWorker{Store: st, Client: newTestClient(t, 5*time.Second), BaseDelay: 10 * time.Millisecond}
	rc := startRiver(t, st, w)

	insertCallback(t, st, rc, "cb-1", recv.URL, &river.InsertOpts{MaxAttempts: 2})
	got := waitForStatus(t, st, "cb-1", store.CallbackFailed)
	if got.Attempts != 2 || !got.DeliveredAt.IsZero() {
		t.Errorf("attempts %d delivered at %v, want 2 and never", got.Attempts, got.DeliveredAt)
	}
	if n := recv.count(); n != 2 {
		t.Errorf("receiver saw %d requests, want 2", n)
	}
	if a := recv.requests[0].Header.Get("Authorization"); a != "" {
		t.Errorf("Authorization = %q without an auth_url", a)
	}
}

// job builds the job River would hand the worker.
func job(id string, attempt, maxAttempts int) *river.Job[DeliverArgs] {
	return &river.Job[DeliverArgs]{
		JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: maxAttempts},
		Args:   DeliverArgs{CallbackID: id},
	}
}

func TestWorkerAttempts(t *testing.T) {
	tests := []struct {
		name        string
		authCode    int // 0: no auth_url
		recvCode    int
		delivered   bool // the callback was delivered before this attempt
		attempt     int
		wantErr     bool
		wantStatus  string
		wantRecv    int
		wantAttempt string // the recorded attempt's error; "-" for none recorded
	}{
		{name: "delivered", recvCode: 200, attempt: 1, wantStatus: store.CallbackDelivered, wantRecv: 1},
		{name: "failed, retried", recvCode: 502, attempt: 1, wantErr: true, wantStatus: store.CallbackPending, wantRecv: 1, wantAttempt: "receiver answered HTTP 502"},
		{name: "last attempt fails", recvCode: 502, attempt: 5, wantErr: true, wantStatus: store.CallbackFailed, wantRecv: 1, wantAttempt: "receiver answered HTTP 502"},
		{name: "token failure is an attempt", authCode: 500, recvCode: 200, attempt: 1, wantErr: true, wantStatus: store.CallbackPending, wantRecv: 0, wantAttempt: "the auth_url answered HTTP 500"},
		{name: "already delivered", recvCode: 200, delivered: true, attempt: 2, wantStatus: store.CallbackDelivered, wantRecv: 0, wantAttempt: "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(tt.recvCode) })
			authURL := ""
			if tt.authCode != 0 {
				authURL = newAuthServer(t, storeSecret(t, st), nil, func(int32) (int, string) { return tt.authCode, "" }).URL
			}
			newFlow(t, st, recv.URL, authURL)
			insertCallback(t, st, nil, "cb-1", recv.URL, nil)
			if tt.delivered {
				if err := st.RecordCallbackAttempt(t.Context(), store.CallbackAttempt{CallbackID: "cb-1", Attempt: 1, At: time.Now(), StatusCode: 200}, store.CallbackDelivered); err != nil {
					t.Fatal(err)
				}
			}
			w := &sqliteWorker{Store: st, Client: newTestClient(t, 5*time.Second)}

			err := w.Work(t.Context(), job("cb-1", tt.attempt, 5))
			if (err != nil) != tt.wantErr {
				t.Fatalf("Work = %v, want error %v", err, tt.wantErr)
			}
			if n := recv.count(); n != tt.wantRecv {
				t.Errorf("receiver saw %d requests, want %d", n, tt.wantRecv)
			}
			cb := historyOf(t, st, "cb-1")
			if cb.Status != tt.wantStatus {
				t.Errorf("status %s, want %s", cb.Status, tt.wantStatus)
			}
			var rec *store.CallbackAttempt
			for i := range cb.History {
				if cb.History[i].Attempt == tt.attempt {
					rec = &cb.History[i]
				}
			}
			switch {
			case tt.wantAttempt == "-" && rec != nil:
				t.Errorf("attempt %d recorded: %+v", tt.attempt, rec)
			case tt.wantAttempt != "-" && rec == nil:
				t.Errorf("attempt %d not recorded", tt.attempt)
			case rec != nil && rec.Error != tt.wantAttempt:
				t.Errorf("attempt error %q, want %q", rec.Error, tt.wantAttempt)
			}
		})
	}
}

// TestWorkerInterrupted: an attempt cut short by River stopping is not
// recorded, and does not fail the callback even on the last attempt.
func TestWorkerInterrupted(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	recv := newReceiver(t, func(_ http.ResponseWriter, r *http.Request, _ int) {
		cancel()
		<-r.Context().Done()
	})
	newFlow(t, st, recv.URL, "")
	insertCallback(t, st, nil, "cb-1", recv.URL, nil)
	w := &sqliteWorker{Store: st, Client: newTestClient(t, 5*time.Second)}

	if err := w.Work(ctx, job("cb-1", 5, 5)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Work = %v, want context.Canceled", err)
	}
	cb := historyOf(t, st, "cb-1")
	if cb.Status != store.CallbackPending || len(cb.History) != 0 {
		t.Errorf("status %s with %d attempts recorded, want pending and none", cb.Status, len(cb.History))
	}
}

func TestWorkerCallbackGone(t *testing.T) {
	st := openStore(t)
	w := &sqliteWorker{Store: st, Client: newTestClient(t, time.Second)}
	if err := w.Work(t.Context(), job("no-such-callback", 1, 5)); err != nil {
		t.Errorf("Work on a missing callback = %v, want nil", err)
	}
}

// failingStore fails every call, to check store errors make River retry
// without recording an attempt.
type failingStore struct{ Store }

var errStore = errors.New("database is locked")

func (failingStore) GetCallback(context.Context, string) (*store.Callback, error) {
	return nil, errStore
}

func TestWorkerStoreError(t *testing.T) {
	w := &sqliteWorker{Store: failingStore{}, Client: newTestClient(t, time.Second)}
	if err := w.Work(t.Context(), job("cb-1", 1, 5)); !errors.Is(err, errStore) {
		t.Errorf("Work = %v, want the store's error", err)
	}
}

func TestBackoff(t *testing.T) {
	w := &sqliteWorker{BaseDelay: time.Second, MaxDelay: time.Minute}
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, time.Second},
		{1, time.Second},
		{2, 2 * time.Second},
		{3, 4 * time.Second},
		{6, 32 * time.Second},
		{7, time.Minute}, // 64 s, capped
		{20, time.Minute},
		{1000, time.Minute}, // no overflow
	}
	for _, tt := range tests {
		if got := w.backoff(tt.attempt); got != tt.want {
			t.Errorf("backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
		before := time.Now()
		next := w.NextRetry(&river.Job[DeliverArgs]{JobRow: &rivertype.JobRow{Attempt: tt.attempt}})
		after := time.Now()
		if next.Before(before.Add(tt.want)) || next.After(after.Add(tt.want+tt.want/10)) {
			t.Errorf("NextRetry(%d) is %s from now, want %s plus at most 10%%", tt.attempt, next.Sub(before), tt.want)
		}
	}
}

// TestDefaultSchedule keeps MaxAttempts' comment honest: with the
// defaults, the last attempt comes about 13 hours after the first.
func TestDefaultSchedule(t *testing.T) {
	var w sqliteWorker
	var total time.Duration
	for a := 1; a < MaxAttempts; a++ {
		total += w.backoff(a)
	}
	if want := 13*time.Hour + 3*time.Minute + 30*time.Second; total != want {
		t.Errorf("default schedule spans %s, want %s", total, want)
	}
	if w.backoff(1) != DefaultBaseDelay || w.backoff(MaxAttempts) != DefaultMaxDelay {
		t.Errorf("defaults: first wait %s, longest %s", w.backoff(1), w.backoff(MaxAttempts))
	}
	if opts := (DeliverArgs{}).InsertOpts(); opts.MaxAttempts != MaxAttempts {
		t.Errorf("DeliverArgs.InsertOpts().MaxAttempts = %d", opts.MaxAttempts)
	}
}

func TestWorkerLogsNoSecrets(t *testing.T) {
	st := openStore(t)
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.WriteHeader(500)
		w.Write([]byte("RECEIVER-BODY"))
	})
	auth := newAuthServer(t, storeSecret(t, st), nil, func(int32) (int, string) { return 200, `{"access_token":"TOKEN-VALUE"}` })
	newFlow(t, st, recv.URL, auth.URL+"?auth=AUTH-QUERY")
	insertCallback(t, st, nil, "cb-1", recv.URL+"/hook?key=URL-QUERY", nil)
	secret := string(storeSecret(t, st))

	var logs strings.Builder
	w := &sqliteWorker{Store: st, Client: newTestClient(t, 5*time.Second), Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := w.Work(t.Context(), job("cb-1", 1, 5)); err == nil {
		t.Fatal("Work succeeded against a 500")
	}
	out := logs.String()
	if !strings.Contains(out, "callback_attempt_failed") || !strings.Contains(out, "cb-1") {
		t.Errorf("log lacks the attempt: %s", out)
	}
	for _, leak := range []string{"RECEIVER-BODY", "TOKEN-VALUE", "AUTH-QUERY", "URL-QUERY", secret, string(testBody)} {
		if strings.Contains(out, leak) {
			t.Errorf("log holds %q: %s", leak, out)
		}
	}
}
