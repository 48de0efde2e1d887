package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
)

// openDialect opens a fresh store of dialect d, closed when tb ends (Postgres: storetest's, which
// fails in CI without one).
func openDialect(tb testing.TB, d store.Dialect) *store.Store {
	ctx := context.Background()
	var st *store.Store
	var err error
	if d == store.SQLite {
		st, err = store.OpenSQLite(ctx, filepath.Join(tb.TempDir(), "c.db"))
	} else {
		st, err = store.OpenPostgres(ctx, storetest.PostgresURL(tb))
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// eachDialect runs test on a fresh store of each dialect.
func eachDialect(t *testing.T, test func(t *testing.T, st *store.Store)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { test(t, openDialect(t, d)) })
	}
}
