package workflow

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// NotifyArgs is one e-mail to people: an outbox entry, inserted in the transaction of what it
// tells, so that a crash neither loses nor repeats it; a failing SMTP server only delays it.
type NotifyArgs struct {
	Event          string `json:"event"`
	CaseID         string `json:"case_id,omitempty"`
	ConfirmationID string `json:"confirmation_id,omitempty"`
	Key            string `json:"key"` // makes it unique: one message per event and occasion
}

// Kind implements river.JobArgs.
func (NotifyArgs) Kind() string { return "notify" }

// notifyTx puts a message in the outbox, in tx, when notices are configured and want the event.
func (e *Engine) notifyTx(ctx context.Context, tx *sql.Tx, args NotifyArgs) error {
	if e.cfg.Notifier == nil || !e.cfg.Notifier.Wants(args.Event) {
		return nil
	}
	return e.enqueue(ctx, tx, args, unique)
}

type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	e *Engine
}

func (w *notifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	e, args := w.e, job.Args
	// Sent before? A job's completion reaches River's table a moment after its work; a crash in
	// between runs it again, and the record of the message says it went out already.
	sentKey := "notice:" + args.Event + ":" + args.Key
	if sent, err := e.store.HasEvent(ctx, args.CaseID, sentKey); err != nil || sent {
		return err
	}
	n := notify.Notice{Event: args.Event}
	if args.CaseID != "" {
		c, err := e.Case(ctx, args.CaseID)
		if err != nil {
			return err
		}
		n.Case = c
		if args.Event == objection.NoticeRegistered {
			n.Letters = map[int]string{}
			for i, a := range c.Decision.Accounts {
				if letter, err := e.letters.Render(c.Decision, a, c.CreatedAt); err == nil {
					n.Letters[i] = string(letter)
				}
			}
		}
	}
	if args.ConfirmationID != "" {
		conf, err := e.store.GetConfirmation(ctx, args.ConfirmationID)
		if err != nil {
			return err
		}
		n.Confirmation = conf
	}
	id := fmt.Sprintf("%s.%s.%s@meta-bezwaar-connector", args.Event, orNone(args.CaseID), args.Key)
	if err := e.cfg.Notifier.Notify(ctx, id, n); err != nil {
		e.log.Warn("a notice could not be sent; it is retried", "event", args.Event, "case", args.CaseID, "attempt", job.Attempt, "error", err)
		return err
	}
	if err := e.record(objection.WithPrincipal(ctx, objection.System), nil, args.CaseID, sentKey, objection.EventNotified, "e-mail sent: "+args.Event); err != nil {
		return err
	}
	// Crash tests die here: sent and recorded, but River has not yet recorded the job as done.
	e.fault("notified:" + args.Event)
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
