package api_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
)

// newBlobEnv is newEnv with a blob store on local files (blobs nil: none).
func newBlobEnv(t *testing.T, blobs api.Blobs) *env {
	t.Helper()
	e := newEnv(t, api.Config{})
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("s", 32)))
	s := api.New(e.store, blobs, iss, api.Config{}, metrics.New(e.store, "all", "test"), slog.New(slog.DiscardHandler), e.store.Ping)
	e.srv = httptest.NewServer(s)
	t.Cleanup(e.srv.Close)
	return e
}

func openBlobs(t *testing.T) *blob.Store {
	t.Helper()
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	return bs
}

// keep stores data in bs as the original of a document.
func keep(t *testing.T, st *store.SQLite, bs *blob.Store, fileUUID, data string) string {
	t.Helper()
	ctx := context.Background()
	key, err := bs.Put(ctx, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetBlobKey(ctx, fileUUID, key); err != nil {
		t.Fatal(err)
	}
	return key
}

func exists(t *testing.T, bs *blob.Store, key string) bool {
	t.Helper()
	ok, err := bs.Exists(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// del sends an authenticated DELETE (tok "" for none) and checks the
// answer against the spec's path template.
func (e *env) del(tok, path, template string) (int, []byte) {
	e.t.Helper()
	hdr := map[string]string{}
	if tok != "" {
		hdr["Token"] = tok
	}
	resp := e.do("DELETE", path, hdr, nil)
	return resp.StatusCode, apitest.CheckResponse(e.t, "DELETE", template, resp)
}

func deletedDocuments(t *testing.T, body []byte) int {
	t.Helper()
	var out struct {
		N *int `json:"deleted_documents"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.N == nil {
		t.Fatalf("answer %s has no deleted_documents", body)
	}
	return *out.N
}

func TestDeleteBatch(t *testing.T) {
	const tmpl = "/v1/bulk/batch/{batch_id}"
	bs := openBlobs(t)
	e := newBlobEnv(t, bs)
	gone, kept := e.mustUpload(e.tokA, 3), e.mustUpload(e.tokA, 1)
	batch := gone[0].BatchID
	own := keep(t, e.store, bs, gone[0].FileUUID, "only in the deleted batch")
	shared := keep(t, e.store, bs, gone[1].FileUUID, "in both batches")
	keep(t, e.store, bs, kept[0].FileUUID, "in both batches")

	for _, tc := range []struct {
		name, tok, id string
		status        int
		says          string
	}{
		{"no token", "", batch, 401, "Token header"},
		{"another client's batch", e.tokB, batch, 404, "is unknown"},
		{"an unknown batch", e.tokA, "BATCH-00000-AAAAA-20260101000000", 404, "is unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.do("DELETE", "/v1/bulk/batch/"+tc.id, map[string]string{"Token": tc.tok}, nil)
			body := apitest.CheckResponse(t, "DELETE", tmpl, resp)
			wantError(t, resp, body, tc.status, tc.says)
		})
	}
	if p := e.page(e.tokA, "batch_id="+batch); p.TotalItems != 3 {
		t.Fatalf("a refused deletion changed the batch: %d documents", p.TotalItems)
	}

	status, body := e.del(e.tokA, "/v1/bulk/batch/"+batch, tmpl)
	if status != 200 || deletedDocuments(t, body) != 3 {
		t.Fatalf("DELETE: %d %s; want 200 with 3 documents", status, body)
	}
	if exists(t, bs, own) {
		t.Error("the deleted batch's own original is still kept")
	}
	if !exists(t, bs, shared) {
		t.Error("an original another batch still uses was deleted")
	}
	resp, body := e.extracts(e.tokA, "batch_id="+batch)
	wantError(t, resp, body, 400, "unknown")
	if p := e.page(e.tokA, "batch_id="+kept[0].BatchID); p.TotalItems != 1 {
		t.Errorf("the other batch holds %d documents, want 1", p.TotalItems)
	}
	status, body = e.del(e.tokA, "/v1/bulk/batch/"+batch, tmpl)
	if status != 404 {
		t.Errorf("deleting twice: %d %s, want 404", status, body)
	}
}

// A flow's batch is not deleted through the bulk API: the flow would be
// left cross-checking documents that are gone.
func TestDeleteBatchRefusesAFlowsBatch(t *testing.T) {
	ctx := context.Background()
	e := newBlobEnv(t, openBlobs(t))
	f := &store.Flow{ID: "0193a1c2-7d4e-7b21-9f3a-2c963f66afa6", ClientID: "client-a", ProductType: "P", ApplicationID: "APP-1"}
	if err := e.store.CreateFlow(ctx, f); err != nil {
		t.Fatal(err)
	}
	id := "BATCH-00001-AAAAA-20260101000000"
	if err := e.store.CreateBatch(ctx, &store.Batch{ID: id, ClientID: "client-a", ProductType: "P", FlowID: f.ID},
		[]store.Document{{FileUUID: "0193a1c2-0000-7000-8000-000000000001", DocumentID: "1", FileURL: "https://x.example/a"}}); err != nil {
		t.Fatal(err)
	}
	resp := e.do("DELETE", "/v1/bulk/batch/"+id, map[string]string{"Token": e.tokA}, nil)
	body := apitest.CheckResponse(t, "DELETE", "/v1/bulk/batch/{batch_id}", resp)
	wantError(t, resp, body, 404, "deleted with their flow")
	if docs, _ := e.store.ListFlowDocuments(ctx, f.ID); len(docs) != 1 {
		t.Errorf("the flow holds %d documents, want 1", len(docs))
	}
}

func TestDeleteFlow(t *testing.T) {
	for i, v := range []struct {
		prefix, id string
		closed     bool
	}{
		{"/v2/verification", "flow_id", false},
		{"/v3/verification", "flow_uuid", true},
	} {
		t.Run(v.prefix, func(t *testing.T) {
			ctx := context.Background()
			bs := openBlobs(t)
			e := newBlobEnv(t, bs)
			tmpl := v.prefix + "/flow/{" + v.id + "}"
			f := &store.Flow{ID: fmt.Sprintf("0193a1c2-7d4e-7b21-9f3a-2c963f66afa%d", i), ClientID: "client-a", ProductType: "P",
				ApplicationID: "APP-1", CallbackURL: "https://los.example/cb"}
			if err := e.store.CreateFlow(ctx, f); err != nil {
				t.Fatal(err)
			}
			var uuids []string
			for b := range 2 {
				u := fmt.Sprintf("0193a1c2-0000-7000-8000-00000000000%d", b)
				err := e.store.CreateBatch(ctx, &store.Batch{ID: fmt.Sprintf("BATCH-0000%d-AAAAA-20260101000000", b), ClientID: "client-a", ProductType: "P", FlowID: f.ID},
					[]store.Document{{FileUUID: u, DocumentID: fmt.Sprint(b), FileURL: "https://x.example/a"}})
				if err != nil {
					t.Fatal(err)
				}
				uuids = append(uuids, u)
			}
			key := keep(t, e.store, bs, uuids[0], "a flow's original")
			err := e.store.InTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
				return e.store.InsertCallbackTx(ctx, tx, &store.Callback{ID: "cb-" + v.id, ClientID: "client-a", FlowID: f.ID,
					Event: "document.processed", FileUUID: uuids[0], URL: f.CallbackURL, Body: []byte(`{}`)})
			})
			if err != nil {
				t.Fatal(err)
			}
			if v.closed {
				if err := e.store.CloseFlow(ctx, "client-a", f.ID); err != nil {
					t.Fatal(err)
				}
			}

			for _, tc := range []struct {
				name, tok, id string
				status        int
				says          string
			}{
				{"no token", "", f.ID, 401, "Token header"},
				{"another client's flow", e.tokB, f.ID, 404, "is unknown"},
				{"an unknown flow", e.tokA, "nope", 404, "is unknown"},
			} {
				resp := e.do("DELETE", v.prefix+"/flow/"+tc.id, map[string]string{"Token": tc.tok}, nil)
				body := apitest.CheckResponse(t, "DELETE", tmpl, resp)
				wantError(t, resp, body, tc.status, tc.says)
			}
			if _, err := e.store.GetFlow(ctx, "client-a", f.ID); err != nil {
				t.Fatalf("a refused deletion removed the flow: %v", err)
			}

			status, body := e.del(e.tokA, v.prefix+"/flow/"+f.ID, tmpl)
			if status != 200 || deletedDocuments(t, body) != 2 {
				t.Fatalf("DELETE: %d %s; want 200 with 2 documents", status, body)
			}
			if exists(t, bs, key) {
				t.Error("the flow's original is still kept")
			}
			if _, err := e.store.GetCallback(ctx, "cb-"+v.id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the flow's callback: %v, want ErrNotFound", err)
			}
			resp := e.do("GET", v.prefix+"/status?"+v.id+"="+f.ID, map[string]string{"Token": e.tokA}, nil)
			body = apitest.CheckResponse(t, "GET", v.prefix+"/status", resp)
			wantError(t, resp, body, 400, "unknown")
			if status, _ := e.del(e.tokA, v.prefix+"/flow/"+f.ID, tmpl); status != 404 {
				t.Errorf("deleting twice: %d, want 404", status)
			}
		})
	}
}

// brokenBlobs cannot delete anything.
type brokenBlobs struct{}

func (brokenBlobs) Get(context.Context, string) ([]byte, error) {
	return nil, errors.New("bucket unreachable")
}
func (brokenBlobs) Delete(context.Context, string) error { return errors.New("bucket unreachable") }

// The rows go even when their blobs cannot (the failure is logged for an
// operator), and a server without a blob store deletes rows only.
func TestDeleteBatchWithoutBlobDeletion(t *testing.T) {
	for name, blobs := range map[string]api.Blobs{"failing blob store": brokenBlobs{}, "no blob store": nil} {
		t.Run(name, func(t *testing.T) {
			e := newBlobEnv(t, blobs)
			up := e.mustUpload(e.tokA, 2)
			if err := e.store.SetBlobKey(context.Background(), up[0].FileUUID, "sha256/ab/abcd"); err != nil {
				t.Fatal(err)
			}
			status, body := e.del(e.tokA, "/v1/bulk/batch/"+up[0].BatchID, "/v1/bulk/batch/{batch_id}")
			if status != 200 || deletedDocuments(t, body) != 2 {
				t.Fatalf("DELETE: %d %s; want 200 with 2 documents", status, body)
			}
			if _, err := e.store.GetDocument(context.Background(), up[0].FileUUID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("document after the deletion: %v, want ErrNotFound", err)
			}
		})
	}
}
