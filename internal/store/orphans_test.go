package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
)

// A running job of a case whose lock nobody holds belongs to a replica that died: it is handed
// back (available, after the delay); one whose case is locked by a live job, one of a kind
// without a case, and one that started within the grace period are left running. So is the
// record of a run here (waiting, tagged) whose case's lock nobody holds; one whose run holds the
// lock, and a waiting job not tagged, keep waiting.
func TestRescueOrphans(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenPostgres(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db := st.DB()
	running := func(kind, caseID string, age time.Duration) int64 {
		t.Helper()
		var id int64
		err := db.QueryRowContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, state, attempt, attempted_at, scheduled_at)
			VALUES ($1, $2, 25, 'running', 1, now() - make_interval(secs => $3), now()) RETURNING id`,
			`{"case_id":"`+caseID+`"}`, kind, age.Seconds()).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	waiting := func(caseID string, tags string) int64 {
		t.Helper()
		var id int64
		err := db.QueryRowContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, state, attempt, created_at, scheduled_at, tags)
			VALUES ($1, 'attach_confirmation', 25, 'scheduled', 0, now() - interval '1 minute', now() + interval '1 hour', $2::varchar[]) RETURNING id`,
			`{"case_id":"`+caseID+`"}`, tags).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	orphan := running("register_case", "case-dead", time.Minute)
	orphanRun := waiting("case-dead-run", "{here}")
	liveRun := waiting("case-alive", "{here}")
	untagged := waiting("case-dead-3", "{}")
	alive := running("register_case", "case-alive", time.Minute)
	other := running("notify", "case-dead-2", time.Minute)
	fresh := running("close_case", "case-fresh", time.Second)

	unlock, ok, err := st.LockCase(ctx, "case-alive") // a live replica works on it
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer unlock()

	caseOf := func(_ context.Context, kind string, args []byte) string {
		if kind == "notify" {
			return ""
		}
		var a struct {
			CaseID string `json:"case_id"`
		}
		json.Unmarshal(args, &a)
		return a.CaseID
	}
	n, err := st.RescueOrphans(ctx, 10*time.Second, time.Minute, "here", caseOf)
	if err != nil || n != 2 {
		t.Fatalf("rescued %d (%v), want 2", n, err)
	}
	for id, want := range map[int64]string{orphan: "available", alive: "running", other: "running", fresh: "running",
		orphanRun: "available", liveRun: "scheduled", untagged: "scheduled"} {
		var state string
		var later bool
		if err := db.QueryRowContext(ctx, `SELECT state, scheduled_at > now() + interval '50 seconds' FROM river_job WHERE id = $1`, id).Scan(&state, &later); err != nil {
			t.Fatal(err)
		}
		if state != want || (id == orphan || id == orphanRun) && !later {
			t.Errorf("job %d: %s (scheduled after the delay: %v), want %s", id, state, later, want)
		}
	}
	// The orphan's case is not left locked by the rescue.
	if unlock2, ok, err := st.LockCase(ctx, "case-dead"); err != nil || !ok {
		t.Errorf("the rescued case's lock: %v %v", ok, err)
	} else {
		unlock2()
	}
}
