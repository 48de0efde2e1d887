package core

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sqlitedb"
)

// Store keeps every resource as a JSON document in SQLite, with the few columns the list
// filters need. URLs inside documents are stored as paths (see urls.go), so that the data
// survives the sandbox moving to another address.
type Store struct{ db *sql.DB }

// A write request's changes are one transaction, committed before it is answered (Server.Write),
// as a zaaksysteem's are: every method works in the request's transaction when ctx carries one
// (InRequest), else on its own.

// querier is a transaction or the database.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txKey struct{}

// q is the request's transaction, or the database.
func (s *Store) q(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return s.db
}

// inTx runs fn in the request's transaction, or in one of its own.
func (s *Store) inTx(ctx context.Context, fn func(tx querier) error) error {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(tx)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// InRequest begins the transaction of a write request: the context to work in, and what ends
// it (commit: keep its changes).
func (s *Store) InRequest(ctx context.Context) (context.Context, func(commit bool) error, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return ctx, nil, err
	}
	return context.WithValue(ctx, txKey{}, tx), func(commit bool) error {
		if !commit {
			return tx.Rollback()
		}
		return tx.Commit()
	}, nil
}

// Doc is a resource: its JSON fields, keyed like the API.
type Doc = map[string]any

const schema = `
CREATE TABLE IF NOT EXISTS resources (
	seq   INTEGER PRIMARY KEY AUTOINCREMENT,
	kind  TEXT NOT NULL,
	uuid  TEXT NOT NULL UNIQUE,
	ref   TEXT NOT NULL DEFAULT '',
	ident TEXT NOT NULL DEFAULT '',
	body  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_kind_ref ON resources(kind, ref);
CREATE INDEX IF NOT EXISTS resources_kind_ident ON resources(kind, ident);
CREATE TABLE IF NOT EXISTS audit (
	seq   INTEGER PRIMARY KEY AUTOINCREMENT,
	hoofd TEXT NOT NULL,
	body  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_hoofd ON audit(hoofd);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`

// OpenStore opens (or creates) the store at path; sync: every commit durable before it returns.
func OpenStore(ctx context.Context, path string, sync bool) (*Store, error) {
	if err := private.SQLite(path); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	db, err := sqlitedb.Open(path, sync)
	if err != nil {
		return nil, err
	}
	// One connection: the sandbox serialises its writes anyway, and SQLite has one writer.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schema+notificationSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sandbox: creating the schema: %w", err)
	}
	return &Store{db: db.DB}, nil
}

func (s *Store) Close() error { return s.db.Close() }

var ErrNotFound = errors.New("not found")

// Insert stores a new resource: a Doc, or a typed resource (any value with a JSON form).
func (s *Store) Insert(ctx context.Context, kind, uuid, ref, ident string, d any) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = s.q(ctx).ExecContext(ctx, `INSERT INTO resources(kind, uuid, ref, ident, body) VALUES (?, ?, ?, ?, ?)`, kind, uuid, ref, ident, string(b))
	return err
}

func (s *Store) Update(ctx context.Context, uuid string, d any) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = s.q(ctx).ExecContext(ctx, `UPDATE resources SET body = ? WHERE uuid = ?`, string(b), uuid)
	return err
}

// UpdateIndexed also changes the indexed columns (a besluit moved to a zaak, a concept type
// renamed or moved).
func (s *Store) UpdateIndexed(ctx context.Context, uuid, ref, ident string, d any) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = s.q(ctx).ExecContext(ctx, `UPDATE resources SET body = ?, ref = ?, ident = ? WHERE uuid = ?`, string(b), ref, ident, uuid)
	return err
}

func (s *Store) Get(ctx context.Context, kind, uuid string) (Doc, error) {
	return GetAs[Doc](ctx, s, kind, uuid)
}

// one reads the document of a query for one row.
func (s *Store) one(ctx context.Context, query string, args ...any) (Doc, error) {
	return oneAs[Doc](ctx, s, query, args...)
}

// GetAs reads a typed resource: its stored JSON decoded into a T (a Doc for an untyped one).
func GetAs[T any](ctx context.Context, s *Store, kind, uuid string) (T, error) {
	return oneAs[T](ctx, s, `SELECT body FROM resources WHERE kind = ? AND uuid = ?`, kind, uuid)
}

// QueryAs is Query for a typed resource.
func QueryAs[T any](ctx context.Context, s *Store, kind, ref, ident string) ([]T, error) {
	q, args := resourceQuery(kind, ref, ident)
	return scanAs[T](s.q(ctx).QueryContext(ctx, q, args...))
}

// Query lists the resources of a kind in creation order, optionally with a ref or ident.
func (s *Store) Query(ctx context.Context, kind, ref, ident string) ([]Doc, error) {
	return QueryAs[Doc](ctx, s, kind, ref, ident)
}

// resourceQuery selects the resources of a kind in creation order, optionally with a ref or ident.
func resourceQuery(kind, ref, ident string) (string, []any) {
	q := `SELECT body FROM resources WHERE kind = ?`
	args := []any{kind}
	if ref != "" {
		q += ` AND ref = ?`
		args = append(args, ref)
	}
	if ident != "" {
		q += ` AND ident = ?`
		args = append(args, ident)
	}
	return q + ` ORDER BY seq`, args
}

// oneAs decodes the JSON body of a query for one row into a T.
func oneAs[T any](ctx context.Context, s *Store, query string, args ...any) (T, error) {
	var v T
	var body string
	err := s.q(ctx).QueryRowContext(ctx, query, args...).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal([]byte(body), &v)
}

// scanAs decodes rows of one JSON body column, each into a T.
func scanAs[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Next returns the next value of a named counter (identificatie numbers).
func (s *Store) Next(ctx context.Context, name string) (int64, error) {
	var v int64
	err := s.q(ctx).QueryRowContext(ctx, `INSERT INTO counters(name, value) VALUES (?, 1)
		ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`, name).Scan(&v)
	return v, err
}

func (s *Store) addAudit(ctx context.Context, hoofd string, d Doc) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = s.q(ctx).ExecContext(ctx, `INSERT INTO audit(hoofd, body) VALUES (?, ?)`, hoofd, string(b))
	return err
}

func (s *Store) audit(ctx context.Context, hoofd string) ([]Doc, error) {
	return scanAs[Doc](s.q(ctx).QueryContext(ctx, `SELECT body FROM audit WHERE hoofd = ? ORDER BY seq`, hoofd))
}

// DeleteWith deletes a resource, the resources of the given kinds that refer to it, and its audit
// trail, at once.
func (s *Store) DeleteWith(ctx context.Context, uuid, ref string, kinds []string) error {
	return s.inTx(ctx, func(tx querier) error {
		for _, kind := range kinds {
			if _, err := tx.ExecContext(ctx, `DELETE FROM resources WHERE kind = ? AND ref = ?`, kind, ref); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM resources WHERE uuid = ?`, uuid); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM audit WHERE hoofd = ?`, ref)
		return err
	})
}

// GetAny reads a resource by its uuid, whatever its kind.
func (s *Store) GetAny(ctx context.Context, uuid string) (Doc, error) {
	return s.one(ctx, `SELECT body FROM resources WHERE uuid = ?`, uuid)
}

// remove deletes one resource.
// Ref reads what a stored resource refers to (its ref: a part's document, a link's zaak).
func (s *Store) Ref(ctx context.Context, uuid string) (string, error) {
	var ref string
	err := s.q(ctx).QueryRowContext(ctx, `SELECT ref FROM resources WHERE uuid = ?`, uuid).Scan(&ref)
	return ref, err
}

func (s *Store) Remove(ctx context.Context, uuid string) error {
	_, err := s.q(ctx).ExecContext(ctx, `DELETE FROM resources WHERE uuid = ?`, uuid)
	return err
}
