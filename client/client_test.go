package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
)

const testClientID, testSecret = "client-a", "secret-a-0123456789"

// server is a real atlas API on a real SQLite store, behind a thin layer
// that counts requests per route and injects faults on demand.
type server struct {
	t     *testing.T
	url   string
	store *store.SQLite
	// clockOffset moves the token issuer's clock (nanoseconds).
	clockOffset atomic.Int64

	mu       sync.Mutex
	counts   map[string]int      // "METHOD /path" → requests seen
	statuses map[string][]int    // "METHOD /path" → statuses answered
	inject   map[string][]int    // statuses to answer instead of the API, in turn
	lose     map[string]int      // serve the API, then answer 503 instead (answer lost)
	headers  map[string][]string // "METHOD /path" → Idempotency-Key headers seen
	// before runs before the n-th request of a route is served.
	before map[string]func(n int)
}

func newServer(t *testing.T) *server {
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
	if err := st.CreateClient(ctx, store.Client{ID: testClientID, Name: testClientID, SecretHash: auth.HashSecret(testSecret)}); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, store: st, counts: map[string]int{}, statuses: map[string][]int{}, inject: map[string][]int{},
		lose: map[string]int{}, headers: map[string][]string{}, before: map[string]func(int){}}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	iss.SetClock(func() time.Time { return time.Now().Add(time.Duration(s.clockOffset.Load())) })
	m := metrics.New(st, "all", "test")
	a := api.New(st, nil, iss, api.Config{}, m, slog.New(slog.DiscardHandler), func(ctx context.Context) error { return st.Ping(ctx) })
	hs := httptest.NewServer(s.wrap(a))
	t.Cleanup(hs.Close)
	s.url = hs.URL
	return s
}

// wrap counts requests and injects the faults set up for their route.
func (s *server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		s.mu.Lock()
		s.counts[route]++
		n := s.counts[route]
		if k := r.Header.Get("Idempotency-Key"); k != "" {
			s.headers[route] = append(s.headers[route], k)
		}
		var status int
		if q := s.inject[route]; len(q) > 0 {
			status, s.inject[route] = q[0], q[1:]
		}
		lose := s.lose[route] > 0
		if lose {
			s.lose[route]--
		}
		before := s.before[route]
		s.mu.Unlock()
		if before != nil {
			before(n)
		}
		if lose {
			h.ServeHTTP(httptest.NewRecorder(), r)
			status = http.StatusServiceUnavailable
		}
		if status != 0 {
			s.record(route, status)
			w.Header().Set("Content-Type", "application/json")
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error_code":"%d","error_message":"%s: injected by the test"}`, status, http.StatusText(status))
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		s.record(route, rec.status)
	})
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *server) record(route string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[route] = append(s.statuses[route], status)
}

func (s *server) count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[route]
}

func (s *server) statusesOf(route string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.statuses[route]...)
}

func (s *server) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// client returns a client of s with short backoffs.
func (s *server) client(opts ...Option) *Client {
	s.t.Helper()
	c, err := New(s.url, testClientID, testSecret, append([]Option{WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)...)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// finish marks a document read (with a PAN number and name) or failed.
func (s *server) finish(fileUUID string, i int, failed bool) {
	s.t.Helper()
	r := store.Result{}
	if failed {
		r.Error = &document.Error{Code: document.CodeFetchFailed, Message: "the URL answered 403", UpstreamStatus: 403}
	} else {
		fd := document.NewFileData(document.TypePAN)
		fd.Set("pan_number", document.Field{Value: panOf(i), Confidence: 0.91, Validation: &document.Validation{Passed: true, Rule: "pan_format"}})
		fd.Set("name", document.Field{Value: fmt.Sprintf("PERSON %d", i), Confidence: 0.8})
		r.FileData = fd
	}
	if err := s.store.FinishDocument(context.Background(), fileUUID, r, nil); err != nil {
		s.t.Fatal(err)
	}
}

func panOf(i int) string { return fmt.Sprintf("ABCDE%04dF", i) }

func entries(n int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		out[i] = Entry{FileURL: fmt.Sprintf("https://files.example.com/u/%d.jpg?X-Amz-Signature=abc", i), DocumentID: fmt.Sprintf("doc-%03d", i)}
	}
	return out
}

// upload submits n documents and returns the answer.
func upload(t *testing.T, c *Client, n int) *MultiuploadResponse {
	t.Helper()
	resp, err := c.Multiupload(context.Background(), MultiuploadRequest{ProductType: "PFL_CDL", Files: entries(n)})
	if err != nil {
		t.Fatalf("Multiupload: %v", err)
	}
	return resp
}

var batchIDRe = regexp.MustCompile(`^BATCH-\d{5}-[A-Z]{5}-\d{14}$`)

const (
	routeToken    = "POST /v1/bulk/authtoken"
	routeUpload   = "POST /v1/bulk/multiupload"
	routeExtracts = "GET /v1/bulk/extracts"
)

func TestUploadAndWalkEveryDocument(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	up := upload(t, c, 120)
	if !batchIDRe.MatchString(up.BatchID) || len(up.Entries) != 120 || up.Replayed || up.IdempotencyKey == "" {
		t.Fatalf("upload answer: batch %q, %d entries, replayed %v, key %q", up.BatchID, len(up.Entries), up.Replayed, up.IdempotencyKey)
	}
	for i, e := range up.Entries {
		if e.DocumentID != fmt.Sprintf("doc-%03d", i) || e.BatchID != up.BatchID || e.FileUUID == "" {
			t.Fatalf("entry %d = %+v", i, e)
		}
		s.finish(e.FileUUID, i, i%10 == 9)
	}

	var got []Document
	for d, err := range c.Documents(ctx, up.BatchID) {
		if err != nil {
			t.Fatalf("Documents: %v", err)
		}
		got = append(got, d)
	}
	if len(got) != 120 {
		t.Fatalf("walked %d documents, want 120", len(got))
	}
	if n := s.count(routeExtracts); n != 3 {
		t.Errorf("%d extracts requests, want 3 pages of 50", n)
	}
	for i, d := range got {
		if d.DocumentID != up.Entries[i].DocumentID || d.FileUUID != up.Entries[i].FileUUID {
			t.Fatalf("document %d is %s, want %s (upload order)", i, d.DocumentID, up.Entries[i].DocumentID)
		}
		if i%10 == 9 {
			if d.Status != StatusFailed || d.ErrorCode != "FETCH_FAILED" || d.Error == nil || d.Error.UpstreamStatus != 403 || d.FileData != nil {
				t.Errorf("document %d: %+v, want failed FETCH_FAILED 403", i, d)
			}
			continue
		}
		pan := d.FileData["pan_number"]
		if d.Status != StatusDone || d.DocumentType != "PAN" || pan.Value != panOf(i) || pan.Confidence != 0.91 ||
			pan.Validation == nil || !pan.Validation.Passed || strings.Join(d.FieldNames, ",") != "pan_number,name" {
			t.Errorf("document %d: %+v", i, d)
		}
	}

	sum, err := c.Summary(ctx, up.BatchID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (BatchSummary{Total: 120, Done: 108, Failed: 12}); *sum != want || !sum.Finished() {
		t.Errorf("Summary = %+v, want %+v", *sum, want)
	}
}

func TestPagerStopsOnEarlyBreakWithoutMoreRequests(t *testing.T) {
	s := newServer(t)
	c := s.client()
	up := upload(t, c, 120)
	n := 0
	for _, err := range c.Documents(context.Background(), up.BatchID) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			break
		}
	}
	if got := s.count(routeExtracts); got != 1 {
		t.Errorf("%d extracts requests after breaking on page 1, want 1", got)
	}
}

func TestPagerDetectsAShortWalk(t *testing.T) {
	tests := []struct {
		name string
		// change alters the batch on the server between pages 1 and 2.
		change func(s *server, up *MultiuploadResponse) error
		want   string
	}{
		{"documents added mid-walk", func(s *server, up *MultiuploadResponse) error {
			_, err := s.store.Writer().Exec(`UPDATE batch SET document_count = document_count + 5 WHERE id = ?`, up.BatchID)
			return err
		}, "had 120 documents at the start and 125"},
		{"a document of a middle page vanishes", func(s *server, up *MultiuploadResponse) error {
			_, err := s.store.Writer().Exec(`DELETE FROM document WHERE file_uuid = ?`, up.Entries[60].FileUUID)
			return err
		}, "came twice (page 3)"},
		{"a document of the last page vanishes", func(s *server, up *MultiuploadResponse) error {
			_, err := s.store.Writer().Exec(`DELETE FROM document WHERE file_uuid = ?`, up.Entries[110].FileUUID)
			return err
		}, "saw 119 of its 120 documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			c := s.client()
			up := upload(t, c, 120)
			s.set(func() {
				s.before[routeExtracts] = func(n int) {
					if n == 2 {
						if err := tt.change(s, up); err != nil {
							t.Error(err)
						}
					}
				}
			})
			seen := 0
			var walkErr error
			for _, err := range c.Documents(context.Background(), up.BatchID) {
				if err != nil {
					walkErr = err
					break
				}
				seen++
			}
			if !errors.Is(walkErr, ErrIncomplete) || !strings.Contains(walkErr.Error(), tt.want) {
				t.Fatalf("walk ended with %v after %d documents, want ErrIncomplete saying %q", walkErr, seen, tt.want)
			}
			if seen >= 120 {
				t.Errorf("%d documents yielded before the error: a page that fails its check must not be yielded", seen)
			}
			if _, err := c.AllDocuments(context.Background(), up.BatchID); !errors.Is(err, ErrIncomplete) {
				t.Errorf("AllDocuments after the change: %v, want ErrIncomplete", err)
			}
		})
	}
}

func TestTokenExpiresMidRun(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	up := upload(t, c, 3)
	if _, err := c.Extracts(ctx, up.BatchID, 1, 50); err != nil {
		t.Fatal(err)
	}
	if n := s.count(routeToken); n != 1 {
		t.Fatalf("%d token requests before expiry, want 1 (cached)", n)
	}
	s.clockOffset.Store(int64(61 * time.Minute)) // the server now finds the token expired
	p, err := c.Extracts(ctx, up.BatchID, 1, 50)
	if err != nil {
		t.Fatalf("Extracts after the token expired: %v", err)
	}
	if p.TotalItems != 3 {
		t.Errorf("total_items %d, want 3", p.TotalItems)
	}
	if n := s.count(routeToken); n != 2 {
		t.Errorf("%d token requests, want exactly one more after expiry", n)
	}
	if got := s.statusesOf(routeExtracts); fmt.Sprint(got) != "[200 401 200]" {
		t.Errorf("extracts answered %v, want [200 401 200]", got)
	}
}

func TestTokenRefreshedBefore80PercentOfItsLife(t *testing.T) {
	s := newServer(t)
	c := s.client()
	var offset atomic.Int64
	c.now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	ctx := context.Background()
	up := upload(t, c, 1)
	for _, tc := range []struct {
		at     time.Duration
		tokens int
	}{{47 * time.Minute, 1}, {49 * time.Minute, 2}, {60 * time.Minute, 2}, {98 * time.Minute, 3}} {
		offset.Store(int64(tc.at))
		if _, err := c.Extracts(ctx, up.BatchID, 1, 50); err != nil {
			t.Fatal(err)
		}
		if n := s.count(routeToken); n != tc.tokens {
			t.Errorf("at +%v: %d token requests, want %d", tc.at, n, tc.tokens)
		}
	}
	for _, st := range s.statusesOf(routeExtracts) {
		if st != 200 {
			t.Errorf("extracts answered %d: the token should have been refreshed before it expired", st)
		}
	}
}

func TestSecond401IsReturned(t *testing.T) {
	s := newServer(t)
	c := s.client()
	up := upload(t, c, 1)
	s.set(func() { s.inject[routeExtracts] = []int{401, 401, 401} })
	_, err := c.Extracts(context.Background(), up.BatchID, 1, 50)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 {
		t.Fatalf("err = %v, want *APIError 401", err)
	}
	if n := s.count(routeExtracts); n != 2 {
		t.Errorf("%d extracts requests, want 2 (one retry with a new token)", n)
	}
	if n := s.count(routeToken); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

func TestServerAnswering503TwiceIsRetried(t *testing.T) {
	tests := []struct {
		name  string
		route string
		call  func(c *Client, batchID string) error
	}{
		{"extracts", routeExtracts, func(c *Client, batchID string) error {
			p, err := c.Extracts(context.Background(), batchID, 1, 50)
			if err == nil && p.TotalItems != 2 {
				err = fmt.Errorf("total_items %d", p.TotalItems)
			}
			return err
		}},
		{"authtoken", routeToken, func(c *Client, batchID string) error {
			_, err := c.Extracts(context.Background(), batchID, 1, 50)
			return err
		}},
		{"address match", "POST /v1/address/match/batch", func(c *Client, _ string) error {
			_, err := c.AddressMatch(context.Background(), AddressMatchRequest{SourceAddress: "12 MG Road, Pune 411001", Targets: []AddressTarget{{Address: "12 M.G. Rd, Pune 411001"}}})
			return err
		}},
		{"delete batch", "DELETE /v1/bulk/batch/", func(c *Client, batchID string) error {
			r, err := c.DeleteBatch(context.Background(), batchID)
			if err == nil && r.DeletedDocuments != 2 {
				err = fmt.Errorf("deleted %d documents", r.DeletedDocuments)
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			up := upload(t, s.client(), 2)
			route := tt.route
			if strings.HasSuffix(route, "/") {
				route += up.BatchID
			}
			s.set(func() { s.inject[route] = []int{503, 503} })
			earlier := len(s.statusesOf(route))
			if err := tt.call(s.client(), up.BatchID); err != nil {
				t.Fatalf("call after two 503s: %v", err)
			}
			if got := s.statusesOf(route)[earlier:]; len(got) != 3 || got[0] != 503 || got[1] != 503 || got[2] >= 300 {
				t.Errorf("%s answered %v, want 503, 503, then success", route, got)
			}
		})
	}
}

func TestRetriesRunOut(t *testing.T) {
	s := newServer(t)
	c := s.client(WithRetries(2))
	up := upload(t, c, 1)
	s.set(func() { s.inject[routeExtracts] = []int{503, 502, 504, 503} })
	_, err := c.Extracts(context.Background(), up.BatchID, 1, 50)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 504 || ae.Code != "504" || !ae.Temporary() {
		t.Fatalf("err = %v, want the last answer, *APIError 504", err)
	}
	if n := s.count(routeExtracts); n != 3 {
		t.Errorf("%d requests, want 3 (1 + 2 retries)", n)
	}
}

func TestMultiuploadRetryCreatesOneBatch(t *testing.T) {
	s := newServer(t)
	c := s.client()
	// The first upload is stored, but its answer is lost as a 503.
	s.set(func() { s.lose[routeUpload] = 1 })
	up := upload(t, c, 3)
	if !up.Replayed {
		t.Errorf("the retried upload was not answered from the first one")
	}
	keys := s.headers[routeUpload]
	if len(keys) != 2 || keys[0] != keys[1] || keys[0] != up.IdempotencyKey {
		t.Errorf("Idempotency-Key headers %v, want the same key twice (%s)", keys, up.IdempotencyKey)
	}
	var batches int
	if err := s.store.Writer().QueryRow(`SELECT COUNT(*) FROM batch`).Scan(&batches); err != nil {
		t.Fatal(err)
	}
	if batches != 1 {
		t.Errorf("%d batches stored, want 1", batches)
	}
	// The caller's own key makes its own repeat safe too.
	req := MultiuploadRequest{ProductType: "PFL_CDL", Files: entries(2), IdempotencyKey: "my-key-1"}
	a, err := c.Multiupload(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Multiupload(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if a.BatchID != b.BatchID || a.Replayed || !b.Replayed || b.IdempotencyKey != "my-key-1" {
		t.Errorf("repeat with the same key: %s then %s (replayed %v, %v)", a.BatchID, b.BatchID, a.Replayed, b.Replayed)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	_, err := c.Extracts(ctx, "BATCH-00000-AAAAA-20260101000000", 1, 50)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != "400" || !strings.Contains(ae.Message, "is unknown") || ae.Temporary() {
		t.Fatalf("err = %v, want *APIError 400 naming the unknown batch", err)
	}
	if !IsStatus(err, 400) {
		t.Errorf("IsStatus(err, 400) = false")
	}
	if n := s.count(routeExtracts); n != 1 {
		t.Errorf("%d requests for a 400, want 1", n)
	}
	_, err = c.Multiupload(ctx, MultiuploadRequest{ProductType: "PFL_CDL", Files: []Entry{{FileURL: "ftp://x/y", DocumentID: "a"}}})
	if !IsStatus(err, 400) || !strings.Contains(err.Error(), "http or https") {
		t.Errorf("bad upload: %v, want 400 about the URL", err)
	}
	if n := s.count(routeUpload); n != 1 {
		t.Errorf("%d upload requests for a 400, want 1", n)
	}
	bad, err := New(s.url, testClientID, "wrong-secret", WithBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Extracts(ctx, "BATCH-00000-AAAAA-20260101000000", 1, 50); !IsStatus(err, 401) {
		t.Errorf("wrong secret: %v, want 401", err)
	}
}

func TestFlowUploadIsNotRetriedOn5xx(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	f, err := c.FlowInit(ctx, FlowInitRequest{ProductType: "PROD_CDL", ApplicationID: "APP-1"})
	if err != nil {
		t.Fatal(err)
	}
	const route = "POST /v2/verification/multiupload"
	req := FlowUploadRequest{FlowID: f.FlowID, Files: []FlowFile{{FileURL: "https://files.example.com/pan.jpg", DocumentID: "pan"}}}
	s.set(func() { s.lose[route] = 1 })
	if _, err := c.FlowUpload(ctx, req); !IsStatus(err, 503) {
		t.Fatalf("FlowUpload after a lost answer: %v, want the 503", err)
	}
	if n := s.count(route); n != 1 {
		t.Errorf("%d flow uploads sent, want 1: a retry could add the documents twice", n)
	}
	// 429 means the server did not act: that is retried.
	s.set(func() { s.inject[route] = []int{429} })
	if _, err := c.FlowUpload(ctx, FlowUploadRequest{FlowID: f.FlowID, Files: []FlowFile{{FileURL: "https://files.example.com/a.jpg", DocumentID: "aadhaar"}}}); err != nil {
		t.Fatalf("FlowUpload after a 429: %v", err)
	}
	st, err := c.FlowStatus(ctx, f.FlowID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 2 {
		t.Errorf("the flow has %d documents, want 2 (one per upload that reached the store)", st.Documents)
	}
}

func TestFlowInitIsNotRetriedOn5xx(t *testing.T) {
	s := newServer(t)
	c := s.client()
	const route = "POST /v2/verification/flow/init"
	s.set(func() { s.inject[route] = []int{503} })
	if _, err := c.FlowInit(context.Background(), FlowInitRequest{ProductType: "PROD_CDL", ApplicationID: "APP-1"}); !IsStatus(err, 503) {
		t.Fatalf("FlowInit: %v, want the 503", err)
	}
	if n := s.count(route); n != 1 {
		t.Errorf("%d flow inits sent, want 1", n)
	}
}

func TestFlowLifecycle(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	f, err := c.FlowInit(ctx, FlowInitRequest{ProductType: "PROD_CDL", ApplicationID: "APP-2026-000123", ExternalReferenceID: "LOS-1",
		CallbackURL: "https://los.example.com/cb", FlowParams: map[string]any{"name": "PERSON 0", "loan_amount": "65000.00"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.FlowID == "" || f.FlowState != "OPEN" || f.ApplicationID != "APP-2026-000123" || f.CreatedAt.IsZero() {
		t.Fatalf("FlowInit = %+v", f)
	}
	if _, err := c.FlowInit(ctx, FlowInitRequest{ProductType: "PROD_CDL", ApplicationID: "APP-2026-000123", ExternalReferenceID: "LOS-1"}); !IsStatus(err, 409) {
		t.Errorf("second init: %v, want 409", err)
	}
	up, err := c.FlowUpload(ctx, FlowUploadRequest{FlowID: f.FlowID, Files: []FlowFile{
		{FileURL: "https://files.example.com/pan.jpg", DocumentID: "doc_pan", SubmissionMode: "camera"},
		{FileURL: "https://files.example.com/dl.jpg", DocumentID: "doc_dl"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(up) != 2 || up[0].DocumentID != "doc_pan" || up[1].DocumentID != "doc_dl" || !batchIDRe.MatchString(up[0].BatchID) {
		t.Fatalf("FlowUpload = %+v", up)
	}
	s.finish(up[0].FileUUID, 0, false)
	s.finish(up[1].FileUUID, 1, true)

	st, err := c.FlowStatus(ctx, f.FlowID)
	if err != nil {
		t.Fatal(err)
	}
	if st.FlowID != f.FlowID || st.Documents != 2 || st.Processed != 1 || st.Failed != 1 || len(st.Files) != 2 ||
		st.Files[0].DocumentType != "PAN" || st.Files[1].ErrorCode != "FETCH_FAILED" || st.Files[0].Status != "PROCESSING_SUCCESS" {
		t.Errorf("FlowStatus = %+v", st)
	}
	var params map[string]string
	if err := json.Unmarshal(st.FlowParams, &params); err != nil || params["loan_amount"] != "65000.00" {
		t.Errorf("flow_params = %s", st.FlowParams)
	}

	ex, err := c.FlowExtracts(ctx, f.FlowID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.OCRData) != 2 || ex.OCRData[0].DocumentType != "PAN" || ex.OCRData[0].FileData["pan_number"].Value != panOf(0) ||
		ex.OCRData[0].SubmissionMode != "camera" || ex.OCRData[1].ErrorCode != "FETCH_FAILED" || ex.OCRData[1].ErrorMessage == "" || ex.CrossChecks == nil {
		t.Errorf("FlowExtracts = %+v", ex)
	}

	sub, err := c.Submit(ctx, f.FlowID, true)
	if err != nil {
		t.Fatal(err)
	}
	if sub.FlowState != "CLOSED" || len(sub.OCRData) != 2 {
		t.Errorf("Submit(close) = state %s, %d documents", sub.FlowState, len(sub.OCRData))
	}
	if _, err := c.FlowUpload(ctx, FlowUploadRequest{FlowID: f.FlowID, Files: []FlowFile{{FileURL: "https://files.example.com/x.jpg", DocumentID: "x"}}}); !IsStatus(err, 409) {
		t.Errorf("upload to a closed flow: %v, want 409", err)
	}
	cbs, err := c.Callbacks(ctx, f.FlowID)
	if err != nil {
		t.Fatal(err)
	}
	if cbs.FlowID != f.FlowID || cbs.CallbackURL != "https://los.example.com/cb" || cbs.Callbacks == nil {
		t.Errorf("Callbacks = %+v", cbs)
	}
	sec, err := c.CallbackSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Secret) < 32 || sec.Algorithm != "HMAC-SHA256" {
		t.Errorf("CallbackSecret: algorithm %q, secret of %d characters", sec.Algorithm, len(sec.Secret))
	}
	del, err := c.DeleteFlow(ctx, f.FlowID)
	if err != nil {
		t.Fatal(err)
	}
	if del.DeletedDocuments != 2 {
		t.Errorf("DeleteFlow deleted %d documents, want 2", del.DeletedDocuments)
	}
	if _, err := c.FlowStatus(ctx, f.FlowID); !IsStatus(err, 400) {
		t.Errorf("status of a deleted flow: %v, want 400 (unknown)", err)
	}
}

func TestAddressMatch(t *testing.T) {
	s := newServer(t)
	c := s.client()
	out, err := c.AddressMatch(context.Background(), AddressMatchRequest{
		SourceAddress: "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001",
		Targets: []AddressTarget{
			{ID: "same", Address: "4 CH 64, Near Community Hall, Bhilwara, RJ 311001"},
			{ID: "other", Address: "221B Baker Street, Mumbai 400001"},
			{ID: "empty", Address: "  "},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 3 {
		t.Fatalf("%d results, want 3", len(out.Results))
	}
	same, other, empty := out.Results[0], out.Results[1], out.Results[2]
	if same.ID != "same" || same.Verdict != "match" || same.PincodeMatch != "match" || same.SamePersonScore < 85 {
		t.Errorf("same address: %+v", same)
	}
	if other.Index != 1 || other.Verdict != "mismatch" || other.PincodeMatch != "mismatch" || other.SamePersonScore >= same.SamePersonScore {
		t.Errorf("other address: %+v", other)
	}
	if empty.Index != 2 || empty.Error == nil || empty.Error.Code != "INVALID_ADDRESS" || empty.Verdict != "" {
		t.Errorf("empty address: %+v", empty)
	}
	if _, err := c.AddressMatch(context.Background(), AddressMatchRequest{SourceAddress: "x"}); !IsStatus(err, 400) {
		t.Errorf("no targets: %v, want 400", err)
	}
}

func TestReadyAndDeleteBatch(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	r, err := c.Ready(ctx)
	if err != nil || r.Status != "ready" {
		t.Fatalf("Ready = %+v, %v", r, err)
	}
	s.set(func() { s.inject["GET /readyz"] = []int{503} })
	if _, err := c.Ready(ctx); !IsStatus(err, 503) {
		t.Errorf("Ready on a 503: %v, want the 503 unretried", err)
	}
	up := upload(t, c, 4)
	d, err := c.DeleteBatch(ctx, up.BatchID)
	if err != nil || d.DeletedDocuments != 4 {
		t.Fatalf("DeleteBatch = %+v, %v", d, err)
	}
	if _, err := c.DeleteBatch(ctx, up.BatchID); !IsStatus(err, 404) {
		t.Errorf("second DeleteBatch: %v, want 404", err)
	}
}

func TestContextCancellationStopsRetries(t *testing.T) {
	s := newServer(t)
	c := s.client(WithBackoff(time.Hour, time.Hour))
	up := upload(t, c, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.set(func() {
		s.inject[routeExtracts] = []int{503, 503, 503, 503, 503}
		s.before[routeExtracts] = func(int) { cancel() }
	})
	_, err := c.Extracts(ctx, up.BatchID, 1, 50)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := s.count(routeExtracts); n != 1 {
		t.Errorf("%d requests, want 1: cancellation must stop the retries", n)
	}
}

func TestLogsHoldNoSecretsTokensOrContents(t *testing.T) {
	s := newServer(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := s.client(WithLogger(logger))
	ctx := context.Background()
	up := upload(t, c, 2)
	s.finish(up.Entries[0].FileUUID, 0, false)
	s.set(func() { s.inject[routeExtracts] = []int{503} })
	s.clockOffset.Store(int64(2 * time.Hour))
	if _, err := c.AllDocuments(ctx, up.BatchID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddressMatch(ctx, AddressMatchRequest{SourceAddress: "12 MG Road Pune 411001", Targets: []AddressTarget{{Address: "12 MG Rd Pune 411001"}}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if !strings.Contains(logs, "atlas_request_retry") || !strings.Contains(logs, "atlas_token_rejected") {
		t.Errorf("the retry and the token refresh were not logged:\n%s", logs)
	}
	for _, secret := range []string{testSecret, c.token, panOf(0), "MG Road", "X-Amz-Signature", up.BatchID} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestNewRefusesBadArguments(t *testing.T) {
	tests := []struct{ url, id, secret string }{
		{"", "a", "b"},
		{"ftp://host", "a", "b"},
		{"http://", "a", "b"},
		{"http://host", "", "b"},
		{"http://host", "a", ""},
	}
	for _, tt := range tests {
		if _, err := New(tt.url, tt.id, tt.secret); err == nil {
			t.Errorf("New(%q, %q, %q) succeeded", tt.url, tt.id, tt.secret)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	c, _ := New("http://host", "a", "b", WithBackoff(100*time.Millisecond, time.Second))
	for attempt, full := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second} {
		for range 50 {
			if d := c.backoffFor(attempt); d < full/2 || d > full {
				t.Fatalf("backoffFor(%d) = %v, want within [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
}

func TestDocumentJSONRoundTripKeepsFieldOrder(t *testing.T) {
	tests := []string{
		`{"document_id":"a","file_uuid":"u1","status":"done","file_data":{"document_type":"PAN","pan_number":{"value":"ABCDE1234F","confidence_score":0.9,"validation":{"passed":true,"rule":"pan_format"}},"name":{"value":"X Y","confidence_score":0.7,"reviewed":true},"address":{"value":{"pincode":"411001"},"confidence_score":0.5}}}`,
		`{"document_id":"b","file_uuid":"u2","status":"failed","error_code":"TIMEOUT","error":{"code":"TIMEOUT","message":"took too long"}}`,
		`{"document_id":"c","file_uuid":"u3","status":"queued"}`,
	}
	for _, in := range tests {
		var d Document
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatalf("unmarshal %s: %v", in, err)
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("round trip:\n got %s\nwant %s", out, in)
		}
	}
	var d Document
	if err := json.Unmarshal([]byte(`{"document_id":"a","file_uuid":"u","status":"done","file_data":[1]}`), &d); err == nil {
		t.Errorf("file_data that is not an object was accepted")
	}
}

func TestWalkCheck(t *testing.T) {
	docs := func(from, n int) []Document {
		out := make([]Document, n)
		for i := range out {
			out[i] = Document{FileUUID: fmt.Sprint("u", from+i)}
		}
		return out
	}
	page := func(n, total, from, count int) *ExtractsPage {
		return &ExtractsPage{Page: n, PerPage: 2, TotalItems: total, TotalPages: (total + 1) / 2, Data: docs(from, count)}
	}
	tests := []struct {
		name  string
		pages []*ExtractsPage
		want  string // "" for a complete walk
	}{
		{"empty batch", []*ExtractsPage{page(1, 0, 0, 0)}, ""},
		{"complete", []*ExtractsPage{page(1, 5, 0, 2), page(2, 5, 2, 2), page(3, 5, 4, 1)}, ""},
		{"short middle page", []*ExtractsPage{page(1, 5, 0, 2), page(2, 5, 2, 1)}, "page 2 of 3 has 1 documents, want 2"},
		{"empty middle page", []*ExtractsPage{page(1, 5, 0, 2), page(2, 5, 2, 0)}, "page 2 of 3 has 0 documents"},
		{"total grows", []*ExtractsPage{page(1, 5, 0, 2), page(2, 7, 2, 2)}, "had 5 documents at the start and 7 at page 2"},
		{"duplicate", []*ExtractsPage{page(1, 5, 0, 2), page(2, 5, 1, 2)}, "document u1 came twice"},
		{"short last page", []*ExtractsPage{page(1, 5, 0, 2), page(2, 5, 2, 2), page(3, 5, 4, 0)}, "saw 4 of its 5 documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := walk{batchID: "B", total: -1, seen: map[string]bool{}}
			var err error
			for i, p := range tt.pages {
				if err = w.check(i+1, p); err != nil {
					break
				}
			}
			switch {
			case tt.want == "" && (err != nil || !w.done):
				t.Errorf("complete walk: err %v, done %v", err, w.done)
			case tt.want != "" && (!errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want ErrIncomplete saying %q", err, tt.want)
			}
		})
	}
}

// The client is the public face of atlas: it must build without any of
// atlas's internal packages, or outside users could not import it.
func TestImportsNoInternalPackage(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); strings.Contains(p, "/internal/") || strings.HasPrefix(p, "github.com/atlas-oss/") {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}
