package store

import (
	"context"
	"time"
)

// The queue's jobs are River's: the store changes them only where River has no call for it —
// handing a run's job over to the workers at a time of its choosing, and taking up the work a
// process that died left behind.

// riverTime is how River's SQLite driver writes a time (UTC, milliseconds).
const riverTime = "2006-01-02 15:04:05.000"

// Reschedule makes a job waiting for its time (scheduled, or available but not yet due) due at
// at for River's workers, without its tag when untag is set. A job a worker took meanwhile, or
// that ended, is left as it is. (River's JobRetry makes a job due at once, and keeps its tags.)
func (s *Store) Reschedule(ctx context.Context, jobID int64, at time.Time, untag string) error {
	if s.dialect.Shared() {
		_, err := s.db.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = $2,
			tags = CASE WHEN $3 = '' THEN tags ELSE array_remove(tags, $3) END
			WHERE id = $1 AND state IN ('scheduled', 'available', 'retryable')`, jobID, at.UTC(), untag)
		return err
	}
	_, err := s.db.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = ?,
		tags = CASE WHEN ? = '' THEN tags ELSE (SELECT json_group_array(value) FROM json_each(river_job.tags) WHERE value <> ?) END
		WHERE id = ? AND state IN ('scheduled', 'available', 'retryable')`, at.UTC().Format(riverTime), untag, untag, jobID)
	return err
}

// ResumeInterrupted makes jobs left running by a process that died available again, and the
// jobs tagged tag it left waiting (scheduled) as the record of work it was doing itself. Only for
// SQLite, which one process uses: on Postgres another replica may be running them (RescueOrphans,
// River's rescuer and the case locks handle a replica that died). They become available after
// delay — without waiting for River's scheduler, which runs only once this process has been
// elected River's leader.
func (s *Store) ResumeInterrupted(ctx context.Context, delay time.Duration, tag string) error {
	if s.dialect.Shared() {
		return nil
	}
	at := time.Now().UTC().Add(delay).Format(riverTime)
	_, err := s.db.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = ?
	WHERE state = 'running' OR state = 'scheduled' AND EXISTS (SELECT 1 FROM json_each(river_job.tags) WHERE value = ?)`, at, tag)
	return err
}
