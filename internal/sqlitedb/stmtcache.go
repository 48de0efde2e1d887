package sqlitedb

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
)

// Parsing a statement is a quarter of the connector's CPU on SQLite (the pure-Go driver prepares
// every statement anew, River's queries included). stmtCacheConnector keeps each statement
// prepared on its connection and reuses it, reset, for the next call with the same text; the
// driver supports such reuse (it resets a statement after an exec and when its rows close).
//
// The connection deliberately does not offer ExecerContext and QueryerContext: database/sql then
// prepares every call through PrepareContext — here, the cache — and closes the statement when
// the call (or its rows) is done, which hands it back to the cache.
type stmtCacheConnector struct {
	driver.Connector
	commits *atomic.Int64 // of every connection (commits.go)
}

// maxCachedStmts bounds the statements kept per connection; beyond it statements are prepared
// and finalised per call as before.
const maxCachedStmts = 512

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if !implements[driver.ConnBeginTx](conn) || !implements[driver.ConnPrepareContext](conn) {
		conn.Close()
		return nil, errors.New("sqlitedb: the SQLite driver's connection lacks BeginTx or PrepareContext")
	}
	return &stmtCacheConn{Conn: conn, stmts: map[string]*cachedStmt{}, writeCounter: writeCounter{commits: c.commits}}, nil
}

func implements[T any](v any) bool { _, ok := v.(T); return ok }

// stmtCacheConn is a driver connection whose statements are prepared once.
type stmtCacheConn struct {
	driver.Conn
	mu    sync.Mutex
	stmts map[string]*cachedStmt
	writeCounter
}

// cachedStmt is a prepared statement that, closed, goes back to its connection's cache (or,
// when it is not kept, is finalised).
type cachedStmt struct {
	driver.Stmt
	conn   *stmtCacheConn
	inUse  bool
	kept   bool
	writes writeKind // whether the statement changes the database (commits.go)
}

// PrepareContext hands out the statement prepared for query before, or prepares it. A statement
// still in use (its rows open while the same query runs again) is not shared: the second call
// gets a statement of its own, finalised when closed.
func (c *stmtCacheConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	if s, ok := c.stmts[query]; ok && !s.inUse {
		s.inUse = true
		c.mu.Unlock()
		return s, nil
	}
	_, known := c.stmts[query]
	full := len(c.stmts) >= maxCachedStmts
	c.mu.Unlock()
	ds, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{Stmt: ds, conn: c, inUse: true, writes: writes(query)}
	if known || full {
		return s, nil // not kept: finalised when closed
	}
	s.kept = true
	c.mu.Lock()
	c.stmts[query] = s
	c.mu.Unlock()
	return s, nil
}

// Close hands the statement back; the connection finalises it when it closes.
func (s *cachedStmt) Close() error {
	if !s.kept {
		return s.Stmt.Close()
	}
	s.conn.mu.Lock()
	s.inUse = false
	s.conn.mu.Unlock()
	return nil
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	r, err := s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
	if err == nil && s.writes.wrote(r) {
		s.conn.wrote()
	}
	return r, err
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err == nil && s.writes != readOnly { // UPDATE … RETURNING: a write when it returns rows
		return &writingRows{Rows: rows, w: &s.conn.writeCounter}, nil
	}
	return rows, err
}

// Close finalises the cached statements, then closes the connection.
func (c *stmtCacheConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, s := range c.stmts {
		errs = append(errs, s.Stmt.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.Conn.Close())...)
}

// The optional interfaces of the driver's connection, passed on (see the driver's NewConnector):
// without them database/sql falls back to calls that ignore the context.

func (c *stmtCacheConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return c.began(tx), nil
}

func (c *stmtCacheConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *stmtCacheConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *stmtCacheConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// Unwrap lets the driver's helpers (sqlite.Limit and the like) reach its connection.
func (c *stmtCacheConn) Unwrap() driver.Conn { return c.Conn }
