package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseWorkerList(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"1,2,3", []int{1, 2, 3}, false},
		{" 2 , 4 ", []int{2, 4}, false},
		{"3", []int{3}, false},
		{"", nil, true},
		{"1,,2", nil, true},
		{"0,1", nil, true},
		{"-1", nil, true},
		{"1,x", nil, true},
		{"1,2,1", nil, true},
	}
	for _, tt := range tests {
		got, err := parseWorkerList(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseWorkerList(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseFlags(t *testing.T) {
	const db = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	tests := []struct {
		name    string
		args    []string
		wantErr string // substring; "" for success
		check   func(t *testing.T, o options)
	}{
		{
			name: "defaults",
			args: []string{"--atlas", "bin/atlas", "--database-url", db},
			check: func(t *testing.T, o options) {
				if !slices.Equal(o.Workers, []int{1, 2, 3}) || o.Clients != 4 || o.Batches != 3 || o.BatchSize != 10 ||
					o.ThreadsPerWorker != 1 || o.Poll != 500*time.Millisecond || o.BlobURL != "" {
					t.Errorf("defaults: %+v", o)
				}
			},
		},
		{
			name: "everything set",
			args: []string{"--atlas", "a", "--database-url", db, "--workers", "2,4", "--clients", "8", "--batches", "1",
				"--batch-size", "50", "--threads-per-worker", "2", "--blob-url", "s3://b?region=x", "--poll", "1s"},
			check: func(t *testing.T, o options) {
				if !slices.Equal(o.Workers, []int{2, 4}) || o.Clients != 8 || o.Batches != 1 || o.BatchSize != 50 ||
					o.ThreadsPerWorker != 2 || o.BlobURL != "s3://b?region=x" || o.Poll != time.Second {
					t.Errorf("parsed: %+v", o)
				}
			},
		},
		{name: "no atlas", args: []string{"--database-url", db}, wantErr: "make build"},
		{name: "no database", args: []string{"--atlas", "a"}, wantErr: "--database-url"},
		{name: "sqlite database", args: []string{"--atlas", "a", "--database-url", "sqlite:///x.db"}, wantErr: "postgres://"},
		{name: "bad workers", args: []string{"--atlas", "a", "--database-url", db, "--workers", "1,0"}, wantErr: "--workers"},
		{name: "zero clients", args: []string{"--atlas", "a", "--database-url", db, "--clients", "0"}, wantErr: "--clients"},
		{name: "zero batch size", args: []string{"--atlas", "a", "--database-url", db, "--batch-size", "0"}, wantErr: "--batch-size"},
		{name: "stray argument", args: []string{"--atlas", "a", "--database-url", db, "extra"}, wantErr: "extra"},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, o)
		})
	}
}

func TestUsageNamesMakeBuild(t *testing.T) {
	var sb strings.Builder
	parseFlags([]string{"-h"}, &sb)
	if !strings.Contains(sb.String(), "make build") || !strings.Contains(sb.String(), "--atlas") {
		t.Errorf("usage does not say how to get the atlas binary:\n%s", sb.String())
	}
}

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100..1, unsorted on purpose
	}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"median of odd count", ms(5, 1, 3), 50, 3 * time.Millisecond},
		{"median of even count is the lower", ms(4, 1, 3, 2), 50, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p50 of 100", ms(hundred...), 50, 50 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
		{"p99 of 10 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.in)
		if got := percentile(tt.in, tt.p); got != tt.want {
			t.Errorf("%s: percentile(p%v) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
		if !slices.Equal(in, tt.in) {
			t.Errorf("%s: percentile reordered its input", tt.name)
		}
	}
}

// tableRows returns the table's lines split into whitespace-separated
// fields, header first.
func tableRows(s string) [][]string {
	var rows [][]string
	for line := range strings.Lines(s) {
		rows = append(rows, strings.Fields(line))
	}
	return rows
}

func TestWriteTable(t *testing.T) {
	lat := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond}
	results := []result{
		{Workers: 1, Documents: 100, Finished: 100, Wall: 50 * time.Second, Upload: lat, Extracts: lat},
		{Workers: 2, Documents: 100, Finished: 100, Failed: 3, Wall: 25 * time.Second, Upload: lat, Extracts: lat},
		{Workers: 3, Documents: 100, Finished: 90, Missing: 10, Wall: 30 * time.Second, Errors: 2,
			ErrorSamples: []string{"extracts: status 500"}},
	}
	var sb strings.Builder
	writeTable(&sb, results)
	out := sb.String()
	rows := tableRows(out)
	if !strings.Contains(out, "ratio vs 1 worker") || !strings.Contains(out, "upload p50/p99 ms") {
		t.Fatalf("header:\n%s", out)
	}
	// workers documents wall docs/s ratio upload extracts errors failed
	want := [][]string{
		{"1", "100", "50.0", "2.00", "1.00", "20.0/30.0", "20.0/30.0", "0", "0"},
		{"2", "100", "25.0", "4.00", "2.00", "20.0/30.0", "20.0/30.0", "0", "3"},
		{"3", "90", "(10", "missing)", "30.0", "3.00", "1.50", "0.0/0.0", "0.0/0.0", "2", "0"},
	}
	for i, w := range want {
		if !slices.Equal(rows[i+1], w) {
			t.Errorf("row %d = %q, want %q\n%s", i+1, rows[i+1], w, out)
		}
	}
	if !strings.Contains(out, "error with 3 workers: extracts: status 500") {
		t.Errorf("error sample not printed:\n%s", out)
	}
}

func TestWriteTableBaselineWithoutOneWorker(t *testing.T) {
	results := []result{
		{Workers: 2, Finished: 10, Wall: 10 * time.Second},
		{Workers: 4, Finished: 10, Wall: 5 * time.Second},
	}
	var sb strings.Builder
	writeTable(&sb, results)
	rows := tableRows(sb.String())
	if !strings.Contains(sb.String(), "ratio vs 2 worker(s)") {
		t.Errorf("header does not name the baseline:\n%s", sb.String())
	}
	if rows[1][4] != "1.00" || rows[2][4] != "2.00" {
		t.Errorf("ratios %q and %q, want 1.00 and 2.00", rows[1][4], rows[2][4])
	}
}

func TestWriteTableNothingFinished(t *testing.T) {
	var sb strings.Builder
	writeTable(&sb, []result{{Workers: 1, Documents: 5, Missing: 5}})
	rows := tableRows(sb.String())
	if got := rows[1]; got[2] != "(5" || got[5] != "0.00" || got[6] != "-" {
		t.Errorf("row %q: want 0 docs/s and no ratio", got)
	}
}

func TestCPUCaveat(t *testing.T) {
	tests := []struct {
		workers       []int
		threads, cpus int
		want          string // substring; "" for no caveat
	}{
		{[]int{1, 2}, 1, 2, ""},
		{[]int{1, 2, 3}, 1, 2, "with 3 worker"},
		{[]int{1, 2, 3}, 2, 2, "with 2, 3 worker"},
		{[]int{4}, 2, 8, ""},
	}
	for _, tt := range tests {
		got := cpuCaveat(tt.workers, tt.threads, tt.cpus)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("cpuCaveat(%v, %d, %d) = %q, want %q", tt.workers, tt.threads, tt.cpus, got, tt.want)
		}
		if got != "" && strings.Contains(got, "\n") {
			t.Errorf("caveat is not one line: %q", got)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"s3://bucket?endpoint=http://h:1&region=x", "s3://bucket"},
		{"postgres://u:secret@h/db?sslmode=disable", "postgres://u@h/db"},
		{"file:///tmp/blobs", "file:///tmp/blobs"},
	}
	for _, tt := range tests {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// fakeAPI imitates atlas's bulk API: documents finish on the second poll
// of their batch, extracts come two to a page, and the first extracts
// request fails with 500.
type fakeAPI struct {
	mu      sync.Mutex
	batches map[string][]string // batch id -> document ids
	polls   map[string]int
	failed  bool
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/v1/bulk/authtoken":
		json.NewEncoder(w).Encode(map[string]string{"access_token": "tok"})
	case "/v1/bulk/multiupload":
		var req struct {
			FileURLs []struct {
				DocumentID string `json:"document_id"`
			} `json:"file_urls"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		id := fmt.Sprintf("b%d", len(f.batches))
		for _, e := range req.FileURLs {
			f.batches[id] = append(f.batches[id], e.DocumentID)
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode([]map[string]string{{"batch_id": id}})
	case "/v1/bulk/extracts":
		if r.Header.Get("Token") != "tok" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if !f.failed {
			f.failed = true
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		id := r.URL.Query().Get("batch_id")
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 1 {
			f.polls[id]++
		}
		status := "processing"
		if f.polls[id] >= 2 {
			status = "done"
		}
		docs := f.batches[id]
		lo, hi := min(2*(page-1), len(docs)), min(2*page, len(docs))
		var data []map[string]string
		for i, d := range docs[lo:hi] {
			s := status
			if lo+i == 0 && s == "done" {
				s = "failed"
			}
			data = append(data, map[string]string{"document_id": d, "status": s})
		}
		json.NewEncoder(w).Encode(map[string]any{"data": data, "has_next": hi < len(docs)})
	default:
		http.NotFound(w, r)
	}
}

// TestDriveAgainstFakeAPI checks the clients walk every page, count
// finished and failed documents, and record the API error without
// losing the documents it delayed.
func TestDriveAgainstFakeAPI(t *testing.T) {
	f := &fakeAPI{batches: map[string][]string{}, polls: map[string]int{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	o := options{Clients: 2, Batches: 2, BatchSize: 5, Poll: time.Millisecond, Timeout: time.Minute}
	r := drive(context.Background(), o, srv.URL, &docServer{base: "http://127.0.0.2:1"})
	if r.Documents != 20 || r.Finished != 20 || r.Missing != 0 {
		t.Errorf("documents %d finished %d missing %d; want 20, 20, 0", r.Documents, r.Finished, r.Missing)
	}
	if r.Failed != 4 { // the first document of each batch
		t.Errorf("failed %d, want 4", r.Failed)
	}
	if r.Errors != 1 || len(r.ErrorSamples) != 1 || r.ErrorSamples[0] != "extracts: status 500" {
		t.Errorf("errors %d %q, want the one 500", r.Errors, r.ErrorSamples)
	}
	if len(r.Upload) != 4 {
		t.Errorf("%d upload latencies, want 4", len(r.Upload))
	}
	// Every poll of a 5-document batch walks 3 pages.
	if len(r.Extracts) < 4*2*3 {
		t.Errorf("%d extracts requests, want at least %d (every page of every poll)", len(r.Extracts), 4*2*3)
	}
	if r.Wall <= 0 {
		t.Errorf("wall time %v, want positive", r.Wall)
	}
}

// TestDriveTimeoutCountsMissing: documents that never finish count as
// missing when the run's time is up, and the cut-off requests are not
// API errors.
func TestDriveTimeoutCountsMissing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/bulk/authtoken":
			json.NewEncoder(w).Encode(map[string]string{"access_token": "tok"})
		case "/v1/bulk/multiupload":
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode([]map[string]string{{"batch_id": "b"}})
		default:
			json.NewEncoder(w).Encode(map[string]any{"data": []map[string]string{{"document_id": "c0-b0-d0", "status": "queued"}}})
		}
	}))
	defer srv.Close()
	o := options{Clients: 1, Batches: 1, BatchSize: 3, Poll: time.Millisecond, Timeout: 200 * time.Millisecond}
	r := drive(context.Background(), o, srv.URL, &docServer{base: "http://127.0.0.2:1"})
	if r.Missing != 3 || r.Finished != 0 || r.Errors != 0 {
		t.Errorf("missing %d finished %d errors %d; want 3, 0, 0", r.Missing, r.Finished, r.Errors)
	}
}
