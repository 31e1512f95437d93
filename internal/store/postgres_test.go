package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/atlas-oss/atlas/internal/store"
	"github.com/atlas-oss/atlas/internal/store/storetest"
)

// testDatabaseURL returns ATLAS_TEST_DATABASE_URL. Without it the
// PostgreSQL tests are skipped on a developer's machine but fail in CI
// (CI=true), where a missing database must not pass unnoticed.
func testDatabaseURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ATLAS_TEST_DATABASE_URL")
	if u != "" {
		return u
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("ATLAS_TEST_DATABASE_URL is not set, and CI=true requires the PostgreSQL tests to run")
	}
	t.Skip("ATLAS_TEST_DATABASE_URL is not set: PostgreSQL store tests skipped (set it, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	return ""
}

// openPostgres opens a store on a schema of its own, created for the test
// and dropped after it, and migrates it.
func openPostgres(t *testing.T, base string) *store.Postgres {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to ATLAS_TEST_DATABASE_URL: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("connect to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatal("ATLAS_TEST_DATABASE_URL must be a postgres:// URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := store.OpenPostgres(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // runs before the schema is dropped
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestPostgres runs the store conformance suite on PostgreSQL, one schema
// per test.
func TestPostgres(t *testing.T) {
	base := testDatabaseURL(t)
	storetest.Run(t, func(t *testing.T) store.Store[pgx.Tx] { return openPostgres(t, base) })
}

// The store really works inside the schema named by search_path: its
// tables are there and nowhere else, so tests (and tenants) sharing a
// database do not see each other.
func TestPostgresSearchPath(t *testing.T) {
	base := testDatabaseURL(t)
	ctx := context.Background()
	a, b := openPostgres(t, base), openPostgres(t, base)
	if err := a.CreateClient(ctx, store.Client{ID: "c", Name: "c", SecretHash: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetClient(ctx, "c"); err == nil {
		t.Error("a client created in one schema is visible in another")
	}
	var schema string
	if err := a.Pool().QueryRow(ctx, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'atlas_migration' AND table_schema = current_schema()").Scan(&schema); err != nil {
		t.Fatalf("the migration table is not in the store's schema: %v", err)
	}
	if len(schema) < 3 || schema[:2] != "t_" {
		t.Errorf("migrated into schema %q, want the test's own", schema)
	}
}
