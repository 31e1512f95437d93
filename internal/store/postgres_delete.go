package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Deleting takes row locks in the order the workers take them, documents
// first and then the flow (FinishDocument updates its document, then
// FlowOfDocumentTx locks the flow), so a deletion waits for a finishing
// document instead of deadlocking with it. A deadlock the order cannot
// rule out (a document uploaded and finishing during the deletion) is
// retried.

// pgDeadlockRetries is how often a deletion that PostgreSQL chose as a
// deadlock's victim is tried again.
const pgDeadlockRetries = 3

// DeleteBatch deletes a client's bulk batch and its documents, returning
// how many documents went and the blob keys no remaining document refers
// to. A flow's batch, an unknown or another client's batch is ErrNotFound.
func (p *Postgres) DeleteBatch(ctx context.Context, clientID, batchID string) (deleted int, orphans []string, err error) {
	err = p.deleteTx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM batch WHERE id = $1 AND client_id = $2 AND flow_id IS NULL FOR UPDATE`, batchID, clientID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		deleted, orphans, _, err = pgPurge(ctx, tx, []string{batchID}, nil)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return 0, nil, err
	}
	if err != nil {
		return 0, nil, fmt.Errorf("delete batch: %w", err)
	}
	return deleted, orphans, nil
}

// DeleteFlow deletes a client's flow with its batches, documents,
// callbacks and attempts, returning how many documents went and the blob
// keys no remaining document refers to.
func (p *Postgres) DeleteFlow(ctx context.Context, clientID, flowID string) (deleted int, orphans []string, err error) {
	err = p.deleteTx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM flow WHERE id = $1 AND client_id = $2`, flowID, clientID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var flows []string
		deleted, orphans, flows, err = pgPurge(ctx, tx, nil, []string{flowID})
		if err == nil && len(flows) == 0 {
			return ErrNotFound // deleted by someone else meanwhile
		}
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return 0, nil, err
	}
	if err != nil {
		return 0, nil, fmt.Errorf("delete flow: %w", err)
	}
	return deleted, orphans, nil
}

// PurgeBefore deletes, oldest first, at most limit bulk batches and flows
// created before cutoff. deleted counts the batches and flows removed.
func (p *Postgres) PurgeBefore(ctx context.Context, cutoff time.Time, limit int) (deleted int, orphans []string, err error) {
	if limit <= 0 {
		return 0, nil, nil
	}
	err = p.deleteTx(ctx, func(tx pgx.Tx) error {
		// SKIP LOCKED: a batch being deleted by a client's call is left
		// to that call.
		batches, err := pgStrings(ctx, tx, `SELECT id FROM batch WHERE flow_id IS NULL AND created_at < $1
			ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`, cutoff, limit)
		if err != nil {
			return err
		}
		var flows []string
		if left := limit - len(batches); left > 0 {
			if flows, err = pgStrings(ctx, tx, `SELECT id FROM flow WHERE created_at < $1 ORDER BY created_at, id LIMIT $2`, cutoff, left); err != nil {
				return err
			}
		}
		_, orphans, flows, err = pgPurge(ctx, tx, batches, flows)
		deleted = len(batches) + len(flows)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("purge: %w", err)
	}
	return deleted, orphans, nil
}

// deleteTx runs fn in a transaction, again when PostgreSQL aborted it to
// break a deadlock.
func (p *Postgres) deleteTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for range pgDeadlockRetries {
		err = pgx.BeginFunc(ctx, p.pool, fn)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != pgDeadlockDetected {
			return err
		}
	}
	return err
}

// Deadlock detected, https://www.postgresql.org/docs/current/errcodes-appendix.html
const pgDeadlockDetected = "40P01"

// pgPurge deletes, within tx, the batches and the flows named (a flow
// with its batches, callbacks and attempts) and every document of them.
// It returns how many documents went, the blob keys of theirs that no
// remaining document refers to, and which of the flows it found (and
// deleted).
func pgPurge(ctx context.Context, tx pgx.Tx, batchIDs, flowIDs []string) (deleted int, orphans, flows []string, err error) {
	if batchIDs == nil {
		batchIDs = []string{}
	}
	if flowIDs == nil {
		flowIDs = []string{}
	}
	const ofBatchesAndFlows = `batch_id = ANY($1) OR batch_id IN (SELECT id FROM batch WHERE flow_id = ANY($2))`
	// Lock the documents, then the flows (the workers' order); then
	// read the flows' documents again, locking them too: a batch uploaded
	// while this waited for a flow's lock has committed by now.
	if _, err := pgStrings(ctx, tx, `SELECT file_uuid FROM document WHERE `+ofBatchesAndFlows+` ORDER BY file_uuid FOR UPDATE`, batchIDs, flowIDs); err != nil {
		return 0, nil, nil, fmt.Errorf("lock documents: %w", err)
	}
	if flows, err = pgStrings(ctx, tx, `SELECT id FROM flow WHERE id = ANY($1) ORDER BY id FOR UPDATE`, flowIDs); err != nil {
		return 0, nil, nil, fmt.Errorf("lock flows: %w", err)
	}
	if flows == nil {
		flows = []string{}
	}
	rows, err := tx.Query(ctx, `SELECT coalesce(blob_key, ''), coalesce(redacted_key, '') FROM document WHERE `+ofBatchesAndFlows+`
		ORDER BY file_uuid FOR UPDATE`, batchIDs, flows)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("list blob keys: %w", err)
	}
	var keys []string
	for rows.Next() {
		var blob, redacted string
		if err := rows.Scan(&blob, &redacted); err != nil {
			rows.Close()
			return 0, nil, nil, fmt.Errorf("list blob keys: %w", err)
		}
		keys = append(keys, blob, redacted)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, nil, fmt.Errorf("list blob keys: %w", err)
	}
	slices.Sort(keys)
	keys = slices.DeleteFunc(slices.Compact(keys), func(k string) bool { return k == "" })

	tag, err := tx.Exec(ctx, `DELETE FROM document WHERE `+ofBatchesAndFlows, batchIDs, flows)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("delete documents: %w", err)
	}
	for _, d := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM batch WHERE id = ANY($1) OR flow_id = ANY($2)`, []any{batchIDs, flows}},
		{`DELETE FROM callback_attempt WHERE callback_id IN (SELECT id FROM callback WHERE flow_id = ANY($1))`, []any{flows}},
		{`DELETE FROM callback WHERE flow_id = ANY($1)`, []any{flows}},
		{`DELETE FROM flow WHERE id = ANY($1)`, []any{flows}},
	} {
		if _, err := tx.Exec(ctx, d.query, d.args...); err != nil {
			return 0, nil, nil, fmt.Errorf("delete: %w", err)
		}
	}
	if len(keys) > 0 {
		orphans, err = pgStrings(ctx, tx, `SELECT k FROM unnest($1::text[]) AS k
			WHERE NOT EXISTS (SELECT 1 FROM document WHERE blob_key = k)
			AND NOT EXISTS (SELECT 1 FROM document WHERE redacted_key = k)
			ORDER BY k`, keys)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("find unreferenced blobs: %w", err)
		}
	}
	return int(tag.RowsAffected()), orphans, flows, nil
}

// pgStrings returns the single text column of query's rows.
func pgStrings(ctx context.Context, tx pgx.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	return out, nil
}
