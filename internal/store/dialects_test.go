package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
)

// eachDialect runs test on a fresh store of each dialect (Postgres: storetest's, which fails in
// CI without one).
func eachDialect(t *testing.T, test func(t *testing.T, st *store.Store)) {
	ctx := context.Background()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			var st *store.Store
			var err error
			if d == store.SQLite {
				st, err = store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "c.db"))
			} else {
				st, err = store.OpenPostgres(ctx, storetest.PostgresURL(t))
			}
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			test(t, st)
		})
	}
}
