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
	s := &Store{db: db, dialect: Postgres, listener: listener, now: nowUTC}
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
// one process: there it is a lock in the process (caselocks.go).
func (s *Store) LockCase(ctx context.Context, caseID string) (unlock func(), ok bool, err error) {
	if !s.dialect.Shared() {
		return s.locks.lock(ctx, caseID, lockWait)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	key := caseLockKey(caseID)
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

// caseLockKey is the advisory lock key of a case.
func caseLockKey(caseID string) int64 {
	h := fnv.New64a()
	h.Write([]byte(caseID))
	return int64(h.Sum64())
}

// RescueOrphans hands back the jobs of a case whose lock nobody holds: the running jobs, and the
// jobs tagged here that wait as the record of a run here (runNow). A case's job holds its case's
// lock while it runs, and so does a run here, and Postgres lets a lock go with the connection of
// a replica that died — so such a job's replica is gone. (River's own rescue waits for the job's
// timeout, an hour; a run's record is due as late.) The job becomes available after delay, by
// when every request the dead replica sent has landed. Only jobs running, or waiting, for longer
// than grace are looked at (a job takes its lock right after it is fetched, a run right after its
// job was committed), and only those caseOf names a case for. The lock is held while the job is
// handed back, so that no replica takes the case meanwhile.
func (s *Store) RescueOrphans(ctx context.Context, grace, delay time.Duration, here string, caseOf func(ctx context.Context, kind string, args []byte) string) (int, error) {
	if !s.dialect.Shared() {
		return 0, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, args, state, coalesce(attempted_at, created_at) FROM river_job
		WHERE state = 'running' AND attempted_at < now() - make_interval(secs => $1)
		OR state = 'scheduled' AND $2 = ANY(tags) AND created_at < now() - make_interval(secs => $1)`, grace.Seconds(), here)
	if err != nil {
		return 0, err
	}
	type orphan struct {
		id    int64
		kind  string
		args  []byte
		state string
		since time.Time
	}
	var jobs []orphan
	for rows.Next() {
		var j orphan
		if err := rows.Scan(&j.id, &j.kind, &j.args, &j.state, &j.since); err != nil {
			rows.Close()
			return 0, err
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rescued := 0
	for _, j := range jobs {
		caseID := caseOf(ctx, j.kind, j.args)
		if caseID == "" {
			continue
		}
		ok, err := s.handBack(ctx, caseLockKey(caseID), j.id, j.state, j.since, delay)
		if err != nil {
			return rescued, err
		}
		if ok {
			rescued++
		}
	}
	return rescued, nil
}

// handBack makes a job found in state since then available when its case's lock is free,
// holding the lock meanwhile.
func (s *Store) handBack(ctx context.Context, key, jobID int64, state string, since time.Time, delay time.Duration) (bool, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var free bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&free); err != nil || !free {
		return false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	res, err := conn.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now() + make_interval(secs => $3)
		WHERE id = $1 AND state = $4 AND coalesce(attempted_at, created_at) = $2`, jobID, since, delay.Seconds(), state)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
