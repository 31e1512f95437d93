package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/atlas-oss/atlas/internal/document"
)

// What both stores share for the review page: field boxes kept as JSON in
// document.boxes, and corrections in the correction table, read back with
// each document as one JSON array (a correlated subquery on its primary
// key) so that every listing returns them without a second query.

// sqliteReviewColumns are the boxes and corrections of a document row, as
// text (empty for none); they follow documentColumns' own.
const sqliteReviewColumns = `coalesce(boxes, ''), coalesce((SELECT json_group_array(json_object('field', c.field, 'value', c.value, 'reviewer', c.reviewer, 'at', c.at))
	FROM correction c WHERE c.file_uuid = document.file_uuid), '')`

// pgReviewColumns is sqliteReviewColumns for PostgreSQL.
const pgReviewColumns = `coalesce(boxes::text, ''), coalesce((SELECT json_agg(json_build_object('field', c.field, 'value', c.value, 'reviewer', c.reviewer, 'at', c.at) ORDER BY c.field)
	FROM correction c WHERE c.file_uuid = document.file_uuid)::text, '')`

// boxesOf returns the boxes of fd's fields that have one, encoded for the
// boxes column, or nil (NULL) when none has.
func boxesOf(fd *document.FileData) (any, error) {
	if fd == nil {
		return nil, nil
	}
	boxes := map[string]Box{}
	for _, name := range fd.Names() {
		f, _ := fd.Get(name)
		if f.Box.Empty() {
			continue
		}
		boxes[name] = Box{Page: f.Page, X0: f.Box.Min.X, Y0: f.Box.Min.Y, X1: f.Box.Max.X, Y1: f.Box.Max.Y}
	}
	if len(boxes) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(boxes)
	if err != nil {
		return nil, fmt.Errorf("encode boxes: %w", err)
	}
	return string(b), nil
}

// correctionJSON is a correction as the review columns return it.
type correctionJSON struct {
	Field    string `json:"field"`
	Value    string `json:"value"`
	Reviewer string `json:"reviewer"`
	At       string `json:"at"`
}

// decodeReview fills d.Boxes and d.Corrections from the review columns.
func decodeReview(d *Document, boxes, corrections string) error {
	if boxes != "" {
		if err := json.Unmarshal([]byte(boxes), &d.Boxes); err != nil {
			return fmt.Errorf("decode boxes of %s: %w", d.FileUUID, err)
		}
	}
	if corrections == "" {
		return nil
	}
	var cs []correctionJSON
	if err := json.Unmarshal([]byte(corrections), &cs); err != nil {
		return fmt.Errorf("decode corrections of %s: %w", d.FileUUID, err)
	}
	for _, c := range cs {
		if d.Corrections == nil {
			d.Corrections = make(map[string]Correction, len(cs))
		}
		d.Corrections[c.Field] = Correction{Field: c.Field, Value: c.Value, Reviewer: c.Reviewer, At: parseTime(c.At).UTC()}
	}
	return nil
}

// correctionTime is when a correction is recorded: c.At, or now when
// unset, at the microsecond precision PostgreSQL keeps so that both
// stores return the same time.
func correctionTime(c Correction) time.Time {
	if c.At.IsZero() {
		return pgNow()
	}
	return c.At.UTC().Truncate(time.Microsecond)
}

// SaveCorrection stores a reviewer's value for a field of the client's
// document, replacing an earlier correction of the same field;
// ErrNotFound for an unknown or another client's document.
func (s *SQLite) SaveCorrection(ctx context.Context, clientID, fileUUID string, c Correction) error {
	res, err := s.w.ExecContext(ctx, `INSERT INTO correction (file_uuid, field, value, reviewer, at)
		SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM document d JOIN batch b ON b.id = d.batch_id WHERE d.file_uuid = ? AND b.client_id = ?)
		ON CONFLICT (file_uuid, field) DO UPDATE SET value = excluded.value, reviewer = excluded.reviewer, at = excluded.at`,
		fileUUID, c.Field, c.Value, c.Reviewer, correctionTime(c).Format(time.RFC3339Nano), fileUUID, clientID)
	if err != nil {
		return fmt.Errorf("save correction: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SaveCorrection stores a reviewer's value for a field of the client's
// document, replacing an earlier correction of the same field;
// ErrNotFound for an unknown or another client's document.
func (p *Postgres) SaveCorrection(ctx context.Context, clientID, fileUUID string, c Correction) error {
	tag, err := p.pool.Exec(ctx, `INSERT INTO correction (file_uuid, field, value, reviewer, at)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::timestamptz WHERE EXISTS (SELECT 1 FROM document d JOIN batch b ON b.id = d.batch_id WHERE d.file_uuid = $1 AND b.client_id = $6)
		ON CONFLICT (file_uuid, field) DO UPDATE SET value = excluded.value, reviewer = excluded.reviewer, at = excluded.at`,
		fileUUID, c.Field, c.Value, c.Reviewer, correctionTime(c), clientID)
	if err != nil {
		return fmt.Errorf("save correction: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
