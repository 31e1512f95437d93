// Package queue runs documents through the pipeline on River, a durable
// job queue: one job per document, inserted in the transaction that
// creates the document, completed in the transaction that stores its
// result. It is generic over the database driver's transaction type so
// the same worker runs on SQLite and PostgreSQL.
package queue

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/atlas-oss/atlas/internal/document"
	"github.com/atlas-oss/atlas/internal/pipeline"
	"github.com/atlas-oss/atlas/internal/store"
)

// ProcessArgs is the job that reads one document.
type ProcessArgs struct {
	FileUUID string `json:"file_uuid"`
}

// Kind names the job in River's tables.
func (ProcessArgs) Kind() string { return "process_document" }

// MaxAttempts is how often a document's job runs before its document is
// failed for good. The fetcher retries transient failures within an
// attempt; the queue's retries cover longer outages.
const MaxAttempts = 3

// InsertOpts returns the options every document job is inserted with.
func InsertOpts() *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: MaxAttempts}
}

// Enqueuer returns the function that inserts new documents' jobs within
// the transaction that stores the documents.
func Enqueuer[TTx any](client *river.Client[TTx]) func(ctx context.Context, tx TTx, docs []store.Document) error {
	return func(ctx context.Context, tx TTx, docs []store.Document) error {
		params := make([]river.InsertManyParams, len(docs))
		for i, d := range docs {
			params[i] = river.InsertManyParams{Args: ProcessArgs{FileUUID: d.FileUUID}, InsertOpts: InsertOpts()}
		}
		if _, err := client.InsertManyFastTx(ctx, tx, params); err != nil {
			return fmt.Errorf("enqueue documents: %w", err)
		}
		return nil
	}
}

// Store is what the worker needs of the store, for transaction type TTx.
type Store[TTx any] interface {
	GetDocument(ctx context.Context, fileUUID string) (*store.Document, error)
	StartDocument(ctx context.Context, fileUUID string) error
	RequeueDocument(ctx context.Context, fileUUID string) error
	SetBlobKey(ctx context.Context, fileUUID, key string) error
	FinishDocument(ctx context.Context, fileUUID string, r store.Result, also func(ctx context.Context, tx TTx) error) error
}

// Runner reads one document.
type Runner interface {
	Run(ctx context.Context, in pipeline.Input) (pipeline.Outcome, error)
}

// Worker is River's worker for ProcessArgs.
type Worker[TDriver riverdriver.Driver[TTx], TTx any] struct {
	river.WorkerDefaults[ProcessArgs]
	Store  Store[TTx]
	Runner Runner
	Log    *slog.Logger
	// JobTimeout bounds one attempt at a document.
	JobTimeout time.Duration
	// RetryDelay is the wait before a document's second attempt; it grows
	// four-fold for each further one (default 30 s: an upstream outage
	// outlasts the fetcher's own quick retries).
	RetryDelay time.Duration
	// Finished, when set, is told each document's final status and type.
	Finished func(status document.Status, t document.Type, code document.ErrorCode)
	// AfterFinish, when set, runs in the transaction that stores a
	// document's result (a flow's callbacks and cross-checks start there,
	// so they are recorded exactly when the result is).
	AfterFinish func(ctx context.Context, tx TTx, fileUUID string) error
}

// Timeout tells River how long one attempt may take.
func (w *Worker[TDriver, TTx]) Timeout(*river.Job[ProcessArgs]) time.Duration { return w.JobTimeout }

// NextRetry tells River when to try a document again.
func (w *Worker[TDriver, TTx]) NextRetry(job *river.Job[ProcessArgs]) time.Time {
	d := cmp.Or(w.RetryDelay, 30*time.Second)
	for range max(job.Attempt-1, 0) {
		d *= 4
	}
	return time.Now().Add(d)
}

// Work reads the document and stores its result together with the job's
// completion. A document already finished (its result committed by an
// attempt whose process died before River heard of it) is not read again.
func (w *Worker[TDriver, TTx]) Work(ctx context.Context, job *river.Job[ProcessArgs]) (err error) {
	log := w.Log.With("file_uuid", job.Args.FileUUID, "attempt", job.Attempt)
	last := job.Attempt >= job.MaxAttempts
	defer func() {
		// A panic in a stage (a decoder, the OCR engine) must not leave the
		// document "processing" for ever: on the last attempt, fail it.
		if r := recover(); r != nil {
			log.Error("document_panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic reading document: %v", r)
			if last {
				err = w.finish(context.WithoutCancel(ctx), job, store.Result{Error: internalError()})
			}
		}
	}()

	doc, err := w.Store.GetDocument(ctx, job.Args.FileUUID)
	if errors.Is(err, store.ErrNotFound) {
		log.Warn("document_gone")
		return nil
	}
	if err != nil {
		return err
	}
	if doc.Status == document.StatusDone || doc.Status == document.StatusFailed {
		return nil // River completes the job when Work returns nil.
	}
	if err := w.Store.StartDocument(ctx, doc.FileUUID); err != nil {
		return err
	}
	out, err := w.Runner.Run(ctx, pipeline.Input{URL: doc.FileURL, BlobKey: doc.BlobKey})
	if out.BlobKey != "" && out.BlobKey != doc.BlobKey {
		if err := w.Store.SetBlobKey(ctx, doc.FileUUID, out.BlobKey); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		// Shutting down or timed out: whatever the stages made of a
		// cancelled read is not the document's fault. Try it again.
		return w.retry(ctx, doc.FileUUID, ctx.Err())
	}
	if err != nil {
		log.Warn("document_attempt_failed", "error", err)
		if !last {
			return w.retry(ctx, doc.FileUUID, err)
		}
		return w.finish(context.WithoutCancel(ctx), job, store.Result{Error: internalError()})
	}
	if out.Err != nil && out.Err.Retryable && !last {
		log.Info("document_retry", "code", out.Err.Code)
		return w.retry(ctx, doc.FileUUID, out.Err)
	}
	return w.finish(ctx, job, store.Result{FileData: out.FileData, Error: out.Err, RedactedKey: out.RedactedKey})
}

// retry shows the document as queued again and hands River the error, so
// it schedules the next attempt.
func (w *Worker[TDriver, TTx]) retry(ctx context.Context, fileUUID string, cause error) error {
	if err := w.Store.RequeueDocument(context.WithoutCancel(ctx), fileUUID); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

func internalError() *document.Error {
	return document.Errorf(document.CodeInternal, "atlas could not read this document after several attempts; it has been logged")
}

func (w *Worker[TDriver, TTx]) finish(ctx context.Context, job *river.Job[ProcessArgs], r store.Result) error {
	err := w.Store.FinishDocument(ctx, job.Args.FileUUID, r, func(ctx context.Context, tx TTx) error {
		if _, err := river.JobCompleteTx[TDriver](ctx, tx, job); err != nil {
			return err
		}
		if w.AfterFinish != nil {
			return w.AfterFinish(ctx, tx, job.Args.FileUUID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if w.Finished != nil {
		status, typ, code := document.StatusDone, document.Type(""), document.ErrorCode("")
		if r.Error != nil {
			status, code = document.StatusFailed, r.Error.Code
		} else {
			typ = r.FileData.Type
		}
		w.Finished(status, typ, code)
	}
	return nil
}
