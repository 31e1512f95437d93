package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/atlas-oss/atlas/internal/document"
)

//go:embed migration/sqlite/*.sql
var sqliteMigrations embed.FS

// SQLite is the embedded store. It keeps two pools on one database file:
// one writer connection, shared with the job queue so that a batch and its
// jobs commit together (SQLite allows one writer at a time anyway), and a
// pool of readers that WAL lets run beside the writer.
type SQLite struct {
	w *sql.DB
	r *sql.DB
	// Enqueue inserts the jobs for new documents inside the transaction
	// that creates them. Set by the composition root.
	Enqueue func(ctx context.Context, tx *sql.Tx, docs []Document) error
}

// OpenSQLite opens (creating if needed) the database at path.
func OpenSQLite(path string) (*SQLite, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	q.Set("_txlock", "deferred")
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	r.SetMaxOpenConns(4)
	return &SQLite{w: w, r: r}, nil
}

// Writer returns the single-connection pool that every write goes through;
// the job queue's driver uses it too.
func (s *SQLite) Writer() *sql.DB { return s.w }

// Close closes both pools.
func (s *SQLite) Close() error { return errors.Join(s.r.Close(), s.w.Close()) }

// Ping checks that the database answers.
func (s *SQLite) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Migrate applies the embedded migrations not yet applied.
func (s *SQLite) Migrate(ctx context.Context) error {
	return migrateUp(ctx, s.w, sqliteMigrations, "migration/sqlite")
}

// MigrateDown reverts every migration (for the round-trip test and
// `atlas migrate down`).
func (s *SQLite) MigrateDown(ctx context.Context) error {
	return migrateDown(ctx, s.w, sqliteMigrations, "migration/sqlite")
}

type migration struct {
	version  int
	up, down string
}

func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	byVersion := map[int]*migration{}
	for _, e := range ents {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad version", name)
		}
		body, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		m := byVersion[v]
		if m == nil {
			m = &migration{version: v}
			byVersion[v] = m
		}
		switch {
		case strings.HasSuffix(name, ".up.sql"):
			m.up = string(body)
		case strings.HasSuffix(name, ".down.sql"):
			m.down = string(body)
		}
	}
	var ms []migration
	for _, m := range byVersion {
		ms = append(ms, *m)
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	return ms, nil
}

func migrateUp(ctx context.Context, db *sql.DB, fsys fs.FS, dir string) error {
	ms, err := loadMigrations(fsys, dir)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS atlas_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migration table: %w", err)
	}
	for _, m := range ms {
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM atlas_migration WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.up); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO atlas_migration (version, applied_at) VALUES (?, ?)`, m.version, now())
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %d: %w", m.version, err)
		}
	}
	return nil
}

func migrateDown(ctx context.Context, db *sql.DB, fsys fs.FS, dir string) error {
	ms, err := loadMigrations(fsys, dir)
	if err != nil {
		return err
	}
	slices.Reverse(ms)
	for _, m := range ms {
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM atlas_migration WHERE version = ?`, m.version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			_, err = tx.ExecContext(ctx, m.down)
			return err
		})
		if err != nil {
			return fmt.Errorf("revert migration %d: %w", m.version, err)
		}
	}
	return nil
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// CreateClient adds an API client; ErrConflict if the id is taken.
func (s *SQLite) CreateClient(ctx context.Context, c Client) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO client (id, name, secret_hash, aadhaar_last4_only, created_at) VALUES (?, ?, ?, ?, ?)`,
		c.ID, c.Name, c.SecretHash, c.AadhaarLast4Only, now())
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("insert client: %w", err)
	}
	return nil
}

// UpsertClient creates the client or replaces its name and secret hash
// (for the development client given at start-up).
func (s *SQLite) UpsertClient(ctx context.Context, c Client) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO client (id, name, secret_hash, aadhaar_last4_only, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, secret_hash = excluded.secret_hash, aadhaar_last4_only = excluded.aadhaar_last4_only`,
		c.ID, c.Name, c.SecretHash, c.AadhaarLast4Only, now())
	if err != nil {
		return fmt.Errorf("upsert client: %w", err)
	}
	return nil
}

// GetClient returns a client by id.
func (s *SQLite) GetClient(ctx context.Context, id string) (*Client, error) {
	var c Client
	var created string
	err := s.r.QueryRowContext(ctx, `SELECT id, name, secret_hash, aadhaar_last4_only, created_at FROM client WHERE id = ?`, id).
		Scan(&c.ID, &c.Name, &c.SecretHash, &c.AadhaarLast4Only, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get client: %w", err)
	}
	c.CreatedAt = parseTime(created)
	return &c, nil
}

// CreateBatch writes a batch, its documents and (through Enqueue) their
// jobs in one transaction. ErrConflict if the batch id or the client's
// idempotency key is taken.
func (s *SQLite) CreateBatch(ctx context.Context, b *Batch, docs []Document) error {
	err := inTx(ctx, s.w, func(tx *sql.Tx) error {
		ts := now()
		var key any
		if b.IdempotencyKey != "" {
			key = b.IdempotencyKey
		}
		var flow any
		if b.FlowID != "" {
			// Checked in the transaction that adds the documents, so a
			// flow closed a moment ago refuses them.
			var closed sql.NullString
			err := tx.QueryRowContext(ctx, `SELECT closed_at FROM flow WHERE id = ? AND client_id = ?`, b.FlowID, b.ClientID).Scan(&closed)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			if closed.Valid {
				return ErrFlowClosed
			}
			flow = b.FlowID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO batch (id, client_id, product_type, document_count, idempotency_key, request_hash, flow_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.ClientID, b.ProductType, len(docs), key, b.RequestHash, flow, ts); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO document (file_uuid, batch_id, seq, document_id, file_url, submission_mode, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range docs {
			d := &docs[i]
			d.BatchID, d.Seq, d.Status = b.ID, i+1, document.StatusQueued
			var mode any
			if d.SubmissionMode != "" {
				mode = d.SubmissionMode
			}
			if _, err := stmt.ExecContext(ctx, d.FileUUID, b.ID, d.Seq, d.DocumentID, d.FileURL, mode, d.Status, ts, ts); err != nil {
				return err
			}
		}
		if s.Enqueue != nil {
			return s.Enqueue(ctx, tx, docs)
		}
		return nil
	})
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrFlowClosed) {
		return err
	}
	if err != nil {
		return fmt.Errorf("create batch: %w", err)
	}
	b.DocumentCount = len(docs)
	return nil
}

const batchColumns = `id, client_id, product_type, document_count, coalesce(idempotency_key, ''), request_hash, coalesce(flow_id, ''), created_at`

func scanBatch(row interface{ Scan(...any) error }) (*Batch, error) {
	var b Batch
	var created string
	err := row.Scan(&b.ID, &b.ClientID, &b.ProductType, &b.DocumentCount, &b.IdempotencyKey, &b.RequestHash, &b.FlowID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan batch: %w", err)
	}
	b.CreatedAt = parseTime(created)
	return &b, nil
}

// GetBatch returns a client's batch; another client's batch is ErrNotFound.
func (s *SQLite) GetBatch(ctx context.Context, clientID, batchID string) (*Batch, error) {
	return scanBatch(s.r.QueryRowContext(ctx, `SELECT `+batchColumns+` FROM batch WHERE id = ? AND client_id = ?`, batchID, clientID))
}

// BatchByIdempotencyKey returns the client's batch created with key.
func (s *SQLite) BatchByIdempotencyKey(ctx context.Context, clientID, key string) (*Batch, error) {
	// The writer sees a batch committed a moment ago even if a reader's
	// snapshot would not: retries race their first attempt.
	return scanBatch(s.w.QueryRowContext(ctx, `SELECT `+batchColumns+` FROM batch WHERE client_id = ? AND idempotency_key = ?`, clientID, key))
}

const documentColumns = `file_uuid, batch_id, seq, document_id, file_url, coalesce(submission_mode, ''), status, coalesce(document_type, ''), coalesce(file_data, ''),
	coalesce(error_code, ''), coalesce(error_message, ''), coalesce(upstream_status, 0), coalesce(blob_key, ''), coalesce(redacted_key, ''), attempts, created_at, updated_at, ` + sqliteReviewColumns

func scanDocument(row interface{ Scan(...any) error }) (*Document, error) {
	var d Document
	var typ, data, code, msg, created, updated, boxes, corrections string
	var upstream int
	err := row.Scan(&d.FileUUID, &d.BatchID, &d.Seq, &d.DocumentID, &d.FileURL, &d.SubmissionMode, &d.Status, &typ, &data,
		&code, &msg, &upstream, &d.BlobKey, &d.RedactedKey, &d.Attempts, &created, &updated, &boxes, &corrections)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan document: %w", err)
	}
	if data != "" {
		d.FileData = &document.FileData{}
		if err := json.Unmarshal([]byte(data), d.FileData); err != nil {
			return nil, fmt.Errorf("decode file_data of %s: %w", d.FileUUID, err)
		}
	}
	if code != "" {
		d.Error = &document.Error{Code: document.ErrorCode(code), Message: msg, UpstreamStatus: upstream}
	}
	if err := decodeReview(&d, boxes, corrections); err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt = parseTime(created), parseTime(updated)
	return &d, nil
}

// ListDocuments returns up to limit documents of a batch in upload order,
// starting after the first offset. It walks the (batch_id, seq) index, so a
// page costs the same at the end of a large batch as at its start.
func (s *SQLite) ListDocuments(ctx context.Context, batchID string, offset, limit int) ([]Document, error) {
	return queryDocuments(ctx, s.r, `SELECT `+documentColumns+` FROM document
		WHERE batch_id = ? AND seq > ? ORDER BY seq LIMIT ?`, batchID, offset, limit)
}

// GetDocument returns a document by its file_uuid.
func (s *SQLite) GetDocument(ctx context.Context, fileUUID string) (*Document, error) {
	return scanDocument(s.w.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM document WHERE file_uuid = ?`, fileUUID))
}

// StartDocument marks a document processing and counts the attempt.
func (s *SQLite) StartDocument(ctx context.Context, fileUUID string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE document SET status = ?, attempts = attempts + 1, updated_at = ? WHERE file_uuid = ? AND status <> ? AND status <> ?`,
		document.StatusProcessing, now(), fileUUID, document.StatusDone, document.StatusFailed)
	if err != nil {
		return fmt.Errorf("start document: %w", err)
	}
	return nil
}

// RequeueDocument puts a document that was being read back to queued, when
// its attempt ended without a result and the queue will try it again.
func (s *SQLite) RequeueDocument(ctx context.Context, fileUUID string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE document SET status = ?, updated_at = ? WHERE file_uuid = ? AND status = ?`,
		document.StatusQueued, now(), fileUUID, document.StatusProcessing)
	if err != nil {
		return fmt.Errorf("requeue document: %w", err)
	}
	return nil
}

// RequeueAllProcessing puts every document marked processing back to
// queued. Only for start-up of a process that alone owns the database:
// no document can be in the middle of being read then.
func (s *SQLite) RequeueAllProcessing(ctx context.Context) (int, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE document SET status = ?, updated_at = ? WHERE status = ?`,
		document.StatusQueued, now(), document.StatusProcessing)
	if err != nil {
		return 0, fmt.Errorf("requeue documents: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SetBlobKey records where the document's original is kept.
func (s *SQLite) SetBlobKey(ctx context.Context, fileUUID, key string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE document SET blob_key = ?, updated_at = ? WHERE file_uuid = ?`, key, now(), fileUUID)
	if err != nil {
		return fmt.Errorf("set blob key: %w", err)
	}
	return nil
}

// FinishDocument stores a document's result and, in the same transaction,
// runs also (the job queue completes the document's job there), so a
// result is never written twice nor its job left to run again.
func (s *SQLite) FinishDocument(ctx context.Context, fileUUID string, r Result, also func(ctx context.Context, tx *sql.Tx) error) error {
	var status document.Status
	var typ, data, code, msg, upstream, redacted, boxes any
	if r.RedactedKey != "" {
		redacted = r.RedactedKey
	}
	switch {
	case r.Error != nil:
		status = document.StatusFailed
		code, msg = string(r.Error.Code), r.Error.Message
		if r.Error.UpstreamStatus != 0 {
			upstream = r.Error.UpstreamStatus
		}
	case r.FileData != nil:
		status = document.StatusDone
		b, err := json.Marshal(r.FileData)
		if err != nil {
			return fmt.Errorf("encode file_data: %w", err)
		}
		typ, data = string(r.FileData.Type), string(b)
		if boxes, err = boxesOf(r.FileData); err != nil {
			return err
		}
	default:
		return errors.New("finish document: empty result")
	}
	err := inTx(ctx, s.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE document SET status = ?, document_type = ?, file_data = ?, error_code = ?, error_message = ?, upstream_status = ?,
			redacted_key = ?, boxes = ?, updated_at = ? WHERE file_uuid = ?`, status, typ, data, code, msg, upstream, redacted, boxes, now(), fileUUID); err != nil {
			return err
		}
		if also != nil {
			return also(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish document: %w", err)
	}
	return nil
}

// CountByStatus returns how many documents are in each of statuses (every
// status when none is named). Naming the unfinished ones keeps it cheap
// however many documents are done: it reads only their index entries.
func (s *SQLite) CountByStatus(ctx context.Context, statuses ...document.Status) (map[document.Status]int, error) {
	q, args := `SELECT status, count(*) FROM document GROUP BY status`, []any{}
	if len(statuses) > 0 {
		q = `SELECT status, count(*) FROM document WHERE status IN (?` + strings.Repeat(", ?", len(statuses)-1) + `) GROUP BY status`
		for _, st := range statuses {
			args = append(args, string(st))
		}
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	defer rows.Close()
	out := map[document.Status]int{}
	for rows.Next() {
		var st document.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// InTx runs fn in a write transaction.
func (s *SQLite) InTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return inTx(ctx, s.w, func(tx *sql.Tx) error { return fn(ctx, tx) })
}

// SetEnqueue sets Enqueue.
func (s *SQLite) SetEnqueue(fn func(ctx context.Context, tx *sql.Tx, docs []Document) error) {
	s.Enqueue = fn
}

var _ Store[*sql.Tx] = (*SQLite)(nil)
