package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection/objectiontest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// TestCasesPage: the database answers the case list — filter, order and page — as the rule in
// the domain says, in each dialect: a case is in the overdue list exactly when
// objection.Case.UpdateOverdue calls it overdue, also after it was written again.
func TestCasesPage(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	eachDialect(t, func(t *testing.T, st *store.Store) {
		// 24 cases: each state, with a deadline passed, to come or none, filed or not.
		past, future := now.Add(-time.Hour), now.Add(time.Hour)
		var all []*objection.Case
		filed := now.Add(-48 * time.Hour)
		for i := range 24 {
			c := objectiontest.InState(objection.NewCase(fmt.Sprintf("case-%02d", i), objection.Decision{Reference: fmt.Sprintf("R-%s-%02d", st.Dialect(), i)},
				now.Add(time.Duration(i)*time.Minute)), objection.States[i%len(objection.States)])
			c.Accounts = []objection.AccountState{{Account: objection.Account{Platform: objection.Facebook, Name: "A"}}}
			switch i % 3 {
			case 0:
				c.DueAt = &past
			case 1:
				c.DueAt = &future
			}
			if i%4 == 3 {
				c.Accounts[0].FiledAt = &filed
			}
			if err := st.InTx(ctx, func(tx *sql.Tx) error { return st.InsertCase(ctx, tx, c, "fp") }); err != nil {
				t.Fatal(err)
			}
			all = append(all, c)
		}
		// One is filed after it was stored: its columns follow.
		if _, err := st.UpdateCase(ctx, "case-00", func(c *objection.Case) error { c.Accounts[0].FiledAt = &filed; return nil }); err != nil {
			t.Fatal(err)
		}
		all[0].Accounts[0].FiledAt = &filed

		yes, no := true, false
		for _, f := range []objection.CaseFilter{{}, {Overdue: &yes}, {Overdue: &no}, {States: objection.OpenStates},
			{States: objection.OpenStates, Overdue: &yes}, {States: []objection.State{objection.StateClosed}, Overdue: &no}} {
			var want []string
			for _, c := range slices.Backward(all) { // newest first
				c.UpdateOverdue(now)
				if (len(f.States) == 0 || slices.Contains(f.States, c.State())) && (f.Overdue == nil || *f.Overdue == c.Overdue) {
					want = append(want, c.ID)
				}
			}
			var got []string
			for n := 1; ; n++ {
				page, total, err := st.CasesPage(ctx, f, now, objection.Page{Number: n, Size: 5})
				if err != nil {
					t.Fatal(err)
				}
				if total != len(want) {
					t.Errorf("%+v: total %d, want %d", f, total, len(want))
				}
				for _, c := range page {
					got = append(got, c.ID)
				}
				if len(page) < 5 {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("filter states %v overdue %v:\n got %v\nwant %v", f.States, f.Overdue, got, want)
			}
		}
	})
}
