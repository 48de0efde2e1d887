package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// step performs one ZGW effect of a case exactly once.
//
// A step already done returns its recorded result without any request. Otherwise the intent is
// recorded before the request is sent; if an intent is found on entry, an earlier attempt may
// have been committed by the zaaksysteem without its answer arriving (timeout, reset, crash), so
// lookup runs first and adopts what it finds. Only then is create called. In the normal case —
// no earlier attempt — no lookup is made, so a flow costs the minimum number of calls.
//
// The result is held (see held) and recorded with the job's next write — the next step's intent,
// an update of the case, or the end of the job — so that one commit records one step's result
// and the next one's intent. A crash before that write loses nothing: the intent is recorded, so
// the next attempt looks the effect up and adopts it.
//
// Whoever finds an intent — a retry, a job resumed after a crash, another job of the case — waits
// until the request it records has had twice the request timeout to arrive (InFlightError)
// before looking for its effect: a lookup while it may still arrive would miss it and send a
// second. A request that failed with an answer proving nothing was done withdraws its intent, so
// that its retry needs neither the wait nor the lookup.
func (e *Engine) step(ctx context.Context, caseID, name string, lookup func(context.Context) (string, bool, error), create func(context.Context) (string, error)) (string, error) {
	st, err := e.store.GetStep(ctx, caseID, name)
	if err != nil {
		return "", err
	}
	if st.Done {
		return st.Result, nil
	}
	if st.Intended {
		if wait := e.inFlight() - time.Since(st.IntendedAt); wait > 0 {
			return "", &InFlightError{Step: name, Wait: wait}
		}
		found, ok, err := lookup(ctx)
		if err != nil {
			return "", fmt.Errorf("%s: looking up an earlier attempt: %w", name, err)
		}
		if ok {
			e.metrics.stepsAdopted.Inc()
			e.log.Info("adopted the effect of an earlier attempt", "case", caseID, "step", name, "result", found)
			return found, e.complete(ctx, caseID, name, found)
		}
	}
	// The intent (again, when the earlier request had no effect: the wait counts from this one).
	if err := e.writeHeld(ctx, caseID, func(done []store.StepResult) error { return e.store.IntendStep(ctx, caseID, name, done...) }); err != nil {
		return "", err
	}
	result, err := create(ctx)
	if alreadyExists(err) {
		// The zaaksysteem refuses a second one: an earlier attempt made it after all.
		if found, ok, lerr := lookup(ctx); lerr == nil && ok {
			e.metrics.stepsAdopted.Inc()
			return found, e.complete(ctx, caseID, name, found)
		}
	}
	if err != nil {
		if nothingDone(err) {
			if werr := e.store.WithdrawIntent(context.WithoutCancel(ctx), caseID, name); werr != nil {
				e.log.Warn("withdrawing the intent of a refused request", "case", caseID, "step", name, "error", werr)
			}
		}
		return "", fmt.Errorf("%s: %w", name, err)
	}
	kind := stepKind(name)
	e.fault("sent:" + kind)
	e.metrics.steps.WithLabelValues(kind).Inc()
	e.held.add(caseID, e.stepResult(caseID, name, result))
	return result, nil
}

// InFlightError says a step's earlier request may still reach the zaaksysteem: its effect is
// looked up after Wait (a job snoozes that long).
type InFlightError struct {
	Step string
	Wait time.Duration
}

func (e *InFlightError) Error() string {
	return fmt.Sprintf("%s: an earlier request may still arrive; its effect is looked up in %s", e.Step, e.Wait.Round(time.Second))
}

// inFlight is how long a request may still arrive after it was sent: twice the request timeout.
func (e *Engine) inFlight() time.Duration { return 2 * e.cfg.RequestTimeout }

// nothingDone reports whether a failed request certainly had no effect: the zaaksysteem answered
// that it refused it (4xx) or could not take it (503), or it was never sent — what zgw.Uncertain
// calls certain, less a cancelled request (it may have been sent before the cancel).
func nothingDone(err error) bool {
	return !zgw.Uncertain(err) && !errors.Is(err, context.Canceled)
}

// complete records a step's result together with its event (and the results held before).
func (e *Engine) complete(ctx context.Context, caseID, name, result string) error {
	e.held.add(caseID, e.stepResult(caseID, name, result))
	return e.flushSteps(ctx, caseID)
}

func (e *Engine) stepResult(caseID, name, result string) store.StepResult {
	return store.StepResult{Name: name, Result: result, EventKey: "step:" + name, Event: e.stepEvent(caseID, name, result)}
}

// flushSteps records the results held for a case (a job does so when it ends).
func (e *Engine) flushSteps(ctx context.Context, caseID string) error {
	return e.writeHeld(ctx, caseID, func(done []store.StepResult) error { return e.store.CompleteSteps(ctx, caseID, done) })
}

// writeHeld runs a write that records the results held for a case along with its own change.
// Held results are given back when the write fails, and told to the fault hook ("done:<step>")
// once they are recorded.
func (e *Engine) writeHeld(ctx context.Context, caseID string, write func(done []store.StepResult) error) error {
	done := e.held.take(caseID)
	if err := write(done); err != nil {
		e.held.giveBack(caseID, done)
		return err
	}
	for _, r := range done {
		e.fault("done:" + stepKind(r.Name))
	}
	return nil
}

// updateCase is store.UpdateCaseTx that also records the step results held for the case, in the
// same transaction.
func (e *Engine) updateCase(ctx context.Context, caseID string, fn func(tx *sql.Tx, c *objection.Case) error) (*objection.Case, error) {
	var out *objection.Case
	err := e.writeHeld(ctx, caseID, func(done []store.StepResult) error {
		var err error
		out, err = e.store.UpdateCaseTx(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
			if err := e.store.CompleteStepsTx(ctx, tx, caseID, done); err != nil {
				return err
			}
			return fn(tx, c)
		})
		return err
	})
	return out, err
}

// heldSteps are step results not yet recorded, per case: the job holding the case's lock
// records them with its next write, and never later than its end.
type heldSteps struct {
	mu     sync.Mutex
	byCase map[string][]store.StepResult
}

func (h *heldSteps) add(caseID string, r store.StepResult) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byCase == nil {
		h.byCase = map[string][]store.StepResult{}
	}
	h.byCase[caseID] = append(h.byCase[caseID], r)
}

func (h *heldSteps) take(caseID string) []store.StepResult {
	h.mu.Lock()
	defer h.mu.Unlock()
	done := h.byCase[caseID]
	delete(h.byCase, caseID)
	return done
}

func (h *heldSteps) giveBack(caseID string, done []store.StepResult) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byCase == nil {
		h.byCase = map[string][]store.StepResult{}
	}
	h.byCase[caseID] = append(done, h.byCase[caseID]...)
}

// fault calls the fault-injection hook, if any (crash tests kill the process there).
func (e *Engine) fault(point string) {
	if e.cfg.Fault != nil {
		e.cfg.Fault(point)
	}
}

// stepKind is a step's name without its index or id (letter:2 → letter), for metrics and faults.
func stepKind(name string) string {
	kind, _, _ := strings.Cut(name, ":")
	return kind
}

// alreadyExists reports a refusal because the resource exists: a unique identificatie, a unique
// zaak–informatieobject pair, a zaak's one resultaat.
func alreadyExists(err error) bool {
	var p *zgw.Problem
	if !errors.As(err, &p) || p.Status != 400 {
		return false
	}
	for _, ip := range p.InvalidParams {
		if ip.Code == "unique" || ip.Code == "identificatie-niet-uniek" {
			return true
		}
	}
	return false
}
