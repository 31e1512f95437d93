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
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	"gocloud.dev/gcerrors"
)

// ErrNotFound is returned for a key the store does not hold.
var ErrNotFound = errors.New("blob not found")

// ErrInaccessible is returned by Ping when the bucket does not exist or
// cannot be listed, so /readyz can tell "not there" from a network fault.
var ErrInaccessible = errors.New("blob bucket not accessible")

// Store is a content-addressed bucket.
type Store struct {
	b *blob.Bucket
	// desc names the bucket (and endpoint) for error messages; it never
	// holds credentials.
	desc string
	// dir is the local directory, empty for S3. fileblob lists a vanished
	// directory as empty, so Ping checks the directory itself.
	dir string
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
	return &Store{b: b, desc: fmt.Sprintf("blob dir %q", dir), dir: dir}, nil
}

// Open opens the store named by rawURL, the value of --blob-url:
//
//   - a bare path or file:///abs/dir: a local directory, as OpenDir;
//   - s3://bucket?endpoint=http://host:port&region=us-east-1: an S3 or
//     S3-compatible bucket (see openS3 for the defaults it applies).
//
// Any other scheme is an error. Credentials never go in the URL: S3 takes
// them from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the default chain.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	if strings.TrimSpace(rawURL) == "" {
		return nil, errors.New("open blob store: empty URL")
	}
	if !strings.Contains(rawURL, "://") {
		return OpenDir(rawURL)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse echoes its input; the input may hold a secret, so drop it.
		return nil, errors.New("open blob store: malformed URL")
	}
	if u.User != nil {
		return nil, fmt.Errorf("open blob store: %s URL must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead", u.Scheme)
	}
	switch u.Scheme {
	case "file":
		return openFileURL(u)
	case "s3":
		return openS3(ctx, u)
	default:
		return nil, fmt.Errorf("open blob store: unsupported URL scheme %q (want a path, file:// or s3://)", u.Scheme)
	}
}

// openFileURL opens file:///abs/dir as a local directory.
func openFileURL(u *url.URL) (*Store, error) {
	if u.Host != "" && u.Host != "localhost" {
		return nil, fmt.Errorf("open blob store: file URL host %q is not local", u.Host)
	}
	if u.RawQuery != "" {
		return nil, errors.New("open blob store: file URL takes no query options")
	}
	if u.Path == "" || !filepath.IsAbs(u.Path) {
		return nil, fmt.Errorf("open blob store: file URL path %q must be absolute", u.Path)
	}
	return OpenDir(u.Path)
}

// Delete removes the blob under key. A missing key is not an error, so
// retention can run twice over the same documents.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.b.Delete(ctx, key)
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// Exists reports whether the store holds a blob under key.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	ok, err := s.b.Exists(ctx, key)
	if err != nil {
		return false, fmt.Errorf("check blob: %w", err)
	}
	return ok, nil
}

// Ping reports whether the bucket can be reached and listed, for /readyz.
// A bucket that does not exist gives an error wrapping ErrInaccessible.
func (s *Store) Ping(ctx context.Context) error {
	if s.dir != "" {
		fi, err := os.Stat(s.dir)
		if err != nil {
			return fmt.Errorf("ping %s: %w: %w", s.desc, ErrInaccessible, err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("ping %s: %w: not a directory", s.desc, ErrInaccessible)
		}
	}
	ok, err := s.b.IsAccessible(ctx)
	if err != nil {
		return fmt.Errorf("ping %s: %w", s.desc, err)
	}
	if !ok {
		return fmt.Errorf("ping %s: %w", s.desc, ErrInaccessible)
	}
	return nil
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
