package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
)

// TestUpgradeFromTheFirstRelease: a database as the first release left it (its tables, no version
// table, e-mails keyed by Message-ID) is migrated in place: nothing lost, and the e-mails keyed
// by their DKIM signature, so that a copy with another Message-ID is no longer a new mail.
func TestUpgradeFromTheFirstRelease(t *testing.T) {
	signer, err := meta.NewSampleSigner("up1")
	if err != nil {
		t.Fatal(err)
	}
	checker := &meta.Checker{Limits: meta.DefaultLimits(), Senders: meta.DefaultSenders(), Phrases: meta.DefaultPhrases(), Keys: signer.Keys(meta.DefaultSenders())}
	genuine, err := signer.Make(meta.Sample{Platform: objection.Facebook, To: "communicatie@voorbeeldstad.nl", Account: "Gemeente Voorbeeldstad", Kind: meta.KindHonoured})
	if err != nil {
		t.Fatal(err)
	}
	replay := regexp.MustCompile(`(?m)^Message-ID: .*\r$`).ReplaceAll(bytes.Clone(genuine), []byte("Message-ID: <replay@facebookmail.com>\r"))
	_, verdict, err := checker.Check(genuine)
	if err != nil || !verdict.Authentic {
		t.Fatal(err, verdict.Reason)
	}

	for _, db := range oldDatabases {
		t.Run(string(db.dialect), func(t *testing.T) {
			ctx := context.Background()
			old, target := db.open(t)
			// The first release's tables, as it made them (its statements are version 1's).
			first, err := fs.ReadFile(db.dialect.migrations(), "00001_first_release.sql")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := old.Exec(string(first)); err != nil {
				t.Fatal(err)
			}
			ph := db.dialect.q
			if _, err := old.Exec(ph(`INSERT INTO cases(id, reference, fingerprint, state, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
				"case-1", "B&W-OLD", "fp", "awaiting_confirmation", `{"id":"case-1","state":"awaiting_confirmation","dueAt":"2025-05-27T21:59:59Z",
				"accounts":[{"platform":"facebook","name":"Gemeente Voorbeeldstad"}]}`, "2025-05-14T10:00:00Z"); err != nil {
				t.Fatal(err)
			}
			for i, eml := range [][]byte{genuine, replay} {
				body := fmt.Sprintf(`{"id":"conf-%d","state":"attached","verdict":{"authentic":true,"domain":"facebookmail.com"}}`, i)
				if _, err := old.Exec(ph(`INSERT INTO confirmations(id, case_id, key, state, body, eml, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
					fmt.Sprintf("conf-%d", i), "case-1", fmt.Sprintf("mid:%d@facebookmail.com", i), "attached", body, eml, fmt.Sprintf("2025-05-14T10:0%d:00Z", i)); err != nil {
					t.Fatal(err)
				}
			}
			s := upgraded(ctx, t, old, db.reopen, target)
			defer s.Close()
			if c, err := s.GetCase(ctx, "case-1"); err != nil || c.State() != objection.StateAwaitingConfirmation {
				t.Fatalf("the case after the upgrade: %+v %v", c, err)
			}
			// Its list columns were filled from its JSON: the database finds it overdue.
			yes := true
			if overdue, n, err := s.CasesPage(ctx, objection.CaseFilter{Overdue: &yes}, time.Now(), objection.Page{Number: 1, Size: 10}); err != nil || n != 1 || len(overdue) != 1 || !overdue[0].Overdue {
				t.Errorf("overdue cases after the upgrade: %d %v %v", n, overdue, err)
			}
			err = s.InTx(ctx, func(tx *sql.Tx) error {
				first, err := s.ConfirmationByKey(ctx, tx, verdict.Key())
				if err != nil {
					return fmt.Errorf("the genuine mail under its signature key: %w", err)
				}
				if first.ID != "conf-0" {
					return fmt.Errorf("the key went to %s, want the older conf-0", first.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range [][]byte{genuine, replay} {
				got, err := s.ConfirmationEML(ctx, fmt.Sprintf("conf-%d", i))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("conf-%d: the e-mail changed in the upgrade (%v)", i, err)
				}
			}
			// Opening again changes nothing.
			s.Close()
			if s, err = db.reopen(ctx, target); err != nil {
				t.Fatalf("second open: %v", err)
			}
		})
	}
}

// TestUpgradeFromThePreviousRelease: a database of the release before the case list moved into
// SQL (schema version 5, cases as JSON only) is brought to the newest version in place: its
// cases get their list columns, and the database answers the list as the domain's rule says.
func TestUpgradeFromThePreviousRelease(t *testing.T) {
	ctx := context.Background()
	for _, db := range oldDatabases {
		t.Run(string(db.dialect), func(t *testing.T) {
			old, target := db.open(t)
			// The previous release's schema: versions 1 to 5.
			previous := &Store{db: old, dialect: db.dialect, now: nowUTC}
			p, err := previous.provider()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 5); err != nil {
				t.Fatal(err)
			}
			due := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
			for i, body := range []string{
				`{"id":"late","state":"awaiting_confirmation","dueAt":"` + due + `","accounts":[{"platform":"facebook","name":"A"}]}`,
				`{"id":"filed","state":"awaiting_confirmation","dueAt":"` + due + `","accounts":[{"platform":"facebook","name":"A","filedAt":"` + due + `"}]}`,
				`{"id":"closed","state":"closed","dueAt":"` + due + `","accounts":[{"platform":"facebook","name":"A"}]}`,
			} {
				id := []string{"late", "filed", "closed"}[i]
				if _, err := old.Exec(db.dialect.q(`INSERT INTO cases(id, reference, fingerprint, state, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
					id, "R-"+id, "fp", map[bool]string{true: "closed", false: "awaiting_confirmation"}[id == "closed"], body, fmt.Sprintf("2026-12-0%dT10:00:00Z", i+1)); err != nil {
					t.Fatal(err)
				}
			}
			s := upgraded(ctx, t, old, db.reopen, target)
			defer s.Close()
			yes, no := true, false
			for _, tc := range []struct {
				overdue *bool
				want    []string
			}{{&yes, []string{"late"}}, {&no, []string{"closed", "filed"}}, {nil, []string{"closed", "filed", "late"}}} {
				cases, n, err := s.CasesPage(ctx, objection.CaseFilter{Overdue: tc.overdue}, time.Now(), objection.Page{Number: 1, Size: 10})
				var got []string
				for _, c := range cases {
					got = append(got, c.ID)
				}
				if err != nil || n != len(tc.want) || strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Errorf("overdue %v: %v (%d, %v), want %v", tc.overdue, got, n, err, tc.want)
				}
			}
		})
	}
}

// upgraded closes a database as an earlier release left it and opens it as this release's store,
// which migrates it to the newest schema version.
func upgraded(ctx context.Context, t *testing.T, old *sql.DB, reopen func(context.Context, string) (*Store, error), target string) *Store {
	t.Helper()
	old.Close()
	s, err := reopen(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != 7 {
		s.Close()
		t.Fatalf("schema version %d, %v", v, err)
	}
	return s
}

// oldDatabases open an empty database of each dialect as an earlier release would find it (no
// store of this release on it yet), and reopen it as this release's store.
var oldDatabases = []struct {
	dialect Dialect
	open    func(t *testing.T) (*sql.DB, string)
	reopen  func(ctx context.Context, target string) (*Store, error)
}{
	{SQLite, func(t *testing.T) (*sql.DB, string) {
		path := filepath.Join(t.TempDir(), "connector.db")
		d, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		return d, path
	}, OpenSQLite},
	{Postgres, func(t *testing.T) (*sql.DB, string) {
		url := storetest.PostgresURL(t)
		d, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		return d, url
	}, OpenPostgres},
}
