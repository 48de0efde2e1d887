package store

import (
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"
)

// Dialect is the kind of database a store runs on: what SQL it speaks (placeholders, row locks,
// types — its migrations' folder) and whether replicas share it.
type Dialect string

const (
	// SQLite is the embedded default: one process.
	SQLite Dialect = "sqlite"
	// Postgres is shared by replicas.
	Postgres Dialect = "postgres"
)

// Shared reports whether several replicas use the database at once: then a case's lock and a
// dead replica's jobs are the database's to keep and to find, not the process's.
func (d Dialect) Shared() bool { return d == Postgres }

func (d Dialect) goose() goose.Dialect {
	if d == Postgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// q adapts a query written with ? placeholders to the dialect's ($1, $2, … in Postgres).
func (d Dialect) q(query string) string {
	if d != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// forUpdate ends a SELECT of rows a transaction is going to write: in Postgres it locks them
// (one writer per case across replicas); SQLite has one writer anyway.
func (d Dialect) forUpdate() string {
	if d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}
