package client_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/atlas-oss/atlas/client"
	"github.com/atlas-oss/atlas/internal/api"
	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/metrics"
	"github.com/atlas-oss/atlas/internal/store"
)

// exampleServer starts a real atlas API on a throwaway SQLite database,
// with one API client, so the examples run as written. A real program
// would point client.New at its atlas server instead.
func exampleServer() (url string, st *store.SQLite, stop func()) {
	dir, err := os.MkdirTemp("", "atlas-example")
	if err != nil {
		log.Fatal(err)
	}
	st, err = store.OpenSQLite(dir + "/atlas.db")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{ID: "los", Name: "los", SecretHash: auth.HashSecret("los-secret-0123456789")}); err != nil {
		log.Fatal(err)
	}
	iss, _ := auth.NewIssuer([]byte(strings.Repeat("k", 32)))
	s := api.New(st, nil, iss, api.Config{}, metrics.New(st, "all", "example"), slog.New(slog.DiscardHandler),
		func(ctx context.Context) error { return st.Ping(ctx) })
	hs := httptest.NewServer(s)
	return hs.URL, st, func() { hs.Close(); st.Close(); os.RemoveAll(dir) }
}

// Submit a batch, then walk every document's result. The walk either sees
// every document once or ends with an error.
func Example() {
	url, st, stop := exampleServer()
	defer stop()
	ctx := context.Background()

	c, err := client.New(url, "los", "los-secret-0123456789")
	if err != nil {
		log.Fatal(err)
	}
	up, err := c.Multiupload(ctx, client.MultiuploadRequest{
		ProductType: "PFL_CDL",
		Files: []client.Entry{
			{FileURL: "https://files.example.com/pan.jpg", DocumentID: "pan-1"},
			{FileURL: "https://files.example.com/expired.jpg", DocumentID: "pan-2"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("documents submitted:", len(up.Entries))

	// Here atlas's workers would read the documents; the example records
	// their results directly.
	fd := document.NewFileData(document.TypePAN)
	fd.Set("pan_number", document.Field{Value: "ABCDE1234F", Confidence: 0.97})
	st.FinishDocument(ctx, up.Entries[0].FileUUID, store.Result{FileData: fd}, nil)
	st.FinishDocument(ctx, up.Entries[1].FileUUID, store.Result{Error: &document.Error{Code: document.CodeFetchFailed, Message: "the URL answered 403", UpstreamStatus: 403}}, nil)

	for d, err := range c.Documents(ctx, up.BatchID) {
		if err != nil {
			log.Fatal(err)
		}
		switch d.Status {
		case client.StatusDone:
			pan := d.FileData["pan_number"]
			fmt.Printf("%s: %s pan_number=%v (confidence %.2f)\n", d.DocumentID, d.DocumentType, pan.Value, pan.Confidence)
		case client.StatusFailed:
			fmt.Printf("%s: failed %s\n", d.DocumentID, d.ErrorCode)
		}
	}
	// Output:
	// documents submitted: 2
	// pan-1: PAN pan_number=ABCDE1234F (confidence 0.97)
	// pan-2: failed FETCH_FAILED
}

// Compare an address with others, as Indian documents print them.
func ExampleClient_AddressMatch() {
	url, _, stop := exampleServer()
	defer stop()

	c, _ := client.New(url, "los", "los-secret-0123456789")
	res, err := c.AddressMatch(context.Background(), client.AddressMatchRequest{
		SourceAddress: "4-CH-64, NEAR COMMUNITY HALL, BHILWARA, Rajasthan, 311001",
		Targets: []client.AddressTarget{
			{ID: "aadhaar", Address: "4 CH 64, Near Community Hall, Bhilwara, RJ 311001"},
			{ID: "invoice", Address: ""},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Error != nil {
			fmt.Println(r.ID, r.Error.Code)
			continue
		}
		fmt.Println(r.ID, r.Verdict, "pincode", r.PincodeMatch)
	}
	// Output:
	// aadhaar match pincode match
	// invoice INVALID_ADDRESS
}

// Open a flow for one loan application, upload its documents, and close it.
func ExampleClient_FlowInit() {
	url, _, stop := exampleServer()
	defer stop()
	ctx := context.Background()

	c, _ := client.New(url, "los", "los-secret-0123456789")
	f, err := c.FlowInit(ctx, client.FlowInitRequest{
		ProductType:   "PROD_CDL",
		ApplicationID: "APP-2026-000123",
		FlowParams:    map[string]any{"name": "Manikandan Duraisamy", "loan_amount": "65000.00"},
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.FlowUpload(ctx, client.FlowUploadRequest{FlowID: f.FlowID, Files: []client.FlowFile{
		{FileURL: "https://files.example.com/pan.jpg", DocumentID: "doc_pan", SubmissionMode: "camera"},
	}}); err != nil {
		log.Fatal(err)
	}
	st, err := c.FlowStatus(ctx, f.FlowID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.FlowState, st.Documents, st.Files[0].Status)
	out, err := c.Submit(ctx, f.FlowID, true)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.FlowState)
	// Output:
	// OPEN 1 UPLOAD_SUCCESS
	// CLOSED
}

// An error answer is an *APIError with the HTTP status and atlas's message.
func ExampleAPIError() {
	url, _, stop := exampleServer()
	defer stop()

	c, _ := client.New(url, "los", "los-secret-0123456789")
	_, err := c.Extracts(context.Background(), "BATCH-00000-AAAAA-20260101000000", 1, 50)
	if client.IsStatus(err, 400) {
		fmt.Println("unknown batch")
	}
	// Output:
	// unknown batch
}
