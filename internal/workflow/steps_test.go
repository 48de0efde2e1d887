package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// stepEngine is an engine on a fresh store with one case, "case-1": enough to run steps (their
// requests are the test's).
func stepEngine(t *testing.T, requestTimeout time.Duration) (*Engine, *store.Store) {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := New(Config{RequestTimeout: requestTimeout}, st, nil, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	insertCase(t, st, "case-1")
	return e, st
}

func insertCase(t *testing.T, st *store.Store, id string) *objection.Case {
	t.Helper()
	ctx := context.Background()
	c := objection.NewCase(id, objection.Decision{Reference: "R-" + id}, time.Now())
	if err := st.InTx(ctx, func(tx *sql.Tx) error { return st.InsertCase(ctx, tx, c, "fp-"+id) }); err != nil {
		t.Fatal(err)
	}
	return c
}

// requests counts a step's lookups and creates, and answers them as told.
type requests struct {
	lookups, creates int
	found            bool
	createErr        error
}

func (r *requests) lookup(context.Context) (string, bool, error) {
	r.lookups++
	if r.found {
		return "https://zaken.example/zaken/api/v1/resultaten/1", true, nil
	}
	return "", false, nil
}

func (r *requests) create(context.Context) (string, error) {
	r.creates++
	if r.createErr != nil {
		return "", r.createErr
	}
	return "https://zaken.example/zaken/api/v1/resultaten/2", nil
}

// sharedStep is step for an effect more than one job makes (its intent recorded before it is
// sent), in a fresh attempt: what the intent decides is not the attempt's.
func sharedStep(e *Engine, caseID, name string, r *requests) (string, error) {
	ef := shared(&effect{name: name, lookup: r.lookup, create: r.create})
	err := e.steps(withAttempt(context.Background(), &attempt{fresh: true}), caseID, ef)
	return ef.result, err
}

// A shared effect's request that may still arrive (a timeout) is not looked for — by this job or
// any other, fresh or not — before it has had twice the request timeout to arrive; then its
// effect is found and adopted.
func TestStepWaitsForARequestThatMayStillArrive(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, time.Hour)
	r := &requests{createErr: fmt.Errorf("zgw: POST …: %w", context.DeadlineExceeded)}
	if _, err := sharedStep(e, "case-1", "resultaat", r); err == nil {
		t.Fatal("a timed-out request succeeded")
	}
	r.createErr = nil
	_, err := sharedStep(e, "case-1", "resultaat", r)
	var inFlight *InFlightError
	if !errors.As(err, &inFlight) || inFlight.Wait < time.Hour || inFlight.Wait > 2*time.Hour {
		t.Fatalf("a fresh intent gave %v, want an InFlightError of about two hours", err)
	}
	if r.lookups != 0 || r.creates != 1 {
		t.Fatalf("%d lookups and %d creates while the request may still arrive, want 0 and 1", r.lookups, r.creates)
	}
	var snooze *river.JobSnoozeError
	if res := e.fail(ctx, "case-1", err, 1); !errors.As(res, &snooze) || snooze.Duration != inFlight.Wait {
		t.Errorf("the job was not snoozed until then: %v", res)
	}

	e.cfg.RequestTimeout = 0 // the wait is over
	r.found = true
	got, err := sharedStep(e, "case-1", "resultaat", r)
	if err != nil || got != "https://zaken.example/zaken/api/v1/resultaten/1" || r.lookups != 1 || r.creates != 1 {
		t.Fatalf("after the wait: %q, %v; %d lookups, %d creates — want the effect adopted with one lookup", got, err, r.lookups, r.creates)
	}
	if err := e.flushSteps(ctx, "case-1"); err != nil {
		t.Fatal(err)
	}
	if s, _ := st.GetStep(ctx, "case-1", "resultaat"); !s.Done {
		t.Error("the adopted effect is not recorded at the attempt's end")
	}
}

// A shared effect's request sent again (its earlier one had no effect) counts the wait from the
// new request.
func TestStepResentRequestIsWaitedForAnew(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, 0)
	uncertain := fmt.Errorf("zgw: POST …: %w", context.DeadlineExceeded)
	r := &requests{createErr: uncertain}
	sharedStep(e, "case-1", "status-filed", r)
	first, _ := st.GetStep(ctx, "case-1", "status-filed")
	time.Sleep(10 * time.Millisecond)
	sharedStep(e, "case-1", "status-filed", r) // looked up, not found, sent again
	again, _ := st.GetStep(ctx, "case-1", "status-filed")
	if r.lookups != 1 || r.creates != 2 {
		t.Fatalf("%d lookups, %d creates; want 1 and 2", r.lookups, r.creates)
	}
	if !again.IntendedAt.After(first.IntendedAt) {
		t.Errorf("the intent of the request sent again is dated %v, the first %v", again.IntendedAt, first.IntendedAt)
	}
}

// A shared effect's request refused with an answer that proves nothing was done withdraws its
// intent: the retry neither waits nor looks up.
func TestRefusedStepWithdrawsItsIntent(t *testing.T) {
	ctx := context.Background()
	for _, refusal := range []error{
		&zgw.Problem{Status: http.StatusServiceUnavailable},
		&zgw.Problem{Status: http.StatusTooManyRequests},
		fmt.Errorf("zgw: %w", zgw.ErrCircuitOpen),
	} {
		t.Run(refusal.Error(), func(t *testing.T) {
			e, st := stepEngine(t, time.Hour)
			r := &requests{createErr: refusal}
			if _, err := sharedStep(e, "case-1", "status-filed", r); err == nil {
				t.Fatal("a refused request succeeded")
			}
			if s, _ := st.GetStep(ctx, "case-1", "status-filed"); s.Intended {
				t.Fatal("the intent of a refused request stays")
			}
			r.createErr = nil
			if _, err := sharedStep(e, "case-1", "status-filed", r); err != nil || r.lookups != 0 || r.creates != 2 {
				t.Fatalf("retry: %v; %d lookups, %d creates — want none and 2", err, r.lookups, r.creates)
			}
		})
	}
}

// A change that only records what a step did is not written in a commit of its own, nor by the
// next step's intent (which would rewrite the case for it): it goes with the case's next update,
// applied before that update's own change, in one commit; a change applies to the case as it is
// then (not to a copy read before); a write that fails gives it back for the next one.
func TestHeldChangeGoesWithTheNextUpdate(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, time.Hour)
	c := insertCase(t, st, "case-held")
	commits := 0
	st.WatchCases(func(string, objection.State) { commits++ })
	e.holdChange(c.ID, heldTransition(objection.Register))
	e.holdChange(c.ID, func(c *objection.Case) { c.ZaakURL = "https://zaken.example/zaken/api/v1/zaken/1" })
	r := &requests{}
	if _, err := e.step(ctx, c.ID, "status-first", r.lookup, r.create); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetCase(ctx, c.ID); got.ZaakURL != "" || got.State() != objection.StateReceived || commits != 0 {
		t.Fatalf("a held change was written before the case's next update: %+v, %d commits", got, commits)
	}
	seen := objection.State("")
	if _, err := e.updateCase(ctx, c.ID, func(_ *sql.Tx, c *objection.Case) error { seen = c.State(); return nil }); err != nil {
		t.Fatal(err)
	}
	got, _ := st.GetCase(ctx, c.ID)
	if s, _ := st.GetStep(ctx, c.ID, "status-first"); !s.Done {
		t.Error("the step's result was not recorded with the update")
	}
	if seen != objection.StateRegistering || got.ZaakURL == "" || commits != 1 {
		t.Errorf("state %s seen by the update, zaak %q, %d commits of the case — want registering, the zaak, 1", seen, got.ZaakURL, commits)
	}

	// Someone failed the case meanwhile: a held move from received does not undo that.
	if _, err := st.UpdateCaseTx(ctx, c.ID, func(_ *sql.Tx, c *objection.Case) error { return c.Enter(objection.Fail) }); err != nil {
		t.Fatal(err)
	}
	e.holdChange(c.ID, heldTransition(objection.Register))
	e.holdChange(c.ID, func(c *objection.Case) { c.BesluitURL = "https://besluiten.example/besluiten/1" })
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.flushSteps(cancelled, c.ID); err == nil {
		t.Fatal("a write with a cancelled context succeeded")
	}
	if err := e.flushSteps(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetCase(ctx, c.ID); got.State() != objection.StateFailed || got.BesluitURL == "" {
		t.Errorf("after the failed write and the next: state %s, besluit %q — want failed, the besluit", got.State(), got.BesluitURL)
	}
}

// A fresh attempt sends its steps that do not depend on each other at once (at most sentAtOnce
// in flight), without looking anything up and without a write before them: what they made is
// recorded once, at the attempt's end — also what was made when another was refused. The next
// attempt, not fresh, takes the recorded results as they are, looks up only the refused one, and
// sends only it.
func TestStepsGoOutTogether(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, time.Hour)
	const n = sentAtOnce + 2
	var mu sync.Mutex
	inFlight, most, creates, lookups := 0, 0, map[string]int{}, map[string]int{}
	allStarted := make(chan struct{})
	refuse := "step:2"
	commitsBefore, _ := st.Commits()
	effects := func() []*effect {
		var out []*effect
		for i := range n {
			name := "step:" + strconv.Itoa(i)
			out = append(out, &effect{name: name,
				lookup: func(context.Context) (string, bool, error) {
					mu.Lock()
					defer mu.Unlock()
					lookups[name]++
					return "", false, nil
				},
				create: func(ctx context.Context) (string, error) {
					mu.Lock()
					creates[name]++
					inFlight++
					most = max(most, inFlight)
					if most == sentAtOnce {
						close(allStarted)
						most++ // closed once
					}
					mu.Unlock()
					select { // the first requests wait until as many are in flight as may be
					case <-allStarted:
					case <-time.After(10 * time.Second):
						t.Errorf("%s: the requests were not sent at once", name)
					}
					mu.Lock()
					inFlight--
					mu.Unlock()
					if name == refuse {
						return "", &zgw.Problem{Status: http.StatusServiceUnavailable}
					}
					return "https://zaken.example/" + name, nil
				}})
		}
		return out
	}
	first := effects()
	err := e.steps(withAttempt(ctx, &attempt{fresh: true}), "case-1", first...)
	if p := (*zgw.Problem)(nil); !errors.As(err, &p) || !strings.Contains(err.Error(), refuse) {
		t.Fatalf("got %v, want the refusal of %s", err, refuse)
	}
	if most-1 != sentAtOnce {
		t.Errorf("%d requests in flight at most, want %d", most-1, sentAtOnce)
	}
	if len(lookups) != 0 {
		t.Errorf("a fresh attempt looked up %v", lookups)
	}
	if c, counted := st.Commits(); counted && c != commitsBefore {
		t.Errorf("%d commits while the requests went out, want none", c-commitsBefore)
	}
	if err := e.flushSteps(ctx, "case-1"); err != nil {
		t.Fatal(err)
	}
	if c, counted := st.Commits(); counted && c != commitsBefore+1 {
		t.Errorf("%d commits recorded the attempt, want 1", c-commitsBefore)
	}
	for i, ef := range first {
		s, _ := st.GetStep(ctx, "case-1", ef.name)
		if done := ef.name != refuse; s.Done != done || done && s.Result != "https://zaken.example/step:"+strconv.Itoa(i) {
			t.Errorf("%s recorded as %+v", ef.name, s)
		}
	}

	refuse = ""
	again := effects()
	if err := e.steps(ctx, "case-1", again...); err != nil {
		t.Fatal(err)
	}
	for i, ef := range again {
		retried := ef.name == "step:2"
		if ef.result != "https://zaken.example/step:"+strconv.Itoa(i) || creates[ef.name] != 1+btoi(retried) || lookups[ef.name] != btoi(retried) {
			t.Errorf("%s: result %q after %d creates and %d lookups", ef.name, ef.result, creates[ef.name], lookups[ef.name])
		}
	}
}

// An attempt cut off before it recorded what it made (a crash: what it held is lost) leaves its
// effects to the next attempt, which is not fresh: it looks each up and adopts what it finds,
// sending nothing again.
func TestAnAttemptAfterACrashAdoptsWhatTheFirstMade(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, time.Hour)
	r := &requests{}
	ef := &effect{name: "resultaat", lookup: r.lookup, create: r.create}
	if err := e.steps(withAttempt(ctx, &attempt{fresh: true}), "case-1", ef); err != nil {
		t.Fatal(err)
	}
	if r.lookups != 0 || r.creates != 1 {
		t.Fatalf("fresh attempt: %d lookups, %d creates; want 0 and 1", r.lookups, r.creates)
	}
	if s, _ := st.GetStep(ctx, "case-1", "resultaat"); s.Done || s.Intended {
		t.Fatalf("recorded before the attempt's end: %+v", s)
	}

	restarted, err := New(Config{RequestTimeout: time.Hour}, st, nil, nil, nil, e.log, nil) // nothing held
	if err != nil {
		t.Fatal(err)
	}
	r.found = true
	retry := &effect{name: "resultaat", lookup: r.lookup, create: r.create}
	if err := restarted.steps(withAttempt(ctx, attemptOfJob(&rivertype.JobRow{Attempt: 2})), "case-1", retry); err != nil {
		t.Fatal(err)
	}
	if r.lookups != 1 || r.creates != 1 || retry.result != "https://zaken.example/zaken/api/v1/resultaten/1" {
		t.Fatalf("the next attempt: %d lookups, %d creates, result %q; want the effect looked up and adopted", r.lookups, r.creates, retry.result)
	}
	if err := restarted.flushSteps(ctx, "case-1"); err != nil {
		t.Fatal(err)
	}
	if s, _ := st.GetStep(ctx, "case-1", "resultaat"); !s.Done {
		t.Error("the adopted effect is not recorded at the attempt's end")
	}
}

// Only River's first attempt of a job that no run here had, never snoozed, is fresh.
func TestWhichAttemptIsFresh(t *testing.T) {
	for _, tc := range []struct {
		name  string
		job   rivertype.JobRow
		fresh bool
	}{
		{"first attempt", rivertype.JobRow{Attempt: 1}, true},
		{"a retry", rivertype.JobRow{Attempt: 2}, false},
		{"after a snooze", rivertype.JobRow{Attempt: 2, Metadata: []byte(`{"snoozes":1}`)}, false},
		{"snoozed, attempts kept", rivertype.JobRow{Attempt: 1, Metadata: []byte(`{"snoozes":1}`)}, false},
		{"the record of a run here", rivertype.JobRow{Attempt: 1, Tags: []string{tagHere}}, false},
		{"other tags", rivertype.JobRow{Attempt: 1, Tags: []string{"x"}, Metadata: []byte(`{}`)}, true},
	} {
		if got := attemptOfJob(&tc.job).fresh; got != tc.fresh {
			t.Errorf("%s: fresh %v, want %v", tc.name, got, tc.fresh)
		}
	}
	if freshAttempt(context.Background()) {
		t.Error("outside any job (an API request) an attempt is fresh")
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
