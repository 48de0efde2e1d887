package workflow

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// Runs start only between start and stop and only while a slot is free; stopping lets them
// finish until its context ends, then cancels them, and returns when they have ended.
// try runs work in the background when a slot is free, and reports whether it does.
func (r *runNow) try(work func(ctx context.Context)) bool {
	return r.reserve() && r.run(work)
}

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

// What a failed run leaves its job to wait is what River would have waited after a first
// attempt; the wait is forgotten once it is over.
func TestRunHereLeavesItsJobRiversWait(t *testing.T) {
	e, _ := stepEngine(t, 30*time.Second)
	for _, tc := range []struct {
		name string
		err  error
		want time.Duration
	}{
		{"done", nil, 0},
		{"the case failed", river.JobCancel(errors.New("refused")), 0},
		{"Retry-After or an intent to wait for", river.JobSnooze(7 * time.Second), 7 * time.Second},
		{"an error to retry", errors.New("503"), e.cfg.RetryBase},
	} {
		if got := e.retryWait(tc.err); got != tc.want {
			t.Errorf("%s: wait %v, want %v", tc.name, got, tc.want)
		}
	}
	r := newRunNow(1)
	now := time.Now()
	r.holdBack("k", now.Add(time.Second))
	if got := r.heldBack("k", now); got != time.Second {
		t.Errorf("held back %v, want 1s", got)
	}
	if got := r.heldBack("k", now.Add(2*time.Second)); got != 0 || len(r.until) != 0 {
		t.Errorf("after the wait: held back %v, %d remembered", got, len(r.until))
	}
}
