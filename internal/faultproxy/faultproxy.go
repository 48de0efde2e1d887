// Package faultproxy is a reverse proxy for tests that sits between the connector and a
// zaaksysteem and fails a chosen share of requests in the ways real networks and servers do —
// most of them ambiguous: the server committed, but the client cannot tell.
package faultproxy

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Fault is one way a request fails.
type Fault string

// The faults.
const (
	// Unavailable answers 503 without forwarding: nothing was committed.
	Unavailable Fault = "503-not-forwarded"
	// DropAfterCommit forwards the request, lets the server commit, then drops the connection.
	DropAfterCommit Fault = "dropped-after-commit"
	// TimeoutAfterCommit forwards the request, lets the server commit, then answers 504.
	TimeoutAfterCommit Fault = "504-after-commit"
	// Slow holds the request past the client's timeout, then forwards it: the server commits
	// after the client gave up.
	Slow Fault = "slow"
	// TooMany answers 429 with Retry-After without forwarding.
	TooMany Fault = "429-retry-after"
)

// All are every fault, in the order they are drawn.
var All = []Fault{Unavailable, DropAfterCommit, TimeoutAfterCommit, Slow, TooMany}

// Proxy forwards to a target and injects faults.
type Proxy struct {
	target *url.URL
	rate   float64
	delay  time.Duration

	mu     sync.Mutex
	rng    *rand.Rand
	counts map[Fault]int
	total  int
	wg     sync.WaitGroup
}

// New makes a proxy to target failing rate (0..1) of the requests, with delay for Slow. The
// seed makes a run repeatable.
func New(target string, rate float64, delay time.Duration, seed uint64) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	return &Proxy{target: u, rate: rate, delay: delay, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), counts: map[Fault]int{}}, nil
}

// SetRate changes the share of failed requests (0 stops the faults).
func (p *Proxy) SetRate(rate float64) {
	p.mu.Lock()
	p.rate = rate
	p.mu.Unlock()
}

// Counts reports how many requests went through and how many of each fault were injected.
func (p *Proxy) Counts() (total int, faults map[Fault]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Fault]int, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return p.total, out
}

// Wait waits for slow requests still on their way to the server.
func (p *Proxy) Wait() { p.wg.Wait() }

func (p *Proxy) draw() Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total++
	if p.rng.Float64() >= p.rate {
		return ""
	}
	f := All[p.rng.IntN(len(All))]
	p.counts[f]++
	return f
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.serve(w, r, p.draw()) }

// serve handles one request with the given fault ("" forwards it normally).
func (p *Proxy) serve(w http.ResponseWriter, r *http.Request, fault Fault) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch fault {
	case Unavailable:
		http.Error(w, "injected: unavailable", http.StatusServiceUnavailable)
	case TooMany:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "injected: too many requests", http.StatusTooManyRequests)
	case Slow:
		// The client gives up; the request still reaches the server afterwards.
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			time.Sleep(p.delay)
			if resp, err := p.forward(r, body); err == nil {
				resp.Body.Close()
			}
		}()
		select {
		case <-r.Context().Done():
		case <-time.After(p.delay + time.Second):
			http.Error(w, "injected: slow", http.StatusGatewayTimeout)
		}
	case DropAfterCommit, TimeoutAfterCommit:
		resp, err := p.forward(r, body)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if fault == TimeoutAfterCommit {
			http.Error(w, "injected: gateway timeout after commit", http.StatusGatewayTimeout)
			return
		}
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	default:
		resp, err := p.forward(r, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}
}

// forward sends the request to the target, detached from the client's cancellation: a server
// does not notice that a client gave up.
func (p *Proxy) forward(r *http.Request, body []byte) (*http.Response, error) {
	u := *p.target
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	out, err := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	out.Header = r.Header.Clone()
	out.Host = r.Host // the sandbox builds its URLs from the host the client used
	return http.DefaultTransport.RoundTrip(out)
}
