package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// A correction through the client comes back as extracts will serve it,
// reviewed; an unknown field and another's document are API errors.
func TestCorrect(t *testing.T) {
	s := newServer(t)
	c := s.client()
	ctx := context.Background()
	up, err := c.Multiupload(ctx, MultiuploadRequest{ProductType: "P", Files: []Entry{{FileURL: "https://files.example.com/a.png", DocumentID: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := up.Entries[0].FileUUID
	s.finish(id, 1, false)

	d, err := c.Correct(ctx, id, "name", "PERSON ONE")
	if err != nil {
		t.Fatal(err)
	}
	if f := d.FileData["name"]; f.Value != "PERSON ONE" || !f.Reviewed || f.Confidence != 1 {
		t.Errorf("corrected field %+v, want the new value, reviewed, confidence 1", f)
	}
	all, err := c.AllDocuments(ctx, up.BatchID)
	if err != nil || len(all) != 1 || !all[0].FileData["name"].Reviewed {
		t.Errorf("extracts after the correction: %+v, %v", all, err)
	}
	var ae *APIError
	if _, err := c.Correct(ctx, id, "not_a_field", "x"); !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
		t.Errorf("unknown field: %v, want a 400 APIError", err)
	}
	if _, err := c.Correct(ctx, "01a20958-0000-7000-8000-000000000000", "name", "x"); !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Errorf("unknown document: %v, want a 404 APIError", err)
	}
	// A PAN has no redacted copy.
	if _, _, err := c.Redacted(ctx, id); !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Errorf("redacted copy of a PAN: %v, want a 404 APIError", err)
	}
}
