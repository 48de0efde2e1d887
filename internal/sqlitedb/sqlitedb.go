// Package sqlitedb opens SQLite databases (the pure-Go driver) with their statements kept
// prepared: the connector's embedded store and the sandbox zaaksysteem's.
package sqlitedb

import (
	"database/sql"
	"sync/atomic"

	"modernc.org/sqlite"
)

// DB is a database opened here: database/sql's handle, and the count of its commits that wrote.
type DB struct {
	*sql.DB
	commits *atomic.Int64
}

// Open opens the database the DSN names (file:PATH?_pragma=…), its statements prepared once per
// connection (stmtcache.go) and its writing commits counted (commits.go).
func Open(dsn string) (*DB, error) {
	connector, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	commits := &atomic.Int64{}
	return &DB{DB: sql.OpenDB(stmtCacheConnector{Connector: connector, commits: commits}), commits: commits}, nil
}

// Commits is how many commits wrote to the database since it was opened: transactions that
// wrote, and writes outside a transaction (each its own commit). With synchronous(FULL) each is
// one durable write to the disk; a transaction that only read is none.
func (d *DB) Commits() int64 { return d.commits.Load() }
