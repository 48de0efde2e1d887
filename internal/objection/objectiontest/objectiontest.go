// Package objectiontest helps tests make cases in a given state: through the lifecycle, as a
// case gets there.
package objectiontest

import (
	"encoding/json"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// pathTo are the transitions that bring a received case to a state.
var pathTo = map[objection.State][]objection.Transition{
	objection.StateReceived:             nil,
	objection.StateRegistering:          {objection.Register},
	objection.StateAwaitingConfirmation: {objection.Register, objection.LettersReady},
	objection.StateClosing:              {objection.Register, objection.LettersReady, objection.StartClosing},
	objection.StateClosed:               {objection.Register, objection.LettersReady, objection.StartClosing, objection.Close},
	objection.StateClosedElsewhere:      {objection.Register, objection.CloseElsewhere},
	objection.StateFailed:               {objection.Register, objection.Fail},
}

// InState brings c to the state s through the lifecycle; it panics when the lifecycle does not
// lead there from c's state. A case written as a literal (no state yet) starts received, as a
// stored one is read.
func InState(c *objection.Case, s objection.State) *objection.Case {
	if c.State() == "" {
		received(c)
	}
	for _, t := range pathTo[s] {
		if err := c.Enter(t); err != nil {
			panic(fmt.Sprintf("objectiontest: %v", err))
		}
	}
	return c
}

// received gives a case written as a literal the state received, the way a stored case is read.
func received(c *objection.Case) {
	var fields map[string]any
	b, err := json.Marshal(c)
	if err == nil {
		err = json.Unmarshal(b, &fields)
	}
	if err == nil {
		fields["state"] = objection.StateReceived
		b, err = json.Marshal(fields)
	}
	if err == nil {
		err = json.Unmarshal(b, c)
	}
	if err != nil {
		panic(fmt.Sprintf("objectiontest: %v", err))
	}
}
