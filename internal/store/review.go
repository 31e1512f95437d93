package store

import (
	"context"
	"errors"
)

// Placeholders until the review storage lands (boxes are not yet kept).

// SaveCorrection stores a reviewer's value. Placeholder.
func (s *SQLite) SaveCorrection(ctx context.Context, clientID, fileUUID string, c Correction) error {
	return errors.New("not implemented")
}

// SaveCorrection stores a reviewer's value. Placeholder.
func (p *Postgres) SaveCorrection(ctx context.Context, clientID, fileUUID string, c Correction) error {
	return errors.New("not implemented")
}
