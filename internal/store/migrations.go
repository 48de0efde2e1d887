package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// The connector's tables are versioned migrations (goose, version table goose_db_version); River
// keeps its own tables with its own migrator. A migration is never edited once released: a change
// is a new version, so that a database of any earlier release is brought up to date in place.
//
// Version 1 is the schema of the first release, which created its tables without a version
// table: its statements are idempotent, so such a database takes version 1 as it is.

// schemaV1 is the first release's schema; %[1]s is the binary type (BLOB in SQLite, BYTEA in
// Postgres).
const schemaV1 = `
CREATE TABLE IF NOT EXISTS cases (
	id          TEXT PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,
	fingerprint TEXT NOT NULL,
	state       TEXT NOT NULL,
	body        TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
	case_id    TEXT NOT NULL,
	name       TEXT NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0,
	result     TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	PRIMARY KEY (case_id, name)
);
CREATE TABLE IF NOT EXISTS confirmations (
	id         TEXT PRIMARY KEY,
	case_id    TEXT NOT NULL DEFAULT '',
	key        TEXT NOT NULL UNIQUE,
	state      TEXT NOT NULL,
	body       TEXT NOT NULL,
	eml        %[1]s NOT NULL,
	forward    %[1]s,
	created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmations_case ON confirmations(case_id);
CREATE INDEX IF NOT EXISTS confirmations_state ON confirmations(state);
`

// schemaV3 adds the case's history and the files received with requests (a decision's
// document, evidence) until they are in the zaaksysteem. %[1]s is the binary type, %[2]s an
// auto-incrementing key. An event's key makes recording it idempotent (a step's event is
// recorded again, harmlessly, when its job is retried).
const schemaV3 = `
CREATE TABLE events (
	seq     %[2]s,
	case_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	at      TEXT NOT NULL,
	actor   TEXT NOT NULL,
	type    TEXT NOT NULL,
	detail  TEXT NOT NULL,
	UNIQUE (case_id, key)
);
CREATE TABLE attachments (
	id           TEXT PRIMARY KEY,
	case_id      TEXT NOT NULL,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	data         %[1]s NOT NULL,
	created_at   TEXT NOT NULL
);
`

// schemaV4 keeps the web console's sessions on the server (the scs session library's layout):
// signing in on one replica holds on every other. %[1]s is the binary type, %[2]s the expiry's.
const schemaV4 = `
CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   %[1]s NOT NULL,
	expiry %[2]s NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions(expiry);
`

// schemaV5 keeps what the connector knows of its own place in the zaaksysteem, such as its
// abonnement at the Notificaties API.
const schemaV5 = `
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`

// schemaV6 gives the case list what it filters and orders by as columns, so that the database
// answers a page of it: the deadline (due_at, fixed-width UTC, empty when none) and whether every
// account is filed (all_filed); the state and the creation time are columns already. The
// columns of existing cases are filled from their JSON (fillCaseColumns).
const schemaV6 = `
ALTER TABLE cases ADD COLUMN due_at TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN all_filed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_state_created ON cases(state, created_at);
CREATE INDEX cases_due ON cases(due_at);
`

// fillCaseColumns (version 6) fills the new columns of the cases there are.
func (s *Store) fillCaseColumns(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaV6); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT body FROM cases`)
	if err != nil {
		return err
	}
	var cases []*objection.Case
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			rows.Close()
			return err
		}
		c, err := decodeCase(body)
		if err != nil {
			rows.Close()
			return err
		}
		cases = append(cases, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cases {
		due, filed := listColumns(c)
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE cases SET due_at = ?, all_filed = ? WHERE id = ?`), due, filed, c.ID); err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
	}
	return nil
}

// serial is the type of an auto-incrementing key.
func (s *Store) serial() string {
	if s.postgres {
		return "BIGSERIAL PRIMARY KEY"
	}
	return "INTEGER PRIMARY KEY AUTOINCREMENT"
}

// migrations are the connector's schema versions, in order.
func (s *Store) migrations() []*goose.Migration {
	binary := "BLOB"
	if s.postgres {
		binary = "BYTEA"
	}
	return []*goose.Migration{
		goose.NewGoMigration(1, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf(schemaV1, binary))
			return err
		}}, nil),
		goose.NewGoMigration(2, &goose.GoFunc{RunTx: s.rekeyConfirmations}, nil),
		goose.NewGoMigration(3, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf(schemaV3, binary, s.serial()))
			return err
		}}, nil),
		goose.NewGoMigration(4, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			expiry := "REAL" // a Julian day, as the session library's SQLite store keeps it
			if s.postgres {
				expiry = "TIMESTAMPTZ"
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(schemaV4, binary, expiry))
			return err
		}}, nil),
		goose.NewGoMigration(5, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, schemaV5)
			return err
		}}, nil),
		goose.NewGoMigration(6, &goose.GoFunc{RunTx: s.fillCaseColumns}, nil),
	}
}

// rekeyConfirmations (version 2): the first release knew a received e-mail again by its
// Message-ID, which Meta does not sign, so a copy with another Message-ID passed as a new mail.
// Authentic mails are now known by their DKIM signature (meta.Verdict.Key): give the stored ones
// that key. Of two stored copies of one signed mail, the older keeps it and the younger is keyed
// apart (it stays readable, but no longer claims the mail).
func (s *Store) rekeyConfirmations(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, key, body, eml FROM confirmations WHERE key LIKE 'mid:%' ORDER BY created_at, id`)
	if err != nil {
		return err
	}
	type rekey struct{ id, key string }
	var todo []rekey
	for rows.Next() {
		var id, key, body string
		var eml []byte
		if err := rows.Scan(&id, &key, &body, &eml); err != nil {
			rows.Close()
			return err
		}
		var rec struct {
			Verdict struct {
				Domain string `json:"domain"`
			} `json:"verdict"`
		}
		if err := json.Unmarshal([]byte(body), &rec); err != nil {
			rows.Close()
			return fmt.Errorf("confirmation %s: %w", id, err)
		}
		if k := meta.SignatureKey(eml, rec.Verdict.Domain); k != "" {
			todo = append(todo, rekey{id, k})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	taken := map[string]bool{}
	for _, r := range todo {
		key := r.key
		if taken[key] {
			key = "superseded:" + r.id + ":" + strings.TrimPrefix(key, "dkim:")
		}
		taken[r.key] = true
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE confirmations SET key = ? WHERE id = ?`), key, r.id); err != nil {
			return fmt.Errorf("confirmation %s: %w", r.id, err)
		}
	}
	return nil
}

func (s *Store) provider() (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	if s.postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, s.db, nil, goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(s.migrations()...))
}

// migrateSchema brings the connector's tables to the newest version.
func (s *Store) migrateSchema(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: schema: %w", err)
	}
	return nil
}

// SchemaVersion is the version of the connector's tables.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}
