package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// step performs one ZGW effect of a case exactly once.
//
// A step already done returns its recorded result without any request. Otherwise the intent is
// recorded before the request is sent; if an intent is found on entry, an earlier attempt may
// have been committed by the zaaksysteem without its answer arriving (timeout, reset, crash), so
// lookup runs first and adopts what it finds. Only then is create called. In the normal case —
// no earlier attempt — no lookup is made, so a flow costs the minimum number of calls.
func (e *Engine) step(ctx context.Context, caseID, name string, lookup func(context.Context) (string, bool, error), create func(context.Context) (string, error)) (string, error) {
	st, err := e.store.GetStep(ctx, caseID, name)
	if err != nil {
		return "", err
	}
	if st.Done {
		return st.Result, nil
	}
	if st.Intended {
		found, ok, err := lookup(ctx)
		if err != nil {
			return "", fmt.Errorf("%s: looking up an earlier attempt: %w", name, err)
		}
		if ok {
			e.metrics.stepsAdopted.Inc()
			e.log.Info("adopted the effect of an earlier attempt", "case", caseID, "step", name, "result", found)
			return found, e.complete(ctx, caseID, name, found)
		}
	} else if err := e.store.IntendStep(ctx, caseID, name); err != nil {
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
		return "", fmt.Errorf("%s: %w", name, err)
	}
	kind := stepKind(name)
	e.fault("sent:" + kind)
	e.metrics.steps.WithLabelValues(kind).Inc()
	if err := e.complete(ctx, caseID, name, result); err != nil {
		return "", err
	}
	e.fault("done:" + kind)
	return result, nil
}

// complete records a step's result together with its event.
func (e *Engine) complete(ctx context.Context, caseID, name, result string) error {
	return e.store.CompleteStep(ctx, caseID, name, result, "step:"+name, e.stepEvent(caseID, name, result))
}

// fault calls the fault-injection hook, if any (crash tests kill the process there).
func (e *Engine) fault(point string) {
	if e.cfg.Fault != nil {
		e.cfg.Fault(point)
	}
}

// stepKind is a step's name without its index or id (letter:2 → letter), for metrics and faults.
func stepKind(name string) string {
	for i, r := range name {
		if r == ':' {
			return name[:i]
		}
	}
	return name
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
