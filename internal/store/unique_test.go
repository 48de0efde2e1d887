package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// A second row with the same key is told by the database's error code, in each dialect — not by
// the wording of its message, which a driver may change.
func TestUniqueViolationsByCode(t *testing.T) {
	ctx := context.Background()
	eachDialect(t, func(t *testing.T, st *store.Store) {
		db := st.DB()
		if _, err := db.ExecContext(ctx, `CREATE TABLE u (k TEXT NOT NULL PRIMARY KEY, v TEXT UNIQUE)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO u (k, v) VALUES ('a', 'x')`); err != nil {
			t.Fatal(err)
		}
		_, pk := db.ExecContext(ctx, `INSERT INTO u (k, v) VALUES ('a', 'y')`)
		_, uniq := db.ExecContext(ctx, `INSERT INTO u (k, v) VALUES ('b', 'x')`)
		_, other := db.ExecContext(ctx, `INSERT INTO u (k, v) VALUES (NULL, 'z')`)
		if other == nil {
			t.Fatal("a NULL key was taken")
		}
		for _, tc := range []struct {
			name string
			err  error
			want bool
		}{
			{"the same primary key", pk, true}, {"the same unique value", uniq, true},
			{"wrapped", fmt.Errorf("registering: %w", uniq), true},
			{"another constraint (NOT NULL)", other, false}, {"no error", nil, false}, {"another error", errors.New("UNIQUE constraint failed: u.k"), false},
		} {
			if got := store.IsUniqueViolation(tc.err); got != tc.want {
				t.Errorf("%s (%v): %v, want %v", tc.name, tc.err, got, tc.want)
			}
		}
	})
}
