package objection

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"
)

// Every transition is allowed from its states and refused from every other, and leaves the
// case in its state; the history entry or notice a transition names exists.
func TestLifecycle(t *testing.T) {
	for _, tr := range Lifecycle {
		for _, from := range States {
			c := &Case{state: from}
			err := c.Enter(tr)
			var refused *ErrTransition
			switch allowed := slices.Contains(tr.From, from); {
			case allowed && (err != nil || c.State() != tr.To):
				t.Errorf("%s from %s: %v, now %s", tr.Name, from, err, c.State())
			case !allowed && (!errors.As(err, &refused) || c.State() != from):
				t.Errorf("%s from %s: allowed (%v), now %s", tr.Name, from, err, c.State())
			}
		}
	}
	// Every state is reached, and only the ends have no way out.
	reached := map[State]bool{StateReceived: true}
	for _, tr := range Lifecycle {
		reached[tr.To] = true
	}
	for _, s := range States {
		leaves := slices.ContainsFunc(Lifecycle, func(tr Transition) bool { return slices.Contains(tr.From, s) })
		if !reached[s] || leaves != s.Open() {
			t.Errorf("state %s: reached %v, has a way out %v", s, reached[s], leaves)
		}
	}
}

// A case's state is stored and read with it (the store keeps the case as JSON).
func TestACaseKeepsItsStateInJSON(t *testing.T) {
	c := NewCase("c-1", Decision{Reference: "R-1"}, time.Now())
	if err := c.Enter(Register); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Case
	if err := json.Unmarshal(b, &back); err != nil || back.State() != StateRegistering || back.ID != "c-1" || back.Decision.Reference != "R-1" {
		t.Errorf("read back %s: %+v, %v", b, back, err)
	}
}
