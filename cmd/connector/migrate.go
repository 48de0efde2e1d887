package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// migrateCmd creates or updates the database and exits (serve migrates at start as well).
func migrateCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageError{"migrate takes no arguments"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		if err := private.Dir(cfg.DataDir); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	where := "SQLite in " + cfg.DataDir
	if st.Dialect() == store.Postgres {
		where = "Postgres"
	}
	fmt.Fprintf(stdout, "database up to date (%s)\n", where)
	return nil
}
