package store

import (
	"testing"
	"time"
)

// A transaction that can wait does not begin while an acceptance waits or runs; it begins once
// none is left. Acceptances do not wait for each other here (SQLite orders them).
func TestAcceptancesBeginFirst(t *testing.T) {
	var o writeOrder
	leaveFirst := o.enter(true)
	leaveSecond := o.enter(true) // urgent ones never wait here
	begun := make(chan struct{})
	go func() {
		leave := o.enter(false)
		close(begun)
		leave()
	}()
	select {
	case <-begun:
		t.Fatal("a transaction that can wait began while acceptances were under way")
	case <-time.After(50 * time.Millisecond): // it waits: nothing to wait for but the absence of an event
	}
	leaveFirst()
	select {
	case <-begun:
		t.Fatal("it began while an acceptance was still under way")
	case <-time.After(50 * time.Millisecond):
	}
	leaveSecond()
	<-begun // the event: it begins once the last acceptance left
}
