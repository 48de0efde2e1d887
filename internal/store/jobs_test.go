package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// Reschedule makes a waiting job due at the time given, without the tag named (or with its tags
// when none is), on both dialects; a job a worker took is left as it is.
func TestReschedule(t *testing.T) {
	eachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		db := st.DB()
		pg := st.Dialect() == store.Postgres
		insert := func(state string) int64 {
			t.Helper()
			var id int64
			var err error
			if pg {
				err = db.QueryRowContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, state, attempt, scheduled_at, tags)
					VALUES ('{}', 'close_case', 25, $1, 0, now() + interval '1 hour', '{here,other}'::varchar[]) RETURNING id`, state).Scan(&id)
			} else {
				err = db.QueryRowContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, state, attempt, scheduled_at, tags)
					VALUES ('{}', 'close_case', 25, ?, 0, '2999-01-01 00:00:00.000', '["here","other"]') RETURNING id`, state).Scan(&id)
			}
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		read := func(id int64) (state string, due time.Time, tags string) {
			t.Helper()
			q := `SELECT state, scheduled_at, (SELECT coalesce(group_concat(value), '') FROM json_each(river_job.tags)) FROM river_job WHERE id = ?`
			if pg {
				q = `SELECT state, scheduled_at, array_to_string(tags, ',') FROM river_job WHERE id = $1`
			}
			if err := db.QueryRowContext(ctx, q, id).Scan(&state, &due, &tags); err != nil {
				t.Fatal(err)
			}
			return state, due, tags
		}
		untagged, kept, running := insert("scheduled"), insert("scheduled"), insert("running")
		at := time.Now().Add(time.Minute).UTC().Truncate(time.Millisecond)
		for id, untag := range map[int64]string{untagged: "here", kept: "", running: "here"} {
			if err := st.Reschedule(ctx, id, at, untag); err != nil {
				t.Fatal(err)
			}
		}
		for id, want := range map[int64][2]string{untagged: {"available", "other"}, kept: {"available", "here,other"}, running: {"running", "here,other"}} {
			state, due, tags := read(id)
			if state != want[0] || tags != want[1] || state == "available" && !due.Equal(at) {
				t.Errorf("job %d: %s due %v tagged %q; want %s tagged %q (due %v when available)", id, state, due, tags, want[0], want[1], at)
			}
		}
	})
}
