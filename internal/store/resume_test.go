package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// After a restart on SQLite, jobs the dead process left running, and those tagged as the record
// of work it did itself, are available after the delay (not at once: its requests may still
// arrive); other waiting jobs keep their time.
func TestResumeInterrupted(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db := st.DB()
	job := func(kind, state, tags string) int64 {
		t.Helper()
		var finalized any // a finished job has its time
		if state == "completed" {
			finalized = "2025-01-01 00:00:00.000"
		}
		res, err := db.ExecContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, state, attempt, scheduled_at, finalized_at, tags)
			VALUES ('{}', ?, 25, ?, 1, '2999-01-01 00:00:00.000', ?, ?)`, kind, state, finalized, tags)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	running := job("close_case", "running", "[]")
	waitingHere := job("register_case", "scheduled", `["here"]`)
	waitingOther := job("close_case", "scheduled", `["other"]`)
	completed := job("register_case", "completed", `["here"]`)

	before := time.Now().UTC()
	if err := st.ResumeInterrupted(ctx, time.Minute, "here"); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]string{running: "available", waitingHere: "available", waitingOther: "scheduled", completed: "completed"} {
		var state string
		var due time.Time
		if err := db.QueryRowContext(ctx, `SELECT state, scheduled_at FROM river_job WHERE id = ?`, id).Scan(&state, &due); err != nil {
			t.Fatal(err)
		}
		moved := want == "available"
		if state != want || moved && (due.Before(before.Add(59*time.Second)) || due.After(before.Add(2*time.Minute))) || !moved && due.Year() != 2999 {
			t.Errorf("job %d: %s due %s, want %s (due in a minute when made available, else as it was)", id, state, due, want)
		}
	}
}
