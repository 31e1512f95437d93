package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/api/apitest"
	"github.com/atlas-oss/atlas/internal/app"
	"github.com/atlas-oss/atlas/internal/callback"
	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
)

// receiver is a client's loan-origination system: it hands out tokens at
// /token and takes callbacks at /callback, answering 500 to the first
// failFirst attempts of each callback. It de-duplicates by callback id, as
// a receiver must, and counts what a careless one would have processed
// twice.
type receiver struct {
	base      string
	failFirst int

	mu        sync.Mutex
	secret    []byte
	tokens    map[string]bool
	tries     map[string]int             // attempts seen per callback id
	accepted  map[string]json.RawMessage // the body first accepted per id
	events    map[string]string          // callback id -> event
	order     []string                   // ids in acceptance order
	again     int                        // deliveries of an id already accepted
	badSig    int
	badToken  int
	tokenAsks int
}

func startReceiver(t *testing.T, failFirst int) *receiver {
	t.Helper()
	// 127.0.0.3: a private address the atlas under test is allowed to
	// reach, as a client's own network would be allowed in production.
	ln, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{base: "http://" + ln.Addr().String(), failFirst: failFirst, tokens: map[string]bool{},
		tries: map[string]int{}, accepted: map[string]json.RawMessage{}, events: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := callback.Verify(rc.secret, r.Header, body, time.Now(), callback.DefaultTolerance); err != nil {
			rc.badSig++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		rc.tokenAsks++
		tok := fmt.Sprintf("tok-%d", rc.tokenAsks)
		rc.tokens[tok] = true
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token": %q, "expires_in": 600}`, tok)
	})
	mux.HandleFunc("POST /callback", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if !rc.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
			rc.badToken++
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if err := callback.Verify(rc.secret, r.Header, body, time.Now(), callback.DefaultTolerance); err != nil {
			rc.badSig++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		id := r.Header.Get(callback.HeaderID)
		rc.tries[id]++
		if rc.tries[id] <= rc.failFirst {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		if _, seen := rc.accepted[id]; seen {
			rc.again++ // a receiver that did not de-duplicate would act twice
			w.WriteHeader(http.StatusOK)
			return
		}
		rc.accepted[id] = body
		rc.events[id] = r.Header.Get(callback.HeaderEvent)
		rc.order = append(rc.order, id)
		w.WriteHeader(http.StatusOK)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return rc
}

// crossCheck is one entry of cross_checks.
type crossCheck struct {
	Check     string   `json:"check"`
	Documents []string `json:"documents"`
	Fields    []string `json:"fields"`
	Status    string   `json:"status"`
	Score     float64  `json:"score"`
	Detail    string   `json:"detail"`
}

type flowExtracts struct {
	FlowID           string `json:"flow_id"`
	MasterStatus     string `json:"master_status"`
	CrosscheckStatus string `json:"crosscheck_status"`
	FlowState        string `json:"flow_state"`
	OCRData          []struct {
		DocumentID   string          `json:"document_id"`
		FileUUID     string          `json:"file_uuid"`
		Status       string          `json:"status"`
		DocumentType string          `json:"document_type"`
		FileData     json.RawMessage `json:"file_data"`
		ErrorCode    string          `json:"error_code"`
	} `json:"ocr_data"`
	CrossChecks []crossCheck `json:"cross_checks"`
}

func initFlow(t *testing.T, c *apitest.Client, body map[string]any) string {
	t.Helper()
	status, raw := c.Call("POST", "/v2/verification/flow/init", body)
	if status != http.StatusCreated {
		t.Fatalf("flow init: %d %s", status, raw)
	}
	var out struct {
		FlowID string `json:"flow_id"`
	}
	json.Unmarshal(raw, &out)
	return out.FlowID
}

// waitFlow polls the flow's status until its master status is COMPLETED.
func waitFlow(t *testing.T, c *apitest.Client, flowID string) flowExtracts {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for {
		status, raw := c.Call("GET", "/v2/verification/status?flow_id="+flowID, nil)
		var st struct {
			MasterStatus string `json:"master_status"`
		}
		json.Unmarshal(raw, &st)
		if status != http.StatusOK {
			t.Fatalf("status: %d %s", status, raw)
		}
		if st.MasterStatus == "COMPLETED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("flow %s not completed: %s", flowID, raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
	status, raw := c.Call("GET", "/v2/verification/extracts?flow_id="+flowID, nil)
	if status != http.StatusOK {
		t.Fatalf("extracts: %d %s", status, raw)
	}
	var out flowExtracts
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func upload(t *testing.T, c *apitest.Client, flowID string, files map[string]string, order ...string) {
	t.Helper()
	var entries []map[string]string
	for _, id := range order {
		entries = append(entries, map[string]string{"file_url": files[id], "document_id": id, "submission_mode": "upload"})
	}
	status, raw := c.Call("POST", "/v2/verification/multiupload", map[string]any{"flow_id": flowID, "file_urls": entries})
	if status != http.StatusCreated {
		t.Fatalf("multiupload: %d %s", status, raw)
	}
	var got []struct {
		DocumentID string `json:"document_id"`
		FileURL    string `json:"file_url"`
		BatchID    string `json:"batch_id"`
	}
	json.Unmarshal(raw, &got)
	for i, g := range got {
		if g.DocumentID != order[i] || g.FileURL != files[order[i]] || g.BatchID != got[0].BatchID {
			t.Errorf("multiupload entry %d = %+v, want document %s with its file_url and one batch_id", i, g, order[i])
		}
	}
}

// checksOf returns the checks named check that involve document doc (any
// document when doc is empty).
func checksOf(checks []crossCheck, check, doc string) []crossCheck {
	var out []crossCheck
	for _, c := range checks {
		if c.Check == check && (doc == "" || contains(c.Documents, doc)) {
			out = append(out, c)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestFlowEndToEnd runs two loan applications through the flow API on the
// real service (Tesseract, SQLite, River): one whose PAN, Aadhaar, invoice
// and delivery order are one person's, and one whose PAN is someone
// else's. Callbacks go to a real local receiver that fails every first two
// attempts.
func TestFlowEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end through Tesseract; run without -short")
	}
	var a *app.App
	ds := startDocServer(t, func() string { return a.Addr() })
	rc := startReceiver(t, 2)
	a, stop := startAtlas(t, func(c *config.Config) {
		c.FetchAllow = "127.0.0.2/32,127.0.0.3/32"
		c.CallbackRetryDelay = 20 * time.Millisecond
		c.CallbackMaxDelay = 100 * time.Millisecond
	})
	defer stop()
	c := &apitest.Client{T: t, Base: "http://" + a.Addr()}
	c.Authenticate(devID, devSecret)

	status, raw := c.Call("GET", "/v2/verification/callbacks/secret", nil)
	var sec struct {
		CallbackSecret string `json:"callback_secret"`
	}
	if json.Unmarshal(raw, &sec); status != http.StatusOK || sec.CallbackSecret == "" {
		t.Fatalf("callback secret: %d %s", status, raw)
	}
	rc.mu.Lock()
	rc.secret = []byte(sec.CallbackSecret)
	rc.mu.Unlock()

	// One applicant's documents, and another person's PAN.
	types := []document.Type{document.TypePAN, document.TypeAadhaar, document.TypeInvoice, document.TypeDeliveryOrder}
	docs, err := docgen.GenerateApplication(41, docgen.Clean, types...)
	if err != nil {
		t.Fatal(err)
	}
	other, err := docgen.GenerateApplication(42, docgen.Clean, document.TypePAN)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for i, id := range []string{"pan", "aadhaar", "invoice", "do"} {
		files[id] = ds.add(id+"."+docs[i].Format, docs[i].Data)
	}
	files["other-pan"] = ds.add("other-pan."+other[0].Format, other[0].Data)
	// The application declares the name surname first, as forms often do.
	words := strings.Fields(docs[1].Truth["name"])
	slices.Reverse(words)
	name, dob := strings.Join(words, " "), docs[1].Truth["date_of_birth"]

	agree := initFlow(t, c, map[string]any{
		"product_type": "PROD_CDL", "application_id": "APP-41", "external_reference_id": "LOS-41",
		"callback_url": rc.base + "/callback", "auth_url": rc.base + "/token",
		"flow_params": map[string]any{"name": name, "dob": dob, "branch": "Pune"},
	})
	differ := initFlow(t, c, map[string]any{"product_type": "PROD_CDL", "application_id": "APP-42",
		"callback_url": rc.base + "/callback", "auth_url": rc.base + "/token"})
	// Half of the documents first, the rest later: cross-checks run again
	// as documents arrive.
	upload(t, c, agree, files, "pan", "aadhaar")
	upload(t, c, differ, files, "other-pan", "aadhaar", "invoice", "do")
	first := waitFlow(t, c, agree)
	if n := len(checksOf(first.CrossChecks, "name", "")); n != 1 {
		t.Errorf("after PAN and Aadhaar: %d name checks, want 1: %+v", n, first.CrossChecks)
	}
	upload(t, c, agree, files, "invoice", "do")

	t.Run("agreeing documents match", func(t *testing.T) {
		fx := waitFlow(t, c, agree)
		for _, ch := range fx.CrossChecks {
			t.Logf("%-22s %-28v %-8s %.2f %s", ch.Check, ch.Documents, ch.Status, ch.Score, ch.Detail)
		}
		for _, d := range fx.OCRData {
			if d.Status != "PROCESSING_SUCCESS" {
				t.Errorf("%s: %s %s", d.DocumentID, d.Status, d.ErrorCode)
			}
		}
		names := checksOf(fx.CrossChecks, "name", "")
		if len(names) != 6 { // every pair of four documents
			t.Errorf("%d name checks, want 6 (every pair of 4 documents): %+v", len(names), names)
		}
		for _, ch := range names {
			if ch.Status != "match" {
				t.Errorf("name check %v = %s (%.2f): %s", ch.Documents, ch.Status, ch.Score, ch.Detail)
			}
		}
		for _, check := range []string{"dealer_name", "invoice_amount", "date_of_birth", "declared_name", "declared_date_of_birth"} {
			got := checksOf(fx.CrossChecks, check, "")
			if len(got) == 0 {
				t.Errorf("no %s check", check)
			}
			for _, ch := range got {
				if ch.Status != "match" {
					t.Errorf("%s check %v = %s: %s", check, ch.Documents, ch.Status, ch.Detail)
				}
			}
		}
	})

	t.Run("another person's PAN is a mismatch naming it", func(t *testing.T) {
		fx := waitFlow(t, c, differ)
		for _, ch := range fx.CrossChecks {
			t.Logf("%-22s %-28v %-8s %.2f %s", ch.Check, ch.Documents, ch.Status, ch.Score, ch.Detail)
		}
		withPAN := checksOf(fx.CrossChecks, "name", "other-pan")
		if len(withPAN) != 3 {
			t.Fatalf("%d name checks with the PAN, want 3: %+v", len(withPAN), fx.CrossChecks)
		}
		for _, ch := range withPAN {
			if ch.Status != "mismatch" || ch.Fields[0] != "name_as_per_pan" {
				t.Errorf("PAN name check %v %v = %s (%.2f): %s", ch.Documents, ch.Fields, ch.Status, ch.Score, ch.Detail)
			}
		}
		for _, ch := range checksOf(fx.CrossChecks, "name", "") {
			if !contains(ch.Documents, "other-pan") && ch.Status != "match" {
				t.Errorf("name check %v without the PAN = %s: %s", ch.Documents, ch.Status, ch.Detail)
			}
		}
	})

	t.Run("callbacks arrive once each, signed, after two failures", func(t *testing.T) {
		// 5 document callbacks per flow... 4 documents each, and a
		// cross-check callback per run: the agreeing flow ran twice.
		want := map[string]int{"document.processed": 8, "flow.cross_checks_completed": 3}
		deadline := time.Now().Add(time.Minute)
		for {
			rc.mu.Lock()
			got := map[string]int{}
			for _, ev := range rc.events {
				got[ev]++
			}
			rc.mu.Unlock()
			if fmt.Sprint(got) == fmt.Sprint(want) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("callbacks received %v, want %v", got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.badSig != 0 || rc.badToken != 0 {
			t.Errorf("%d callbacks with a bad signature, %d without a valid token", rc.badSig, rc.badToken)
		}
		for id, n := range rc.tries {
			if n != 3 {
				t.Errorf("callback %s tried %d times, want 3 (two failures, one success, no more)", id, n)
			}
		}
		if rc.again != 0 {
			t.Errorf("%d deliveries of callbacks already accepted", rc.again)
		}
		// The last callback of the agreeing flow carries its cross-checks
		// and echoes flow_params.
		var last struct {
			Event       string         `json:"event"`
			FlowID      string         `json:"flow_id"`
			FlowParams  map[string]any `json:"flow_params"`
			CrossChecks []crossCheck   `json:"cross_checks"`
		}
		for _, id := range rc.order {
			var ev struct {
				Event  string `json:"event"`
				FlowID string `json:"flow_id"`
				Status struct {
					Documents int `json:"documents"`
				} `json:"status"`
			}
			json.Unmarshal(rc.accepted[id], &ev)
			if ev.Event == "flow.cross_checks_completed" && ev.FlowID == agree && ev.Status.Documents == 4 {
				json.Unmarshal(rc.accepted[id], &last)
			}
		}
		if last.FlowParams["branch"] != "Pune" || len(checksOf(last.CrossChecks, "name", "")) != 6 {
			t.Errorf("final callback of the agreeing flow: params %v, %d checks", last.FlowParams, len(last.CrossChecks))
		}
	})

	t.Run("delivery attempts are visible", func(t *testing.T) {
		type callbacks struct {
			Callbacks []struct {
				CallbackID string `json:"callback_id"`
				Status     string `json:"status"`
				Attempts   int    `json:"attempts"`
				History    []struct {
					StatusCode int `json:"status_code"`
				} `json:"history"`
			} `json:"callbacks"`
		}
		// The receiver has answered; the last attempts' records may be
		// a moment behind.
		var out callbacks
		var status int
		var raw []byte
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			status, raw = c.Call("GET", "/v2/verification/callbacks?flow_id="+agree, nil)
			out = callbacks{}
			json.Unmarshal(raw, &out)
			pending := 0
			for _, cb := range out.Callbacks {
				if cb.Status == "pending" {
					pending++
				}
			}
			if pending == 0 || time.Now().After(deadline) {
				break
			}
		}
		if status != http.StatusOK || len(out.Callbacks) != 6 {
			t.Fatalf("callbacks: %d, %d callbacks, want 6: %s", status, len(out.Callbacks), raw)
		}
		for _, cb := range out.Callbacks {
			codes := []int{}
			for _, h := range cb.History {
				codes = append(codes, h.StatusCode)
			}
			if cb.Status != "delivered" || cb.Attempts != 3 || fmt.Sprint(codes) != "[500 500 200]" {
				t.Errorf("callback %s: %s after %d attempts %v, want delivered after [500 500 200]", cb.CallbackID, cb.Status, cb.Attempts, codes)
			}
		}
		// And in the metrics: both flows' 8 document callbacks, each
		// failed twice then delivered.
		resp, err := http.Get(c.Base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, line := range []string{
			`atlas_callback_attempts_total{event="document.processed",outcome="delivered"} 8`,
			`atlas_callback_attempts_total{event="document.processed",outcome="retry"} 16`,
		} {
			if !strings.Contains(string(body), line) {
				t.Errorf("metrics lack %s", line)
			}
		}
	})

	t.Run("a reviewer's correction reruns the cross-checks", func(t *testing.T) {
		c := &apitest.Client{T: t, Base: c.Base, Token: c.Token}
		fx := waitFlow(t, c, differ)
		var panUUID string
		for _, d := range fx.OCRData {
			if d.DocumentID == "other-pan" {
				panUUID = d.FileUUID
			}
		}
		status, raw := c.CallAs("POST", "/v1/bulk/documents/"+panUUID+"/corrections", "/v1/bulk/documents/{file_uuid}/corrections",
			map[string]string{"field": "name_as_per_pan", "value": docs[1].Truth["name"]})
		if status != http.StatusOK || !strings.Contains(string(raw), `"reviewed":true`) {
			t.Fatalf("correction: %d %s", status, raw)
		}
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
			_, raw := c.Call("GET", "/v2/verification/extracts?flow_id="+differ, nil)
			var fx flowExtracts
			json.Unmarshal(raw, &fx)
			matched := 0
			for _, ch := range checksOf(fx.CrossChecks, "name", "other-pan") {
				if ch.Status == "match" {
					matched++
				}
			}
			if matched == 3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after correcting the PAN's name, %d of its 3 name checks match: %+v", matched, fx.CrossChecks)
			}
		}
	})

	t.Run("a closed flow refuses uploads", func(t *testing.T) {
		status, raw := c.Call("POST", "/v2/verification/flow/submit?flow_id="+agree+"&close_flow=yes", nil)
		var fx flowExtracts
		if json.Unmarshal(raw, &fx); status != http.StatusOK || fx.FlowState != "CLOSED" || len(fx.OCRData) != 4 {
			t.Fatalf("submit: %d %s", status, raw)
		}
		status, raw = c.Call("POST", "/v2/verification/multiupload", map[string]any{"flow_id": agree,
			"file_urls": []map[string]string{{"file_url": files["pan"], "document_id": "late"}}})
		if status != http.StatusConflict || !strings.Contains(string(raw), "closed") {
			t.Errorf("upload to a closed flow: %d %s", status, raw)
		}
		// The application may open a new flow now.
		initFlow(t, c, map[string]any{"product_type": "PROD_CDL", "application_id": "APP-41", "external_reference_id": "LOS-41"})
	})
}

// TestFlowAPI checks the flow API's refusals on the real service: no
// documents are read here.
func TestFlowAPI(t *testing.T) {
	a, stop := startAtlas(t, func(c *config.Config) { c.FetchAllow = "127.0.0.2/32,127.0.0.3/32" })
	defer stop()
	c := &apitest.Client{T: t, Base: "http://" + a.Addr()}
	c.Authenticate(devID, devSecret)

	// An auth_url nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/token"
	ln.Close()
	rc := startReceiver(t, 0)
	id := initFlow(t, c, map[string]any{"product_type": "PROD_CDL", "application_id": "APP-1",
		"callback_url": rc.base + "/callback", "auth_url": dead})

	upload := map[string]any{"flow_id": id, "file_urls": []map[string]string{{"file_url": "http://127.0.0.2:1/pan.png", "document_id": "pan"}}}
	status, raw := c.Call("POST", "/v2/verification/multiupload", upload)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), "auth_url") {
		t.Errorf("upload with an unreachable auth_url: %d %s, want 422 naming auth_url", status, raw)
	}
	status, raw = c.Call("GET", "/v2/verification/status?flow_id="+id, nil)
	if status != http.StatusOK || !strings.Contains(string(raw), `"documents":0`) {
		t.Errorf("after a refused upload: %d %s, want no documents", status, raw)
	}

	for _, tc := range []struct {
		name   string
		path   string
		body   any
		status int
		msg    string
	}{
		{"second open flow", "/v2/verification/flow/init", map[string]any{"product_type": "PROD_CDL", "application_id": "APP-1"}, 409, id},
		{"no application", "/v2/verification/flow/init", map[string]any{"product_type": "PROD_CDL"}, 400, "application_id is required"},
		{"callback to metadata", "/v2/verification/flow/init", map[string]any{"product_type": "P", "application_id": "A2", "callback_url": "http://169.254.169.254/cb"}, 400, "callback_url"},
		{"callback to loopback", "/v2/verification/flow/init", map[string]any{"product_type": "P", "application_id": "A3", "callback_url": "http://127.0.0.1:9/cb"}, 400, "callback_url"},
		{"callback with credentials", "/v2/verification/flow/init", map[string]any{"product_type": "P", "application_id": "A4", "callback_url": "https://u:p@example.com/cb"}, 400, "callback_url"},
		{"auth without callback", "/v2/verification/flow/init", map[string]any{"product_type": "P", "application_id": "A5", "auth_url": rc.base + "/token"}, 400, "auth_url"},
		{"params not an object", "/v2/verification/flow/init", map[string]any{"product_type": "P", "application_id": "A6", "flow_params": []int{1}}, 400, "flow_params"},
		{"no flow id", "/v2/verification/multiupload", map[string]any{"file_urls": []map[string]string{{"file_url": "https://x.example/a.png", "document_id": "a"}}}, 400, "flow_id is required"},
		{"unknown flow id", "/v2/verification/multiupload", map[string]any{"flow_id": "nope", "file_urls": []map[string]string{{"file_url": "https://x.example/a.png", "document_id": "a"}}}, 400, "unknown"},
		{"v3 field on v2", "/v2/verification/multiupload", map[string]any{"flow_uuid": id, "file_urls": []map[string]string{{"file_url": "https://x.example/a.png", "document_id": "a"}}}, 400, "flow_id"},
	} {
		status, raw := c.Call("POST", tc.path, tc.body)
		if status != tc.status || !strings.Contains(string(raw), tc.msg) {
			t.Errorf("%s: %d %s, want %d mentioning %q", tc.name, status, raw, tc.status, tc.msg)
		}
	}

	// v3 serves the same operations with flow_uuid.
	status, raw = c.Call("POST", "/v3/verification/flow/init", map[string]any{"product_type": "PROD_CDL", "application_id": "APP-3"})
	var v3 struct {
		FlowUUID string `json:"flow_uuid"`
	}
	if json.Unmarshal(raw, &v3); status != http.StatusCreated || v3.FlowUUID == "" {
		t.Fatalf("v3 init: %d %s", status, raw)
	}
	status, raw = c.Call("GET", "/v3/verification/status?flow_uuid="+v3.FlowUUID, nil)
	if status != http.StatusOK || !strings.Contains(string(raw), `"flow_uuid":"`+v3.FlowUUID+`"`) || !strings.Contains(string(raw), `"master_status":"NOT_STARTED"`) {
		t.Errorf("v3 status: %d %s", status, raw)
	}
	status, _ = c.Call("GET", "/v2/verification/status?flow_id="+v3.FlowUUID, nil)
	if status != http.StatusOK {
		t.Errorf("a v3 flow through v2: %d, want the same flow", status)
	}

	// The review page is served, behind its login.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(c.Base + "/review/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 != 3 || !strings.HasPrefix(loc, "/review/login") {
		t.Errorf("review page without a session: %d to %q, want a redirect to its login", resp.StatusCode, loc)
	}
}

// TestRestartKeepsFlowCallbacks kills the server with SIGKILL while a
// flow's documents are being read and its receiver is down, restarts it,
// brings the receiver up, and finds every callback delivered exactly once
// and the cross-checks complete: what was recorded before the crash is
// not lost, and nothing is sent twice.
func TestRestartKeepsFlowCallbacks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary through Tesseract; run without -short")
	}
	bin := buildAtlas(t)
	dataDir := t.TempDir()
	ds := startDocServer(t, func() string { return "127.0.0.1:1" })
	rc := startReceiver(t, 1<<30) // down: every attempt fails
	docs, err := docgen.GenerateApplication(43, docgen.Clean, document.TypePAN, document.TypeAadhaar, document.TypeInvoice, document.TypeDeliveryOrder)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	ids := []string{"pan", "aadhaar", "invoice", "do"}
	for i, id := range ids {
		files[id] = ds.add("r-"+id+"."+docs[i].Format, docs[i].Data)
	}
	flags := []string{"--fetch-allow", "127.0.0.2/32,127.0.0.3/32", "--callback-retry-delay", "100ms", "--callback-max-delay", "500ms"}

	p := startProc(t, bin, dataDir, flags...)
	c := &apitest.Client{T: t, Base: "http://" + p.addr}
	c.Authenticate(devID, devSecret)
	_, raw := c.Call("GET", "/v2/verification/callbacks/secret", nil)
	var sec struct {
		CallbackSecret string `json:"callback_secret"`
	}
	json.Unmarshal(raw, &sec)
	rc.mu.Lock()
	rc.secret = []byte(sec.CallbackSecret)
	rc.mu.Unlock()
	flowID := initFlow(t, c, map[string]any{"product_type": "PROD_CDL", "application_id": "APP-43",
		"callback_url": rc.base + "/callback", "auth_url": rc.base + "/token"})
	upload(t, c, flowID, files, ids...)
	// Kill it once a document is read and its callback has failed at
	// least once.
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		rc.mu.Lock()
		tried := len(rc.tries)
		rc.mu.Unlock()
		if tried > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no callback attempted in 3 minutes")
		}
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done

	rc.mu.Lock()
	rc.failFirst = 0 // the receiver is back
	rc.mu.Unlock()
	p = startProc(t, bin, dataDir, flags...)
	c.Base = "http://" + p.addr
	c.Authenticate(devID, devSecret)
	fx := waitFlow(t, c, flowID)
	if len(fx.OCRData) != 4 || len(checksOf(fx.CrossChecks, "name", "")) != 6 {
		t.Errorf("after the restart: %d documents, %d name checks; want 4 and 6", len(fx.OCRData), len(checksOf(fx.CrossChecks, "name", "")))
	}
	want := map[string]int{"document.processed": 4, "flow.cross_checks_completed": 1}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		rc.mu.Lock()
		got := map[string]int{}
		for _, ev := range rc.events {
			got[ev]++
		}
		again, bad := rc.again, rc.badSig+rc.badToken
		rc.mu.Unlock()
		if fmt.Sprint(got) == fmt.Sprint(want) {
			if again != 0 || bad != 0 {
				t.Errorf("%d callbacks delivered again after acceptance, %d refused for signature or token", again, bad)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("callbacks accepted %v, want %v", got, want)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done
}
