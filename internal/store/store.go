// Package store keeps the connector's own state — cases, the record of every ZGW step, received
// e-mails — and River's job tables, in one database so that a state change and the job that acts
// on it commit together. The embedded default is SQLite (modernc.org/sqlite).
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sqlitedb"
)

// Store is the connector's database.
type Store struct {
	db       *sql.DB
	now      func() time.Time
	dialect  Dialect
	listener *pgxpool.Pool // Postgres: River's LISTEN connections

	// afterCommit are what InTx runs once a transaction ended (AfterCommit, AfterEnd).
	hooksMu     sync.Mutex
	afterCommit map[*sql.Tx][]func(committed bool)
	// locks are the case locks on SQLite (LockCase).
	locks caseLocks
	// watch is told of every case written, once committed (WatchCases).
	watch func(caseID string, state objection.State)
	// casesRead counts the case rows read and decoded (benchmarks: rows per request).
	casesRead atomic.Int64
	// commits counts the commits that wrote (SQLite: the driver counts them; nil on Postgres).
	commits func() int64
	// order lets acceptances write first on SQLite (urgent.go).
	order writeOrder
}

// Commits is how many commits wrote to the database since the store opened, River's included
// — each one durable write to the disk — and whether they are counted (on SQLite; not on
// Postgres, where the server's statistics do not tell writing commits from reading ones).
func (s *Store) Commits() (int64, bool) {
	if s.commits == nil {
		return 0, false
	}
	return s.commits(), true
}

// CasesRead is how many case rows the store has read and decoded so far.
func (s *Store) CasesRead() int64 { return s.casesRead.Load() }

// ErrNotFound is returned for a missing case or confirmation.
var ErrNotFound = errors.New("not found")

// OpenSQLite opens (creating and migrating) the SQLite database at path: the embedded default,
// for one process.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	if err := private.SQLite(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := sqlitedb.Open(path, true) // an accepted decision survives an OS crash
	if err != nil {
		return nil, err
	}
	// SQLite has one writer; River's SQLite driver wants a single connection as well.
	db.SetMaxOpenConns(1)
	s := &Store{db: db.DB, now: nowUTC, dialect: SQLite, commits: db.Commits}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Migrate creates or updates the connector's tables and River's. On Postgres, replicas starting
// together take turns (an advisory lock).
func (s *Store) Migrate(ctx context.Context) error {
	if s.dialect.Shared() {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, s.q(`SELECT pg_advisory_lock($1)`), migrationLock); err != nil {
			return fmt.Errorf("store: waiting for the migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	if err := s.migrateSchema(ctx); err != nil {
		return err
	}
	migrator, err := rivermigrate.New(s.RiverDriver(), nil)
	if err != nil {
		return err
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store: River migrations: %w", err)
	}
	return nil
}

// migrationLock is the advisory lock key of migrations.
const migrationLock = 7_313_001

// RiverDriver is River's driver for this database; jobs are inserted in the store's *sql.Tx.
func (s *Store) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if s.dialect == Postgres {
		return riverdatabasesql.NewWithPgxListener(s.db, s.listener)
	}
	return sqliteDriver{riversqlite.New(s.db)}
}

// sqliteDriver is River's SQLite driver without its emulated LISTEN/NOTIFY: that writes a row per
// inserted job to a table its listener polls every 50ms. One process uses a SQLite database, so the
// engine wakes its workers itself after a commit (workflow's wake), at once, and writes nothing
// for it; River's own poll (FetchPollInterval) remains the fallback.
type sqliteDriver struct{ *riversqlite.Driver }

func (sqliteDriver) SupportsListener() bool     { return false }
func (sqliteDriver) SupportsListenNotify() bool { return false }

// DB is the database.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect is the kind of database the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes the database.
func (s *Store) Close() error {
	if s.listener != nil {
		s.listener.Close()
	}
	return s.db.Close()
}

// q adapts a query written with ? placeholders to the database's.
func (s *Store) q(query string) string { return s.dialect.q(query) }

// IsUniqueViolation reports whether err is a unique constraint violation (two writers racing
// to insert the same decision or e-mail).
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505" // SQLSTATE unique_violation
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// InTx runs fn in a transaction, committing when it returns nil. On SQLite an acceptance
// (Urgent) begins before the transactions that can wait (urgent.go).
func (s *Store) InTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	leave := func() {}
	if !s.dialect.Shared() {
		leave = s.order.enter(isUrgent(ctx))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		leave()
		return err
	}
	committed := false
	defer func() {
		leave() // before the hooks: what they start may write
		for _, hook := range s.takeHooks(tx) {
			hook(committed)
		}
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// AfterCommit has fn run once tx (a transaction of InTx) has committed, and never when it does
// not: to act on what the transaction made visible.
func (s *Store) AfterCommit(tx *sql.Tx, fn func()) {
	s.AfterEnd(tx, func(committed bool) {
		if committed {
			fn()
		}
	})
}

// AfterEnd has fn run once tx (a transaction of InTx) has ended, told whether it committed: to
// give back what was held for it either way.
func (s *Store) AfterEnd(tx *sql.Tx, fn func(committed bool)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	if s.afterCommit == nil {
		s.afterCommit = map[*sql.Tx][]func(bool){}
	}
	s.afterCommit[tx] = append(s.afterCommit[tx], fn)
}

func (s *Store) takeHooks(tx *sql.Tx) []func(bool) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	hooks := s.afterCommit[tx]
	delete(s.afterCommit, tx)
	return hooks
}

// WatchCases has fn told of every case this store writes, with its new state, once the
// transaction has committed — for a caller waiting for a case to change (instead of polling).
// Set it before the store is used; fn runs in the writer's goroutine and must not block.
func (s *Store) WatchCases(fn func(caseID string, state objection.State)) { s.watch = fn }

func (s *Store) caseWritten(tx *sql.Tx, c *objection.Case) {
	if watch := s.watch; watch != nil {
		id, state := c.ID, c.State()
		s.AfterCommit(tx, func() { watch(id, state) })
	}
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// InsertCase stores a new case in tx, with the fingerprint of its decision.
func (s *Store) InsertCase(ctx context.Context, tx *sql.Tx, c *objection.Case, fingerprint string) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	due, filed := listColumns(c)
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO cases(id, reference, fingerprint, state, body, created_at, due_at, all_filed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.Decision.Reference, fingerprint, string(c.State()), string(body), ts(c.CreatedAt), due, filed)
	s.caseWritten(tx, c)
	return err
}

// CaseByReference finds the case of a decision reference, with the fingerprint of its decision.
func (s *Store) CaseByReference(ctx context.Context, tx *sql.Tx, reference string) (*objection.Case, string, error) {
	var body, fp string
	err := tx.QueryRowContext(ctx, s.q(`SELECT body, fingerprint FROM cases WHERE reference = ?`), reference).Scan(&body, &fp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCase(body)
	return c, fp, err
}

// GetCase reads a case.
func (s *Store) GetCase(ctx context.Context, id string) (*objection.Case, error) {
	return s.getCase(ctx, s.db, id)
}

func (s *Store) getCase(ctx context.Context, q queryer, id string) (*objection.Case, error) {
	query := `SELECT body FROM cases WHERE id = ?`
	if _, inTx := q.(*sql.Tx); inTx {
		query += s.dialect.forUpdate()
	}
	var body string
	err := q.QueryRowContext(ctx, s.q(query), id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return decodeCase(body)
}

func decodeCase(body string) (*objection.Case, error) {
	var c objection.Case
	return &c, json.Unmarshal([]byte(body), &c)
}

// readCase decodes a case row read by a listing, counting it.
func (s *Store) readCase(body string) (*objection.Case, error) {
	s.casesRead.Add(1)
	return decodeCase(body)
}

// ListCases lists the cases, newest first, optionally only those in the given states.
func (s *Store) ListCases(ctx context.Context, states ...objection.State) ([]*objection.Case, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT body, state FROM cases ORDER BY created_at DESC, id`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*objection.Case
	for rows.Next() {
		var body, state string
		if err := rows.Scan(&body, &state); err != nil {
			return nil, err
		}
		if len(states) > 0 && !slices.Contains(states, objection.State(state)) {
			continue
		}
		c, err := s.readCase(body)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// saveCase writes, in tx, a case read with getCase (UpdateCaseTx).
func (s *Store) saveCase(ctx context.Context, tx *sql.Tx, c *objection.Case) error {
	c.UpdatedAt = s.now().UTC()
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	due, filed := listColumns(c)
	_, err = tx.ExecContext(ctx, s.q(`UPDATE cases SET body = ?, state = ?, due_at = ?, all_filed = ? WHERE id = ?`), string(body), string(c.State()), due, filed, c.ID)
	s.caseWritten(tx, c)
	return err
}

// UpdateCase changes a case with fn inside a transaction (read, change, write), so that
// concurrent updates of one case do not overwrite each other.
func (s *Store) UpdateCase(ctx context.Context, id string, fn func(c *objection.Case) error) (*objection.Case, error) {
	return s.UpdateCaseTx(ctx, id, func(_ *sql.Tx, c *objection.Case) error { return fn(c) })
}

// UpdateCaseTx is UpdateCase with the transaction at hand, to insert a job along with the change.
func (s *Store) UpdateCaseTx(ctx context.Context, id string, fn func(tx *sql.Tx, c *objection.Case) error) (*objection.Case, error) {
	var out *objection.Case
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.getCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, c); err != nil {
			return err
		}
		out = c
		return s.saveCase(ctx, tx, c)
	})
	return out, err
}

// Step is the record of one ZGW effect of a case: intended (about to be sent, or sent without
// a clear answer) or done, with its result (usually the URL of what was created).
type Step struct {
	Intended bool
	Done     bool
	Result   string
	// IntendedAt is when the request of a step not done was last about to be sent.
	IntendedAt time.Time
}

// GetStep reads the record of a step.
func (s *Store) GetStep(ctx context.Context, caseID, name string) (Step, error) {
	var done int
	var result, at string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT done, result, updated_at FROM steps WHERE case_id = ? AND name = ?`), caseID, name).Scan(&done, &result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Step{}, nil
	}
	if err != nil {
		return Step{}, err
	}
	// A time that does not read is taken as long ago: the effect is looked up at once, as before
	// intents had a time that counted.
	intendedAt, _ := time.Parse(time.RFC3339Nano, at)
	return Step{Intended: true, Done: done == 1, Result: result, IntendedAt: intendedAt}, nil
}

// StepResult is a step's outcome to record: its result and the event that tells of it (under
// EventKey, so that it is recorded once; none when Event is nil).
type StepResult struct {
	Name, Result, EventKey string
	Event                  *objection.Event
}

// IntendStepsTx records, in tx, that requests are about to be sent: whoever finds such an intent
// after a crash knows to look for its request's effect before sending it again. Again for a step
// intended before (its earlier request had no effect): the time is that of the request about to
// be sent.
func (s *Store) IntendStepsTx(ctx context.Context, tx *sql.Tx, caseID string, names []string) error {
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO steps(case_id, name, updated_at) VALUES (?, ?, ?)
		ON CONFLICT(case_id, name) DO UPDATE SET updated_at = excluded.updated_at WHERE steps.done = 0`),
			caseID, name, ts(s.now())); err != nil {
			return err
		}
	}
	return nil
}

// WithdrawIntentTx forgets, in tx, the intent of a step not done: its request was refused or
// never arrived, so there is no effect to look for before sending it again.
func (s *Store) WithdrawIntentTx(ctx context.Context, tx *sql.Tx, caseID, name string) error {
	_, err := tx.ExecContext(ctx, s.q(`DELETE FROM steps WHERE case_id = ? AND name = ? AND done = 0`), caseID, name)
	return err
}

// CompleteStepsTx records the results of steps within a transaction (a case's update).
func (s *Store) CompleteStepsTx(ctx context.Context, tx *sql.Tx, caseID string, done []StepResult) error {
	for _, r := range done {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO steps(case_id, name, done, result, updated_at) VALUES (?, ?, 1, ?, ?)
		ON CONFLICT(case_id, name) DO UPDATE SET done = 1, result = excluded.result, updated_at = excluded.updated_at`),
			caseID, r.Name, r.Result, ts(s.now())); err != nil {
			return err
		}
		if r.Event != nil {
			if err := s.AddEvent(ctx, tx, r.EventKey, *r.Event); err != nil {
				return err
			}
		}
	}
	return nil
}

func nowUTC() time.Time { return time.Now().UTC() }
