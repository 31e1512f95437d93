package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

const correctionsPath = "/v1/bulk/documents/{file_uuid}/corrections"

// reviewEnv uploads three documents for client A (a PAN read, one queued,
// one failed) and one PAN read for client B.
func reviewEnv(t *testing.T) (e *env, read, queued, failed, others string) {
	t.Helper()
	e = newEnv(t, api.Config{})
	ctx := context.Background()
	a, b := e.mustUpload(e.tokA, 3), e.mustUpload(e.tokB, 1)
	pan := func() *document.FileData {
		fd := document.NewFileData(document.TypePAN)
		fd.Set("pan_number", document.Field{Value: "ABCPK1234F", Confidence: 0.95})
		fd.Set("name_as_per_pan", document.Field{Value: "ASHA RA0", Confidence: 0.4})
		return fd
	}
	for _, f := range []struct {
		uuid string
		r    store.Result
	}{
		{a[0].FileUUID, store.Result{FileData: pan()}},
		{a[2].FileUUID, store.Result{Error: &document.Error{Code: "UNRECOGNISED", Message: "not a known document"}}},
		{b[0].FileUUID, store.Result{FileData: pan()}},
	} {
		if err := e.store.FinishDocument(ctx, f.uuid, f.r, nil); err != nil {
			t.Fatal(err)
		}
	}
	return e, a[0].FileUUID, a[1].FileUUID, a[2].FileUUID, b[0].FileUUID
}

func (e *env) correct(tok, fileUUID, body string, hdr map[string]string) (*http.Response, []byte) {
	e.t.Helper()
	h := map[string]string{"Token": tok, "Content-Type": "application/json"}
	for k, v := range hdr {
		h[k] = v
	}
	resp := e.do("POST", "/v1/bulk/documents/"+fileUUID+"/corrections", h, []byte(body))
	return resp, apitest.CheckResponse(e.t, "POST", correctionsPath, resp)
}

type fieldJSON struct {
	Value      any     `json:"value"`
	Confidence float64 `json:"confidence_score"`
	Reviewed   bool    `json:"reviewed"`
}

func fileDataOf(t *testing.T, raw []byte) map[string]fieldJSON {
	t.Helper()
	var fd map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fd); err != nil {
		t.Fatal(err)
	}
	out := map[string]fieldJSON{}
	for k, v := range fd {
		if k == "document_type" {
			continue
		}
		var f fieldJSON
		if err := json.Unmarshal(v, &f); err != nil {
			t.Fatalf("field %s: %v", k, err)
		}
		out[k] = f
	}
	return out
}

func TestCorrectionsRefused(t *testing.T) {
	e, read, queued, failed, others := reviewEnv(t)
	for _, tc := range []struct {
		name, tok, file, body string
		hdr                   map[string]string
		status                int
		says                  string
	}{
		{"no token", "", read, `{"field":"name_as_per_pan","value":"X"}`, nil, 401, "Token"},
		{"not JSON", e.tokA, read, `{"field":"name_as_per_pan","value":"X"}`, map[string]string{"Content-Type": "text/plain"}, 415, "application/json"},
		{"malformed body", e.tokA, read, `{"field":`, nil, 400, "malformed JSON"},
		{"an unknown key", e.tokA, read, `{"field":"name_as_per_pan","value":"X","by":"me"}`, nil, 400, "unknown field"},
		{"no field nor value", e.tokA, read, `{}`, nil, 400, "field is required; value is required"},
		{"an empty value", e.tokA, read, `{"field":"name_as_per_pan","value":"  "}`, nil, 400, "value is empty"},
		{"a value too long", e.tokA, read, `{"field":"name_as_per_pan","value":"` + strings.Repeat("A", 4097) + `"}`, nil, 400, "longer than 4096"},
		{"another type's field", e.tokA, read, `{"field":"aadhaar_number","value":"2345 6789 0124"}`, nil, 400, `"aadhaar_number" cannot be corrected on a PAN document`},
		{"a made-up field", e.tokA, read, `{"field":"salary","value":"1"}`, nil, 400, "correct one of: dob, document_quality_flag, father_name, name_as_per_pan, pan_number"},
		{"an unknown document", e.tokA, "0190b4f2-0000-7000-8000-000000000000", `{"field":"name_as_per_pan","value":"X"}`, nil, 404, "is unknown"},
		{"another client's document", e.tokA, others, `{"field":"name_as_per_pan","value":"X"}`, nil, 404, "is unknown"},
		{"a queued document", e.tokA, queued, `{"field":"name_as_per_pan","value":"X"}`, nil, 409, "is queued"},
		{"a failed document", e.tokA, failed, `{"field":"name_as_per_pan","value":"X"}`, nil, 409, "is failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := tc.hdr
			if tc.tok == "" {
				hdr = map[string]string{"Token": ""}
			}
			resp, body := e.correct(tc.tok, tc.file, tc.body, hdr)
			wantError(t, resp, body, tc.status, tc.says)
		})
	}
	for _, uuid := range []string{read, others} {
		if d, err := e.store.GetDocument(context.Background(), uuid); err != nil || d.Corrections != nil {
			t.Errorf("a refused correction was stored on %s: %v, %v", uuid, d.Corrections, err)
		}
	}
	if body := e.metricsText(); strings.Contains(body, "atlas_corrections_total{") {
		t.Errorf("refused corrections were counted:\n%s", grepLines(body, "atlas_corrections_total"))
	}
}

func TestCorrectionsAreStoredServedAndCounted(t *testing.T) {
	e, read, _, _, others := reviewEnv(t)
	for _, c := range []struct{ field, value string }{
		{"name_as_per_pan", "ASHA RAO"},
		{"father_name", "RAVI RAO"}, // not read: added
		{"name_as_per_pan", "ASHA K RAO"},
	} {
		body, _ := json.Marshal(map[string]string{"field": c.field, "value": c.value})
		resp, out := e.correct(e.tokA, read, string(body), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("correcting %s: %d %s", c.field, resp.StatusCode, out)
		}
		var item struct {
			FileUUID string          `json:"file_uuid"`
			Status   string          `json:"status"`
			FileData json.RawMessage `json:"file_data"`
		}
		if err := json.Unmarshal(out, &item); err != nil {
			t.Fatal(err)
		}
		if got := fileDataOf(t, item.FileData)[c.field]; item.FileUUID != read || item.Status != "done" ||
			got != (fieldJSON{Value: c.value, Confidence: 1, Reviewed: true}) {
			t.Errorf("after correcting %s: %s %s %+v", c.field, item.FileUUID, item.Status, got)
		}
	}

	want := map[string]fieldJSON{
		"pan_number":      {Value: "ABCPK1234F", Confidence: 0.95},
		"name_as_per_pan": {Value: "ASHA K RAO", Confidence: 1, Reviewed: true},
		"father_name":     {Value: "RAVI RAO", Confidence: 1, Reviewed: true},
	}
	d, err := e.store.GetDocument(context.Background(), read)
	if err != nil {
		t.Fatal(err)
	}
	p := e.page(e.tokA, "batch_id="+d.BatchID)
	got := fileDataOf(t, p.Data[0].FileData)
	if len(got) != len(want) {
		t.Errorf("extracts file_data %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("extracts %s = %+v, want %+v", k, got[k], w)
		}
	}
	if c := d.Corrections["name_as_per_pan"]; c.Reviewer != "api:client-a" || c.Value != "ASHA K RAO" || c.At.IsZero() {
		t.Errorf("stored correction %+v", c)
	}
	if o, _ := e.store.GetDocument(context.Background(), others); o.Corrections != nil {
		t.Errorf("another client's document got corrections: %v", o.Corrections)
	}

	metrics := e.metricsText()
	for _, line := range []string{
		`atlas_corrections_total{document_type="PAN",field="name_as_per_pan"} 2`,
		`atlas_corrections_total{document_type="PAN",field="father_name"} 1`,
	} {
		if !strings.Contains(metrics, line+"\n") {
			t.Errorf("/metrics lacks %s; has:\n%s", line, grepLines(metrics, "atlas_corrections_total"))
		}
	}
}

// Correct's errors say what went wrong to a caller other than the API
// (the review page), and it counts nothing without metrics.
func TestCorrectErrors(t *testing.T) {
	e, read, queued, _, others := reviewEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, file, field, value string
		want                     error
		status                   int
	}{
		{"another client's document", others, "name_as_per_pan", "X", store.ErrNotFound, 404},
		{"a queued document", queued, "name_as_per_pan", "X", api.ErrNotRead, 409},
		{"another type's field", read, "gst_number", "X", api.ErrUnknownField, 400},
		{"a link", read, "redact_url", "X", api.ErrUnknownField, 400},
	} {
		_, err := api.Correct(ctx, e.store, nil, "client-a", tc.file, tc.field, tc.value, "reviewer@bank")
		var ae *api.Error
		if !errors.Is(err, tc.want) || !errors.As(err, &ae) || ae.Status != tc.status {
			t.Errorf("%s: %v, want %v with status %d", tc.name, err, tc.want, tc.status)
		}
	}
	d, err := api.Correct(ctx, e.store, nil, "client-a", read, "dob", "16/07/1986", "reviewer@bank")
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Corrections["dob"]; c.Value != "16/07/1986" || c.Reviewer != "reviewer@bank" {
		t.Errorf("returned document's correction %+v", c)
	}
	if _, err := api.Correct(ctx, e.store, nil, "client-a", read, "dob", "16/07/1986", ""); err == nil {
		t.Error("a correction without a reviewer was accepted")
	}
}

func (e *env) metricsText() string {
	e.t.Helper()
	resp := e.do("GET", "/metrics", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return string(body)
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
