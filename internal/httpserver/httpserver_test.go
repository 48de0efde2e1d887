package httpserver

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func serve(t *testing.T, h http.Handler, l Limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := New(h, l, slog.New(slog.DiscardHandler))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// TestWriteDeadlineMovesWithTheStream: an answer that takes longer than the write timeout in
// all, but never stalls that long, is delivered whole; the fixed deadline alone would cut it.
func TestWriteDeadlineMovesWithTheStream(t *testing.T) {
	const chunks, pause, timeout = 6, 100 * time.Millisecond, 300 * time.Millisecond
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range chunks {
			w.Write(make([]byte, 64<<10))
			http.NewResponseController(w).Flush()
			time.Sleep(pause)
		}
	}), Limits{ReadHeaderTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: timeout, IdleTimeout: time.Second, MaxHeaderBytes: 4 << 10})
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n != chunks*64<<10 {
		t.Fatalf("read %d bytes (%v) of %d: the stream was cut although it never stalled for %s", n, err, chunks*64<<10, timeout)
	}
}

// TestHeaderSizeBounded: a header over the bound is refused (431).
func TestHeaderSizeBounded(t *testing.T) {
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), Limits{ReadHeaderTimeout: time.Second,
		ReadTimeout: time.Second, WriteTimeout: time.Second, IdleTimeout: time.Second, MaxHeaderBytes: 4 << 10})
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 64 KiB header: %d, want 431", resp.StatusCode)
	}
}
