package store

import (
	"context"
	"sync"
)

// Acceptances go first. On SQLite, with its one writer, an accepted decision or e-mail is one
// short transaction that must not queue behind the commits of work that can wait (a
// registration's steps): while an acceptance waits to write, other transactions wait to begin.
// Postgres has a writer per connection: there every transaction begins at once.

type urgentKey struct{}

// Urgent marks ctx's transactions as acceptances (InTx lets them go first).
func Urgent(ctx context.Context) context.Context { return context.WithValue(ctx, urgentKey{}, true) }

func isUrgent(ctx context.Context) bool { u, _ := ctx.Value(urgentKey{}).(bool); return u }

// writeOrder lets urgent transactions go before the others.
type writeOrder struct {
	mu     sync.Mutex
	cond   *sync.Cond
	urgent int // urgent transactions begun or waiting to begin
}

// enter waits, for a transaction that is not urgent, until no urgent one is waiting or running;
// it returns what to call when the transaction has ended.
func (o *writeOrder) enter(urgent bool) (leave func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cond == nil {
		o.cond = sync.NewCond(&o.mu)
	}
	if !urgent {
		for o.urgent > 0 {
			o.cond.Wait()
		}
		return func() {}
	}
	o.urgent++
	return func() {
		o.mu.Lock()
		o.urgent--
		if o.urgent == 0 {
			o.cond.Broadcast()
		}
		o.mu.Unlock()
	}
}
