package workflow

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// The clock drives three things, each done once per case: a reminder RemindBefore the deadline
// for accounts not yet filed, an overdue notice when the deadline has passed with accounts not
// filed, and — ConfirmationWait after the last filing without every account confirmed — the
// close as not confirmed. Every replica sweeps the open cases every SweepInterval; what is due
// is checked again inside the case's transaction (a row lock on Postgres), so it is done once
// however many replicas sweep. (Not a River periodic job: those run only on the elected leader,
// and a leader that died is replaced only after its lease runs out.) Tests move the injected
// clock and call Sweep.

// sweepEvery runs Sweep every interval, and at once, until ctx ends.
func (e *Engine) sweepEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := e.Sweep(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("sweeping the deadlines", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep does what the clock makes due in every open case.
func (e *Engine) Sweep(ctx context.Context) error {
	swept := []objection.State{objection.StateReceived, objection.StateRegistering, objection.StateAwaitingConfirmation}
	var cases []*objection.Case
	var err error
	if e.cfg.Woo == nil {
		cases, err = e.store.ListCases(ctx, swept...)
	} else {
		// Publications are followed whatever became of their case (a closed zaak's decision
		// stays public): one read of every case serves both.
		if cases, err = e.store.ListCases(ctx); err == nil {
			err = e.lookAtPublications(ctx, cases)
			cases = slices.DeleteFunc(cases, func(c *objection.Case) bool { return !slices.Contains(swept, c.State()) })
		}
	}
	if err != nil {
		return err
	}
	ctx = objection.WithPrincipal(ctx, objection.System)
	for _, c := range cases {
		if !e.due(c, e.cfg.Now()) {
			continue
		}
		// Checked again inside the transaction: another replica may have swept it meanwhile.
		if _, err := e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
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
	return e.cfg.ConfirmationWait > 0 && c.State() == objection.StateAwaitingConfirmation && c.AllFiled() && !c.AllConfirmed() &&
		!now.Before(c.LastFiledAt().Add(e.cfg.ConfirmationWait))
}

func (e *Engine) sweepCase(ctx context.Context, tx *sql.Tx, c *objection.Case, now time.Time) error {
	at := now.UTC()
	if e.remindDue(c, now) {
		c.RemindedAt = &at
		if err := e.record(ctx, tx, c.ID, "reminder", objection.EventReminder, fmt.Sprintf("reminder: %d account(s) not filed, deadline %s", notFiled(c), c.DueAt.In(objection.Amsterdam).Format("2006-01-02 15:04"))); err != nil {
			return err
		}
		if err := e.notifyTx(ctx, tx, NotifyArgs{Event: objection.NoticeReminder, CaseID: c.ID, Key: "1"}); err != nil {
			return err
		}
	}
	if e.overdueDue(c, now) {
		c.OverdueAt = &at
		if err := e.record(ctx, tx, c.ID, "overdue", objection.EventOverdue, fmt.Sprintf("the deadline passed with %d account(s) not filed", notFiled(c))); err != nil {
			return err
		}
		if err := e.notifyTx(ctx, tx, NotifyArgs{Event: objection.NoticeOverdue, CaseID: c.ID, Key: "1"}); err != nil {
			return err
		}
	}
	if e.waitOver(c, now) {
		// The reason goes into the zaak and the notices: said in Dutch.
		reason := fmt.Sprintf("Meta bevestigde niet voor alle accounts binnen %s na de laatste indiening (%s)",
			waitInWords(e.cfg.ConfirmationWait), c.LastFiledAt().In(objection.Amsterdam).Format("02-01-2006"))
		return e.startClosing(ctx, tx, c, objection.OutcomeNotConfirmed, reason, false)
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

// waitInWords says a waiting time the way a person does: in days, or hours when shorter.
func waitInWords(d time.Duration) string {
	if days := d / (24 * time.Hour); days >= 1 && d%(24*time.Hour) == 0 {
		if days == 1 {
			return "1 dag"
		}
		return fmt.Sprintf("%d dagen", days)
	}
	return d.Round(time.Minute).String()
}
