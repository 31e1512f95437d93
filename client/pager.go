package client

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
)

// PerPage is the page size the pagers ask for: the most the server gives.
const PerPage = 50

// ExtractsPages walks every page of a batch's extracts, in order. It
// cannot stop early without saying so: the walk ends with an error wrapping
// ErrIncomplete if total_items changes between pages, a page other than the
// last is short, a document comes twice, or the documents seen do not add
// up to total_items. Each page is checked before it is yielded. A failed
// request (after the client's retries) is yielded as the error and ends the
// walk.
func (c *Client) ExtractsPages(ctx context.Context, batchID string) iter.Seq2[*ExtractsPage, error] {
	return func(yield func(*ExtractsPage, error) bool) {
		w := walk{batchID: batchID, total: -1, seen: map[string]bool{}}
		for page := 1; ; page++ {
			p, err := c.Extracts(ctx, batchID, page, PerPage)
			if err == nil {
				err = w.check(page, p)
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p, nil) || w.done {
				return
			}
		}
	}
}

// walk is the state of one ExtractsPages walk.
type walk struct {
	batchID string
	total   int
	seen    map[string]bool
	done    bool
}

// check verifies page number page of the walk, and notes its documents.
func (w *walk) check(page int, p *ExtractsPage) error {
	if w.total < 0 {
		w.total = p.TotalItems
	}
	if p.TotalItems != w.total {
		return fmt.Errorf("%w: batch %s had %d documents at the start and %d at page %d", ErrIncomplete, w.batchID, w.total, p.TotalItems, page)
	}
	for _, d := range p.Data {
		if w.seen[d.FileUUID] {
			return fmt.Errorf("%w: batch %s: document %s came twice (page %d)", ErrIncomplete, w.batchID, d.FileUUID, page)
		}
		w.seen[d.FileUUID] = true
	}
	last := page >= p.TotalPages
	switch {
	case !last && (len(p.Data) == 0 || len(p.Data) != p.PerPage):
		return fmt.Errorf("%w: batch %s: page %d of %d has %d documents, want %d", ErrIncomplete, w.batchID, page, p.TotalPages, len(p.Data), p.PerPage)
	case last && len(w.seen) != w.total:
		return fmt.Errorf("%w: batch %s: saw %d of its %d documents", ErrIncomplete, w.batchID, len(w.seen), w.total)
	}
	w.done = last
	return nil
}

// Documents walks every document of a batch, in upload order, page by page
// as ExtractsPages does, with the same guarantee: the sequence either holds
// every document once or ends with an error.
func (c *Client) Documents(ctx context.Context, batchID string) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		for p, err := range c.ExtractsPages(ctx, batchID) {
			if err != nil {
				yield(Document{}, err)
				return
			}
			for _, d := range p.Data {
				if !yield(d, nil) {
					return
				}
			}
		}
	}
}

// AllDocuments returns every document of a batch (see Documents).
func (c *Client) AllDocuments(ctx context.Context, batchID string) ([]Document, error) {
	var out []Document
	for d, err := range c.Documents(ctx, batchID) {
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// BatchSummary counts a batch's documents by status.
type BatchSummary struct {
	Total, Queued, Processing, Done, Failed int
}

// Finished reports whether every document is done or failed.
func (s BatchSummary) Finished() bool { return s.Done+s.Failed == s.Total }

// Summary walks a batch (one request per 50 documents) and counts its
// documents by status.
func (c *Client) Summary(ctx context.Context, batchID string) (*BatchSummary, error) {
	var s BatchSummary
	for d, err := range c.Documents(ctx, batchID) {
		if err != nil {
			return nil, err
		}
		s.Total++
		switch d.Status {
		case StatusQueued:
			s.Queued++
		case StatusProcessing:
			s.Processing++
		case StatusDone:
			s.Done++
		case StatusFailed:
			s.Failed++
		}
	}
	return &s, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
