package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// CorrectionRequest is a reviewer's value for one field of a document.
type CorrectionRequest struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Correct stores a corrected value for a field of a read document; the
// answer is the document as extracts now gives it, the field marked
// Reviewed. Saving the same value again changes nothing, so it is retried
// like a read.
func (c *Client) Correct(ctx context.Context, fileUUID, field, value string) (*Document, error) {
	if fileUUID == "" || field == "" {
		return nil, errors.New("correct: the file uuid and the field are required")
	}
	body, err := jsonBody(CorrectionRequest{Field: field, Value: value})
	if err != nil {
		return nil, err
	}
	var out Document
	if _, err := c.call(ctx, &request{method: http.MethodPost, path: "/v1/bulk/documents/" + url.PathEscape(fileUUID) + "/corrections",
		body: body, auth: true, retry: retrySafe}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Redacted returns the stored copy of an Aadhaar image with the first
// eight digits blacked out (the document's redact_url), and its content
// type.
func (c *Client) Redacted(ctx context.Context, fileUUID string) ([]byte, string, error) {
	if fileUUID == "" {
		return nil, "", errors.New("redacted: the file uuid is required")
	}
	resp, err := c.do(ctx, &request{method: http.MethodGet, path: "/v1/bulk/redacted/" + url.PathEscape(fileUUID), auth: true, retry: retrySafe})
	if err != nil {
		return nil, "", err
	}
	return resp.body, resp.header.Get("Content-Type"), nil
}
