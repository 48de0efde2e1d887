package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection/objectiontest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// BenchmarkCaseListPage answers page 50 (of 100 cases each) of 10,000 cases, side by side: the
// database answering the page (CasesPage), and every case read and the page cut in Go (ListCases,
// as the list was answered before). It reports the case rows read per request.
func BenchmarkCaseListPage(b *testing.B) {
	ctx := context.Background()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			st := openDialect(b, d)
			now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
			if err := st.InTx(ctx, func(tx *sql.Tx) error {
				for i := range 10_000 {
					due := now.Add(time.Duration(i%48-24) * time.Hour)
					c := objectiontest.InState(objection.NewCase(fmt.Sprintf("case-%05d", i),
						objection.Decision{Reference: fmt.Sprintf("R-%05d", i), Title: "Bezwaar tegen AI-training door Meta"},
						now.Add(time.Duration(i)*time.Second)), objection.States[i%len(objection.States)])
					c.DueAt = &due
					c.Accounts = []objection.AccountState{{Account: objection.Account{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad"}}}
					if err := st.InsertCase(ctx, tx, c, "fp"); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			page := objection.Page{Number: 50, Size: 100}
			for _, way := range []struct {
				name string
				list func() (int, error)
			}{
				{"database-page", func() (int, error) {
					cases, _, err := st.CasesPage(ctx, objection.CaseFilter{}, now, page)
					return len(cases), err
				}},
				{"read-all-cut-in-go", func() (int, error) {
					cases, err := st.ListCases(ctx)
					return len(cases[page.Offset():min(page.Offset()+page.Size, len(cases))]), err
				}},
			} {
				b.Run(way.name, func(b *testing.B) {
					before := st.CasesRead()
					n := 0
					for b.Loop() {
						got, err := way.list()
						if err != nil || got != page.Size {
							b.Fatalf("%d cases, %v", got, err)
						}
						n++
					}
					b.ReportMetric(float64(st.CasesRead()-before)/float64(n), "rows/op")
				})
			}
		})
	}
}
