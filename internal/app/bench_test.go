package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/queue"
	"github.com/atlas-oss/atlas/internal/store"
)

// benchAPI is the API on a real SQLite store whose batches enqueue real
// River jobs (the workers are not started: this measures the API).
func benchAPI(b *testing.B) (*httptest.Server, string, *store.SQLite) {
	b.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(b.TempDir() + "/atlas.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	driver := riversqlite.New(st.Writer())
	m, _ := rivermigrate.New(driver, nil)
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		b.Fatal(err)
	}
	rc, err := river.NewClient(driver, &river.Config{})
	if err != nil {
		b.Fatal(err)
	}
	st.Enqueue = queue.Enqueuer[*sql.Tx](rc)
	st.CreateClient(ctx, store.Client{ID: "bench", Name: "bench", SecretHash: auth.HashSecret("bench-secret")})
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("b", 32)))
	tok, _, _ := iss.Issue("bench")
	s := api.New(st, nil, iss, api.Config{}, metrics.New(st, "all", "bench"), slog.New(slog.DiscardHandler), st.Ping)
	srv := httptest.NewServer(s)
	b.Cleanup(srv.Close)
	return srv, tok, st
}

func batchBody(n int) string {
	var sb strings.Builder
	sb.WriteString(`{"product_type":"PFL_CDL","file_urls":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"file_url":"https://bucket.s3.ap-south-1.amazonaws.com/uploads/%d.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=86400&X-Amz-Signature=%064d","document_id":"%d"}`, i, i, i)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

func post(b *testing.B, url, tok, body string) *http.Response {
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Token", tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	return resp
}

// BenchmarkMultiUpload10k: one POST /v1/bulk/multiupload of 10,000
// documents, stored with their River jobs in one transaction.
func BenchmarkMultiUpload10k(b *testing.B) {
	srv, tok, _ := benchAPI(b)
	body := batchBody(10_000)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		resp := post(b, srv.URL+"/v1/bulk/multiupload", tok, body)
		resp.Body.Close()
		if resp.StatusCode != 201 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N)/10_000*1e6, "µs/doc")
}

// BenchmarkExtractsPage100k: GET /v1/bulk/extracts pages from a store
// holding 100,000 documents (ten batches of 10,000): the first, a middle
// and the last page of one batch.
func BenchmarkExtractsPage100k(b *testing.B) {
	srv, tok, _ := benchAPI(b)
	body := batchBody(10_000)
	var batch string
	for range 10 {
		resp := post(b, srv.URL+"/v1/bulk/multiupload", tok, body)
		var out []struct {
			BatchID string `json:"batch_id"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		batch = out[0].BatchID
	}
	for _, page := range []int{1, 100, 200} {
		b.Run(fmt.Sprintf("page=%d", page), func(b *testing.B) {
			url := fmt.Sprintf("%s/v1/bulk/extracts?batch_id=%s&page=%d&per_page=50", srv.URL, batch, page)
			for b.Loop() {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Token", tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("extracts: %v %v", err, resp.StatusCode)
				}
				resp.Body.Close()
			}
		})
	}
}
