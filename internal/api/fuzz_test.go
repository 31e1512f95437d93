package api_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/api"
)

func FuzzDecodeMultiUpload(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"product_type":"P","file_urls":[{"file_url":"https://a.example/x","document_id":"1"}]}`,
		`{"product_type":"P","file_urls":[{"file_url":"https://a.example/x","document_id":"1"},{"file_url":"https://a.example/y","document_id":"1"}]}`,
		`{"product_type":1}`, `{"file_urls":[null]}`, `{"product_type":"P","file_urls":[{"file_url":"http://[::1]:80/%zz","document_id":"\u0000"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := api.DecodeMultiUpload(body, 100)
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Status != 400 || ae.Message == "" {
				t.Fatalf("error %v is not a 400 with a message", err)
			}
			return
		}
		// Whatever is accepted is complete and consistent.
		if req.ProductType == nil || strings.TrimSpace(*req.ProductType) == "" || len(req.FileURLs) == 0 || len(req.FileURLs) > 100 {
			t.Fatalf("accepted an incomplete request: %q", body)
		}
		ids := map[string]bool{}
		for _, f := range req.FileURLs {
			if f.FileURL == nil || f.DocumentID == nil || ids[*f.DocumentID] {
				t.Fatalf("accepted a bad entry: %q", body)
			}
			if !strings.HasPrefix(*f.FileURL, "http://") && !strings.HasPrefix(*f.FileURL, "https://") {
				t.Fatalf("accepted a non-http URL %q", *f.FileURL)
			}
			ids[*f.DocumentID] = true
		}
	})
}
