// Package retention purges what atlas keeps once it is older than the
// configured age: bulk batches and flows with their documents, callbacks
// and the originals and redacted copies in the blob store. It runs as a
// River periodic job, so in a cluster only the elected leader schedules
// it.
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
)

// PurgeArgs is the job that purges everything older than the worker's
// MaxAge. It carries nothing: the age is the worker's configuration, so a
// job queued before a change of it applies the new one.
type PurgeArgs struct{}

// Kind names the job in River's tables.
func (PurgeArgs) Kind() string { return "purge_expired" }

// Limits of one purge.
const (
	// BatchSize is how many batches and flows one store call (one
	// transaction) deletes: small enough that the transaction holds the
	// database briefly, the SQLite writer above all.
	BatchSize = 100
	// Timeout bounds one purge job; one cut short continues at the next
	// run, where it stopped.
	Timeout = 30 * time.Minute
	// MaxAttempts is how often a failed purge is tried before the next
	// scheduled one takes over.
	MaxAttempts = 3
)

// Store is what the purge needs of the store.
type Store interface {
	// PurgeBefore deletes at most limit batches and flows created before
	// cutoff, returning how many went and the blob keys no remaining
	// document refers to.
	PurgeBefore(ctx context.Context, cutoff time.Time, limit int) (deleted int, orphans []string, err error)
}

// Blobs is what the purge needs of the blob store.
type Blobs interface {
	// Delete removes a blob; a missing one is no error.
	Delete(ctx context.Context, key string) error
}

// Periodic returns the periodic job that inserts a purge every interval,
// and once when the scheduler starts (a process restarting more often
// than interval would otherwise never purge).
func Periodic(interval time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) {
			return PurgeArgs{}, &river.InsertOpts{MaxAttempts: MaxAttempts}
		},
		&river.PeriodicJobOpts{ID: PurgeArgs{}.Kind(), RunOnStart: true})
}

// Worker is River's worker for PurgeArgs, for a driver with transaction
// type TTx.
type Worker[TDriver riverdriver.Driver[TTx], TTx any] struct {
	river.WorkerDefaults[PurgeArgs]
	Store Store
	Blobs Blobs
	// MaxAge is how long batches and flows are kept, counted from their
	// creation; zero or less keeps them for ever (the job does nothing).
	MaxAge time.Duration
	Log    *slog.Logger
	// Now is the clock (time.Now when nil), for tests.
	Now func() time.Time
}

// Stats is what one purge did: counts only, never what was deleted.
type Stats struct {
	// Deleted counts the batches and flows removed.
	Deleted int
	// Blobs counts the blobs removed from the blob store.
	Blobs int
	// BlobFailures counts the blobs that could not be removed: their
	// rows are gone, so they stay behind until removed by hand.
	BlobFailures int
}

// Timeout tells River how long one purge may take.
func (w *Worker[TDriver, TTx]) Timeout(*river.Job[PurgeArgs]) time.Duration { return Timeout }

// Work purges everything created more than MaxAge ago.
func (w *Worker[TDriver, TTx]) Work(ctx context.Context, job *river.Job[PurgeArgs]) error {
	_, err := w.Purge(ctx)
	return err
}

// Purge deletes, BatchSize at a time, every batch and flow created more
// than MaxAge ago, and after each step the blobs no document refers to
// any more. A blob that cannot be deleted is logged and counted, not
// fatal: its rows are already gone, and failing the job would not bring
// them back. It logs the counts, never what was deleted.
func (w *Worker[TDriver, TTx]) Purge(ctx context.Context) (Stats, error) {
	var st Stats
	if w.MaxAge <= 0 {
		return st, nil
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	cutoff := now().Add(-w.MaxAge)
	log := w.log()
	for {
		n, orphans, err := w.Store.PurgeBefore(ctx, cutoff, BatchSize)
		if err != nil {
			log.Error("purge_failed", "deleted", st.Deleted, "blobs_deleted", st.Blobs, "error", err)
			return st, fmt.Errorf("purge expired: %w", err)
		}
		st.Deleted += n
		for _, key := range orphans {
			// The rows are committed: finish deleting their blobs even
			// if the job's time is up.
			if err := w.Blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
				st.BlobFailures++
				log.Warn("purge_blob_delete_failed", "blob_key", key, "error", err)
				continue
			}
			st.Blobs++
		}
		if n < BatchSize {
			break
		}
		if err := ctx.Err(); err != nil {
			log.Warn("purge_interrupted", "deleted", st.Deleted, "blobs_deleted", st.Blobs)
			return st, fmt.Errorf("purge expired: %w", err)
		}
	}
	log.Info("purge_done", "max_age", w.MaxAge.String(), "deleted", st.Deleted, "blobs_deleted", st.Blobs, "blob_failures", st.BlobFailures)
	return st, nil
}

func (w *Worker[TDriver, TTx]) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}
