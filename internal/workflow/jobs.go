package workflow

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Job is one entry of the durable job queue, as operators see it (never its arguments, which may
// name people and hold e-mail identifiers).
type Job struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	ScheduledAt time.Time
	LastError   string
}

// River is the engine's job queue, for River's own UI (queueui): jobs are made by the engine
// alone, never through this.
func (e *Engine) River() *river.Client[*sql.Tx] { return e.river }

// Jobs lists the newest jobs of the queue (at most limit), for the operators' page.
func (e *Engine) Jobs(ctx context.Context, limit int) ([]Job, error) {
	res, err := e.river.JobList(ctx, river.NewJobListParams().First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc))
	if err != nil {
		return nil, err
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		out = append(out, jobOf(j))
	}
	return out, nil
}

func jobOf(j *rivertype.JobRow) Job {
	job := Job{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
		CreatedAt: j.CreatedAt, ScheduledAt: j.ScheduledAt}
	if n := len(j.Errors); n > 0 {
		job.LastError = j.Errors[n-1].Error
	}
	return job
}
