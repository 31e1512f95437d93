package app

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/atlas-oss/atlas/internal/config"
	"github.com/atlas-oss/atlas/internal/store"
)

// buildPostgres builds the service on PostgreSQL. Several processes share
// the database: none reclaims another's running jobs at start (River's
// rescuer returns the jobs of a process that died, after --rescue-after),
// and migrations run only when --migrate is on (they take an advisory
// lock, so processes starting together apply each once).
func (a *App) buildPostgres(ctx context.Context) error {
	st, err := store.OpenPostgres(ctx, a.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	a.store = st
	driver := riverpgxv5.New(st.Pool())
	if a.cfg.AutoMigrate {
		if err := Migrate(ctx, st, driver); err != nil {
			return err
		}
	}
	return build(ctx, a, st, driver)
}

func openPostgresAdmin(ctx context.Context, cfg *config.Config) (Admin, error) {
	st, err := store.OpenPostgres(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, st, riverpgxv5.New(st.Pool())); err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return st, nil
}
