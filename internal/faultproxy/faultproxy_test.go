package faultproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestFaultsAreInjectedAsDescribed(t *testing.T) {
	var committed atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		committed.Add(1)
		io.WriteString(w, "ok")
	}))
	defer target.Close()
	for _, tc := range []struct {
		fault     Fault
		status    int // 0: the connection drops or the client times out
		committed int32
	}{
		{Unavailable, 503, 0},
		{TooMany, 429, 0},
		{TimeoutAfterCommit, 504, 1},
		{DropAfterCommit, 0, 1},
		{Slow, 0, 1},
		{"", 200, 1},
	} {
		t.Run(string(tc.fault)+"none", func(t *testing.T) {
			committed.Store(0)
			p, _ := New(target.URL, 0, 200*time.Millisecond, 1)
			proxy := httptest.NewServer(forced{p: p, fault: tc.fault})
			client := &http.Client{Timeout: 100 * time.Millisecond}
			resp, err := client.Post(proxy.URL+"/x", "text/plain", strings.NewReader("body"))
			status := 0
			if err == nil {
				status = resp.StatusCode
				if tc.fault == TooMany && resp.Header.Get("Retry-After") != "1" {
					t.Error("429 without Retry-After")
				}
				resp.Body.Close()
			}
			proxy.Close() // waits for the handler
			p.Wait()      // and for a held request still on its way
			if status != tc.status || committed.Load() != tc.committed {
				t.Errorf("status %d (%v), committed %d; want %d, %d", status, err, committed.Load(), tc.status, tc.committed)
			}
		})
	}
}

func TestRateAndCounts(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer target.Close()
	p, _ := New(target.URL, 0.25, time.Millisecond, 42)
	n := 0
	for range 4000 {
		if p.draw() != "" {
			n++
		}
	}
	total, counts := p.Counts()
	if total != 4000 || n < 850 || n > 1150 || len(counts) != len(All) {
		t.Errorf("%d of %d failed (want about 25%%), by kind %v", n, total, counts)
	}
}

// forced serves every request with one chosen fault.
type forced struct {
	p     *Proxy
	fault Fault
}

func (f forced) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.p.serve(w, r, f.fault) }
