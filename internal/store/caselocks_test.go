package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// One job at a time holds a case's lock: another waits for it, gives up after its wait, or stops
// with its context; other cases are not held up.
func TestCaseLocks(t *testing.T) {
	var l caseLocks
	ctx := context.Background()
	unlockA, ok, err := l.lock(ctx, "a", time.Second)
	if !ok || err != nil {
		t.Fatalf("a free lock: %v, %v", ok, err)
	}
	if _, ok, err := l.lock(ctx, "a", 20*time.Millisecond); ok || err != nil {
		t.Fatalf("a held lock was taken (%v, %v)", ok, err)
	}
	unlockB, ok, _ := l.lock(ctx, "b", 20*time.Millisecond)
	if !ok {
		t.Fatal("another case's lock waited for this one")
	}
	unlockB()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, ok, err := l.lock(cancelled, "a", time.Second); ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait: %v, %v", ok, err)
	}
	taken := make(chan bool)
	go func() {
		unlock, ok, _ := l.lock(ctx, "a", 5*time.Second)
		if ok {
			unlock()
		}
		taken <- ok
	}()
	time.Sleep(20 * time.Millisecond)
	unlockA()
	if !<-taken {
		t.Fatal("the lock let go was not taken by the job waiting for it")
	}
	if len(l.held) != 0 {
		t.Errorf("%d locks left held", len(l.held))
	}
}
