package objection

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// The case's lifecycle, in one table: which state follows which, on what, and which entry in
// its history and which notice to people each change implies. A case's state is unexported:
// it is set when a case is made (NewCase), when a stored case is read (UnmarshalJSON) and by
// Enter, which follows this table — nowhere else (the workflow's transition is Enter's one
// caller, TestOnlyTheTransitionChangesACase says so).

// A Transition is one change of a case's state.
type Transition struct {
	Name string
	From []State
	To   State
	// Event is the type of the history entry the change writes ("": none of its own).
	Event string
	// Notice is the event people are told of ("": none).
	Notice string
}

// The notices people are told of (package notify has a template for each).
const (
	NoticeRegistered  = "registered"
	NoticeReminder    = "reminder"
	NoticeOverdue     = "overdue"
	NoticeAccepted    = "accepted"
	NoticeQuarantined = "quarantined"
	NoticeClosed      = "closed"
	NoticeFailed      = "failed"
)

// The lifecycle. A case is received when its decision is accepted (NewCase).
var (
	// Register: its registration in the zaaksysteem begins.
	Register = Transition{Name: "register", From: []State{StateReceived}, To: StateRegistering}
	// LettersReady: zaak, besluit and letters are in the zaaksysteem; the objections can be
	// filed at Meta.
	LettersReady = Transition{Name: "letters-ready", From: []State{StateReceived, StateRegistering}, To: StateAwaitingConfirmation,
		Event: EventStatusSet, Notice: NoticeRegistered}
	// StartClosing: every account confirmed, or a registrar (or the end of the wait) closes it
	// as not confirmed.
	StartClosing = Transition{Name: "closing", From: []State{StateAwaitingConfirmation}, To: StateClosing, Event: EventClosing}
	// Close: the zaak has its resultaat and eindstatus.
	Close = Transition{Name: "closed", From: []State{StateClosing}, To: StateClosed, Event: EventClosed, Notice: NoticeClosed}
	// CloseElsewhere: someone else closed the zaak in the zaaksysteem; the connector stops.
	CloseElsewhere = Transition{Name: "closed-elsewhere", From: OpenStates, To: StateClosedElsewhere, Event: EventClosedElsewhere}
	// Fail: what retrying cannot fix.
	Fail = Transition{Name: "failed", From: OpenStates, To: StateFailed, Event: EventFailed, Notice: NoticeFailed}
)

// Lifecycle is every transition.
var Lifecycle = []Transition{Register, LettersReady, StartClosing, Close, CloseElsewhere, Fail}

// ErrTransition is the error of a change the lifecycle does not allow from the case's state.
type ErrTransition struct {
	Transition Transition
	From       State
}

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("a case in state %s cannot be %s", e.From, e.Transition.Name)
}

// NewCase is a case of a decision just accepted: received.
func NewCase(id string, d Decision, now time.Time) *Case {
	return &Case{ID: id, state: StateReceived, Decision: d, DueAt: d.DueAt(), CreatedAt: now, UpdatedAt: now}
}

// State is where the case is in its life.
func (c *Case) State() State { return c.state }

// Enter makes the transition t, when the lifecycle allows it from the case's state.
func (c *Case) Enter(t Transition) error {
	if !slices.Contains(t.From, c.state) {
		return &ErrTransition{Transition: t, From: c.state}
	}
	c.state = t.To
	return nil
}

// caseJSON is a case with its state, as stored and answered.
type caseJSON struct {
	plainCase
	State State `json:"state"`
}

// plainCase is a Case without its methods, for its JSON form.
type plainCase Case

func (c Case) MarshalJSON() ([]byte, error) {
	return json.Marshal(caseJSON{plainCase: plainCase(c), State: c.state})
}

// UnmarshalJSON reads a case as stored (or answered), with its state.
func (c *Case) UnmarshalJSON(b []byte) error {
	var in caseJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*c = Case(in.plainCase)
	c.state = in.State
	return nil
}
