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

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// stepEngine is an engine on a fresh store, enough to run steps (their requests are the test's).
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
	return e, st
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

// A request that may still arrive (a timeout) is not looked for — by this job or any other —
// before it has had twice the request timeout to arrive; then its effect is found and adopted.
func TestStepWaitsForARequestThatMayStillArrive(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, time.Hour)
	r := &requests{createErr: fmt.Errorf("zgw: POST …: %w", context.DeadlineExceeded)}
	if _, err := e.step(ctx, "case-1", "resultaat", r.lookup, r.create); err == nil {
		t.Fatal("a timed-out request succeeded")
	}
	r.createErr = nil
	_, err := e.step(ctx, "case-1", "resultaat", r.lookup, r.create)
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
	got, err := e.step(ctx, "case-1", "resultaat", r.lookup, r.create)
	if err != nil || got != "https://zaken.example/zaken/api/v1/resultaten/1" || r.lookups != 1 || r.creates != 1 {
		t.Fatalf("after the wait: %q, %v; %d lookups, %d creates — want the effect adopted with one lookup", got, err, r.lookups, r.creates)
	}
	if s, _ := st.GetStep(ctx, "case-1", "resultaat"); !s.Done {
		t.Error("the adopted effect is not recorded")
	}
}

// A request sent again (its earlier one had no effect) counts the wait from the new request.
func TestStepResentRequestIsWaitedForAnew(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, 0)
	uncertain := fmt.Errorf("zgw: POST …: %w", context.DeadlineExceeded)
	r := &requests{createErr: uncertain}
	e.step(ctx, "case-1", "status-eind", r.lookup, r.create)
	first, _ := st.GetStep(ctx, "case-1", "status-eind")
	time.Sleep(10 * time.Millisecond)
	e.step(ctx, "case-1", "status-eind", r.lookup, r.create) // looked up, not found, sent again
	again, _ := st.GetStep(ctx, "case-1", "status-eind")
	if r.lookups != 1 || r.creates != 2 {
		t.Fatalf("%d lookups, %d creates; want 1 and 2", r.lookups, r.creates)
	}
	if !again.IntendedAt.After(first.IntendedAt) {
		t.Errorf("the intent of the request sent again is dated %v, the first %v", again.IntendedAt, first.IntendedAt)
	}
}

// A request refused with an answer that proves nothing was done withdraws its intent: the retry
// neither waits nor looks up.
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
			if _, err := e.step(ctx, "case-1", "zaak", r.lookup, r.create); err == nil {
				t.Fatal("a refused request succeeded")
			}
			if s, _ := st.GetStep(ctx, "case-1", "zaak"); s.Intended {
				t.Fatal("the intent of a refused request stays")
			}
			r.createErr = nil
			if _, err := e.step(ctx, "case-1", "zaak", r.lookup, r.create); err != nil || r.lookups != 0 || r.creates != 2 {
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
	c := objection.NewCase("case-1", objection.Decision{Reference: "R-1"}, time.Now())
	if err := st.InTx(ctx, func(tx *sql.Tx) error { return st.InsertCase(ctx, tx, c, "fp") }); err != nil {
		t.Fatal(err)
	}
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

// Steps that do not depend on each other are intended first, all of them, then sent at once (at
// most sentAtOnce in flight); one refused does not lose the others' results, and its retry sends
// only it.
func TestStepsGoOutTogether(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, time.Hour)
	const n = sentAtOnce + 2
	var mu sync.Mutex
	inFlight, most, creates := 0, 0, map[string]int{}
	allStarted := make(chan struct{})
	refuse := "step:2"
	effects := func() []*effect {
		var out []*effect
		for i := range n {
			name := "step:" + strconv.Itoa(i)
			out = append(out, &effect{name: name,
				lookup: func(context.Context) (string, bool, error) { t.Errorf("%s looked up", name); return "", false, nil },
				create: func(ctx context.Context) (string, error) {
					for j := range n {
						// (but the refused one, which withdraws its intent once refused)
						if s, _ := st.GetStep(ctx, "case-1", "step:"+strconv.Itoa(j)); !s.Intended && "step:"+strconv.Itoa(j) != refuse {
							t.Errorf("%s sent before step:%d was intended", name, j)
						}
					}
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
	err := e.steps(ctx, "case-1", first...)
	if p := (*zgw.Problem)(nil); !errors.As(err, &p) || !strings.Contains(err.Error(), refuse) {
		t.Fatalf("got %v, want the refusal of %s", err, refuse)
	}
	if most-1 != sentAtOnce {
		t.Errorf("%d requests in flight at most, want %d", most-1, sentAtOnce)
	}
	if err := e.flushSteps(ctx, "case-1"); err != nil {
		t.Fatal(err)
	}
	for i, ef := range first {
		s, _ := st.GetStep(ctx, "case-1", ef.name)
		if done := ef.name != refuse; s.Done != done || s.Intended != done || done && s.Result != "https://zaken.example/step:"+strconv.Itoa(i) {
			t.Errorf("%s recorded as %+v", ef.name, s)
		}
	}

	refuse = ""
	again := effects()
	if err := e.steps(ctx, "case-1", again...); err != nil {
		t.Fatal(err)
	}
	for i, ef := range again {
		if ef.result != "https://zaken.example/step:"+strconv.Itoa(i) || creates[ef.name] != 1+btoi(ef.name == "step:2") {
			t.Errorf("%s: result %q after %d creates", ef.name, ef.result, creates[ef.name])
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
