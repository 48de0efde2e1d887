package workflow

import (
	"context"
	"testing"
	"time"
)

// Runs start only between start and stop and only while a slot is free; stopping lets them
// finish until its context ends, then cancels them, and returns when they have ended.
func TestRunNowSlotsAndStop(t *testing.T) {
	r := newRunNow(2)
	if r.try(func(context.Context) { t.Error("ran before start") }) {
		t.Fatal("a run started before start")
	}
	r.start(context.Background())
	release := make(chan struct{})
	cancelled := make(chan error, 2)
	running := make(chan struct{}, 2)
	held := func(ctx context.Context) {
		running <- struct{}{}
		select {
		case <-release:
			cancelled <- nil
		case <-ctx.Done():
			cancelled <- ctx.Err()
		}
	}
	for i := range 2 {
		if !r.try(held) {
			t.Fatalf("run %d did not start with a slot free", i)
		}
		<-running
	}
	if r.try(func(context.Context) { t.Error("ran without a slot") }) {
		t.Fatal("a third run started with two slots")
	}

	// One run finishes while stop waits: it is not cancelled. The other outlasts stop's
	// context: it is cancelled, and stop returns only after it ended.
	release <- struct{}{}
	if err := <-cancelled; err != nil {
		t.Fatalf("the released run ended with %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r.stopAll(ctx)
	select {
	case err := <-cancelled:
		if err != context.Canceled {
			t.Fatalf("the run left at stop ended with %v, want its context cancelled", err)
		}
	default:
		t.Fatal("stop returned before the run it cancelled ended")
	}
	if r.try(func(context.Context) { t.Error("ran after stop") }) {
		t.Fatal("a run started after stop")
	}
}
