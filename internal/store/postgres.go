package store

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/atlas-oss/atlas/internal/document"
)

//go:embed migration/postgres/*.sql
var postgresMigrations embed.FS

// Postgres is the store for a shared PostgreSQL server, where several atlas
// processes (and River, through the same pool) work on one database. It
// behaves as SQLite does; where SQLite's single writer serialises
// transactions, Postgres takes row locks instead (see FlowOfDocumentTx and
// CreateBatch).
type Postgres struct {
	pool *pgxpool.Pool
	// enqueue inserts the jobs for new documents inside the transaction
	// that creates them. Set by the composition root through SetEnqueue.
	enqueue func(ctx context.Context, tx pgx.Tx, docs []Document) error
}

var _ Store[pgx.Tx] = (*Postgres)(nil)

// OpenPostgres connects to the database at url (a postgres:// URL or a
// key=value string). Parameters pgx does not know, such as search_path,
// are sent to the server as run-time settings of every connection, so a
// store can be confined to one schema.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The error can quote the URL, password included: say only why.
		return nil, errors.New("open postgres: cannot parse the database URL")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &Postgres{pool: pool}, nil
}

// Pool returns the connection pool, for the job queue's driver, so that a
// job is inserted in the transaction that creates its document.
func (p *Postgres) Pool() *pgxpool.Pool { return p.pool }

// Close closes the pool.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (p *Postgres) Ping(ctx context.Context) error {
	if err := p.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping postgres: %w", err)
	}
	return nil
}

// migrationLock is the advisory lock key that serialises migrations of
// processes starting at once ("atlas" in ASCII).
const migrationLock = 0x61746c6173

// Migrate applies the embedded migrations not yet applied, each in its
// own transaction under an advisory lock, so processes starting together
// apply each migration once.
func (p *Postgres) Migrate(ctx context.Context) error {
	ms, err := loadMigrations(postgresMigrations, "migration/postgres")
	if err != nil {
		return err
	}
	for _, m := range ms {
		err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
			if err := lockMigrations(ctx, tx); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM atlas_migration WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, m.up); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO atlas_migration (version, applied_at) VALUES ($1, $2)`, m.version, pgNow())
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %d: %w", m.version, err)
		}
	}
	return nil
}

// MigrateDown reverts every applied migration, newest first (for the
// round-trip test and `atlas migrate down`).
func (p *Postgres) MigrateDown(ctx context.Context) error {
	ms, err := loadMigrations(postgresMigrations, "migration/postgres")
	if err != nil {
		return err
	}
	slices.Reverse(ms)
	for _, m := range ms {
		err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
			if err := lockMigrations(ctx, tx); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `DELETE FROM atlas_migration WHERE version = $1`, m.version)
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
			_, err = tx.Exec(ctx, m.down)
			return err
		})
		if err != nil {
			return fmt.Errorf("revert migration %d: %w", m.version, err)
		}
	}
	return nil
}

// lockMigrations takes the migration lock until tx ends and makes sure
// the version table exists (created under the lock: two concurrent
// CREATE TABLE IF NOT EXISTS can still collide).
func lockMigrations(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS atlas_migration (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("create migration table: %w", err)
	}
	return nil
}

// pgNow is the time written to timestamptz columns, at the microsecond
// precision PostgreSQL keeps, so a value returned to the caller equals
// the one read back.
func pgNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// utc returns t in UTC, or the zero time for a NULL column.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// Unique violation, https://www.postgresql.org/docs/current/errcodes-appendix.html
const pgUniqueViolation = "23505"

func isPgUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

// CreateClient adds an API client; ErrConflict if the id is taken.
func (p *Postgres) CreateClient(ctx context.Context, c Client) error {
	_, err := p.pool.Exec(ctx, `INSERT INTO client (id, name, secret_hash, aadhaar_last4_only, created_at) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, c.Name, c.SecretHash, c.AadhaarLast4Only, pgNow())
	if isPgUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("insert client: %w", err)
	}
	return nil
}

// UpsertClient creates the client or replaces its name and secret hash
// (for the development client given at start-up).
func (p *Postgres) UpsertClient(ctx context.Context, c Client) error {
	_, err := p.pool.Exec(ctx, `INSERT INTO client (id, name, secret_hash, aadhaar_last4_only, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, secret_hash = excluded.secret_hash, aadhaar_last4_only = excluded.aadhaar_last4_only`,
		c.ID, c.Name, c.SecretHash, c.AadhaarLast4Only, pgNow())
	if err != nil {
		return fmt.Errorf("upsert client: %w", err)
	}
	return nil
}

// GetClient returns a client by id.
func (p *Postgres) GetClient(ctx context.Context, id string) (*Client, error) {
	var c Client
	err := p.pool.QueryRow(ctx, `SELECT id, name, secret_hash, aadhaar_last4_only, created_at FROM client WHERE id = $1`, id).
		Scan(&c.ID, &c.Name, &c.SecretHash, &c.AadhaarLast4Only, &c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get client: %w", err)
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// CreateBatch writes a batch, its documents and (through the enqueue
// function) their jobs in one transaction. ErrConflict if the batch id or
// the client's idempotency key is taken; ErrNotFound or ErrFlowClosed when
// the batch is for a flow that is not the client's or is closed.
func (p *Postgres) CreateBatch(ctx context.Context, b *Batch, docs []Document) error {
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		ts := pgNow()
		var key, flow any
		if b.IdempotencyKey != "" {
			key = b.IdempotencyKey
		}
		if b.FlowID != "" {
			// FOR SHARE holds off a concurrent CloseFlow until this
			// transaction ends, and waits for one already under way: the
			// documents are stored before the close or refused, never
			// after.
			var closed *time.Time
			err := tx.QueryRow(ctx, `SELECT closed_at FROM flow WHERE id = $1 AND client_id = $2 FOR SHARE`, b.FlowID, b.ClientID).Scan(&closed)
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			if closed != nil {
				return ErrFlowClosed
			}
			flow = b.FlowID
		}
		if _, err := tx.Exec(ctx, `INSERT INTO batch (id, client_id, product_type, document_count, idempotency_key, request_hash, flow_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.ID, b.ClientID, b.ProductType, len(docs), key, b.RequestHash, flow, ts); err != nil {
			return err
		}
		rows := make([][]any, len(docs))
		for i := range docs {
			d := &docs[i]
			d.BatchID, d.Seq, d.Status = b.ID, i+1, document.StatusQueued
			var mode any
			if d.SubmissionMode != "" {
				mode = d.SubmissionMode
			}
			rows[i] = []any{d.FileUUID, b.ID, d.Seq, d.DocumentID, d.FileURL, mode, string(d.Status), ts, ts}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"document"},
			[]string{"file_uuid", "batch_id", "seq", "document_id", "file_url", "submission_mode", "status", "created_at", "updated_at"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		if p.enqueue != nil {
			return p.enqueue(ctx, tx, docs)
		}
		return nil
	})
	if isPgUniqueViolation(err) {
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

const pgBatchColumns = `id, client_id, product_type, document_count, coalesce(idempotency_key, ''), request_hash, coalesce(flow_id, ''), created_at`

func scanPgBatch(row pgx.Row) (*Batch, error) {
	var b Batch
	err := row.Scan(&b.ID, &b.ClientID, &b.ProductType, &b.DocumentCount, &b.IdempotencyKey, &b.RequestHash, &b.FlowID, &b.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan batch: %w", err)
	}
	b.CreatedAt = b.CreatedAt.UTC()
	return &b, nil
}

// GetBatch returns a client's batch; another client's batch is ErrNotFound.
func (p *Postgres) GetBatch(ctx context.Context, clientID, batchID string) (*Batch, error) {
	return scanPgBatch(p.pool.QueryRow(ctx, `SELECT `+pgBatchColumns+` FROM batch WHERE id = $1 AND client_id = $2`, batchID, clientID))
}

// BatchByIdempotencyKey returns the client's batch created with key.
func (p *Postgres) BatchByIdempotencyKey(ctx context.Context, clientID, key string) (*Batch, error) {
	return scanPgBatch(p.pool.QueryRow(ctx, `SELECT `+pgBatchColumns+` FROM batch WHERE client_id = $1 AND idempotency_key = $2`, clientID, key))
}

const pgDocumentColumns = `file_uuid, batch_id, seq, document_id, file_url, coalesce(submission_mode, ''), status, coalesce(document_type, ''),
	coalesce(file_data::text, ''), coalesce(error_code, ''), coalesce(error_message, ''), coalesce(upstream_status, 0), coalesce(blob_key, ''),
	coalesce(redacted_key, ''), attempts, created_at, updated_at, ` + pgReviewColumns

func scanPgDocument(row pgx.Row) (*Document, error) {
	var d Document
	var status, typ, data, code, msg, boxes, corrections string
	var upstream int
	err := row.Scan(&d.FileUUID, &d.BatchID, &d.Seq, &d.DocumentID, &d.FileURL, &d.SubmissionMode, &status, &typ, &data,
		&code, &msg, &upstream, &d.BlobKey, &d.RedactedKey, &d.Attempts, &d.CreatedAt, &d.UpdatedAt, &boxes, &corrections)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("scan document: %w", err)
	}
	d.Status = document.Status(status)
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
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return &d, nil
}

// pgQuerier is what both the pool and a transaction offer.
type pgQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func queryPgDocuments(ctx context.Context, q pgQuerier, query string, args ...any) ([]Document, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var docs []Document
	for rows.Next() {
		d, err := scanPgDocument(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, *d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return docs, nil
}

// ListDocuments returns up to limit documents of a batch in upload order,
// starting after the first offset, walking the (batch_id, seq) index.
func (p *Postgres) ListDocuments(ctx context.Context, batchID string, offset, limit int) ([]Document, error) {
	return queryPgDocuments(ctx, p.pool, `SELECT `+pgDocumentColumns+` FROM document
		WHERE batch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, batchID, offset, limit)
}

// GetDocument returns a document by its file_uuid.
func (p *Postgres) GetDocument(ctx context.Context, fileUUID string) (*Document, error) {
	return scanPgDocument(p.pool.QueryRow(ctx, `SELECT `+pgDocumentColumns+` FROM document WHERE file_uuid = $1`, fileUUID))
}

// GetDocumentTx returns a document within tx.
func (p *Postgres) GetDocumentTx(ctx context.Context, tx pgx.Tx, fileUUID string) (*Document, error) {
	return scanPgDocument(tx.QueryRow(ctx, `SELECT `+pgDocumentColumns+` FROM document WHERE file_uuid = $1`, fileUUID))
}

// StartDocument marks a document processing and counts the attempt.
func (p *Postgres) StartDocument(ctx context.Context, fileUUID string) error {
	_, err := p.pool.Exec(ctx, `UPDATE document SET status = $1, attempts = attempts + 1, updated_at = $2 WHERE file_uuid = $3 AND status <> $4 AND status <> $5`,
		string(document.StatusProcessing), pgNow(), fileUUID, string(document.StatusDone), string(document.StatusFailed))
	if err != nil {
		return fmt.Errorf("start document: %w", err)
	}
	return nil
}

// RequeueDocument puts a document that was being read back to queued, when
// its attempt ended without a result and the queue will try it again.
func (p *Postgres) RequeueDocument(ctx context.Context, fileUUID string) error {
	_, err := p.pool.Exec(ctx, `UPDATE document SET status = $1, updated_at = $2 WHERE file_uuid = $3 AND status = $4`,
		string(document.StatusQueued), pgNow(), fileUUID, string(document.StatusProcessing))
	if err != nil {
		return fmt.Errorf("requeue document: %w", err)
	}
	return nil
}

// RequeueAllProcessing puts every document marked processing back to
// queued. Only for start-up of a process that alone owns the database
// (the caller decides): with other processes at work it would requeue
// documents they are reading.
func (p *Postgres) RequeueAllProcessing(ctx context.Context) (int, error) {
	tag, err := p.pool.Exec(ctx, `UPDATE document SET status = $1, updated_at = $2 WHERE status = $3`,
		string(document.StatusQueued), pgNow(), string(document.StatusProcessing))
	if err != nil {
		return 0, fmt.Errorf("requeue documents: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// SetBlobKey records where the document's original is kept.
func (p *Postgres) SetBlobKey(ctx context.Context, fileUUID, key string) error {
	_, err := p.pool.Exec(ctx, `UPDATE document SET blob_key = $1, updated_at = $2 WHERE file_uuid = $3`, key, pgNow(), fileUUID)
	if err != nil {
		return fmt.Errorf("set blob key: %w", err)
	}
	return nil
}

// FinishDocument stores a document's result and, in the same transaction,
// runs also (the job queue completes the document's job there), so a
// result is never written twice nor its job left to run again.
func (p *Postgres) FinishDocument(ctx context.Context, fileUUID string, r Result, also func(ctx context.Context, tx pgx.Tx) error) error {
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
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		// $3::text::json: the encoded text is stored as it is, field
		// order included.
		if _, err := tx.Exec(ctx, `UPDATE document SET status = $1, document_type = $2, file_data = $3::text::json, error_code = $4, error_message = $5,
			upstream_status = $6, redacted_key = $7, boxes = $8::text::json, updated_at = $9 WHERE file_uuid = $10`,
			string(status), typ, data, code, msg, upstream, redacted, boxes, pgNow(), fileUUID); err != nil {
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
func (p *Postgres) CountByStatus(ctx context.Context, statuses ...document.Status) (map[document.Status]int, error) {
	q, args := `SELECT status, count(*) FROM document GROUP BY status`, []any{}
	if len(statuses) > 0 {
		names := make([]string, len(statuses))
		for i, st := range statuses {
			names[i] = string(st)
		}
		q, args = `SELECT status, count(*) FROM document WHERE status = ANY($1) GROUP BY status`, []any{names}
	}
	rows, err := p.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	defer rows.Close()
	out := map[document.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count documents: %w", err)
		}
		out[document.Status(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	return out, nil
}

// InTx runs fn in a transaction, committed when fn returns nil and rolled
// back otherwise.
func (p *Postgres) InTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error { return fn(ctx, tx) })
}

// SetEnqueue sets what inserts the jobs of new documents, inside the
// transaction that creates them.
func (p *Postgres) SetEnqueue(fn func(ctx context.Context, tx pgx.Tx, docs []Document) error) {
	p.enqueue = fn
}
