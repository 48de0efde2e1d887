package sqlitedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"
)

// countingConnector counts what the SQLite driver is asked to prepare and to finalise.
type countingConnector struct {
	driver.Connector
	prepared, finalised *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	return countingConn{conn.(sqliteConn), c.prepared, c.finalised}, err
}

type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
}

type countingConn struct {
	sqliteConn
	prepared, finalised *atomic.Int64
}

func (c countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.prepared.Add(1)
	s, err := c.sqliteConn.PrepareContext(ctx, q)
	return countingStmt{s.(sqliteStmt), c.finalised}, err
}

type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type countingStmt struct {
	sqliteStmt
	finalised *atomic.Int64
}

func (s countingStmt) Close() error { s.finalised.Add(1); return s.sqliteStmt.Close() }

func openCounting(t *testing.T) (db *sql.DB, prepared, finalised *atomic.Int64) {
	t.Helper()
	base, err := sqlite.NewConnector("file:" + filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	prepared, finalised = new(atomic.Int64), new(atomic.Int64)
	db = sql.OpenDB(stmtCacheConnector{countingConnector{base, prepared, finalised}, new(atomic.Int64)})
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	return db, prepared, finalised
}

func TestStatementsArePreparedOnce(t *testing.T) {
	db, prepared, finalised := openCounting(t)
	before := prepared.Load()
	for i := range 100 {
		if _, err := db.Exec(`INSERT INTO t (k, v) VALUES (?, ?)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 { // each call with its own arguments, answered from the reused statement
		var v string
		if err := db.QueryRow(`SELECT v FROM t WHERE k = ?`, i).Scan(&v); err != nil || v != fmt.Sprint("v", i) {
			t.Fatalf("row %d: %q, %v", i, v, err)
		}
	}
	if got := prepared.Load() - before; got != 2 {
		t.Errorf("200 calls of 2 statements prepared %d times, want 2", got)
	}
	if finalised.Load() != 0 {
		t.Errorf("%d statements finalised while the connection is open", finalised.Load())
	}
	db.Close()
	if prepared.Load() != finalised.Load() {
		t.Errorf("closing the database finalised %d of %d statements", finalised.Load(), prepared.Load())
	}
}

// A statement whose rows are still open is not handed out again: the same query inside the
// loop over its rows gets a statement of its own.
func TestStatementInUseIsNotShared(t *testing.T) {
	db, _, _ := openCounting(t)
	for i := range 3 {
		db.Exec(`INSERT INTO t (k, v) VALUES (?, ?)`, i, fmt.Sprint("v", i))
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT k, v FROM t WHERE k >= ? ORDER BY k`
	outer, err := tx.Query(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for outer.Next() {
		var k int
		var v string
		outer.Scan(&k, &v)
		inner, err := tx.Query(q, k)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for inner.Next() {
			n++
		}
		inner.Close()
		pairs = append(pairs, fmt.Sprintf("%s:%d", v, n))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	if got := fmt.Sprint(pairs); got != "[v0:3 v1:2 v2:1]" {
		t.Errorf("nested use of one query read %s", got)
	}
}

// Beyond maxCachedStmts distinct statements, the rest are prepared per call, and still work.
func TestStatementCacheIsBounded(t *testing.T) {
	db, prepared, finalised := openCounting(t)
	for round := range 2 {
		for i := range maxCachedStmts + 10 {
			var n int
			if err := db.QueryRow(fmt.Sprintf(`SELECT %d + count(*) FROM t`, i)).Scan(&n); err != nil || n != i {
				t.Fatalf("round %d, statement %d: %d, %v", round, i, n, err)
			}
		}
	}
	live := prepared.Load() - finalised.Load()
	if live > maxCachedStmts+1 { // + the CREATE TABLE
		t.Errorf("%d statements kept, at most %d", live, maxCachedStmts+1)
	}
}
