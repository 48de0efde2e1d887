package workflow

import (
	"context"
	"encoding/json"
	"slices"
	"sync/atomic"

	"github.com/riverqueue/river/rivertype"
)

// An attempt is one go at a job's work. What it may take for granted decides how many durable
// writes exactly-once costs: a job attempt commits what it will do once (the job, committed with
// what it works on), makes its ZGW effects, and commits what they made once — no record per
// request. That holds because an attempt knows whether an earlier one may have sent a request
// of its job whose answer never arrived:
//
//   - A fresh attempt is the first go at its job's work: a run here (the process that committed
//     the job works it at once), or River's first attempt of a job no run here had, never
//     snoozed. No request of its job was sent before, so it sends without looking anything up.
//   - Every other attempt — a retry, a job taken over after a crash or from a run here that did
//     not finish — looks up each step not recorded done before it makes it again (the step's
//     lookup), and adopts what it finds. It runs only when whatever an earlier attempt sent has
//     surely arrived: River's retry waits at least twice the request timeout after an uncertain
//     failure (backoff), a job left running by a process that died comes back that long after
//     (ResumeInterrupted, RescueOrphans, River's rescue after the job's timeout), and a run here
//     that did not finish leaves its job due no sooner (leaveToRiver).
//
// Steps that more than one job may make (the status "filed", which the close job sets when the
// filing job has not; the besluit's publicatiedatum) keep a record of their own before they are
// sent (a shared effect), as a fresh attempt of one job knows nothing of another's.
type attempt struct {
	fresh bool
	// jobID is the job whose work a run here does (0: not a run here); ended says the run ended
	// it in its last write (endJobHere), its work done.
	jobID int64
	ended atomic.Bool
	// ahead is the zaak read for a closing that follows this attempt (lookahead.go).
	ahead *lookAhead
}

type attemptKey struct{}

func withAttempt(ctx context.Context, a *attempt) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

// attemptOf is ctx's attempt; outside any job (an API request) an attempt that is not fresh.
func attemptOf(ctx context.Context) *attempt {
	if a, ok := ctx.Value(attemptKey{}).(*attempt); ok {
		return a
	}
	return &attempt{}
}

// freshAttempt reports whether ctx is that of an attempt no earlier one of its job went before.
func freshAttempt(ctx context.Context) bool { return attemptOf(ctx).fresh }

// tagHere marks the job of a run here (insertDueLater): River's attempts of it are never fresh,
// as the run may have sent requests before it stopped.
const tagHere = "run-here"

// attemptOfJob is the attempt River makes of a job: fresh on the first attempt of a job that no
// run here had and that never snoozed (a snooze may come after requests were sent).
func attemptOfJob(job *rivertype.JobRow) *attempt {
	var meta struct {
		Snoozes int `json:"snoozes"`
	}
	_ = json.Unmarshal(job.Metadata, &meta) // no metadata: never snoozed
	return &attempt{fresh: job.Attempt == 1 && meta.Snoozes == 0 && !slices.Contains(job.Tags, tagHere)}
}

// markAttempt gives every job River works its attempt.
func markAttempt(ctx context.Context, job *rivertype.JobRow, work func(context.Context) error) error {
	return work(withAttempt(ctx, attemptOfJob(job)))
}
