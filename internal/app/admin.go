package app

import (
	"context"
	"fmt"
	"os"

	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/store"
)

// Admin is what the administration commands (atlas clients, atlas
// migrate) need of a store, whichever database it is.
type Admin interface {
	CreateClient(ctx context.Context, c store.Client) error
	GetClient(ctx context.Context, id string) (*store.Client, error)
	MigrateDown(ctx context.Context) error
	Close() error
}

// OpenAdmin opens the configured database for the administration
// commands and applies every migration (atlas's and River's). It takes no
// lock: SQLite lets them write beside a running server.
func OpenAdmin(ctx context.Context, cfg *config.Config) (Admin, error) {
	if cfg.UsesPostgres() {
		return openPostgresAdmin(ctx, cfg)
	}
	path, err := cfg.SQLitePath()
	if err != nil {
		return nil, fmt.Errorf("--database-url: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	st, err := store.OpenSQLite(path)
	if err != nil {
		return nil, err
	}
	if err := MigrateSQLite(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
