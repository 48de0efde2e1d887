package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// step performs one ZGW effect of a case exactly once.
//
// A step already done returns its recorded result without any request. A step an earlier
// attempt may have made (the attempt is not fresh: attempt.go) is looked up first, and what is
// found is adopted; only then is create called. A fresh attempt sends at once: no lookup, no
// record before the request, so a flow costs the minimum number of calls and commits.
//
// The result is held (see heldSteps) and recorded with the job's next write — an update of the
// case, or the end of the attempt — so that one commit records what the attempt made. A crash
// before that write loses nothing: the job's next attempt is not fresh, and looks the effect up.
//
// A shared effect (made by more than one job) records its intent before it is sent, and whoever
// finds that intent — a retry, a job resumed after a crash, another job of the case — waits until
// the request it records has had twice the request timeout to arrive (InFlightError) before
// looking for its effect: a lookup while it may still arrive would miss it and send a second. A
// request that failed with an answer proving nothing was done withdraws its intent, so that its
// retry needs neither the wait nor the lookup.
func (e *Engine) step(ctx context.Context, caseID, name string, lookup func(context.Context) (string, bool, error), create func(context.Context) (string, error)) (string, error) {
	ef := &effect{name: name, lookup: lookup, create: create}
	err := e.steps(ctx, caseID, ef)
	return ef.result, err
}

// effect is one step of steps: what step takes, and its result once done.
type effect struct {
	name   string
	lookup func(context.Context) (string, bool, error)
	create func(context.Context) (string, error)
	// shared says more than one job makes it: its intent is recorded before it is sent.
	shared bool
	result string
}

// sentAtOnce bounds the requests steps has in flight for one case.
const sentAtOnce = 4

// steps performs effects that do not depend on each other as step does each, with their
// requests sent at once (at most sentAtOnce), so that they cost one round trip instead of one
// each. An effect an earlier attempt may have made is looked up first, as step does; while a
// shared one may still arrive (InFlightError) none is sent. The first failure whose outcome is
// unknown is returned, else the first in the order given; the others' results are held all the
// same.
func (e *Engine) steps(ctx context.Context, caseID string, effects ...*effect) error {
	fresh := freshAttempt(ctx)
	var toSend []*effect
	var intents []string
	for _, ef := range effects {
		if result, ok := e.held.result(caseID, ef.name); ok { // made in this attempt
			ef.result = result
			continue
		}
		st, err := e.store.GetStep(ctx, caseID, ef.name)
		if err != nil {
			return err
		}
		if st.Done {
			ef.result = st.Result
			continue
		}
		if st.Intended {
			if wait := e.inFlight() - time.Since(st.IntendedAt); wait > 0 {
				return &InFlightError{Step: ef.name, Wait: wait}
			}
		}
		// A shared effect without an intent was never sent; any other may have been, unless this
		// attempt is the first.
		if st.Intended || !fresh && !ef.shared {
			found, ok, err := ef.lookup(ctx)
			if err != nil {
				return fmt.Errorf("%s: looking up an earlier attempt: %w", ef.name, err)
			}
			if ok {
				e.adopt(caseID, ef, found)
				continue
			}
		}
		toSend = append(toSend, ef)
		if ef.shared {
			intents = append(intents, ef.name)
		}
	}
	if len(intents) > 0 {
		// (Again, when an earlier request had no effect: the wait counts from this one.)
		if err := e.intend(ctx, caseID, intents); err != nil {
			return err
		}
	}
	switch len(toSend) {
	case 0:
		return nil
	case 1:
		return e.send(ctx, caseID, toSend[0])
	}
	errs := make([]error, len(toSend))
	var g errgroup.Group
	g.SetLimit(sentAtOnce)
	for i, ef := range toSend {
		g.Go(func() error {
			errs[i] = e.send(ctx, caseID, ef)
			return nil
		})
	}
	g.Wait()
	return firstFailure(errs)
}

// firstFailure is the failure a retry must wait for most: the first whose outcome is unknown,
// else the first.
func firstFailure(errs []error) error {
	var first error
	for _, err := range errs {
		if err != nil && uncertain(err) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// send makes an effect and holds its result; an effect an earlier attempt made after all (the
// zaaksysteem refuses a second) is adopted.
func (e *Engine) send(ctx context.Context, caseID string, ef *effect) error {
	result, err := ef.create(ctx)
	if alreadyExists(err) {
		// The zaaksysteem refuses a second one: an earlier attempt made it after all.
		if found, ok, lerr := ef.lookup(ctx); lerr == nil && ok {
			e.adopt(caseID, ef, found)
			return nil
		}
	}
	if err != nil {
		if ef.shared && nothingDone(err) {
			if werr := e.withdraw(context.WithoutCancel(ctx), caseID, ef.name); werr != nil {
				e.log.Warn("withdrawing the intent of a refused request", "case", caseID, "step", ef.name, "error", werr)
			}
		}
		return fmt.Errorf("%s: %w", ef.name, err)
	}
	kind := stepKind(ef.name)
	e.fault("sent:" + kind)
	e.metrics.steps.WithLabelValues(kind).Inc()
	e.hold(caseID, ef.name, result)
	ef.result = result
	return nil
}

// adopt takes what a lookup found as the effect's result, held like one just made.
func (e *Engine) adopt(caseID string, ef *effect, found string) {
	e.metrics.stepsAdopted.Inc()
	e.log.Info("adopted the effect of an earlier attempt", "case", caseID, "step", ef.name, "result", found)
	ef.result = found
	e.hold(caseID, ef.name, found)
}

// shared marks an effect more than one job makes.
func shared(ef *effect) *effect {
	ef.shared = true
	return ef
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
	return !uncertain(err) && !errors.Is(err, context.Canceled)
}

// uncertain reports whether a failed request may still have its effect: zgw.Uncertain's rule,
// applied to the publicatiebank's answers too (a refusal, a 503, a request never sent to it, a
// decision that cannot be published are certain).
func uncertain(err error) bool {
	var wp *woo.Problem
	var np *notPublishable
	switch {
	case errors.As(err, new(*incompleteDocument)):
		return true // registered before the upload failed
	case errors.As(err, new(*unrecordedError)):
		return true // made, perhaps, but not recorded
	case errors.As(err, &wp):
		return wp.Status >= 500 && wp.Status != http.StatusServiceUnavailable
	case errors.As(err, new(*woo.NotFoundError)), errors.As(err, new(*woo.ForeignURLError)), errors.As(err, &np):
		return false
	}
	return zgw.Uncertain(err)
}

// hold records a step's result, found some other way than by its request, with the case's next
// write (as send does).
func (e *Engine) hold(caseID, name, result string) {
	e.held.add(caseID, e.stepResult(caseID, name, result))
}

func (e *Engine) stepResult(caseID, name, result string) store.StepResult {
	return store.StepResult{Name: name, Result: result, EventKey: "step:" + name, Event: e.stepEvent(caseID, name, result)}
}

// flushSteps records what is held for a case (an attempt does so when it ends): its step
// results and its changes, in an update of the case; nothing when nothing is held. Not recorded,
// what the attempt made is unknown to the next one (unrecordedError).
func (e *Engine) flushSteps(ctx context.Context, caseID string) error {
	if !e.held.holds(caseID) {
		return nil
	}
	if _, err := e.updateCase(ctx, caseID, func(*sql.Tx, *objection.Case) error { return nil }); err != nil {
		return &unrecordedError{err}
	}
	return nil
}

// recorded tells the fault hook of step results just recorded ("done:<step>").
func (e *Engine) recorded(done []store.StepResult) {
	for _, r := range done {
		e.fault("done:" + stepKind(r.Name))
	}
}

// holdChange notes a change of the case that only records what a step did (its zaak, its
// letters): it is written with the case's next update, or at the job's end, instead of in a
// commit of its own (a shared effect's intent does not rewrite the case for it). Lost in a
// crash, it is made again by the next attempt from the steps it finds. It must be safe to apply
// to the case as it will then be (a field set, a state moved on only from the one expected).
func (e *Engine) holdChange(caseID string, change func(c *objection.Case)) {
	e.held.change(caseID, change)
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
