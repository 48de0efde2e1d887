package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// notificationSchema keeps published notifications and their deliveries: one row per
// abonnement, sent until the callback answers 2xx, with backoff between attempts.
const notificationSchema = `
CREATE TABLE IF NOT EXISTS notifications (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	body       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	notification INTEGER NOT NULL,
	abonnement   TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      TEXT NOT NULL,
	delivered_at TEXT NOT NULL DEFAULT '',
	gave_up      INTEGER NOT NULL DEFAULT 0,
	last_status  INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries(delivered_at, gave_up, next_at);
`

// timeFormat sorts as text, so that the due deliveries are one range query.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func (s *Store) addNotification(ctx context.Context, body string, abonnementen []Doc, now time.Time) error {
	return s.inTx(ctx, func(tx querier) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notifications(body, created_at) VALUES (?, ?)`, body, now.Format(timeFormat))
		if err != nil {
			return err
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, a := range abonnementen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries(notification, abonnement, next_at) VALUES (?, ?, ?)`,
				seq, LastSegment(Str(a, "url")), now.Format(timeFormat)); err != nil {
				return err
			}
		}
		return nil
	})
}

type pending struct {
	seq, notification int64
	abonnement, body  string
	attempts          int
}

func (s *Store) due(ctx context.Context, now time.Time, limit int) ([]pending, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT d.seq, d.notification, d.abonnement, d.attempts, n.body FROM deliveries d
		JOIN notifications n ON n.seq = d.notification
		WHERE d.delivered_at = '' AND d.gave_up = 0 AND d.next_at <= ? ORDER BY d.seq LIMIT ?`, now.Format(timeFormat), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.seq, &p.notification, &p.abonnement, &p.attempts, &p.body); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) delivered(ctx context.Context, seq int64, status int, now time.Time) error {
	_, err := s.q(ctx).ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, delivered_at = ?, last_status = ?, last_error = '' WHERE seq = ?`,
		now.Format(timeFormat), status, seq)
	return err
}

func (s *Store) failed(ctx context.Context, seq int64, status int, why string, next time.Time, giveUp bool) error {
	_, err := s.q(ctx).ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, next_at = ?, gave_up = ? WHERE seq = ?`,
		status, why, next.Format(timeFormat), giveUp, seq)
	return err
}

// Delivery is one notification's delivery to one abonnement, as the delivery log shows it.
type Delivery struct {
	Notification json.RawMessage
	Abonnement   string // the abonnement's uuid
	Attempts     int
	Delivered    bool
	GaveUp       bool
	LastStatus   int
	LastError    string
}

// Deliveries is the delivery log, oldest first: what was published to whom and how it went.
func (s *Server) Deliveries(ctx context.Context) ([]Delivery, error) {
	rows, err := s.DB.db.QueryContext(ctx, `SELECT n.body, d.abonnement, d.attempts, d.delivered_at <> '', d.gave_up, d.last_status, d.last_error
		FROM deliveries d JOIN notifications n ON n.seq = d.notification ORDER BY d.seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var body string
		if err := rows.Scan(&body, &d.Abonnement, &d.Attempts, &d.Delivered, &d.GaveUp, &d.LastStatus, &d.LastError); err != nil {
			return nil, err
		}
		d.Notification = json.RawMessage(body)
		out = append(out, d)
	}
	return out, rows.Err()
}

// wake tells the deliverer there is something to send.
func (s *Server) wake() {
	select {
	case s.wakeUp <- struct{}{}:
	default:
	}
}

// Deliver sends due deliveries until ctx ends: at once when woken, else every poll interval (a
// retry comes due by time).
func (s *Server) Deliver(ctx context.Context) {
	defer close(s.delivered)
	for {
		if err := s.deliverDue(ctx); err != nil && ctx.Err() == nil {
			s.Cfg.Log("sandbox: delivering notifications: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wakeUp:
		case <-time.After(s.Cfg.NotifyPoll):
		}
	}
}

func (s *Server) deliverDue(ctx context.Context) error {
	for {
		batch, err := s.DB.due(ctx, s.Now(), 50)
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, p := range batch {
			if err := s.send(ctx, p); err != nil {
				return err
			}
		}
	}
}

// send makes one attempt at one delivery and records how it went.
func (s *Server) send(ctx context.Context, p pending) error {
	a, err := s.DB.Get(ctx, "abonnement", p.abonnement)
	if err == ErrNotFound { // unsubscribed since: nobody to tell
		return s.DB.failed(ctx, p.seq, 0, "the abonnement was deleted", s.Now(), true)
	}
	if err != nil {
		return err
	}
	status, why := s.Post(ctx, Str(a, "callbackUrl"), Str(a, "auth"), p.body)
	if status >= 200 && status < 300 {
		return s.DB.delivered(ctx, p.seq, status, s.Now())
	}
	delay := s.Cfg.NotifyRetryBase << min(p.attempts, 20)
	if delay > s.Cfg.NotifyRetryCap || delay <= 0 {
		delay = s.Cfg.NotifyRetryCap
	}
	return s.DB.failed(ctx, p.seq, status, why, s.Now().Add(delay), p.attempts+1 >= s.Cfg.NotifyAttempts)
}

// Post delivers a notification to a callback with the abonnement's Authorization.
func (s *Server) Post(ctx context.Context, callback, auth, body string) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, s.Cfg.NotifyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callback, bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	resp, err := s.notifier.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Sprintf("%s: %s", resp.Status, snippet)
	}
	return resp.StatusCode, ""
}
