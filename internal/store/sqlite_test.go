package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/atlas-oss/atlas/internal/store"
	"github.com/atlas-oss/atlas/internal/store/storetest"
)

func openSQLite(t *testing.T) *store.SQLite {
	t.Helper()
	st, err := store.OpenSQLite(t.TempDir() + "/atlas.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSQLite runs the store conformance suite on a fresh database file
// per test.
func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store[*sql.Tx] { return openSQLite(t) })
}

// The job queue shares the store's one writer connection: a transaction
// begun on Writer is the store's own, so nothing else writes meanwhile.
func TestSQLiteWriterIsOneConnection(t *testing.T) {
	st := openSQLite(t)
	if n := st.Writer().Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
}
