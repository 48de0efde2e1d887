package objection

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A case is closed as not confirmed only while it awaits confirmation, once every account is
// filed or its deadline has passed.
func TestMayCloseUnconfirmed(t *testing.T) {
	due := time.Date(2025, 5, 27, 22, 0, 0, 0, time.UTC) // the end of 27 May in Amsterdam
	filed := due.Add(-72 * time.Hour)
	for _, tc := range []struct {
		name  string
		state State
		due   *time.Time
		filed []*time.Time
		now   time.Time
		want  bool
	}{
		{"nothing filed, deadline ahead", StateAwaitingConfirmation, &due, []*time.Time{nil}, due.Add(-time.Hour), false},
		{"nothing filed, the deadline's end reached", StateAwaitingConfirmation, &due, []*time.Time{nil}, due, true},
		{"one of two filed", StateAwaitingConfirmation, &due, []*time.Time{&filed, nil}, due.Add(-time.Hour), false},
		{"every account filed", StateAwaitingConfirmation, &due, []*time.Time{&filed, &filed}, due.Add(-time.Hour), true},
		{"no deadline, nothing filed", StateAwaitingConfirmation, nil, []*time.Time{nil}, due.AddDate(1, 0, 0), false},
		{"no deadline, filed", StateAwaitingConfirmation, nil, []*time.Time{&filed}, due, true},
		{"still registering", StateRegistering, &due, []*time.Time{&filed}, due.Add(time.Hour), false},
		{"already closed", StateClosed, &due, []*time.Time{&filed}, due.Add(time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Case{state: tc.state, DueAt: tc.due}
			for _, f := range tc.filed {
				c.Accounts = append(c.Accounts, AccountState{FiledAt: f})
			}
			if got := c.MayCloseUnconfirmed(tc.now); got != tc.want {
				t.Errorf("MayCloseUnconfirmed = %v, want %v", got, tc.want)
			}
		})
	}
}

// A publication's JSON carries the publicatiebank's status, derived from its state; read back,
// the state is what counts.
func TestPublicationStatus(t *testing.T) {
	for state, want := range map[PublicationState]string{PublicationPending: "", PublicationConcept: "concept",
		PublicationPublished: "gepubliceerd", PublicationWithdrawn: "ingetrokken", PublicationRefused: ""} {
		b, err := json.Marshal(&Case{Publication: &Publication{State: state, UUID: "p-1"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), `"status":"`+want+`"`); want != "" && !got || want == "" && strings.Contains(string(b), `"status"`) {
			t.Errorf("%s: %s, want status %q", state, b, want)
		}
		var back Case
		if err := json.Unmarshal(b, &back); err != nil || back.Publication.State != state || back.Publication.UUID != "p-1" {
			t.Errorf("%s read back: %+v, %v", state, back.Publication, err)
		}
	}
}
