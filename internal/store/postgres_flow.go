package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atlas-oss/atlas/internal/document"
)

// flow_params and cross_checks are read as text: the bytes the client
// sent, not a re-encoding.
const pgFlowColumns = `id, client_id, product_type, application_id, external_reference_id, callback_url, auth_url, flow_params::text,
	coalesce(cross_checks::text, ''), cross_checks_docs, cross_checks_at, created_at, closed_at`

func scanPgFlow(row pgx.Row) (*Flow, error) {
	var f Flow
	var params, checks string
	var checksAt, closed *time.Time
	err := row.Scan(&f.ID, &f.ClientID, &f.ProductType, &f.ApplicationID, &f.ExternalReferenceID, &f.CallbackURL, &f.AuthURL,
		&params, &checks, &f.CrossChecksDocs, &checksAt, &f.CreatedAt, &closed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan flow: %w", err)
	}
	f.Params = json.RawMessage(params)
	if checks != "" {
		f.CrossChecks = json.RawMessage(checks)
	}
	f.CrossChecksAt, f.CreatedAt, f.ClosedAt = utc(checksAt), f.CreatedAt.UTC(), utc(closed)
	return &f, nil
}

// CreateFlow opens a flow. ErrConflict when the client has an open flow
// for the same application and external reference (OpenFlowFor finds it).
func (p *Postgres) CreateFlow(ctx context.Context, f *Flow) error {
	params := string(f.Params)
	if params == "" {
		params = "{}"
	}
	ts := pgNow()
	_, err := p.pool.Exec(ctx, `INSERT INTO flow (id, client_id, product_type, application_id, external_reference_id, callback_url, auth_url, flow_params, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::json, $9)`,
		f.ID, f.ClientID, f.ProductType, f.ApplicationID, f.ExternalReferenceID, f.CallbackURL, f.AuthURL, params, ts)
	if isPgUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("create flow: %w", err)
	}
	f.CreatedAt = ts
	return nil
}

// GetFlow returns a client's flow; another client's is ErrNotFound.
func (p *Postgres) GetFlow(ctx context.Context, clientID, id string) (*Flow, error) {
	return scanPgFlow(p.pool.QueryRow(ctx, `SELECT `+pgFlowColumns+` FROM flow WHERE id = $1 AND client_id = $2`, id, clientID))
}

// FlowByID returns a flow whoever's it is (for the workers).
func (p *Postgres) FlowByID(ctx context.Context, id string) (*Flow, error) {
	return scanPgFlow(p.pool.QueryRow(ctx, `SELECT `+pgFlowColumns+` FROM flow WHERE id = $1`, id))
}

// OpenFlowFor returns the client's open flow for an application and
// external reference.
func (p *Postgres) OpenFlowFor(ctx context.Context, clientID, applicationID, ref string) (*Flow, error) {
	return scanPgFlow(p.pool.QueryRow(ctx, `SELECT `+pgFlowColumns+` FROM flow
		WHERE client_id = $1 AND application_id = $2 AND external_reference_id = $3 AND closed_at IS NULL`, clientID, applicationID, ref))
}

// CloseFlow closes a flow to further uploads; closing a closed flow
// changes nothing. It waits for uploads to the flow under way (they hold
// the row FOR SHARE).
func (p *Postgres) CloseFlow(ctx context.Context, clientID, id string) error {
	tag, err := p.pool.Exec(ctx, `UPDATE flow SET closed_at = coalesce(closed_at, $1) WHERE id = $2 AND client_id = $3`, pgNow(), id, clientID)
	if err != nil {
		return fmt.Errorf("close flow: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ListFlowDocuments returns every document uploaded to a flow, in upload
// order: by batch, then by position in the batch.
func (p *Postgres) ListFlowDocuments(ctx context.Context, flowID string) ([]Document, error) {
	return queryPgDocuments(ctx, p.pool, `SELECT `+pgDocumentColumns+` FROM document
		WHERE batch_id IN (SELECT id FROM batch WHERE flow_id = $1)
		ORDER BY (SELECT n FROM batch WHERE batch.id = document.batch_id), seq`, flowID)
}

// FlowOfDocumentTx returns, within tx, the flow a document was uploaded
// to (nil for a bulk document) and how many of the flow's documents are
// not finished yet. The worker calls it in the transaction that stores
// the document's result. The flow row is locked before counting: two
// documents finishing at once take turns, and the second counts with the
// first's result committed, so exactly one of them sees zero.
func (p *Postgres) FlowOfDocumentTx(ctx context.Context, tx pgx.Tx, fileUUID string) (*Flow, int, error) {
	f, err := scanPgFlow(tx.QueryRow(ctx, `SELECT `+pgFlowColumns+` FROM flow
		WHERE id = (SELECT b.flow_id FROM document d JOIN batch b ON b.id = d.batch_id WHERE d.file_uuid = $1)
		FOR UPDATE`, fileUUID))
	if errors.Is(err, ErrNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	// A statement of its own: under READ COMMITTED it sees what committed
	// while this transaction waited for the lock.
	var unfinished int
	err = tx.QueryRow(ctx, `SELECT count(*) FROM document WHERE batch_id IN (SELECT id FROM batch WHERE flow_id = $1) AND status IN ($2, $3)`,
		f.ID, string(document.StatusQueued), string(document.StatusProcessing)).Scan(&unfinished)
	if err != nil {
		return nil, 0, fmt.Errorf("count unfinished documents: %w", err)
	}
	return f, unfinished, nil
}

// SaveCrossChecks stores a flow's cross-checks, computed over docs
// finished documents, and runs also (completing the job, inserting the
// callback) in the same transaction. A run over fewer documents than the
// stored one (two runs raced, the later finished first) is not saved, and
// saved is false; one over as many replaces it (a rerun after a
// reviewer's correction).
func (p *Postgres) SaveCrossChecks(ctx context.Context, flowID string, checks json.RawMessage, docs int, also func(ctx context.Context, tx pgx.Tx) error) (saved bool, err error) {
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		// The condition is evaluated again on the newest row once a
		// concurrent writer's lock is released, so the newer run wins.
		tag, err := tx.Exec(ctx, `UPDATE flow SET cross_checks = $1::text::json, cross_checks_docs = $2, cross_checks_at = $3
			WHERE id = $4 AND (cross_checks IS NULL OR cross_checks_docs <= $2)`, string(checks), docs, pgNow(), flowID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		saved = true
		if also != nil {
			return also(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("save cross-checks: %w", err)
	}
	return saved, nil
}

// InsertCallbackTx records a callback to deliver, within tx (the job that
// delivers it is inserted in the same transaction).
func (p *Postgres) InsertCallbackTx(ctx context.Context, tx pgx.Tx, c *Callback) error {
	ts := pgNow()
	var file any
	if c.FileUUID != "" {
		file = c.FileUUID
	}
	c.Status = CallbackPending
	if _, err := tx.Exec(ctx, `INSERT INTO callback (id, client_id, flow_id, event, file_uuid, url, body, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, c.ID, c.ClientID, c.FlowID, c.Event, file, c.URL, c.Body, c.Status, ts); err != nil {
		return fmt.Errorf("insert callback: %w", err)
	}
	c.CreatedAt = ts
	return nil
}

const pgCallbackColumns = `c.id, c.client_id, c.flow_id, c.event, coalesce(c.file_uuid, ''), c.url, f.auth_url, c.body, c.status, c.attempts,
	c.created_at, c.delivered_at`

func scanPgCallback(row pgx.Row) (*Callback, error) {
	var c Callback
	var delivered *time.Time
	err := row.Scan(&c.ID, &c.ClientID, &c.FlowID, &c.Event, &c.FileUUID, &c.URL, &c.AuthURL, &c.Body, &c.Status, &c.Attempts, &c.CreatedAt, &delivered)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan callback: %w", err)
	}
	c.CreatedAt, c.DeliveredAt = c.CreatedAt.UTC(), utc(delivered)
	return &c, nil
}

// GetCallback returns a callback by id.
func (p *Postgres) GetCallback(ctx context.Context, id string) (*Callback, error) {
	return scanPgCallback(p.pool.QueryRow(ctx, `SELECT `+pgCallbackColumns+` FROM callback c JOIN flow f ON f.id = c.flow_id WHERE c.id = $1`, id))
}

// RecordCallbackAttempt stores one delivery attempt and the callback's
// status after it (pending, delivered or failed). The attempt of a
// callback deleted meanwhile (with its flow) is not recorded, and that is
// no error: the delivery job must not fail because of the deletion.
func (p *Postgres) RecordCallbackAttempt(ctx context.Context, a CallbackAttempt, status string) error {
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		at := a.At.UTC().Truncate(time.Microsecond)
		// FOR KEY SHARE holds off a deletion of the callback until this
		// transaction ends, or finds it already gone.
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM callback WHERE id = $1 FOR KEY SHARE`, a.CallbackID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO callback_attempt (callback_id, attempt, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (callback_id, attempt) DO UPDATE SET at = excluded.at, status_code = excluded.status_code, error = excluded.error, duration_ms = excluded.duration_ms`,
			a.CallbackID, a.Attempt, at, a.StatusCode, a.Error, a.Duration.Milliseconds()); err != nil {
			return err
		}
		var delivered *time.Time
		if status == CallbackDelivered {
			delivered = &at
		}
		_, err = tx.Exec(ctx, `UPDATE callback SET status = $1, attempts = greatest(attempts, $2), delivered_at = coalesce(delivered_at, $3) WHERE id = $4`,
			status, a.Attempt, delivered, a.CallbackID)
		return err
	})
	if err != nil {
		return fmt.Errorf("record callback attempt: %w", err)
	}
	return nil
}

// ListCallbacks returns a flow's callbacks, oldest first, each with its
// attempts.
func (p *Postgres) ListCallbacks(ctx context.Context, flowID string) ([]Callback, error) {
	rows, err := p.pool.Query(ctx, `SELECT `+pgCallbackColumns+` FROM callback c JOIN flow f ON f.id = c.flow_id
		WHERE c.flow_id = $1 ORDER BY c.n`, flowID)
	if err != nil {
		return nil, fmt.Errorf("list callbacks: %w", err)
	}
	var out []Callback
	idx := map[string]int{}
	for rows.Next() {
		c, err := scanPgCallback(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[c.ID] = len(out)
		out = append(out, *c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list callbacks: %w", err)
	}
	arows, err := p.pool.Query(ctx, `SELECT a.callback_id, a.attempt, a.at, a.status_code, a.error, a.duration_ms FROM callback_attempt a
		JOIN callback c ON c.id = a.callback_id WHERE c.flow_id = $1 ORDER BY a.callback_id, a.attempt`, flowID)
	if err != nil {
		return nil, fmt.Errorf("list callback attempts: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var a CallbackAttempt
		var ms int64
		if err := arows.Scan(&a.CallbackID, &a.Attempt, &a.At, &a.StatusCode, &a.Error, &ms); err != nil {
			return nil, fmt.Errorf("list callback attempts: %w", err)
		}
		a.At, a.Duration = a.At.UTC(), time.Duration(ms)*time.Millisecond
		if i, ok := idx[a.CallbackID]; ok {
			out[i].History = append(out[i].History, a)
		}
	}
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("list callback attempts: %w", err)
	}
	return out, nil
}

// CallbackSecret returns the key a client's callbacks are signed with,
// making it the first time it is asked for. Two first calls at once agree:
// the second UPDATE waits for the first and then finds the secret set.
func (p *Postgres) CallbackSecret(ctx context.Context, clientID string) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	fresh := "whsec_" + base64.RawURLEncoding.EncodeToString(b)
	if _, err := p.pool.Exec(ctx, `UPDATE client SET callback_secret = $1 WHERE id = $2 AND callback_secret = ''`, fresh, clientID); err != nil {
		return "", fmt.Errorf("make callback secret: %w", err)
	}
	var secret string
	err := p.pool.QueryRow(ctx, `SELECT callback_secret FROM client WHERE id = $1`, clientID).Scan(&secret)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read callback secret: %w", err)
	}
	return secret, nil
}
