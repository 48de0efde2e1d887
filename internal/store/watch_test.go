package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// A watcher hears of a case written once the write is committed, with its state, and never of
// a write that was rolled back.
func TestWatchCases(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var heard []string
	s.WatchCases(func(id string, state objection.State) { heard = append(heard, id+" "+string(state)) })
	c := objection.NewCase("c1", objection.Decision{Reference: "R1"}, time.Now())
	if err := s.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.InsertCase(ctx, tx, c, "fp"); err != nil {
			return err
		}
		if len(heard) != 0 {
			t.Error("told of the case before the commit")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateCase(ctx, "c1", func(c *objection.Case) error { return c.Enter(objection.Register) }); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	if err := s.InTx(ctx, func(tx *sql.Tx) error {
		if err := c.Enter(objection.Fail); err != nil {
			return err
		}
		if err := s.saveCase(ctx, tx, c); err != nil {
			return err
		}
		return refused
	}); !errors.Is(err, refused) {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(heard), "[c1 received c1 registering]"; got != want {
		t.Errorf("heard %s, want %s", got, want)
	}
}
