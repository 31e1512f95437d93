package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
)

type env struct {
	t     *testing.T
	srv   *httptest.Server
	store *store.SQLite
	// tokens of two clients
	tokA, tokB string
}

const secretA, secretB = "secret-a-0123456789", "secret-b-0123456789"

func newEnv(t *testing.T, cfg api.Config) *env {
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
	for id, secret := range map[string]string{"client-a": secretA, "client-b": secretB} {
		if err := st.CreateClient(ctx, store.Client{ID: id, Name: id, SecretHash: auth.HashSecret(secret)}); err != nil {
			t.Fatal(err)
		}
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	m := metrics.New(st, "all", "test")
	s := api.New(st, nil, iss, cfg, m, slog.New(slog.DiscardHandler), func(ctx context.Context) error { return st.Ping(ctx) })
	e := &env{t: t, srv: httptest.NewServer(s), store: st}
	t.Cleanup(e.srv.Close)
	e.tokA = e.token("client-a", secretA)
	e.tokB = e.token("client-b", secretB)
	return e
}

func (e *env) do(method, path string, hdr map[string]string, body []byte) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

func (e *env) token(id, secret string) string {
	e.t.Helper()
	resp := e.do("POST", "/v1/bulk/authtoken", map[string]string{"Client-Id": id, "Client-Secret": secret}, nil)
	body := apitest.CheckResponse(e.t, "POST", "/v1/bulk/authtoken", resp)
	if resp.StatusCode != 200 {
		e.t.Fatalf("authtoken: %d %s", resp.StatusCode, body)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	json.Unmarshal(body, &tr)
	if tr.ExpiresIn != 3600 || tr.AccessToken == "" {
		e.t.Fatalf("authtoken answer %s", body)
	}
	return tr.AccessToken
}

func uploadBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"product_type":"PFL_CDL","file_urls":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"file_url":"https://files.example.com/u/%d.jpg?X-Amz-Signature=abc","document_id":"%d"}`, i, i+1)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func (e *env) upload(tok string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	e.t.Helper()
	h := map[string]string{"Token": tok, "Content-Type": "application/json"}
	for k, v := range hdr {
		h[k] = v
	}
	resp := e.do("POST", "/v1/bulk/multiupload", h, body)
	return resp, apitest.CheckResponse(e.t, "POST", "/v1/bulk/multiupload", resp)
}

type entry struct {
	BatchID    string `json:"batch_id"`
	DocumentID string `json:"document_id"`
	FileUUID   string `json:"file_uuid"`
}

func (e *env) mustUpload(tok string, n int) []entry {
	e.t.Helper()
	resp, body := e.upload(tok, uploadBody(n), nil)
	if resp.StatusCode != 201 {
		e.t.Fatalf("multiupload: %d %s", resp.StatusCode, body)
	}
	var out []entry
	json.Unmarshal(body, &out)
	return out
}

type page struct {
	Data []struct {
		DocumentID string          `json:"document_id"`
		FileUUID   string          `json:"file_uuid"`
		Status     string          `json:"status"`
		FileData   json.RawMessage `json:"file_data"`
		ErrorCode  string          `json:"error_code"`
		Error      *struct {
			Code, Message  string
			UpstreamStatus int `json:"upstream_status"`
		} `json:"error"`
	} `json:"data"`
	Page, PerPage, TotalPages, TotalItems int
	HasNext, HasPrev                      bool
}

func (e *env) extracts(tok, query string) (*http.Response, []byte) {
	e.t.Helper()
	resp := e.do("GET", "/v1/bulk/extracts?"+query, map[string]string{"Token": tok}, nil)
	return resp, apitest.CheckResponse(e.t, "GET", "/v1/bulk/extracts", resp)
}

func (e *env) page(tok, query string) page {
	e.t.Helper()
	resp, body := e.extracts(tok, query)
	if resp.StatusCode != 200 {
		e.t.Fatalf("extracts %s: %d %s", query, resp.StatusCode, body)
	}
	var p struct {
		page
		PerPage    int  `json:"per_page"`
		TotalPages int  `json:"total_pages"`
		TotalItems int  `json:"total_items"`
		HasNext    bool `json:"has_next"`
		HasPrev    bool `json:"has_prev"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		e.t.Fatal(err)
	}
	p.page.PerPage, p.page.TotalPages, p.page.TotalItems, p.page.HasNext, p.page.HasPrev = p.PerPage, p.TotalPages, p.TotalItems, p.HasNext, p.HasPrev
	return p.page
}

func wantError(t *testing.T, resp *http.Response, body []byte, status int, contains string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, body)
	}
	var eb struct {
		Code string `json:"error_code"`
		Msg  string `json:"error_message"`
	}
	if err := json.Unmarshal(body, &eb); err != nil || eb.Code != fmt.Sprint(status) {
		t.Fatalf("error body %s is not Atlas's envelope", body)
	}
	if !strings.Contains(eb.Msg, contains) {
		t.Errorf("error message %q does not say %q", eb.Msg, contains)
	}
}

var batchIDRe = regexp.MustCompile(`^BATCH-\d{5}-[A-Z]{5}-\d{14}$`)

func TestMultiUploadAnswersOneEntryPerFileInOrder(t *testing.T) {
	e := newEnv(t, api.Config{})
	out := e.mustUpload(e.tokA, 3)
	if len(out) != 3 {
		t.Fatalf("%d entries, want 3", len(out))
	}
	seen := map[string]bool{}
	for i, en := range out {
		if !batchIDRe.MatchString(en.BatchID) || en.BatchID != out[0].BatchID {
			t.Errorf("entry %d batch_id %q", i, en.BatchID)
		}
		if en.DocumentID != fmt.Sprint(i+1) {
			t.Errorf("entry %d document_id %q, want %d (request order)", i, en.DocumentID, i+1)
		}
		if seen[en.FileUUID] {
			t.Errorf("file_uuid %s repeated", en.FileUUID)
		}
		seen[en.FileUUID] = true
	}
	p := e.page(e.tokA, "batch_id="+out[0].BatchID)
	if p.TotalItems != 3 || len(p.Data) != 3 || p.Data[0].Status != "queued" || p.Data[2].FileUUID != out[2].FileUUID {
		t.Errorf("extracts after upload: %+v", p)
	}
}

func TestMultiUploadValidation(t *testing.T) {
	e := newEnv(t, api.Config{MaxFiles: 5, MaxBodyBytes: 4096})
	for _, tc := range []struct {
		name, body, want string
		status           int
	}{
		{"empty body", ``, "body is empty", 400},
		{"not JSON", `{"product_type":`, "malformed JSON", 400},
		{"array", `[]`, "must be a JSON object", 400},
		{"missing product_type", `{"file_urls":[{"file_url":"https://x.example/a","document_id":"1"}]}`, "product_type is required", 400},
		{"empty product_type", `{"product_type":" ","file_urls":[{"file_url":"https://x.example/a","document_id":"1"}]}`, "product_type is empty", 400},
		{"missing file_urls", `{"product_type":"P"}`, "file_urls is required", 400},
		{"empty file_urls", `{"product_type":"P","file_urls":[]}`, "file_urls is empty", 400},
		{"file_urls not array", `{"product_type":"P","file_urls":"x"}`, "file_urls must be an array", 400},
		{"missing file_url", `{"product_type":"P","file_urls":[{"document_id":"1"}]}`, "file_urls[0].file_url is required", 400},
		{"ftp url", `{"product_type":"P","file_urls":[{"file_url":"ftp://x.example/a","document_id":"1"}]}`, "file_urls[0].file_url must be an http or https URL", 400},
		{"file url", `{"product_type":"P","file_urls":[{"file_url":"file:///etc/passwd","document_id":"1"}]}`, "must be an http or https URL", 400},
		{"no host", `{"product_type":"P","file_urls":[{"file_url":"https:///a","document_id":"1"}]}`, "has no host", 400},
		{"missing document_id", `{"product_type":"P","file_urls":[{"file_url":"https://x.example/a"}]}`, "file_urls[0].document_id is required", 400},
		{"numeric document_id", `{"product_type":"P","file_urls":[{"file_url":"https://x.example/a","document_id":1}]}`, "document_id must be a string", 400},
		{"duplicate ids", `{"product_type":"P","file_urls":[{"file_url":"https://x.example/a","document_id":"7"},{"file_url":"https://x.example/b","document_id":"7"}]}`, `file_urls[1].document_id "7" repeats file_urls[0]`, 400},
		{"unknown field", `{"product_type":"P","file_urls":[],"batch":"x"}`, `unknown field "batch"`, 400},
		{"two problems", `{"product_type":"","file_urls":[{"file_url":"gopher://x","document_id":""}]}`, "product_type is empty; file_urls[0].file_url must be an http or https URL; file_urls[0].document_id is empty", 400},
		{"too many files", string(uploadBody(6)), "file_urls has 6 files; a batch may have at most 5", 400},
		{"body too large", `{"product_type":"` + strings.Repeat("x", 5000) + `"}`, "larger than 4096 bytes", 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.upload(e.tokA, []byte(tc.body), nil)
			wantError(t, resp, body, tc.status, tc.want)
		})
	}
	t.Run("wrong content type", func(t *testing.T) {
		resp, body := e.upload(e.tokA, uploadBody(1), map[string]string{"Content-Type": "text/plain"})
		wantError(t, resp, body, 415, "application/json")
	})
	// Nothing of the refused requests was stored.
	counts, _ := e.store.CountByStatus(context.Background())
	if n := counts[document.StatusQueued]; n != 0 {
		t.Errorf("%d documents stored by refused requests", n)
	}
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t, api.Config{})
	key := map[string]string{"Idempotency-Key": "nightly-2026-11-23"}
	r1, b1 := e.upload(e.tokA, uploadBody(4), key)
	r2, b2 := e.upload(e.tokA, uploadBody(4), key)
	if r1.StatusCode != 201 || r2.StatusCode != 201 {
		t.Fatalf("statuses %d %d", r1.StatusCode, r2.StatusCode)
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("a retried POST answered differently:\n%s\n%s", b1, b2)
	}
	if r2.Header.Get("Idempotent-Replayed") != "true" || r1.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("Idempotent-Replayed header: first %q, replay %q", r1.Header.Get("Idempotent-Replayed"), r2.Header.Get("Idempotent-Replayed"))
	}
	counts, _ := e.store.CountByStatus(context.Background())
	if counts[document.StatusQueued] != 4 {
		t.Errorf("%d documents stored, want 4 (one batch)", counts[document.StatusQueued])
	}
	r3, b3 := e.upload(e.tokA, uploadBody(5), key)
	wantError(t, r3, b3, 422, "different request")
	// Another client's identical key is its own.
	r4, b4 := e.upload(e.tokB, uploadBody(4), key)
	if r4.StatusCode != 201 || bytes.Equal(b4, b1) {
		t.Errorf("client B's key collided with client A's: %d", r4.StatusCode)
	}
}

func TestExtractsPagination(t *testing.T) {
	e := newEnv(t, api.Config{})
	out := e.mustUpload(e.tokA, 7)
	id := out[0].BatchID
	for _, tc := range []struct {
		query                        string
		page, perPage, n, totalPages int
		next, prev                   bool
		first                        string
	}{
		{"", 1, 50, 7, 1, false, false, "1"},
		{"&per_page=3", 1, 3, 3, 3, true, false, "1"},
		{"&per_page=3&page=2", 2, 3, 3, 3, true, true, "4"},
		{"&per_page=3&page=3", 3, 3, 1, 3, false, true, "7"},
		{"&per_page=3&page=4", 4, 3, 0, 3, false, true, ""},
		{"&per_page=3&page=999", 999, 3, 0, 3, false, true, ""},
		{"&per_page=500", 1, 50, 7, 1, false, false, "1"},
		{"&per_page=7", 1, 7, 7, 1, false, false, "1"},
	} {
		p := e.page(e.tokA, "batch_id="+id+tc.query)
		if p.Page != tc.page || p.PerPage != tc.perPage || len(p.Data) != tc.n || p.TotalPages != tc.totalPages ||
			p.TotalItems != 7 || p.HasNext != tc.next || p.HasPrev != tc.prev {
			t.Errorf("%q: page=%d per_page=%d n=%d total_pages=%d total_items=%d next=%v prev=%v", tc.query,
				p.Page, p.PerPage, len(p.Data), p.TotalPages, p.TotalItems, p.HasNext, p.HasPrev)
		}
		if tc.n > 0 && p.Data[0].DocumentID != tc.first {
			t.Errorf("%q: first document %q, want %q", tc.query, p.Data[0].DocumentID, tc.first)
		}
	}
}

func TestExtractsErrors(t *testing.T) {
	e := newEnv(t, api.Config{})
	out := e.mustUpload(e.tokA, 1)
	for _, tc := range []struct {
		tok, query, want string
		status           int
	}{
		{e.tokA, "", "batch_id is required", 400},
		{e.tokA, "batch_id=BATCH-00000-AAAAA-20260101000000", "is unknown", 400},
		{e.tokB, "batch_id=" + out[0].BatchID, "is unknown", 400}, // another client's batch
		{e.tokA, "batch_id=" + out[0].BatchID + "&page=0", "page must be a whole number", 400},
		{e.tokA, "batch_id=" + out[0].BatchID + "&page=x", "page must be a whole number", 400},
		{e.tokA, "batch_id=" + out[0].BatchID + "&per_page=-1", "per_page must be a whole number", 400},
		{"", "batch_id=" + out[0].BatchID, "Token header is missing", 401},
		{"garbage", "batch_id=" + out[0].BatchID, "invalid or expired", 401},
	} {
		resp, body := e.extracts(tc.tok, tc.query)
		wantError(t, resp, body, tc.status, tc.want)
	}
}

func TestAuthTokenErrors(t *testing.T) {
	e := newEnv(t, api.Config{})
	for _, hdr := range []map[string]string{
		{},
		{"Client-Id": "client-a"},
		{"Client-Id": "client-a", "Client-Secret": "wrong"},
		{"Client-Id": "nobody", "Client-Secret": secretA},
	} {
		resp := e.do("POST", "/v1/bulk/authtoken", hdr, nil)
		body := apitest.CheckResponse(t, "POST", "/v1/bulk/authtoken", resp)
		wantError(t, resp, body, 401, "")
	}
	// Forged tokens: each must be refused on every authenticated route.
	parts := strings.Split(e.tokA, ".")
	claims := func(sub string, exp time.Time) jwt.MapClaims {
		return jwt.MapClaims{"iss": "atlas", "sub": sub, "iat": time.Now().Add(-2 * time.Hour).Unix(), "exp": exp.Unix()}
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rightKey := []byte(strings.Repeat("s", 32))
	for name, tok := range map[string]string{
		"tampered payload": parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"atlas","sub":"client-b","exp":9999999999}`)) + "." + parts[2],
		"alg none":         sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims("client-a", time.Now().Add(time.Hour))),
		"wrong key":        sign(jwt.SigningMethodHS256, []byte(strings.Repeat("w", 32)), claims("client-a", time.Now().Add(time.Hour))),
		"expired":          sign(jwt.SigningMethodHS256, rightKey, claims("client-a", time.Now().Add(-time.Minute))),
		"malformed":        "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
	} {
		resp, body := e.upload(tok, uploadBody(1), nil)
		if resp.StatusCode != 401 {
			t.Errorf("%s: multiupload answered %d", name, resp.StatusCode)
			continue
		}
		wantError(t, resp, body, 401, "invalid or expired")
		resp, body = e.extracts(tok, "batch_id=x")
		wantError(t, resp, body, 401, "invalid or expired")
	}
	// The control: a token signed with the right key is accepted.
	if resp, body := e.upload(sign(jwt.SigningMethodHS256, rightKey, claims("client-a", time.Now().Add(time.Hour))), uploadBody(1), nil); resp.StatusCode != 201 {
		t.Errorf("a well-signed token was refused: %d %s", resp.StatusCode, body)
	}
}

func TestOperationsEndpoints(t *testing.T) {
	e := newEnv(t, api.Config{})
	for _, p := range []string{"/healthz", "/readyz"} {
		resp := e.do("GET", p, nil, nil)
		apitest.CheckResponse(t, "GET", p, resp)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	e.mustUpload(e.tokA, 2)
	resp := e.do("GET", "/metrics", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`atlas_documents{status="queued"} 2`, `atlas_http_requests_total{code="201",route="POST /v1/bulk/multiupload"} 1`, "atlas_build_info"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	resp = e.do("GET", "/openapi.yaml", nil, nil)
	body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("openapi: 3.1")) {
		t.Errorf("/openapi.yaml: %d %.40s", resp.StatusCode, body)
	}
	resp = e.do("GET", "/v1/nothing", nil, nil)
	body, _ = io.ReadAll(resp.Body)
	wantError(t, resp, body, 404, "no such endpoint")
}

// Every route the server answers is in the spec, and every spec path is
// served (a 404 from the catch-all would mean it is not).
func TestSpecCoversRoutes(t *testing.T) {
	e := newEnv(t, api.Config{})
	paths := apitest.Spec(t)["paths"].(map[string]any)
	for p, ops := range paths {
		for method := range ops.(map[string]any) {
			resp := e.do(strings.ToUpper(method), p, nil, nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode == 404 || resp.StatusCode == 405 {
				t.Errorf("%s %s is in openapi.yaml but not served: %d %s", method, p, resp.StatusCode, body)
			}
		}
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	srv := api.New(e.store, nil, iss, api.Config{}, metrics.New(e.store, "all", "test"), slog.New(slog.DiscardHandler), nil)
	for _, route := range srv.Routes() {
		method, path, _ := strings.Cut(route, " ")
		if op, _ := paths[path].(map[string]any); op == nil || op[strings.ToLower(method)] == nil {
			t.Errorf("served route %s missing from openapi.yaml", route)
		}
	}
}

func TestRedactedCopyAndLast4Masking(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.Migrate(ctx)
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []store.Client{
		{ID: "full", Name: "full", SecretHash: auth.HashSecret(secretA)},
		{ID: "masked", Name: "masked", SecretHash: auth.HashSecret(secretA), AadhaarLast4Only: true},
	} {
		st.CreateClient(ctx, c)
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	srv := httptest.NewServer(api.New(st, bs, iss, api.Config{}, metrics.New(st, "all", "test"), slog.New(slog.DiscardHandler), st.Ping))
	defer srv.Close()
	e := &env{t: t, srv: srv, store: st}

	jpeg := []byte("\xff\xd8\xff\xe0 redacted image bytes")
	key, _ := bs.Put(ctx, jpeg)
	for _, c := range []string{"full", "masked"} {
		b := &store.Batch{ID: "BATCH-0000" + fmt.Sprint(len(c)) + "-AAAAA-20260101000000", ClientID: c, ProductType: "P"}
		if err := st.CreateBatch(ctx, b, []store.Document{{FileUUID: "0190b4f2-0000-7000-8000-00000000000" + fmt.Sprint(len(c)), DocumentID: "1", FileURL: "https://x.example/a"}}); err != nil {
			t.Fatal(err)
		}
		fd := document.NewFileData(document.TypeAadhaar)
		fd.Set("aadhaar_number", document.Field{Value: "2345 6789 0124", Confidence: 0.97})
		if err := st.FinishDocument(ctx, "0190b4f2-0000-7000-8000-00000000000"+fmt.Sprint(len(c)), store.Result{FileData: fd, RedactedKey: key}, nil); err != nil {
			t.Fatal(err)
		}
	}
	full, masked := e.token("full", secretA), e.token("masked", secretA)
	item := func(tok, batch string) map[string]json.RawMessage {
		_, body := e.extracts(tok, "batch_id="+batch)
		var p struct {
			Data []struct {
				FileData map[string]json.RawMessage `json:"file_data"`
			} `json:"data"`
		}
		json.Unmarshal(body, &p)
		return p.Data[0].FileData
	}
	fv := func(raw json.RawMessage) string {
		var f struct{ Value string }
		json.Unmarshal(raw, &f)
		return f.Value
	}
	fdFull, fdMasked := item(full, "BATCH-00004-AAAAA-20260101000000"), item(masked, "BATCH-00006-AAAAA-20260101000000")
	if got := fv(fdFull["aadhaar_number"]); got != "2345 6789 0124" {
		t.Errorf("full client sees %q", got)
	}
	if got := fv(fdMasked["aadhaar_number"]); got != "XXXX XXXX 0124" {
		t.Errorf("last-4 client sees %q, want XXXX XXXX 0124", got)
	}
	link := fv(fdFull["redact_url"])
	if !strings.HasPrefix(link, srv.URL+"/v1/bulk/redacted/") {
		t.Fatalf("redact_url %q", link)
	}
	resp := e.do("GET", strings.TrimPrefix(link, srv.URL), map[string]string{"Token": full}, nil)
	got := apitest.CheckResponse(t, "GET", "/v1/bulk/redacted/{file_uuid}", resp)
	if resp.StatusCode != 200 || !bytes.Equal(got, jpeg) || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("redacted copy: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}
	// Another client cannot fetch it.
	resp = e.do("GET", strings.TrimPrefix(link, srv.URL), map[string]string{"Token": masked}, nil)
	body := apitest.CheckResponse(t, "GET", "/v1/bulk/redacted/{file_uuid}", resp)
	wantError(t, resp, body, 404, "unknown")
}
