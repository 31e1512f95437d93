package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Client drives a running atlas through its public API in tests, checking
// every answer against the OpenAPI document.
type Client struct {
	T     testing.TB
	Base  string
	Token string
}

// Authenticate gets a token for the client credentials.
func (c *Client) Authenticate(id, secret string) {
	c.T.Helper()
	req, _ := http.NewRequest("POST", c.Base+"/v1/bulk/authtoken", nil)
	req.Header.Set("Client-Id", id)
	req.Header.Set("Client-Secret", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	body := CheckResponse(c.T, "POST", "/v1/bulk/authtoken", resp)
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &tr) != nil {
		c.T.Fatalf("authtoken: %d %s", resp.StatusCode, body)
	}
	c.Token = tr.AccessToken
}

// File is one file of an upload.
type File struct {
	URL, DocumentID string
}

// Upload submits a batch and returns its id.
func (c *Client) Upload(files []File) string {
	c.T.Helper()
	type entry struct {
		FileURL    string `json:"file_url"`
		DocumentID string `json:"document_id"`
	}
	req := struct {
		ProductType string  `json:"product_type"`
		FileURLs    []entry `json:"file_urls"`
	}{ProductType: "PFL_CDL"}
	for _, f := range files {
		req.FileURLs = append(req.FileURLs, entry{f.URL, f.DocumentID})
	}
	b, _ := json.Marshal(req)
	hr, _ := http.NewRequest("POST", c.Base+"/v1/bulk/multiupload", bytes.NewReader(b))
	hr.Header.Set("Token", c.Token)
	hr.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		c.T.Fatal(err)
	}
	body := CheckResponse(c.T, "POST", "/v1/bulk/multiupload", resp)
	var out []struct {
		BatchID string `json:"batch_id"`
	}
	if resp.StatusCode != 201 || json.Unmarshal(body, &out) != nil || len(out) != len(files) {
		c.T.Fatalf("multiupload: %d %s", resp.StatusCode, body)
	}
	return out[0].BatchID
}

// Item is one document of an extracts page, decoded loosely.
type Item struct {
	DocumentID string                     `json:"document_id"`
	FileUUID   string                     `json:"file_uuid"`
	Status     string                     `json:"status"`
	FileData   map[string]json.RawMessage `json:"file_data"`
	ErrorCode  string                     `json:"error_code"`
	Error      *struct {
		Code           string `json:"code"`
		Message        string `json:"message"`
		UpstreamStatus int    `json:"upstream_status"`
	} `json:"error"`
}

// Value returns a field's value as a string ("" when absent).
func (it Item) Value(field string) string {
	var f struct {
		Value any `json:"value"`
	}
	if json.Unmarshal(it.FileData[field], &f) != nil {
		return ""
	}
	if s, ok := f.Value.(string); ok {
		return s
	}
	return ""
}

// DocumentType returns file_data.document_type.
func (it Item) DocumentType() string {
	var s string
	json.Unmarshal(it.FileData["document_type"], &s)
	return s
}

// Extracts returns every document of a batch, walking all pages.
func (c *Client) Extracts(batchID string) ([]Item, error) {
	var items []Item
	for page := 1; ; page++ {
		hr, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/bulk/extracts?batch_id=%s&page=%d&per_page=50", c.Base, batchID, page), nil)
		hr.Header.Set("Token", c.Token)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			return nil, err
		}
		body := CheckResponse(c.T, "GET", "/v1/bulk/extracts", resp)
		var p struct {
			Data    []Item `json:"data"`
			HasNext bool   `json:"has_next"`
		}
		if resp.StatusCode != 200 || json.Unmarshal(body, &p) != nil {
			return nil, fmt.Errorf("extracts: %d %s", resp.StatusCode, body)
		}
		items = append(items, p.Data...)
		if !p.HasNext {
			return items, nil
		}
	}
}

// Wait polls until every document of the batch is done or failed, or the
// timeout passes, and returns the last extracts.
func (c *Client) Wait(batchID string, timeout time.Duration) []Item {
	c.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		items, err := c.Extracts(batchID)
		if err != nil {
			c.T.Fatal(err)
		}
		pending := 0
		for _, it := range items {
			if it.Status != "done" && it.Status != "failed" {
				pending++
			}
		}
		if pending == 0 {
			return items
		}
		if time.Now().After(deadline) {
			c.T.Fatalf("%d of %d documents still pending after %v", pending, len(items), timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// Call sends a request with the client's token (body marshalled as JSON
// when not nil), checks the answer against the OpenAPI document under
// the path's template (the path without its query) and returns the status
// and body.
func (c *Client) Call(method, path string, body any) (int, []byte) {
	c.T.Helper()
	tmpl, _, _ := strings.Cut(path, "?")
	return c.CallAs(method, path, tmpl, body)
}

// CallAs is Call for a path whose spec template differs from it (one with
// path parameters: "/v1/bulk/documents/{file_uuid}/corrections").
func (c *Client) CallAs(method, path, tmpl string, body any) (int, []byte) {
	c.T.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.T.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.Base+path, rd)
	req.Header.Set("Token", c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	return resp.StatusCode, CheckResponse(c.T, method, tmpl, resp)
}
