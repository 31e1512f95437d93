package flow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/store"
)

func doc(status document.Status, attempts int) store.Document {
	return store.Document{FileUUID: "u", DocumentID: "d", Status: status, Attempts: attempts}
}

func TestFileStatus(t *testing.T) {
	for _, tc := range []struct {
		d    store.Document
		want string
	}{
		{doc(document.StatusQueued, 0), FileUploaded},
		{doc(document.StatusQueued, 1), FileProcessing}, // waiting for a retry
		{doc(document.StatusProcessing, 1), FileProcessing},
		{doc(document.StatusDone, 1), FileDone},
		{doc(document.StatusFailed, 3), FileFailed},
	} {
		if got := FileStatus(tc.d); got != tc.want {
			t.Errorf("FileStatus(%s, %d attempts) = %s, want %s", tc.d.Status, tc.d.Attempts, got, tc.want)
		}
	}
}

func TestStatusOf(t *testing.T) {
	open := &store.Flow{ID: "f"}
	ran := func(docs int) *store.Flow {
		return &store.Flow{ID: "f", CrossChecks: json.RawMessage("[]"), CrossChecksDocs: docs}
	}
	closed := &store.Flow{ID: "f", ClosedAt: time.Now()}
	done, failed, queued := doc(document.StatusDone, 1), doc(document.StatusFailed, 3), doc(document.StatusQueued, 0)
	for _, tc := range []struct {
		name string
		f    *store.Flow
		docs []store.Document
		want string // flow, upload, processing, crosscheck, master
	}{
		{"no documents", open, nil, "OPEN NOT_STARTED NOT_STARTED NOT_STARTED NOT_STARTED"},
		{"reading", open, []store.Document{done, queued}, "OPEN COMPLETED PENDING PENDING PENDING"},
		{"read, checks not run", open, []store.Document{done, failed}, "OPEN COMPLETED COMPLETED PENDING PENDING"},
		{"checks ran over all", ran(2), []store.Document{done, failed}, "OPEN COMPLETED COMPLETED COMPLETED COMPLETED"},
		{"a document arrived after the run", ran(2), []store.Document{done, failed, queued}, "OPEN COMPLETED PENDING PENDING PENDING"},
		{"it was read; checks not rerun yet", ran(2), []store.Document{done, failed, done}, "OPEN COMPLETED COMPLETED PENDING PENDING"},
		{"closed", closed, nil, "CLOSED NOT_STARTED NOT_STARTED NOT_STARTED NOT_STARTED"},
	} {
		s := StatusOf(tc.f, tc.docs)
		got := strings.Join([]string{s.FlowState, s.UploadStatus, s.ProcessingStatus, s.CrosscheckStatus, s.MasterStatus}, " ")
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// An Aadhaar is served with its redact_url and, to a client that asked,
// only its last four digits; the stored result is left as it was.
func TestFileDataMasksWithoutChangingTheStoredResult(t *testing.T) {
	fd := document.NewFileData(document.TypeAadhaar)
	fd.Set("aadhaar_number", document.Field{Value: "2345 6789 0124", Confidence: 0.97})
	fd.Set("name", document.Field{Value: "Asha Rao", Confidence: 0.9})
	d := store.Document{FileUUID: "u1", Status: document.StatusDone, FileData: fd, RedactedKey: "k"}

	got := FileData(d, &store.Client{AadhaarLast4Only: true}, "https://atlas.example")
	if v, _ := got.Get("aadhaar_number"); v.Value != "XXXX XXXX 0124" || v.Confidence != 0.97 {
		t.Errorf("masked number %+v", v)
	}
	if v, _ := got.Get("redact_url"); v.Value != "https://atlas.example/v1/bulk/redacted/u1" {
		t.Errorf("redact_url %+v", v)
	}
	if v, _ := fd.Get("aadhaar_number"); v.Value != "2345 6789 0124" {
		t.Errorf("the stored result was changed: %v", v.Value)
	}
	if _, ok := fd.Get("redact_url"); ok {
		t.Error("redact_url was added to the stored result")
	}
	full := FileData(d, &store.Client{}, "")
	if v, _ := full.Get("aadhaar_number"); v.Value != "2345 6789 0124" {
		t.Errorf("unmasked client got %v", v.Value)
	}
	if _, ok := full.Get("redact_url"); ok {
		t.Error("redact_url without a base URL")
	}
}

func TestFileDataAppliesCorrections(t *testing.T) {
	read := func() *document.FileData {
		fd := document.NewFileData(document.TypeAadhaar)
		fd.Set("aadhaar_number", document.Field{Value: "2345 6789 0124", Confidence: 0.6,
			Validation: &document.Validation{Passed: false, Rule: "verhoeff"}})
		fd.Set("name", document.Field{Value: "Asha Ra0", Confidence: 0.5})
		fd.Set("gender", document.Field{Value: "FEMALE", Confidence: 0.9})
		return fd
	}
	fix := func(field, value string) store.Correction {
		return store.Correction{Field: field, Value: value, Reviewer: "r", At: time.Now()}
	}
	for _, tc := range []struct {
		name        string
		corrections map[string]store.Correction
		client      *store.Client
		want        string // the file_data JSON
	}{
		{"no correction", nil, nil,
			`{"document_type":"AADHAAR","aadhaar_number":{"value":"2345 6789 0124","confidence_score":0.6,"validation":{"passed":false,"rule":"verhoeff"}},` +
				`"name":{"value":"Asha Ra0","confidence_score":0.5},"gender":{"value":"FEMALE","confidence_score":0.9}}`},
		{"a read field corrected", map[string]store.Correction{"name": fix("name", "Asha Rao")}, nil,
			`{"document_type":"AADHAAR","aadhaar_number":{"value":"2345 6789 0124","confidence_score":0.6,"validation":{"passed":false,"rule":"verhoeff"}},` +
				`"name":{"value":"Asha Rao","confidence_score":1,"reviewed":true},"gender":{"value":"FEMALE","confidence_score":0.9}}`},
		{"fields not read are added in name order", map[string]store.Correction{"date_of_birth": fix("date_of_birth", "16/07/1986"), "address": fix("address", "1 MAIN ROAD")}, nil,
			`{"document_type":"AADHAAR","aadhaar_number":{"value":"2345 6789 0124","confidence_score":0.6,"validation":{"passed":false,"rule":"verhoeff"}},` +
				`"name":{"value":"Asha Ra0","confidence_score":0.5},"gender":{"value":"FEMALE","confidence_score":0.9},` +
				`"address":{"value":"1 MAIN ROAD","confidence_score":1,"reviewed":true},"date_of_birth":{"value":"16/07/1986","confidence_score":1,"reviewed":true}}`},
		{"a corrected Aadhaar number is still masked", map[string]store.Correction{"aadhaar_number": fix("aadhaar_number", "2345 6789 0125")}, &store.Client{AadhaarLast4Only: true},
			`{"document_type":"AADHAAR","aadhaar_number":{"value":"XXXX XXXX 0125","confidence_score":1,"reviewed":true},` +
				`"name":{"value":"Asha Ra0","confidence_score":0.5},"gender":{"value":"FEMALE","confidence_score":0.9}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fd := read()
			stored, _ := json.Marshal(fd)
			d := store.Document{FileUUID: "u1", Status: document.StatusDone, FileData: fd, Corrections: tc.corrections}
			got, err := json.Marshal(FileData(d, tc.client, ""))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("file_data\n got %s\nwant %s", got, tc.want)
			}
			if after, _ := json.Marshal(fd); string(after) != string(stored) {
				t.Errorf("the stored result was changed: %s", after)
			}
		})
	}
}

func TestNewEntry(t *testing.T) {
	fd := document.NewFileData(document.TypePAN)
	fd.Set("pan_number", document.Field{Value: "ABCPK1234F", Confidence: 0.95})
	ok := NewEntry(store.Document{DocumentID: "pan", FileUUID: "u", Status: document.StatusDone, FileData: fd, SubmissionMode: "camera"}, nil, "")
	if ok.Status != FileDone || ok.DocumentType != document.TypePAN || ok.FileData == nil || ok.ErrorCode != "" || ok.SubmissionMode != "camera" {
		t.Errorf("read entry %+v", ok)
	}
	bad := NewEntry(store.Document{DocumentID: "x", Status: document.StatusFailed,
		Error: &document.Error{Code: document.CodeUnrecognised, Message: "not a document atlas knows"}}, nil, "")
	if bad.Status != FileFailed || bad.ErrorCode != document.CodeUnrecognised || bad.FileData != nil || bad.DocumentType != "" {
		t.Errorf("failed entry %+v", bad)
	}
	b, _ := json.Marshal(bad)
	if strings.Contains(string(b), "file_data") || !strings.Contains(string(b), `"error_code":"UNRECOGNISED"`) {
		t.Errorf("failed entry JSON %s", b)
	}
}
