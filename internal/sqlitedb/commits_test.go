package sqlitedb

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// Commits counts what costs a durable write: a transaction that wrote (once, whatever it
// wrote), a write outside a transaction; not a transaction that only read, nor one rolled back.
func TestCommitsCountWritingCommits(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "c.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	inTx := func(fn func(tx *sql.Tx) error, commit bool) {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := fn(tx); err != nil {
			t.Fatal(err)
		}
		if !commit {
			tx.Rollback()
			return
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		name string
		do   func()
		want int64
	}{
		{"a table created", func() { db.ExecContext(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)`) }, 1},
		{"a write outside a transaction", func() { db.ExecContext(ctx, "\n  INSERT INTO t (k, v) VALUES (1, 'a')") }, 1},
		{"a transaction of three writes", func() {
			inTx(func(tx *sql.Tx) error {
				for k := 2; k < 5; k++ {
					if _, err := tx.ExecContext(ctx, `INSERT INTO t (k, v) VALUES (?, 'b')`, k); err != nil {
						return err
					}
				}
				return nil
			}, true)
		}, 1},
		{"a transaction that only read", func() {
			inTx(func(tx *sql.Tx) error {
				var n int
				return tx.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n)
			}, true)
		}, 0},
		{"a write rolled back", func() {
			inTx(func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, `DELETE FROM t`); return err }, false)
		}, 0},
		{"an update returning rows", func() {
			inTx(func(tx *sql.Tx) error {
				rows, err := tx.QueryContext(ctx, `/* River's way */ UPDATE t SET v = 'c' WHERE k = 1 RETURNING k`)
				if err == nil {
					for rows.Next() {
					}
					rows.Close()
				}
				return err
			}, true)
		}, 1},
		{"an insert that found its row", func() { db.ExecContext(ctx, `INSERT INTO t (k, v) VALUES (1, 'a') ON CONFLICT DO NOTHING`) }, 0},
		{"an update returning no rows", func() {
			rows, err := db.QueryContext(ctx, `UPDATE t SET v = 'd' WHERE k = 99 RETURNING k`)
			if err == nil {
				for rows.Next() {
				}
				rows.Close()
			}
		}, 0},
		{"a read outside a transaction", func() {
			var n int
			db.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n)
		}, 0},
	} {
		before := db.Commits()
		step.do()
		if got := db.Commits() - before; got != step.want {
			t.Errorf("%s: %d commits counted, want %d", step.name, got, step.want)
		}
	}
}
