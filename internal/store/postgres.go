package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql
)

// OpenPostgres opens (and migrates) a Postgres database that several replicas share.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(20)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connecting to Postgres: %w", err)
	}
	listener, err := pgxpool.New(ctx, url)
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db, postgres: true, listener: listener, now: nowUTC}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// LockCase takes the case's lock for the duration of one job, so that no two replicas work on
// one case at the same time. On Postgres it is an advisory lock on a connection of its own,
// released by unlock — or by Postgres when a killed replica's connection drops. SQLite serves
// one process, where River already runs a case's job once at a time.
func (s *Store) LockCase(ctx context.Context, caseID string) (unlock func(), ok bool, err error) {
	if !s.postgres {
		return func() {}, true, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	h := fnv.New64a()
	h.Write([]byte(caseID))
	key := int64(h.Sum64())
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
		conn.Close()
	}, true, nil
}
