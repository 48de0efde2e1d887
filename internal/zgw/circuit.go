package zgw

import (
	"errors"
	"net/http"
	"sync"
	"time"
)

// ErrCircuitOpen is returned without sending anything while the zaaksysteem looks down: after
// several consecutive failures (transport errors, 429, 5xx) the client stops hammering it for a
// cool-down, then lets one request through to see whether it is back.
var ErrCircuitOpen = errors.New("zgw: the zaaksysteem is not answering; holding requests back for a while")

// circuit is a RoundTripper that opens after threshold consecutive failures.
type circuit struct {
	next      http.RoundTripper
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu        sync.Mutex
	failures  int
	openUntil time.Time
	probing   bool
}

func (c *circuit) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := c.admit(); err != nil {
		return nil, err
	}
	resp, err := c.next.RoundTrip(r)
	failed := err != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	c.record(failed)
	return resp, err
}

func (c *circuit) admit() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failures < c.threshold {
		return nil
	}
	if c.now().Before(c.openUntil) || c.probing {
		return ErrCircuitOpen
	}
	c.probing = true // half open: one request tries
	return nil
}

func (c *circuit) record(failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.probing = false
	if !failed {
		c.failures = 0
		return
	}
	c.failures++
	if c.failures >= c.threshold {
		c.openUntil = c.now().Add(c.cooldown)
	}
}

// open reports whether requests are being held back.
func (c *circuit) open() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures >= c.threshold && c.now().Before(c.openUntil)
}

// CircuitOpen reports whether the client is holding requests back because the zaaksysteem
// failed repeatedly (readiness and metrics show it).
func (c *Client) CircuitOpen() bool { return c.circuit.open() }
