package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

const flowColumns = `id, client_id, product_type, application_id, external_reference_id, callback_url, auth_url, flow_params,
	coalesce(cross_checks, ''), cross_checks_docs, coalesce(cross_checks_at, ''), created_at, coalesce(closed_at, '')`

func scanFlow(row interface{ Scan(...any) error }) (*Flow, error) {
	var f Flow
	var params, checks, checksAt, created, closed string
	err := row.Scan(&f.ID, &f.ClientID, &f.ProductType, &f.ApplicationID, &f.ExternalReferenceID, &f.CallbackURL, &f.AuthURL,
		&params, &checks, &f.CrossChecksDocs, &checksAt, &created, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan flow: %w", err)
	}
	f.Params = json.RawMessage(params)
	if checks != "" {
		f.CrossChecks = json.RawMessage(checks)
	}
	f.CrossChecksAt, f.CreatedAt, f.ClosedAt = parseTime(checksAt), parseTime(created), parseTime(closed)
	return &f, nil
}

// CreateFlow opens a flow. ErrConflict when the client has an open flow
// for the same application and external reference (OpenFlowFor finds it).
func (s *SQLite) CreateFlow(ctx context.Context, f *Flow) error {
	params := string(f.Params)
	if params == "" {
		params = "{}"
	}
	ts := now()
	_, err := s.w.ExecContext(ctx, `INSERT INTO flow (id, client_id, product_type, application_id, external_reference_id, callback_url, auth_url, flow_params, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, f.ClientID, f.ProductType, f.ApplicationID, f.ExternalReferenceID, f.CallbackURL, f.AuthURL, params, ts)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("create flow: %w", err)
	}
	f.CreatedAt = parseTime(ts)
	return nil
}

// GetFlow returns a client's flow; another client's is ErrNotFound.
func (s *SQLite) GetFlow(ctx context.Context, clientID, id string) (*Flow, error) {
	return scanFlow(s.w.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flow WHERE id = ? AND client_id = ?`, id, clientID))
}

// FlowByID returns a flow whoever's it is (for the workers).
func (s *SQLite) FlowByID(ctx context.Context, id string) (*Flow, error) {
	return scanFlow(s.w.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flow WHERE id = ?`, id))
}

// OpenFlowFor returns the client's open flow for an application and
// external reference.
func (s *SQLite) OpenFlowFor(ctx context.Context, clientID, applicationID, ref string) (*Flow, error) {
	return scanFlow(s.w.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flow
		WHERE client_id = ? AND application_id = ? AND external_reference_id = ? AND closed_at IS NULL`, clientID, applicationID, ref))
}

// CloseFlow closes a flow to further uploads; closing a closed flow
// changes nothing.
func (s *SQLite) CloseFlow(ctx context.Context, clientID, id string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE flow SET closed_at = coalesce(closed_at, ?) WHERE id = ? AND client_id = ?`, now(), id, clientID)
	if err != nil {
		return fmt.Errorf("close flow: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// flowDocumentsQuery lists a flow's documents in upload order: by batch,
// then by position in the batch.
const flowDocumentsQuery = `SELECT ` + documentColumns + ` FROM document
	WHERE batch_id IN (SELECT id FROM batch WHERE flow_id = ?)
	ORDER BY (SELECT rowid FROM batch WHERE batch.id = document.batch_id), seq`

// ListFlowDocuments returns every document uploaded to a flow, in upload
// order.
func (s *SQLite) ListFlowDocuments(ctx context.Context, flowID string) ([]Document, error) {
	return queryDocuments(ctx, s.w, flowDocumentsQuery, flowID)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryDocuments(ctx context.Context, q querier, query string, args ...any) ([]Document, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, *d)
	}
	return docs, rows.Err()
}

// FlowOfDocumentTx returns, within tx, the flow a document was uploaded
// to (nil for a bulk document) and how many of the flow's documents are
// not finished yet. The worker calls it in the transaction that stores
// the document's result, so exactly one finishing document sees zero.
func (s *SQLite) FlowOfDocumentTx(ctx context.Context, tx *sql.Tx, fileUUID string) (*Flow, int, error) {
	f, err := scanFlow(tx.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flow
		WHERE id = (SELECT b.flow_id FROM document d JOIN batch b ON b.id = d.batch_id WHERE d.file_uuid = ?)`, fileUUID))
	if errors.Is(err, ErrNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var unfinished int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM document WHERE batch_id IN (SELECT id FROM batch WHERE flow_id = ?) AND status IN (?, ?)`,
		f.ID, document.StatusQueued, document.StatusProcessing).Scan(&unfinished)
	if err != nil {
		return nil, 0, fmt.Errorf("count unfinished documents: %w", err)
	}
	return f, unfinished, nil
}

// GetDocumentTx returns a document within tx.
func (s *SQLite) GetDocumentTx(ctx context.Context, tx *sql.Tx, fileUUID string) (*Document, error) {
	return scanDocument(tx.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM document WHERE file_uuid = ?`, fileUUID))
}

// SaveCrossChecks stores a flow's cross-checks, computed over docs
// finished documents, and runs also (completing the job, inserting the
// callback) in the same transaction. A run over fewer documents than the
// stored one (two runs raced, the later finished first) is not saved, and
// saved is false; one over as many replaces it (a rerun after a
// reviewer's correction).
func (s *SQLite) SaveCrossChecks(ctx context.Context, flowID string, checks json.RawMessage, docs int, also func(ctx context.Context, tx *sql.Tx) error) (saved bool, err error) {
	err = inTx(ctx, s.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE flow SET cross_checks = ?, cross_checks_docs = ?, cross_checks_at = ?
			WHERE id = ? AND (cross_checks IS NULL OR cross_checks_docs <= ?)`, string(checks), docs, now(), flowID, docs)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
func (s *SQLite) InsertCallbackTx(ctx context.Context, tx *sql.Tx, c *Callback) error {
	ts := now()
	var file any
	if c.FileUUID != "" {
		file = c.FileUUID
	}
	c.Status = CallbackPending
	if _, err := tx.ExecContext(ctx, `INSERT INTO callback (id, client_id, flow_id, event, file_uuid, url, body, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.ClientID, c.FlowID, c.Event, file, c.URL, c.Body, c.Status, ts); err != nil {
		return fmt.Errorf("insert callback: %w", err)
	}
	c.CreatedAt = parseTime(ts)
	return nil
}

const callbackColumns = `c.id, c.client_id, c.flow_id, c.event, coalesce(c.file_uuid, ''), c.url, f.auth_url, c.body, c.status, c.attempts,
	c.created_at, coalesce(c.delivered_at, '')`

func scanCallback(row interface{ Scan(...any) error }) (*Callback, error) {
	var c Callback
	var created, delivered string
	err := row.Scan(&c.ID, &c.ClientID, &c.FlowID, &c.Event, &c.FileUUID, &c.URL, &c.AuthURL, &c.Body, &c.Status, &c.Attempts, &created, &delivered)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan callback: %w", err)
	}
	c.CreatedAt, c.DeliveredAt = parseTime(created), parseTime(delivered)
	return &c, nil
}

// GetCallback returns a callback by id.
func (s *SQLite) GetCallback(ctx context.Context, id string) (*Callback, error) {
	return scanCallback(s.w.QueryRowContext(ctx, `SELECT `+callbackColumns+` FROM callback c JOIN flow f ON f.id = c.flow_id WHERE c.id = ?`, id))
}

// RecordCallbackAttempt stores one delivery attempt and the callback's
// status after it (pending, delivered or failed). The attempt of a
// callback deleted meanwhile (with its flow) is not recorded, and that is
// no error: the delivery job must not fail because of the deletion.
func (s *SQLite) RecordCallbackAttempt(ctx context.Context, a CallbackAttempt, status string) error {
	err := inTx(ctx, s.w, func(tx *sql.Tx) error {
		at := a.At.UTC().Format(time.RFC3339Nano)
		if _, err := tx.ExecContext(ctx, `INSERT INTO callback_attempt (callback_id, attempt, at, status_code, error, duration_ms)
			SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM callback WHERE id = ?1)
			ON CONFLICT (callback_id, attempt) DO UPDATE SET at = excluded.at, status_code = excluded.status_code, error = excluded.error, duration_ms = excluded.duration_ms`,
			a.CallbackID, a.Attempt, at, a.StatusCode, a.Error, a.Duration.Milliseconds()); err != nil {
			return err
		}
		var delivered any
		if status == CallbackDelivered {
			delivered = at
		}
		_, err := tx.ExecContext(ctx, `UPDATE callback SET status = ?, attempts = max(attempts, ?), delivered_at = coalesce(delivered_at, ?) WHERE id = ?`,
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
func (s *SQLite) ListCallbacks(ctx context.Context, flowID string) ([]Callback, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+callbackColumns+` FROM callback c JOIN flow f ON f.id = c.flow_id
		WHERE c.flow_id = ? ORDER BY c.rowid`, flowID)
	if err != nil {
		return nil, fmt.Errorf("list callbacks: %w", err)
	}
	var out []Callback
	idx := map[string]int{}
	for rows.Next() {
		c, err := scanCallback(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[c.ID] = len(out)
		out = append(out, *c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	arows, err := s.r.QueryContext(ctx, `SELECT a.callback_id, a.attempt, a.at, a.status_code, a.error, a.duration_ms FROM callback_attempt a
		JOIN callback c ON c.id = a.callback_id WHERE c.flow_id = ? ORDER BY a.callback_id, a.attempt`, flowID)
	if err != nil {
		return nil, fmt.Errorf("list callback attempts: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var a CallbackAttempt
		var at string
		var ms int64
		if err := arows.Scan(&a.CallbackID, &a.Attempt, &at, &a.StatusCode, &a.Error, &ms); err != nil {
			return nil, err
		}
		a.At, a.Duration = parseTime(at), time.Duration(ms)*time.Millisecond
		if i, ok := idx[a.CallbackID]; ok {
			out[i].History = append(out[i].History, a)
		}
	}
	return out, arows.Err()
}

// CallbackSecret returns the key a client's callbacks are signed with,
// making it the first time it is asked for.
func (s *SQLite) CallbackSecret(ctx context.Context, clientID string) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	fresh := "whsec_" + base64.RawURLEncoding.EncodeToString(b)
	if _, err := s.w.ExecContext(ctx, `UPDATE client SET callback_secret = ? WHERE id = ? AND callback_secret = ''`, fresh, clientID); err != nil {
		return "", fmt.Errorf("make callback secret: %w", err)
	}
	var secret string
	err := s.w.QueryRowContext(ctx, `SELECT callback_secret FROM client WHERE id = ?`, clientID).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read callback secret: %w", err)
	}
	return secret, nil
}
