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
// The run is the job's fresh attempt (attempt.go). The job stays the durable record: committed
// with what it works on, marked as a run's (tagHere) and due only when the run has surely ended
// and its requests arrived (the run's time limit plus twice the request timeout), so that no
// worker takes it meanwhile. The run that does all of the work deletes it in its last write; a
// run that does not, or no free slot, leaves it to River's workers (leaveToRiver). A crash loses
// nothing: the job comes due (at once after a restart on SQLite, when found orphaned on
// Postgres: ResumeInterrupted, RescueOrphans) and looks up what the run sent.
//
// At most Workers such runs go at once, besides River's workers. A run here costs no job fetch,
// no wake-up and no completion on the way to the zaaksysteem.
type runNow struct {
	slots chan struct{}
	mu    sync.Mutex
	ctx   context.Context // nil before start and after stop
	stop  context.CancelFunc
	runs  sync.WaitGroup
}

func newRunNow(workers int) *runNow {
	return &runNow{slots: make(chan struct{}, workers)}
}

// start lets runs begin; they end when stop is called.
func (r *runNow) start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctx, r.stop = context.WithCancel(context.WithoutCancel(ctx))
}

// stopAll lets the runs finish until ctx ends, then cancels what is left (a cancelled request's
// outcome is unknown: the run leaves its job to River, which looks its effect up), and waits for
// them. No run starts after it.
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

// startNow does work, the work of a job just committed (jobID, a run's record: enqueue), here,
// now, in the slot reserved for it before the commit, within the time a job may run. A run that
// does all of the job's work ends the job in its last write (endJobHere); one that does not — an
// error, a wait asked for, the zaak not there yet — leaves it to River (leaveToRiver); so does a
// stop before it began.
func (e *Engine) startNow(ctx context.Context, work func(context.Context, int64) error, jobID int64) {
	started := e.now.run(func(ctx context.Context) {
		a := &attempt{fresh: true, jobID: jobID}
		runCtx, cancel := context.WithTimeout(withAttempt(ctx, a), e.cfg.RescueAfter)
		err := work(runCtx, jobID)
		cancel()
		if !a.ended.Load() {
			e.leaveToRiver(context.WithoutCancel(ctx), jobID, err)
		}
	})
	if !started {
		e.leaveToRiver(ctx, jobID, nil)
	}
}

// leaveToRiver hands the job of a run here that did not do all of its work (its results
// recorded) to River's workers: due after the wait River would have given it after a first
// attempt that ended with err — a Retry-After, the backoff, and at least twice the request
// timeout when a request's outcome is unknown — and, when nothing is unknown, no longer marked
// as a run's, so that River's first attempt of it is fresh.
func (e *Engine) leaveToRiver(ctx context.Context, jobID int64, err error) {
	unknown := outcomeUnknownOf(err)
	wait := e.retryWait(err)
	if unknown {
		wait = max(wait, e.inFlight())
	}
	untag := tagHere
	if unknown {
		untag = ""
	}
	if rerr := e.store.Reschedule(ctx, jobID, time.Now().Add(wait), untag); rerr != nil {
		e.log.Warn("handing a job over to the workers; it runs at its time", "job", jobID, "error", rerr)
	}
}

// endJobHere deletes, in tx — the last write of a run here that did all of its job's work — the
// job, so that no worker fetches it only to find nothing left to do: with the work recorded, in
// one commit, the job is no longer needed as its record. A job a worker took meanwhile (running)
// is left to end as it does, after the case's lock is let go. Elsewhere (River's workers) it
// does nothing: River completes their jobs.
func (e *Engine) endJobHere(ctx context.Context, tx *sql.Tx) error {
	a := attemptOf(ctx)
	if a.jobID == 0 {
		return nil
	}
	if _, err := e.river.JobDeleteTx(ctx, tx, a.jobID); err != nil && !errors.Is(err, rivertype.ErrJobRunning) && !errors.Is(err, rivertype.ErrNotFound) {
		return fmt.Errorf("ending job %d, its work done: %w", a.jobID, err)
	}
	e.store.AfterCommit(tx, func() { a.ended.Store(true) })
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
