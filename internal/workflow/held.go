package workflow

import (
	"sync"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// heldSteps are step results and changes of a case not yet recorded: the attempt holding the
// case's lock records them with the case's next update (updateCase), and never later than its
// end (flushSteps).
type heldSteps struct {
	mu     sync.Mutex
	byCase map[string]*held
}

// held is what one case has waiting for its next write.
type held struct {
	done    []store.StepResult
	changes []func(*objection.Case)
}

// of is the case's entry, made when missing; the caller holds mu.
func (h *heldSteps) of(caseID string) *held {
	if h.byCase == nil {
		h.byCase = map[string]*held{}
	}
	if h.byCase[caseID] == nil {
		h.byCase[caseID] = &held{}
	}
	return h.byCase[caseID]
}

func (h *heldSteps) add(caseID string, r store.StepResult) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := h.of(caseID)
	x.done = append(x.done, r)
}

// result is the held result of the case's step, if any.
func (h *heldSteps) result(caseID, name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x := h.byCase[caseID]; x != nil {
		for _, r := range x.done {
			if r.Name == name {
				return r.Result, true
			}
		}
	}
	return "", false
}

func (h *heldSteps) change(caseID string, change func(*objection.Case)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := h.of(caseID)
	x.changes = append(x.changes, change)
}

// take removes what the case holds, for a write.
func (h *heldSteps) take(caseID string) ([]store.StepResult, []func(*objection.Case)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := h.byCase[caseID]
	if x == nil {
		return nil, nil
	}
	delete(h.byCase, caseID)
	return x.done, x.changes
}

// holds reports whether anything of the case is held.
func (h *heldSteps) holds(caseID string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := h.byCase[caseID]
	return x != nil && len(x.done)+len(x.changes) > 0
}

// giveBack puts what a failed write took back in front of what was held since.
func (h *heldSteps) giveBack(caseID string, done []store.StepResult, changes []func(*objection.Case)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := h.of(caseID)
	x.done = append(done, x.done...)
	x.changes = append(changes, x.changes...)
}
