package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// DeleteBatch deletes a client's bulk batch and its documents, returning
// how many documents went and the blob keys no remaining document refers
// to. A flow's batch, an unknown or another client's batch is ErrNotFound.
func (s *SQLite) DeleteBatch(ctx context.Context, clientID, batchID string) (deleted int, orphans []string, err error) {
	err = inTx(ctx, s.w, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM batch WHERE id = ? AND client_id = ? AND flow_id IS NULL`, batchID, clientID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		deleted, orphans, err = sqlitePurge(ctx, tx, []string{batchID}, nil)
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
func (s *SQLite) DeleteFlow(ctx context.Context, clientID, flowID string) (deleted int, orphans []string, err error) {
	err = inTx(ctx, s.w, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM flow WHERE id = ? AND client_id = ?`, flowID, clientID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		deleted, orphans, err = sqlitePurge(ctx, tx, nil, []string{flowID})
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
func (s *SQLite) PurgeBefore(ctx context.Context, cutoff time.Time, limit int) (deleted int, orphans []string, err error) {
	if limit <= 0 {
		return 0, nil, nil
	}
	// created_at is RFC 3339 text whose fraction has no fixed width, so
	// it is compared as a time, not as a string.
	at := cutoff.UTC().Format(time.RFC3339Nano)
	err = inTx(ctx, s.w, func(tx *sql.Tx) error {
		batches, err := queryStrings(ctx, tx, `SELECT id FROM batch WHERE flow_id IS NULL AND julianday(created_at) < julianday(?)
			ORDER BY created_at, id LIMIT ?`, at, limit)
		if err != nil {
			return err
		}
		var flows []string
		if left := limit - len(batches); left > 0 {
			if flows, err = queryStrings(ctx, tx, `SELECT id FROM flow WHERE julianday(created_at) < julianday(?)
				ORDER BY created_at, id LIMIT ?`, at, left); err != nil {
				return err
			}
		}
		if _, orphans, err = sqlitePurge(ctx, tx, batches, flows); err != nil {
			return err
		}
		deleted = len(batches) + len(flows)
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("purge: %w", err)
	}
	return deleted, orphans, nil
}

// sqlitePurge deletes, within tx, the batches and the flows named (a
// flow with its batches, callbacks and attempts) and every document of
// them. It returns how many documents went and the blob keys of theirs
// that no remaining document refers to. Ids are passed as one JSON array
// each, so any number fits in one statement.
func sqlitePurge(ctx context.Context, tx *sql.Tx, batchIDs, flowIDs []string) (deleted int, orphans []string, err error) {
	flows, err := jsonArray(flowIDs)
	if err != nil {
		return 0, nil, err
	}
	flowBatches, err := queryStrings(ctx, tx, `SELECT id FROM batch WHERE flow_id IN (SELECT value FROM json_each(?))`, flows)
	if err != nil {
		return 0, nil, fmt.Errorf("list flow batches: %w", err)
	}
	batches, err := jsonArray(slices.Concat(batchIDs, flowBatches))
	if err != nil {
		return 0, nil, err
	}
	keys, err := queryStrings(ctx, tx, `SELECT k FROM (
			SELECT blob_key AS k FROM document WHERE batch_id IN (SELECT value FROM json_each(?1))
			UNION SELECT redacted_key FROM document WHERE batch_id IN (SELECT value FROM json_each(?1))
		) WHERE k IS NOT NULL AND k <> '' ORDER BY k`, batches)
	if err != nil {
		return 0, nil, fmt.Errorf("list blob keys: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM document WHERE batch_id IN (SELECT value FROM json_each(?))`, batches)
	if err != nil {
		return 0, nil, fmt.Errorf("delete documents: %w", err)
	}
	n, _ := res.RowsAffected()
	for _, d := range []struct{ query, ids string }{
		{`DELETE FROM batch WHERE id IN (SELECT value FROM json_each(?))`, batches},
		{`DELETE FROM callback_attempt WHERE callback_id IN (SELECT id FROM callback WHERE flow_id IN (SELECT value FROM json_each(?)))`, flows},
		{`DELETE FROM callback WHERE flow_id IN (SELECT value FROM json_each(?))`, flows},
		{`DELETE FROM flow WHERE id IN (SELECT value FROM json_each(?))`, flows},
	} {
		if _, err := tx.ExecContext(ctx, d.query, d.ids); err != nil {
			return 0, nil, fmt.Errorf("delete: %w", err)
		}
	}
	if len(keys) == 0 {
		return int(n), nil, nil
	}
	k, err := jsonArray(keys)
	if err != nil {
		return 0, nil, err
	}
	// One pass over the remaining documents for all keys (there is no
	// index on the key columns to look each one up).
	orphans, err = queryStrings(ctx, tx, `SELECT value FROM json_each(?)
		WHERE value NOT IN (SELECT blob_key FROM document WHERE blob_key IS NOT NULL)
		AND value NOT IN (SELECT redacted_key FROM document WHERE redacted_key IS NOT NULL)
		ORDER BY value`, k)
	if err != nil {
		return 0, nil, fmt.Errorf("find unreferenced blobs: %w", err)
	}
	return int(n), orphans, nil
}

// jsonArray encodes ids for json_each; nil is the empty array.
func jsonArray(ids []string) (string, error) {
	if ids == nil {
		ids = []string{}
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return "", fmt.Errorf("encode ids: %w", err)
	}
	return string(b), nil
}

// queryStrings returns the single text column of query's rows.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
