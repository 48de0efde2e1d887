package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// InsertConfirmation stores a received e-mail (the original, byte for byte, and the forward that
// carried it, if any) with its record in tx. The key is unique: a second insert of the same
// e-mail fails, and ConfirmationByKey finds the first.
func (s *Store) InsertConfirmation(ctx context.Context, tx *sql.Tx, c *objection.Confirmation, eml, forward []byte) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO confirmations(id, case_id, key, state, body, eml, forward, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.CaseID, c.Key, string(c.State), string(body), eml, forward, ts(c.CreatedAt))
	return err
}

// ConfirmationByKey finds an e-mail received before.
func (s *Store) ConfirmationByKey(ctx context.Context, tx *sql.Tx, key string) (*objection.Confirmation, error) {
	return scanConfirmation(tx.QueryRowContext(ctx, s.q(`SELECT body, key FROM confirmations WHERE key = ?`), key))
}

// GetConfirmationTx reads the record of an e-mail in a transaction.
func (s *Store) GetConfirmationTx(ctx context.Context, tx *sql.Tx, id string) (*objection.Confirmation, error) {
	return scanConfirmation(tx.QueryRowContext(ctx, s.q(`SELECT body, key FROM confirmations WHERE id = ?`), id))
}

// GetConfirmation reads the record of an e-mail.
func (s *Store) GetConfirmation(ctx context.Context, id string) (*objection.Confirmation, error) {
	return scanConfirmation(s.db.QueryRowContext(ctx, s.q(`SELECT body, key FROM confirmations WHERE id = ?`), id))
}

func scanConfirmation(row *sql.Row) (*objection.Confirmation, error) {
	var body, key string
	err := row.Scan(&body, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var c objection.Confirmation
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return nil, err
	}
	c.Key = key
	return &c, nil
}

// ConfirmationEML returns the stored bytes of an e-mail, unchanged.
func (s *Store) ConfirmationEML(ctx context.Context, id string) ([]byte, error) {
	var eml []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT eml FROM confirmations WHERE id = ?`), id).Scan(&eml)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return eml, err
}

// SaveConfirmation writes a changed record (state, document URL).
func (s *Store) SaveConfirmation(ctx context.Context, c *objection.Confirmation) error {
	return s.saveConfirmation(ctx, s.db, c)
}

// SaveConfirmationTx is SaveConfirmation in a transaction.
func (s *Store) SaveConfirmationTx(ctx context.Context, tx *sql.Tx, c *objection.Confirmation) error {
	return s.saveConfirmation(ctx, tx, c)
}

func (s *Store) saveConfirmation(ctx context.Context, q queryer, c *objection.Confirmation) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.q(`UPDATE confirmations SET state = ?, body = ?, case_id = ? WHERE id = ?`), string(c.State), string(body), c.CaseID, c.ID)
	return err
}

// QuarantinedConfirmations lists a page of the refused e-mails kept for review, oldest first,
// with how many there are in all. Anyone can send mail to an intake mailbox, so the list is
// read a page at a time.
func (s *Store) QuarantinedConfirmations(ctx context.Context, p objection.Page) ([]*objection.Confirmation, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM confirmations WHERE state = ?`), string(objection.ConfirmationQuarantined)).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err := scanConfirmations(s.db.QueryContext(ctx, s.q(`SELECT body, key FROM confirmations WHERE state = ? ORDER BY created_at, id LIMIT ? OFFSET ?`),
		string(objection.ConfirmationQuarantined), p.Size, p.Offset()))
	return list, total, err
}

// ListConfirmations lists the e-mails of a case ("" lists those of no case), oldest first.
func (s *Store) ListConfirmations(ctx context.Context, caseID string) ([]*objection.Confirmation, error) {
	return scanConfirmations(s.db.QueryContext(ctx, s.q(`SELECT body, key FROM confirmations WHERE case_id = ? ORDER BY created_at, id`), caseID))
}

func scanConfirmations(rows *sql.Rows, err error) ([]*objection.Confirmation, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*objection.Confirmation
	for rows.Next() {
		var body, key string
		if err := rows.Scan(&body, &key); err != nil {
			return nil, err
		}
		var c objection.Confirmation
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, err
		}
		c.Key = key
		out = append(out, &c)
	}
	return out, rows.Err()
}
