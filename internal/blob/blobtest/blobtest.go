// Package blobtest starts a real S3-compatible server (versitygw) for tests,
// so the S3 blob store is tested against the protocol rather than a mock.
// Other packages' tests reuse StartS3 to run the service on S3.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Bucket is the bucket StartS3 creates.
const Bucket = "atlas-test"

// Region is the region StartS3's URL names; versitygw's default.
const Region = "us-east-1"

// startTimeout bounds how long StartS3 waits for versitygw to answer.
const startTimeout = 30 * time.Second

// installHint says how to get the binary when it is missing.
const installHint = "install it with: GOBIN=$(pwd)/bin/tools go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 (from the module root), or set ATLAS_VERSITYGW"

// StartS3 starts versitygw with its posix backend on a temporary directory,
// listening on a free loopback port with random root keys, creates Bucket,
// and stops the server in t.Cleanup.
//
// It returns the s3:// URL for blob.Open and the AWS environment variables
// (credentials, no shared config, no instance metadata) that a client in
// this process (see SetEnv) or a child process needs to reach it.
//
// The binary is $ATLAS_VERSITYGW, else versitygw on PATH, else
// <module root>/bin/tools/versitygw. Without one the test is skipped, or
// fails when CI=true, since CI must not pass by skipping.
func StartS3(t testing.TB) (url string, env map[string]string) {
	t.Helper()
	bin := findVersitygw(t)
	access, secret := randomHex(t, 10), randomHex(t, 20)
	addr := freeLoopbackAddr(t)
	root := t.TempDir()
	logPath := filepath.Join(t.TempDir(), "versitygw.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("create versitygw log: %v", err)
	}

	cmd := exec.Command(bin, "--port", addr, "--quiet", "posix", root)
	// A minimal environment: keys through the environment keep them out of
	// ps output, and a developer's VGW_* settings cannot leak in.
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + root,
		"ROOT_ACCESS_KEY_ID=" + access,
		"ROOT_SECRET_ACCESS_KEY=" + secret,
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start versitygw %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	t.Cleanup(func() { stop(cmd, exited) })

	endpoint := "http://" + addr
	if err := createBucket(endpoint, access, secret, exited); err != nil {
		t.Fatalf("versitygw at %s: %v\nserver log:\n%s", endpoint, err, readLog(logPath))
	}

	env = map[string]string{
		"AWS_ACCESS_KEY_ID":     access,
		"AWS_SECRET_ACCESS_KEY": secret,
		"AWS_SESSION_TOKEN":     "",
		"AWS_REGION":            Region,
		"AWS_PROFILE":           "",
		// Keep a developer's ~/.aws out, and never ask instance metadata
		// (a non-loopback address) for credentials.
		"AWS_CONFIG_FILE":             filepath.Join(root, ".aws-config-absent"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(root, ".aws-credentials-absent"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	return fmt.Sprintf("s3://%s?endpoint=%s&region=%s&use_path_style=true", Bucket, endpoint, Region), env
}

// SetEnv sets env for the rest of the test with t.Setenv, so this process's
// AWS clients find StartS3's credentials. Like t.Setenv, it cannot be used
// in parallel tests.
func SetEnv(t testing.TB, env map[string]string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// findVersitygw locates the binary or skips (fails under CI=true).
func findVersitygw(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ATLAS_VERSITYGW"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ATLAS_VERSITYGW=%s: %v", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	if root, err := moduleRoot(); err == nil {
		p := filepath.Join(root, "bin", "tools", "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "versitygw not found (no $ATLAS_VERSITYGW, none on PATH, none in bin/tools); " + installHint
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// moduleRoot walks up from the working directory to the go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("get working dir: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find module root: no go.mod above working dir")
		}
		dir = parent
	}
}

// freeLoopbackAddr returns a 127.0.0.1 address with a port free right now.
func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find free port: %v", err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// createBucket creates Bucket, retrying until the server answers, it exits,
// or startTimeout passes.
func createBucket(endpoint, access, secret string, exited <-chan struct{}) error {
	client := s3.New(s3.Options{
		Region:           Region,
		BaseEndpoint:     aws.String(endpoint),
		UsePathStyle:     true,
		Credentials:      credentials.NewStaticCredentialsProvider(access, secret, ""),
		RetryMaxAttempts: 1,
	})
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(Bucket)})
		var owned *types.BucketAlreadyOwnedByYou
		if err == nil || errors.As(err, &owned) {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("server exited before answering (last error: %w)", err)
		case <-ctx.Done():
			return fmt.Errorf("create bucket %q within %s: %w", Bucket, startTimeout, err)
		case <-tick.C:
		}
	}
}

// stop interrupts the server and kills it if it has not gone in 10s.
func stop(cmd *exec.Cmd, exited <-chan struct{}) {
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random key: %v", err)
	}
	return hex.EncodeToString(b)
}

// readLog returns the server's log for a failure message.
func readLog(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return string(bytes.TrimSpace(b))
}
