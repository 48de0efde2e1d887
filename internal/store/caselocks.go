package store

import (
	"context"
	"sync"
	"time"
)

// caseLocks are the case locks of a SQLite store, in this process (the only one that uses the
// database): like Postgres's advisory locks, they keep two jobs from working on one case at once —
// the job that confirmed a case's last account goes on to close it while the close job waits.
type caseLocks struct {
	mu   sync.Mutex
	held map[string]chan struct{} // closed when the lock is let go
}

// lock takes the case's lock, waiting up to wait while another holds it; ok is false when the
// wait was given up.
func (l *caseLocks) lock(ctx context.Context, caseID string, wait time.Duration) (unlock func(), ok bool, err error) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		l.mu.Lock()
		released, busy := l.held[caseID]
		if !busy {
			if l.held == nil {
				l.held = map[string]chan struct{}{}
			}
			mine := make(chan struct{})
			l.held[caseID] = mine
			l.mu.Unlock()
			return func() {
				l.mu.Lock()
				delete(l.held, caseID)
				l.mu.Unlock()
				close(mine)
			}, true, nil
		}
		l.mu.Unlock()
		select {
		case <-released:
		case <-timer.C:
			return nil, false, nil
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}
