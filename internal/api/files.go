package api

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/upload"
)

// DefaultMaxFileBytes bounds one uploaded file unless Config says otherwise.
const DefaultMaxFileBytes = 25 << 20

// FileLinkLifetime is how long the link to an uploaded file stays valid:
// long enough for a batch to wait in the queue over a weekend.
const FileLinkLifetime = 7 * 24 * time.Hour

// FileUpload is the answer of POST /v1/bulk/files.
type FileUpload struct {
	// FileURL is the signed link to submit as a batch's file_url.
	FileURL string `json:"file_url"`
	// ExpiresAt is when FileURL stops working (RFC 3339, UTC).
	ExpiresAt string `json:"expires_at"`
	// Size is the file's length in bytes.
	Size int64 `json:"size"`
	// SHA256 is the hex SHA-256 of the file, for the client to check.
	SHA256 string `json:"sha256"`
}

// SetUploadSigner enables file uploads: POST /v1/bulk/files hands out links
// signed by s, and GET serves the files of links s verifies. Without a
// signer uploads answer 501 and every link 403.
func (s *Server) SetUploadSigner(signer *upload.Signer) { s.uploads = signer }

// routeFiles registers the upload routes. The GET pattern spells out the
// blob key's shape (sha256/<4 hex>/<64 hex>, as blob.Store.Put makes it) so
// the OpenAPI path can name each segment.
func (s *Server) routeFiles() {
	s.route("POST /v1/bulk/files", s.serve(s.authenticated(s.uploadFile)))
	s.route("GET /v1/bulk/files/sha256/{prefix}/{digest}", s.serve(s.serveFile))
}

// uploadFile stores the body's bytes and answers a signed link to them.
// Storage is content-addressed, so uploading the same file twice stores it
// once (and a retried upload is harmless).
func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request) error {
	if s.uploads == nil || s.blobs == nil {
		return errorf(http.StatusNotImplemented, "file uploads are not enabled on this server: send URLs to POST /v1/bulk/multiupload")
	}
	limit := cmp.Or(s.cfg.MaxFileBytes, DefaultMaxFileBytes)
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errorf(http.StatusRequestEntityTooLarge, "the file is larger than %d bytes", limit)
	}
	if err != nil {
		return errorf(http.StatusBadRequest, "the body could not be read: send the file's bytes as the body")
	}
	if len(data) == 0 {
		return errorf(http.StatusBadRequest, "the body is empty: send the file's bytes as the body")
	}
	if fileType(data) == "" {
		return errorf(http.StatusUnsupportedMediaType, "the file is not a JPEG, PNG, WebP, TIFF, BMP or GIF image, nor a PDF")
	}
	key, err := s.blobs.Put(r.Context(), data)
	if err != nil {
		return err
	}
	expires := time.Now().Add(FileLinkLifetime).Truncate(time.Second).UTC()
	sum := sha256.Sum256(data)
	writeJSON(w, http.StatusCreated, FileUpload{
		FileURL:   s.baseURL(r) + upload.DefaultPathPrefix + key + "?" + s.uploads.Sign(key, expires),
		ExpiresAt: expires.Format(time.RFC3339),
		Size:      int64(len(data)),
		SHA256:    hex.EncodeToString(sum[:]),
	})
	return nil
}

// serveFile serves an uploaded file to whoever holds a valid link: the
// signature is the authority, as with a pre-signed S3 URL, so no token is
// asked for. The signature is checked before the store is read, so an
// unsigned request cannot probe which files exist.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) error {
	key := "sha256/" + r.PathValue("prefix") + "/" + r.PathValue("digest")
	q := r.URL.Query()
	if s.uploads == nil {
		return errorf(http.StatusForbidden, "the link's signature is invalid: use the file_url POST /v1/bulk/files answered, unaltered")
	}
	if err := s.uploads.Verify(key, q.Get("expires"), q.Get("signature"), time.Now()); err != nil {
		if errors.Is(err, upload.ErrExpired) {
			return errorf(http.StatusForbidden, "the link has expired: upload the file again for a fresh link")
		}
		return errorf(http.StatusForbidden, "the link's signature is invalid: use the file_url POST /v1/bulk/files answered, unaltered")
	}
	if s.blobs == nil {
		return errorf(http.StatusNotFound, "the file is no longer stored: upload it again")
	}
	data, err := s.blobs.Get(r.Context(), key)
	if errors.Is(err, blob.ErrNotFound) {
		return errorf(http.StatusNotFound, "the file is no longer stored: upload it again")
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", cmp.Or(fileType(data), "application/octet-stream"))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
	return nil
}

// fileType returns the MIME type of an image or PDF atlas reads, from its
// first bytes, or "" for anything else. The declared Content-Type is not
// trusted. http.DetectContentType knows all but TIFF.
func fileType(data []byte) string {
	if bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")) {
		return "image/tiff"
	}
	switch t := http.DetectContentType(data); t {
	case "image/jpeg", "image/png", "image/webp", "image/bmp", "image/gif", "application/pdf":
		return t
	}
	return ""
}
