package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql
)

// OpenPostgres opens (and migrates) a Postgres database that several replicas share.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	// Connections are kept, not closed after use: database/sql keeps 2 idle by default, so
	// concurrent jobs (each holding one for its case lock, and taking more for their writes)
	// opened and closed a Postgres connection for nearly every query.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
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

// lockWait is how long LockCase waits for a case's lock held by another job.
const lockWait = 2 * time.Second

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
	// Wait a little for the lock: the case's next job usually starts while the one before it
	// still holds the lock for a moment (its last write done, its lock not yet let go). A lock held
	// longer answers "not now", and the job comes back later.
	waitCtx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	_, err = conn.ExecContext(waitCtx, `SELECT pg_advisory_lock($1)`, key)
	if err != nil {
		// The connection is closed, not pooled: a lock granted just as the wait was given up
		// must not stay held by a pooled connection; Postgres lets it go with the session.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
		if waitCtx.Err() != nil && ctx.Err() == nil {
			return nil, false, nil // held by another job for longer than lockWait
		}
		return nil, false, err
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
		conn.Close()
	}, true, nil
}
