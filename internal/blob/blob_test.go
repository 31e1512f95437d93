package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlas-oss/atlas/internal/blob/blobtest"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// testStore is the behaviour every backend must show; it runs against the
// local directory and against a real S3-compatible server.
func testStore(t *testing.T, s *Store) {
	ctx := context.Background()
	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}

	t.Run("PutGetRoundTrip", func(t *testing.T) {
		for _, data := range [][]byte{allBytes, []byte("PAN ABCDE1234F"), {}} {
			key, err := s.Put(ctx, data)
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			sum := sha256.Sum256(data)
			want := "sha256/" + hex.EncodeToString(sum[:2]) + "/" + hex.EncodeToString(sum[:])
			if key != want {
				t.Errorf("key = %q, want %q", key, want)
			}
			got, err := s.Get(ctx, key)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("Get = %q, want %q", got, data)
			}
		}
	})

	t.Run("PutTwiceWritesOnce", func(t *testing.T) {
		data := []byte("same bytes twice")
		key1, err := s.Put(ctx, data)
		if err != nil {
			t.Fatalf("first Put: %v", err)
		}
		// Replace the object behind Put's back: a second write would undo it.
		marker := []byte("written directly, not by Put")
		if err := s.b.WriteAll(ctx, key1, marker, nil); err != nil {
			t.Fatalf("overwrite: %v", err)
		}
		key2, err := s.Put(ctx, data)
		if err != nil {
			t.Fatalf("second Put: %v", err)
		}
		if key1 != key2 {
			t.Errorf("keys differ: %q then %q", key1, key2)
		}
		got, err := s.Get(ctx, key2)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if !bytes.Equal(got, marker) {
			t.Errorf("second Put rewrote the object: got %q", got)
		}
	})

	t.Run("GetMissing", func(t *testing.T) {
		_, err := s.Get(ctx, "sha256/0000/"+strings.Repeat("0", 64))
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Get missing: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("DeleteThenExists", func(t *testing.T) {
		key, err := s.Put(ctx, []byte("to be deleted"))
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		if ok, err := s.Exists(ctx, key); err != nil || !ok {
			t.Fatalf("Exists after Put = %v, %v; want true, nil", ok, err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if ok, err := s.Exists(ctx, key); err != nil || ok {
			t.Errorf("Exists after Delete = %v, %v; want false, nil", ok, err)
		}
		if _, err := s.Get(ctx, key); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
		}
		// Retention may run twice over the same key.
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("second Delete: %v", err)
		}
	})

	t.Run("DeleteMissing", func(t *testing.T) {
		if err := s.Delete(ctx, "sha256/ffff/"+strings.Repeat("f", 64)); err != nil {
			t.Errorf("Delete missing: %v", err)
		}
	})

	t.Run("Ping", func(t *testing.T) {
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

func TestStoreLocal(t *testing.T) {
	s, err := OpenDir(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("OpenDir: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	testStore(t, s)
}

func TestStoreS3(t *testing.T) {
	url, env := blobtest.StartS3(t)
	blobtest.SetEnv(t, env)
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	testStore(t, s)
}

func TestPingLocalMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatalf("OpenDir: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	err = s.Ping(context.Background())
	if !errors.Is(err, ErrInaccessible) {
		t.Errorf("Ping of a removed dir: err = %v, want ErrInaccessible", err)
	}
}

func TestPingS3Fails(t *testing.T) {
	url, env := blobtest.StartS3(t)
	blobtest.SetEnv(t, env)
	parsed, err := neturl.Parse(url)
	if err != nil {
		t.Fatalf("parse %q: %v", url, err)
	}
	endpoint := parsed.Query().Get("endpoint")
	closed := closedLoopbackEndpoint(t)

	tests := []struct {
		name, url, bucket, endpoint string
		wantInaccessible            bool
	}{
		{
			name:             "wrong bucket",
			url:              strings.Replace(url, "s3://"+blobtest.Bucket, "s3://no-such-bucket", 1),
			bucket:           "no-such-bucket",
			endpoint:         endpoint,
			wantInaccessible: true,
		},
		{
			name:     "nothing listening",
			url:      "s3://" + blobtest.Bucket + "?endpoint=" + closed + "&region=us-east-1",
			bucket:   blobtest.Bucket,
			endpoint: closed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			err = s.Ping(context.Background())
			if err == nil {
				t.Fatal("Ping succeeded")
			}
			if got := errors.Is(err, ErrInaccessible); got != tt.wantInaccessible {
				t.Errorf("errors.Is(err, ErrInaccessible) = %v, want %v (err: %v)", got, tt.wantInaccessible, err)
			}
			msg := err.Error()
			for _, want := range []string{tt.bucket, tt.endpoint} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not name %q", msg, want)
				}
			}
			if strings.Contains(msg, env["AWS_SECRET_ACCESS_KEY"]) {
				t.Errorf("error leaks the secret key: %q", msg)
			}
		})
	}
}

// closedLoopbackEndpoint returns an http:// loopback address nobody listens on.
func closedLoopbackEndpoint(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestOpenLocal(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		url  func(dir string) string
	}{
		{"absolute bare path", func(dir string) string { return dir }},
		{"file URL", func(dir string) string { return "file://" + dir }},
		{"file URL with localhost", func(dir string) string { return "file://localhost" + dir }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "nested", "blobs")
			s, err := Open(ctx, tt.url(dir))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			key, err := s.Put(ctx, []byte("voter id"))
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key))); err != nil {
				t.Errorf("blob not stored under %s: %v", dir, err)
			}
		})
	}

	t.Run("relative bare path", func(t *testing.T) {
		t.Chdir(t.TempDir())
		s, err := Open(ctx, "data/blobs")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := os.Stat("data/blobs"); err != nil {
			t.Errorf("dir not created: %v", err)
		}
	})
}

func TestOpenS3Options(t *testing.T) {
	// No server is contacted: Open only builds the client.
	t.Setenv("AWS_ACCESS_KEY_ID", "test-access")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "absent"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "absent"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	tests := []struct {
		name      string
		url       string
		pathStyle bool
		region    string
	}{
		{"path style by default", "s3://docs?endpoint=http://127.0.0.1:7070&region=us-east-1", true, "us-east-1"},
		{"explicit path style", "s3://docs?endpoint=http://127.0.0.1:7070&region=ap-south-1&use_path_style=true", true, "ap-south-1"},
		{"virtual hosted when asked", "s3://docs?region=ap-south-1&use_path_style=false", false, "ap-south-1"},
		{"legacy path style option", "s3://docs?region=ap-south-1&s3ForcePathStyle=false", false, "ap-south-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			var client *s3.Client
			if !s.b.As(&client) {
				t.Fatal("store is not backed by an S3 client")
			}
			opts := client.Options()
			if opts.UsePathStyle != tt.pathStyle {
				t.Errorf("UsePathStyle = %v, want %v", opts.UsePathStyle, tt.pathStyle)
			}
			if opts.Region != tt.region {
				t.Errorf("Region = %q, want %q", opts.Region, tt.region)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "absent"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "absent"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	const secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"

	tests := []struct {
		name    string
		url     string
		wantMsg string
	}{
		{"empty", "", "empty URL"},
		{"unknown scheme", "gs://docs", `unsupported URL scheme "gs"`},
		{"mem scheme", "mem://", `unsupported URL scheme "mem"`},
		{"file URL remote host", "file://fileserver/blobs", "not local"},
		{"file URL relative", "file://localhost", "must be absolute"},
		{"file URL with options", "file:///tmp/blobs?x=1", "no query options"},
		{"s3 without bucket", "s3://?region=us-east-1", "no bucket"},
		{"s3 with a path", "s3://docs/prefix?region=us-east-1", "prefixes"},
		{"s3 credentials in URL", "s3://AKIAEXAMPLE:" + secret + "@docs?region=us-east-1", "must not carry credentials"},
		{"s3 credentials in endpoint", "s3://docs?endpoint=http://AKIAEXAMPLE:" + secret + "@127.0.0.1:7070", "must not carry credentials"},
		{"s3 relative endpoint", "s3://docs?endpoint=127.0.0.1", "absolute URL"},
		{"s3 unknown option", "s3://docs?endpoint=http://127.0.0.1:7070&bogus=1", `"docs" at http://127.0.0.1:7070`},
		{"s3 bad path style", "s3://docs?use_path_style=maybe", "use_path_style"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.url)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tt.url)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks the secret: %q", err)
			}
		})
	}
}
