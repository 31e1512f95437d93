package review_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/atlas-oss/atlas/internal/auth"
	"github.com/atlas-oss/atlas/internal/blob"
	"github.com/atlas-oss/atlas/internal/docgen"
	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/review"
	"github.com/atlas-oss/atlas/internal/store"
)

const secretA, secretB = "secret-a-0123456789", "secret-b-0123456789"

var sessionKey = []byte(strings.Repeat("k", 32))

// fixture is a real SQLite store and blob directory holding, for each of
// client-a and client-b, one bulk batch with a finished PAN card whose
// fields carry boxes.
type fixture struct {
	st    *store.SQLite
	blobs *blob.Store
	// batch and doc (file uuid) of each client, by client id.
	batch, doc map[string]string
	// sample is client-a's card.
	sample *docgen.Sample
}

// cards are the two clients' PAN cards, rendered once (rendering is slow
// under -race).
var cards = sync.OnceValues(func() ([]*docgen.Sample, error) {
	var out []*docgen.Sample
	for seed := range int64(2) {
		s, err := docgen.Generate(7+seed, document.TypePAN, docgen.Clean)
		if err != nil {
			return nil, fmt.Errorf("generate card: %w", err)
		}
		out = append(out, s)
	}
	return out, nil
})

func card(i int) (*docgen.Sample, error) {
	cs, err := cards()
	if err != nil {
		return nil, err
	}
	return cs[i], nil
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	bs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bs.Close() })
	f := &fixture{st: st, blobs: bs, batch: map[string]string{}, doc: map[string]string{}}
	for i, c := range []struct{ id, secret string }{{"client-a", secretA}, {"client-b", secretB}} {
		if err := st.CreateClient(ctx, store.Client{ID: c.id, Name: c.id, SecretHash: auth.HashSecret(c.secret)}); err != nil {
			t.Fatal(err)
		}
		s, err := card(i)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.sample = s
		}
		f.batch[c.id] = "batch-" + c.id
		f.doc[c.id] = f.addBatch(t, c.id, f.batch[c.id], s.Data, panData(t, s), 1)[0]
	}
	return f
}

// addBatch creates a bulk batch of n documents of clientID, all with the
// original data and finished with fd (when not nil), and returns their
// file uuids.
func (f *fixture) addBatch(t *testing.T, clientID, batchID string, data []byte, fd *document.FileData, n int) []string {
	t.Helper()
	ctx := context.Background()
	docs := make([]store.Document, n)
	for i := range docs {
		docs[i] = store.Document{FileUUID: fmt.Sprintf("%s-doc-%03d", batchID, i+1), DocumentID: fmt.Sprint(i + 1), FileURL: "https://files.example.com/card.png"}
	}
	if err := f.st.CreateBatch(ctx, &store.Batch{ID: batchID, ClientID: clientID, ProductType: "PFL_CDL"}, docs); err != nil {
		t.Fatal(err)
	}
	key, err := f.blobs.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for _, d := range docs {
		if err := f.st.SetBlobKey(ctx, d.FileUUID, key); err != nil {
			t.Fatal(err)
		}
		if fd != nil {
			if err := f.st.FinishDocument(ctx, d.FileUUID, store.Result{FileData: fd}, nil); err != nil {
				t.Fatal(err)
			}
		}
		uuids = append(uuids, d.FileUUID)
	}
	return uuids
}

// panData is what a reader might have made of a generated PAN card: its
// true fields, each with the box of its ink on the card (found where the
// layout prints it, so boxes exist without OCR), every other one under
// the low-confidence mark, the PAN number validated, and the father's
// name misread (for a reviewer to correct).
func panData(t *testing.T, s *docgen.Sample) *document.FileData {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(s.Data))
	if err != nil {
		t.Fatalf("decode generated card: %v", err)
	}
	// Where each layout prints the fields (docgen/pan.go): x from, x to,
	// baseline, font size.
	where := map[string][4]int{
		"pan_number": {150, 860, 218, 36}, "name_as_per_pan": {250, 780, 304, 30},
		"father_name": {250, 780, 380, 30}, "dob": {250, 780, 456, 30},
	}
	if s.Layout == "pan-old" {
		where = map[string][4]int{
			"name_as_per_pan": {50, 760, 190, 30}, "father_name": {50, 760, 245, 30},
			"dob": {50, 760, 300, 30}, "pan_number": {50, 760, 415, 38},
		}
	}
	fd := document.NewFileData(document.TypePAN)
	for i, name := range fieldNames(s) {
		w := where[name]
		fl := document.Field{
			Value:      s.Truth[name],
			Confidence: []float64{0.97, 0.62}[i%2],
			Box:        inkBox(img, w[0], w[1], w[2], w[3]),
			Page:       1,
		}
		switch name {
		case "pan_number":
			fl.Validation = &document.Validation{Passed: true, Rule: "pan_format"}
		case "father_name":
			fl.Value = misread(s.Truth[name])
		}
		fd.Set(name, fl)
	}
	return fd
}

// misread returns v with one letter read as a digit, as OCR does.
func misread(v string) string {
	for _, r := range []struct{ from, to string }{{"I", "1"}, {"O", "0"}, {"S", "5"}, {"A", "4"}} {
		if strings.Contains(v, r.from) {
			return strings.Replace(v, r.from, r.to, 1)
		}
	}
	return v + "1"
}

// inkBox returns the box of the dark pixels of the text line with the
// given baseline and font size between x0 and x1, with a margin.
func inkBox(img image.Image, x0, x1, baseline, size int) image.Rectangle {
	var box image.Rectangle
	for y := baseline - size; y <= baseline+size/3; y++ {
		for x := x0; x < x1; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 < 70 && g>>8 < 70 && b>>8 < 90 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		return image.Rect(x0, baseline-size, x1, baseline+size/3)
	}
	return box.Inset(-4).Intersect(img.Bounds())
}

// fieldNames returns the sample's fields in the order panData sets them.
func fieldNames(s *docgen.Sample) []string {
	var names []string
	for k := range s.Truth {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// newHandler returns the review handler over the fixture, with corr as
// the corrector.
func newHandler(t *testing.T, f *fixture, corr review.Corrector) *review.Handler {
	t.Helper()
	h, err := review.New(f.st, f.blobs, corr, sessionKey, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return h
}
