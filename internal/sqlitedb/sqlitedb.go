// Package sqlitedb opens SQLite databases (the pure-Go driver) with their statements kept
// prepared: the connector's embedded store and the sandbox zaaksysteem's.
package sqlitedb

import (
	"database/sql"

	"modernc.org/sqlite"
)

// Open opens the database the DSN names (file:PATH?_pragma=…), its statements prepared once per
// connection (stmtcache.go).
func Open(dsn string) (*sql.DB, error) {
	connector, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(stmtCacheConnector{connector}), nil
}
