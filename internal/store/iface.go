package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// Store is everything atlas keeps, for a database whose transactions are
// TTx (*sql.Tx for SQLite, pgx.Tx for PostgreSQL). SQLite and Postgres
// implement it and pass one conformance suite (package storetest). Methods
// ending in Tx run inside a transaction the caller holds; "also"
// callbacks run inside the store's own, so a job can be completed or
// inserted together with the row it concerns.
type Store[TTx any] interface {
	Ping(ctx context.Context) error
	Close() error
	Migrate(ctx context.Context) error
	MigrateDown(ctx context.Context) error
	// InTx runs fn in a transaction, committed when fn returns nil.
	InTx(ctx context.Context, fn func(ctx context.Context, tx TTx) error) error
	// SetEnqueue sets what inserts the jobs of new documents, inside the
	// transaction that creates them (set by the composition root).
	SetEnqueue(fn func(ctx context.Context, tx TTx, docs []Document) error)

	CreateClient(ctx context.Context, c Client) error
	UpsertClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, id string) (*Client, error)
	CallbackSecret(ctx context.Context, clientID string) (string, error)

	CreateBatch(ctx context.Context, b *Batch, docs []Document) error
	GetBatch(ctx context.Context, clientID, batchID string) (*Batch, error)
	BatchByIdempotencyKey(ctx context.Context, clientID, key string) (*Batch, error)

	ListDocuments(ctx context.Context, batchID string, offset, limit int) ([]Document, error)
	GetDocument(ctx context.Context, fileUUID string) (*Document, error)
	GetDocumentTx(ctx context.Context, tx TTx, fileUUID string) (*Document, error)
	StartDocument(ctx context.Context, fileUUID string) error
	RequeueDocument(ctx context.Context, fileUUID string) error
	RequeueAllProcessing(ctx context.Context) (int, error)
	SetBlobKey(ctx context.Context, fileUUID, key string) error
	FinishDocument(ctx context.Context, fileUUID string, r Result, also func(ctx context.Context, tx TTx) error) error
	CountByStatus(ctx context.Context, statuses ...document.Status) (map[document.Status]int, error)
	// SaveCorrection stores a reviewer's value for a field of the client's
	// document (ErrNotFound for another client's or an unknown one);
	// GetDocument and the listings return it in Document.Corrections.
	SaveCorrection(ctx context.Context, clientID, fileUUID string, c Correction) error

	CreateFlow(ctx context.Context, f *Flow) error
	GetFlow(ctx context.Context, clientID, id string) (*Flow, error)
	FlowByID(ctx context.Context, id string) (*Flow, error)
	OpenFlowFor(ctx context.Context, clientID, applicationID, ref string) (*Flow, error)
	CloseFlow(ctx context.Context, clientID, id string) error
	ListFlowDocuments(ctx context.Context, flowID string) ([]Document, error)
	FlowOfDocumentTx(ctx context.Context, tx TTx, fileUUID string) (*Flow, int, error)
	SaveCrossChecks(ctx context.Context, flowID string, checks json.RawMessage, docs int, also func(ctx context.Context, tx TTx) error) (bool, error)

	InsertCallbackTx(ctx context.Context, tx TTx, c *Callback) error
	GetCallback(ctx context.Context, id string) (*Callback, error)
	RecordCallbackAttempt(ctx context.Context, a CallbackAttempt, status string) error
	ListCallbacks(ctx context.Context, flowID string) ([]Callback, error)

	// Deletion and retention. Each call commits one transaction and
	// returns the blob keys (originals and redacted copies) that no
	// remaining document refers to: blobs are content-addressed and
	// shared, so only these may be deleted from the blob store, after
	// the commit. Jobs of deleted documents and callbacks find them gone
	// and end quietly.

	// DeleteBatch deletes a client's bulk batch and its documents, and
	// returns how many documents went. A flow's batch goes only with its
	// flow: like an unknown or another client's batch, it is ErrNotFound.
	DeleteBatch(ctx context.Context, clientID, batchID string) (deleted int, orphans []string, err error)
	// DeleteFlow deletes a client's flow, open or closed, with its
	// batches, documents, callbacks and their attempts, and returns how
	// many documents went; ErrNotFound for an unknown or another
	// client's flow.
	DeleteFlow(ctx context.Context, clientID, flowID string) (deleted int, orphans []string, err error)
	// PurgeBefore deletes, oldest first, at most limit bulk batches and
	// flows (together) created before cutoff, whole, whoever's they are.
	// deleted counts the batches and flows removed, not documents: fewer
	// than limit means none older than cutoff is left.
	PurgeBefore(ctx context.Context, cutoff time.Time, limit int) (deleted int, orphans []string, err error)
}
