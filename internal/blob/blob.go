// Package blob keeps documents' original bytes, content-addressed by their
// SHA-256, in a bucket: a local directory by default (gocloud.dev's
// fileblob), S3-compatible storage when the deployment outgrows one machine.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	"gocloud.dev/gcerrors"
)

// ErrNotFound is returned for a key the store does not hold.
var ErrNotFound = errors.New("blob not found")

// Store is a content-addressed bucket.
type Store struct {
	b *blob.Bucket
}

// OpenDir opens a store on a local directory, creating it if needed.
func OpenDir(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create blob dir: %w", err)
	}
	b, err := fileblob.OpenBucket(dir, &fileblob.Options{NoTempDir: false})
	if err != nil {
		return nil, fmt.Errorf("open blob dir: %w", err)
	}
	return &Store{b: b}, nil
}

// Put stores data under the hex SHA-256 of its bytes and returns that key.
// Storing the same bytes twice writes once.
func (s *Store) Put(ctx context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	key := "sha256/" + hex.EncodeToString(sum[:2]) + "/" + hex.EncodeToString(sum[:])
	if ok, err := s.b.Exists(ctx, key); err == nil && ok {
		return key, nil
	}
	if err := s.b.WriteAll(ctx, key, data, &blob.WriterOptions{ContentType: "application/octet-stream"}); err != nil {
		return "", fmt.Errorf("write blob: %w", err)
	}
	return key, nil
}

// Get returns the bytes stored under key.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	data, err := s.b.ReadAll(ctx, key)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read blob: %w", err)
	}
	return data, nil
}

// Close releases the bucket.
func (s *Store) Close() error { return s.b.Close() }
