package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// FileUpload is the answer of UploadFile: a signed link to the stored file.
type FileUpload struct {
	// URL is the link to submit as an Entry's FileURL. It needs no token
	// and stops working at ExpiresAt.
	URL string `json:"file_url"`
	// ExpiresAt is when URL stops working (7 days after the upload).
	ExpiresAt time.Time `json:"expires_at"`
	// Size is the file's length in bytes.
	Size int64 `json:"size"`
	// SHA256 is the file's hex SHA-256, as the server computed it.
	SHA256 string `json:"sha256"`
}

// UploadFile sends a local file (a JPEG, PNG, WebP, TIFF, BMP or GIF image,
// or a PDF; the server reads the type from the bytes) to atlas and returns
// a signed link to it, to submit in a batch with Multiupload. The file is
// read into memory first, so the request can be sent again: it is retried
// like any safe call, since atlas stores files by content and a repeated
// upload stores nothing new. The server's answer is checked against the
// bytes sent. A file too large answers an *APIError 413, one of another
// type 415, and a server that takes no uploads 501.
func (c *Client) UploadFile(ctx context.Context, r io.Reader) (*FileUpload, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("upload file: read: %w", err)
	}
	if len(data) == 0 {
		return nil, errors.New("upload file: the file is empty")
	}
	var out FileUpload
	// The server reads the type from the bytes, whatever Content-Type says.
	if _, err := c.call(ctx, &request{method: http.MethodPost, path: "/v1/bulk/files", body: data, auth: true,
		header: http.Header{"Content-Type": {"application/octet-stream"}}, retry: retrySafe}, &out); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if out.SHA256 != hex.EncodeToString(sum[:]) || out.Size != int64(len(data)) {
		return nil, fmt.Errorf("upload file: the server stored %d bytes with another SHA-256 than the %d bytes sent", out.Size, len(data))
	}
	if out.URL == "" {
		return nil, errors.New("upload file: the answer has no file_url")
	}
	return &out, nil
}
