package workflow

import (
	"context"
	"database/sql"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// transition is the one place a case changes state: in the transaction tx of the change, it
// enters t (objection.Lifecycle allows it, or it is refused) and writes what t implies — the
// entry in the case's history (detail says what happened) and the notice people get.
func (e *Engine) transition(ctx context.Context, tx *sql.Tx, c *objection.Case, t objection.Transition, detail string) error {
	if err := c.Enter(t); err != nil {
		return err
	}
	if t.Event != "" {
		if err := e.record(ctx, tx, c.ID, t.Name, t.Event, detail); err != nil {
			return err
		}
	}
	if t.Notice != "" {
		return e.notifyTx(ctx, tx, NotifyArgs{Event: t.Notice, CaseID: c.ID, Key: "1"})
	}
	return nil
}

// heldTransition is a transition without history or notice (objection.Register), written with
// the case's next update rather than in a commit of its own: applied to the case read then,
// when the lifecycle still allows it.
func heldTransition(t objection.Transition) func(c *objection.Case) {
	return func(c *objection.Case) { _ = c.Enter(t) }
}

// updateCase is the one write path of a case after it was made: one transaction reads the case,
// applies what the attempt holds for it (its changes; its step results are recorded), lets fn
// change it — a transition through transition, events, jobs and notices in tx — and writes it.
func (e *Engine) updateCase(ctx context.Context, caseID string, fn func(tx *sql.Tx, c *objection.Case) error) (*objection.Case, error) {
	done, changes := e.held.take(caseID)
	out, err := e.store.UpdateCaseTx(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		for _, change := range changes {
			change(c)
		}
		if err := e.store.CompleteStepsTx(ctx, tx, caseID, done); err != nil {
			return err
		}
		return fn(tx, c)
	})
	if err != nil {
		e.held.giveBack(caseID, done, changes)
		return nil, err
	}
	e.recorded(done)
	return out, nil
}

// intend records, with the case's update, the intents of shared effects about to be sent.
func (e *Engine) intend(ctx context.Context, caseID string, names []string) error {
	_, err := e.updateCase(ctx, caseID, func(tx *sql.Tx, _ *objection.Case) error {
		return e.store.IntendStepsTx(ctx, tx, caseID, names)
	})
	return err
}

// withdraw forgets, with the case's update, the intent of a shared effect refused.
func (e *Engine) withdraw(ctx context.Context, caseID, name string) error {
	_, err := e.updateCase(ctx, caseID, func(tx *sql.Tx, _ *objection.Case) error {
		return e.store.WithdrawIntentTx(ctx, tx, caseID, name)
	})
	return err
}
