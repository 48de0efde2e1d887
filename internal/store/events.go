package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// AddEvent records an event of a case in tx (or, with tx nil, on its own). key makes it
// idempotent: an event with a key recorded before is not recorded again.
func (s *Store) AddEvent(ctx context.Context, tx *sql.Tx, key string, ev objection.Event) error {
	var q queryer = s.db
	if tx != nil {
		q = tx
	}
	_, err := q.ExecContext(ctx, s.q(`INSERT INTO events(case_id, key, at, actor, type, detail) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(case_id, key) DO NOTHING`), ev.CaseID, key, ts(ev.At), ev.Actor, ev.Type, ev.Detail)
	return err
}

// HasEvent reports whether an event with key was recorded for a case.
func (s *Store) HasEvent(ctx context.Context, caseID, key string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM events WHERE case_id = ? AND key = ?`), caseID, key).Scan(&n)
	return n > 0, err
}

// Events lists the history of a case, oldest first.
func (s *Store) Events(ctx context.Context, caseID string) ([]objection.Event, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, at, actor, type, detail FROM events WHERE case_id = ? ORDER BY seq`), caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []objection.Event{}
	for rows.Next() {
		ev := objection.Event{CaseID: caseID}
		var at string
		if err := rows.Scan(&ev.Seq, &at, &ev.Actor, &ev.Type, &ev.Detail); err != nil {
			return nil, err
		}
		if ev.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// InsertAttachment keeps a received file in tx until it is in the zaaksysteem.
func (s *Store) InsertAttachment(ctx context.Context, tx *sql.Tx, a objection.Attachment, data []byte) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO attachments(id, case_id, name, content_type, size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.CaseID, a.Name, a.ContentType, a.Size, a.SHA256, data, ts(s.now()))
	return err
}

// Attachment reads a kept file.
func (s *Store) Attachment(ctx context.Context, id string) (objection.Attachment, []byte, error) {
	a := objection.Attachment{ID: id}
	var data []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT case_id, name, content_type, size, sha256, data FROM attachments WHERE id = ?`), id).
		Scan(&a.CaseID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, ErrNotFound
	}
	return a, data, err
}
