package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Runs start only between start and stop and only while a slot is free; stopping lets them
// finish until its context ends, then cancels them, and returns when they have ended.
// try runs work in the background when a slot is free, and reports whether it does.
func (r *runNow) try(work func(ctx context.Context)) bool {
	return r.reserve() && r.run(work)
}

func TestRunNowSlotsAndStop(t *testing.T) {
	r := newRunNow(2)
	if r.try(func(context.Context) { t.Error("ran before start") }) {
		t.Fatal("a run started before start")
	}
	r.start(context.Background())
	release := make(chan struct{})
	cancelled := make(chan error, 2)
	running := make(chan struct{}, 2)
	held := func(ctx context.Context) {
		running <- struct{}{}
		select {
		case <-release:
			cancelled <- nil
		case <-ctx.Done():
			cancelled <- ctx.Err()
		}
	}
	for i := range 2 {
		if !r.try(held) {
			t.Fatalf("run %d did not start with a slot free", i)
		}
		<-running
	}
	if r.try(func(context.Context) { t.Error("ran without a slot") }) {
		t.Fatal("a third run started with two slots")
	}

	// One run finishes while stop waits: it is not cancelled. The other outlasts stop's
	// context: it is cancelled, and stop returns only after it ended.
	release <- struct{}{}
	if err := <-cancelled; err != nil {
		t.Fatalf("the released run ended with %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r.stopAll(ctx)
	select {
	case err := <-cancelled:
		if err != context.Canceled {
			t.Fatalf("the run left at stop ended with %v, want its context cancelled", err)
		}
	default:
		t.Fatal("stop returned before the run it cancelled ended")
	}
	if r.try(func(context.Context) { t.Error("ran after stop") }) {
		t.Fatal("a run started after stop")
	}
}

// A run here that does not finish leaves its job to River: due after the wait River would have
// given it after a first attempt that ended so — at least twice the request timeout when a
// request's outcome is unknown — and no longer a run's record (River's first attempt fresh) only
// when nothing is unknown.
func TestRunHereLeavesItsJobRiversWait(t *testing.T) {
	ctx := context.Background()
	e, st := stepEngine(t, 30*time.Second)
	for _, tc := range []struct {
		name  string
		err   error
		want  time.Duration
		fresh bool
	}{
		{"done, its job not ended", nil, 0, true},
		{"the case failed", river.JobCancel(errors.New("refused")), 0, true},
		{"Retry-After", river.JobSnooze(7 * time.Second), 7 * time.Second, true},
		{"refused: nothing done", &zgw.Problem{Status: http.StatusServiceUnavailable}, e.cfg.RetryBase, true},
		{"timed out: perhaps done", fmt.Errorf("zgw: POST …: %w", context.DeadlineExceeded), e.inFlight(), false},
		{"done but not recorded", &unrecordedError{errors.New("disk full")}, e.inFlight(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var jobID int64
			if err := st.InTx(ctx, func(tx *sql.Tx) error {
				var err error
				jobID, err = e.insertDueLater(ctx, tx, CloseArgs{CaseID: tc.name})
				return err
			}); err != nil || jobID == 0 {
				t.Fatalf("job %d: %v", jobID, err)
			}
			before := time.Now()
			e.leaveToRiver(ctx, jobID, tc.err)
			job, err := e.river.JobGet(ctx, jobID)
			if err != nil {
				t.Fatal(err)
			}
			if due := job.ScheduledAt.Sub(before); job.State != rivertype.JobStateAvailable || due < tc.want-time.Second || due > tc.want+time.Second {
				t.Errorf("%s, due in %v; want available, due in %v", job.State, due, tc.want)
			}
			job.Attempt = 1 // as River fetches it
			if got := attemptOfJob(job).fresh; got != tc.fresh {
				t.Errorf("River's first attempt fresh: %v, want %v (tags %v)", got, tc.fresh, job.Tags)
			}
		})
	}
}
