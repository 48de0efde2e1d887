package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// runNow does the work of a job just committed at once, in this process, instead of waiting for
// a worker to fetch it: a registration or an e-mail to attach starts as soon as it was accepted.
// The job stays the durable record: committed with what it works on, due only when a request of
// the run has surely arrived (twice the request timeout), so that no worker takes it meanwhile.
// The run that does all of the work deletes it in its last write; a run that does not, or no free
// slot, brings it forward for River's workers (jobNow). A crash loses nothing: the job comes due
// and looks up what the run sent (on Postgres, on another replica).
//
// At most Workers such runs go at once, besides River's workers. A run here costs no job fetch,
// no wake-up and no completion on the way to the zaaksysteem.
//
// A run that fails holds the case's jobs back for the wait River would have given its job after
// a first attempt (a Retry-After, the backoff), from before the case's lock is let go: the job,
// brought forward, does not send the request again at once. (A request whose answer was lost
// leaves a fresh intent, which is waited for anyway: InFlightError.)
type runNow struct {
	slots chan struct{}
	mu    sync.Mutex
	ctx   context.Context // nil before start and after stop
	stop  context.CancelFunc
	runs  sync.WaitGroup
	// until holds back the jobs of a case whose run here failed.
	until map[string]time.Time
}

func newRunNow(workers int) *runNow {
	return &runNow{slots: make(chan struct{}, workers), until: map[string]time.Time{}}
}

// holdBack makes the case's jobs wait until then. (Waits that are over are forgotten here too:
// a case whose jobs another replica ran never asks for its own.)
func (r *runNow) holdBack(caseID string, until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, t := range r.until {
		if time.Now().After(t) {
			delete(r.until, k)
		}
	}
	r.until[caseID] = until
}

// heldBack is how long the case's jobs must still wait (0: not), and forgets a wait that is over.
func (r *runNow) heldBack(caseID string, now time.Time) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	until, ok := r.until[caseID]
	if ok && !now.Before(until) {
		delete(r.until, caseID)
	}
	return max(until.Sub(now), 0)
}

// isRunHere reports whether ctx is that of a run here (startNow marks it with its job).
func isRunHere(ctx context.Context) bool { return jobHere(ctx) != 0 }

// start lets runs begin; they end when stop is called.
func (r *runNow) start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctx, r.stop = context.WithCancel(context.WithoutCancel(ctx))
}

// stopAll lets the runs finish until ctx ends, then cancels what is left (a cancelled request
// keeps its intent: the job looks its effect up), and waits for them. No run starts after it.
func (r *runNow) stopAll(ctx context.Context) {
	r.mu.Lock()
	cancel := r.stop
	r.ctx = nil
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		r.runs.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	if cancel != nil {
		cancel()
	}
	<-done
}

// reserve takes a slot for a run, when one is free and runs may begin.
func (r *runNow) reserve() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx == nil {
		return false
	}
	select {
	case r.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// release gives back a slot reserved for a run that does not start.
func (r *runNow) release() { <-r.slots }

// run does work in the background in the slot reserved for it, and reports whether it does (not
// when the runs have stopped meanwhile: the slot is given back).
func (r *runNow) run(work func(ctx context.Context)) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx == nil {
		<-r.slots
		return false
	}
	ctx := r.ctx
	r.runs.Add(1)
	go func() {
		defer func() {
			<-r.slots
			r.runs.Done()
		}()
		work(ctx)
	}()
	return true
}

// workHere is the work of a job done at once by the process that accepted it — a registration,
// an e-mail to attach — as River would hand the job (jobID) to its worker on a first attempt;
// nil for a job of another kind.
func (e *Engine) workHere(args river.JobArgs) func(ctx context.Context, jobID int64) error {
	first := func(jobID int64) *rivertype.JobRow {
		return &rivertype.JobRow{ID: jobID, Attempt: 1, Kind: args.Kind()}
	}
	switch a := args.(type) {
	case RegisterArgs:
		return func(ctx context.Context, jobID int64) error {
			return (&registerWorker{e: e}).Work(ctx, &river.Job[RegisterArgs]{JobRow: first(jobID), Args: a})
		}
	case AttachArgs:
		return func(ctx context.Context, jobID int64) error {
			return (&attachWorker{e: e}).Work(ctx, &river.Job[AttachArgs]{JobRow: first(jobID), Args: a})
		}
	}
	return nil
}

// startNow does work, the work of a job just committed (jobID, due later: enqueue), here, now,
// in the slot reserved for it before the commit. A run that does all of the job's work ends the
// job in its last write (endJobHere); one that does not — an error, a wait asked for, the zaak
// not there yet — brings the job forward, to be worked by River with its retries (after the wait
// the run holds the case's jobs back: withCaseLock); so does a stop before it began.
func (e *Engine) startNow(ctx context.Context, args river.JobArgs, work func(context.Context, int64) error, jobID int64) {
	started := e.now.run(func(ctx context.Context) {
		if err := work(context.WithValue(ctx, jobHereKey{}, jobID), jobID); err != nil {
			e.jobNow(context.WithoutCancel(ctx), args)
		}
	})
	if !started {
		e.jobNow(ctx, args)
	}
}

// jobHereKey holds, in the context of a run here, the ID of the job whose work it does; it also
// marks the context as that of a run here (isRunHere). 0 says it is not one.
type jobHereKey struct{}

// jobHere is the ID of the job whose work ctx's run here does; 0 when it is not a run here.
func jobHere(ctx context.Context) int64 {
	id, _ := ctx.Value(jobHereKey{}).(int64)
	return id
}

// endJobHere deletes, in tx — the last write of a run here that did all of its job's work — the
// job, so that no worker fetches it only to find nothing left to do: with the work recorded, in
// one commit, the job is no longer needed as its record. A job a worker took meanwhile (running)
// is left to end as it does, after the case's lock is let go. Elsewhere (River's workers) it
// does nothing: River completes their jobs.
func (e *Engine) endJobHere(ctx context.Context, tx *sql.Tx) error {
	id := jobHere(ctx)
	if id == 0 {
		return nil
	}
	if _, err := e.river.JobDeleteTx(ctx, tx, id); err != nil && !errors.Is(err, rivertype.ErrJobRunning) && !errors.Is(err, rivertype.ErrNotFound) {
		return fmt.Errorf("ending job %d, its work done: %w", id, err)
	}
	return nil
}

// retryWait is how long River would wait before the next attempt after a first attempt that
// ended with err: nothing after success or a cancel (the case failed), the snooze asked for, or
// the backoff.
func (e *Engine) retryWait(err error) time.Duration {
	var snooze *river.JobSnoozeError
	var cancel *rivertype.JobCancelError
	switch {
	case err == nil || errors.As(err, &cancel):
		return 0
	case errors.As(err, &snooze):
		return snooze.Duration
	}
	return e.cfg.RetryBase
}
