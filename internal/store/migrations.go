package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// The connector's tables are versioned migrations (goose, version table goose_db_version); River
// keeps its own tables with its own migrator. A migration is never edited once released: a change
// is a new version, so that a database of any earlier release is brought up to date in place.
//
// The schema's versions are SQL, one folder per dialect (migrations/sqlite, migrations/postgres):
// the same tables in each database's own types. The versions that rewrite data are Go, the same
// in both: 2 (rekeyConfirmations) and 7 (fillCaseColumns).

//go:embed migrations
var migrationFiles embed.FS

// migrations are the dialect's SQL migrations.
func (d Dialect) migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations/"+string(d))
	if err != nil {
		panic(err) // the folders are embedded: only a broken build gets here
	}
	return sub
}

// goMigrations are the versions that rewrite data, in Go.
func (s *Store) goMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(2, &goose.GoFunc{RunTx: s.rekeyConfirmations}, nil),
		goose.NewGoMigration(7, &goose.GoFunc{RunTx: s.fillCaseColumns}, nil),
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

// fillCaseColumns (version 7) fills the case list's columns (version 6) of the cases there are.
func (s *Store) fillCaseColumns(ctx context.Context, tx *sql.Tx) error {
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

func (s *Store) provider() (*goose.Provider, error) {
	return goose.NewProvider(s.dialect.goose(), s.db, s.dialect.migrations(), goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(s.goMigrations()...))
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
