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

// Open opens (creating) the database file at path in WAL mode, waiting up to 10 s for a lock and
// with foreign keys on — each commit durable before it returns when durable (synchronous FULL),
// else durable against a crash of the process only (NORMAL) — its statements prepared once per
// connection (stmtcache.go) and its writing commits counted (commits.go).
func Open(path string, durable bool) (*DB, error) {
	synchronous := "NORMAL"
	if durable {
		synchronous = "FULL"
	}
	connector, err := sqlite.NewConnector("file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(" +
		synchronous + ")&_pragma=foreign_keys(ON)")
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
