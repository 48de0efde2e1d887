package workflow

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// The clock drives three things, each done once per case: a reminder RemindBefore the deadline
// for accounts not yet filed, an overdue notice when the deadline has passed with accounts not
// filed, and — ConfirmationWait after the last filing without every account confirmed — the
// close as not confirmed. A periodic job (run by one replica, River's leader) sweeps the open
// cases; tests move the injected clock and call Sweep.

// SweepArgs is the periodic job that sweeps the open cases.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "sweep_deadlines" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	e *Engine
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error { return w.e.Sweep(ctx) }

// periodicSweep runs the sweep every interval, and at start.
func periodicSweep(interval time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
		return SweepArgs{}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// Sweep does what the clock makes due in every open case.
func (e *Engine) Sweep(ctx context.Context) error {
	cases, err := e.store.ListCases(ctx, objection.StateReceived, objection.StateRegistering, objection.StateAwaitingConfirmation)
	if err != nil {
		return err
	}
	ctx = objection.WithActor(ctx, objection.System)
	for _, c := range cases {
		if !e.due(c, e.cfg.Now()) {
			continue
		}
		// Checked again inside the transaction: another replica may have swept it meanwhile.
		if _, err := e.store.UpdateCaseTx(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
			return e.sweepCase(ctx, tx, c, e.cfg.Now())
		}); err != nil {
			return fmt.Errorf("sweeping case %s: %w", c.ID, err)
		}
	}
	return nil
}

// due reports whether anything is due in a case at now.
func (e *Engine) due(c *objection.Case, now time.Time) bool {
	return e.remindDue(c, now) || e.overdueDue(c, now) || e.waitOver(c, now)
}

func (e *Engine) remindDue(c *objection.Case, now time.Time) bool {
	return e.cfg.RemindBefore > 0 && c.DueAt != nil && c.RemindedAt == nil && !c.AllFiled() &&
		!now.Before(c.DueAt.Add(-e.cfg.RemindBefore)) && now.Before(*c.DueAt)
}

func (e *Engine) overdueDue(c *objection.Case, now time.Time) bool {
	return c.DueAt != nil && c.OverdueAt == nil && !c.AllFiled() && !now.Before(*c.DueAt)
}

func (e *Engine) waitOver(c *objection.Case, now time.Time) bool {
	return e.cfg.ConfirmationWait > 0 && c.State == objection.StateAwaitingConfirmation && c.AllFiled() && !c.AllConfirmed() &&
		!now.Before(c.LastFiledAt().Add(e.cfg.ConfirmationWait))
}

func (e *Engine) sweepCase(ctx context.Context, tx *sql.Tx, c *objection.Case, now time.Time) error {
	at := now.UTC()
	if e.remindDue(c, now) {
		c.RemindedAt = &at
		if err := e.record(ctx, tx, c.ID, "reminder", EventReminder, fmt.Sprintf("reminder: %d account(s) not filed, deadline %s", notFiled(c), c.DueAt.In(objection.Amsterdam).Format("2006-01-02 15:04"))); err != nil {
			return err
		}
		if err := e.notifyTx(ctx, tx, NotifyArgs{Event: notify.Reminder, CaseID: c.ID, Key: "1"}); err != nil {
			return err
		}
	}
	if e.overdueDue(c, now) {
		c.OverdueAt = &at
		if err := e.record(ctx, tx, c.ID, "overdue", EventOverdue, fmt.Sprintf("the deadline passed with %d account(s) not filed", notFiled(c))); err != nil {
			return err
		}
		if err := e.notifyTx(ctx, tx, NotifyArgs{Event: notify.Overdue, CaseID: c.ID, Key: "1"}); err != nil {
			return err
		}
	}
	if e.waitOver(c, now) {
		reason := fmt.Sprintf("no confirmation from Meta for every account within %s after the last filing (%s)",
			e.cfg.ConfirmationWait, c.LastFiledAt().In(objection.Amsterdam).Format("2006-01-02"))
		return e.startClosing(ctx, tx, c, objection.OutcomeNotConfirmed, reason)
	}
	return nil
}

func notFiled(c *objection.Case) int {
	n := 0
	for _, a := range c.Accounts {
		if a.FiledAt == nil {
			n++
		}
	}
	return n
}
