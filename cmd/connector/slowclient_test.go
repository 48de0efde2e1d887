package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// readBound is the read timeout the slow-client tests configure; a trickle at one byte per
// 200 ms would take hours to send its declared body.
const readBound = 2 * time.Second

// trickle sends a request header declaring a large body, then the body a byte at a time, until
// the server closes the connection. It returns the answer the server gave (if any) and how long
// the connection lasted.
func trickle(t *testing.T, addr, auth string) (status string, lasted time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	began := time.Now()
	head := "POST /api/v1/confirmations HTTP/1.1\r\nHost: connector\r\nContent-Type: message/rfc822\r\nContent-Length: 100000\r\n"
	if auth != "" {
		head += "Authorization: " + auth + "\r\n"
	}
	fmt.Fprint(conn, head+"\r\n")
	answered := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(conn).ReadString('\n')
		answered <- strings.TrimSpace(line)
		io.Copy(io.Discard, conn)
	}()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for time.Since(began) < 30*readBound {
		<-tick.C
		if _, err := conn.Write([]byte("x")); err != nil {
			break // the server closed the connection
		}
		select {
		case status = <-answered:
			// Answered; keep trickling to see that the server also lets go of the connection.
			answered <- status
		default:
		}
	}
	lasted = time.Since(began)
	select {
	case status = <-answered:
	case <-time.After(readBound):
	}
	return status, lasted
}

// TestSlowClientsAreCutOff: a body trickled in is cut off within the configured read timeout,
// with or without a token (without one, the 401 comes at once, before any body is read); and 200
// connections sending their header slowly do not keep a normal request from being served.
func TestSlowClientsAreCutOff(t *testing.T) {
	w := newWorldWith(t, map[string]string{"CONNECTOR_HTTP_READ_TIMEOUT": readBound.String(), "CONNECTOR_HTTP_READ_HEADER_TIMEOUT": readBound.String()})
	addr := strings.TrimPrefix(w.app.URL, "http://")

	t.Run("without a token", func(t *testing.T) {
		status, lasted := trickle(t, addr, "")
		if !strings.Contains(status, " 401 ") {
			t.Errorf("answer %q, want 401", status)
		}
		// Refused before its body is read: the server does not wait for the trickle at all.
		if lasted >= readBound {
			t.Errorf("the connection lasted %s: the server waited for the body of an unauthenticated request", lasted)
		}
	})
	t.Run("with a token", func(t *testing.T) {
		_, lasted := trickle(t, addr, w.registrar(t))
		if lasted > readBound+5*time.Second {
			t.Errorf("the connection lasted %s; the bound is %s", lasted, readBound)
		}
		quarantined, _, _ := w.app.engine.Quarantine(t.Context(), objection.Page{Number: 1, Size: 100})
		if len(quarantined) != 0 {
			t.Errorf("a cut-off upload was taken in: %d e-mails", len(quarantined))
		}
	})
	t.Run("200 slow headers", func(t *testing.T) {
		var conns []net.Conn
		for range 200 {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprint(c, "GET /api/v1/cases HTTP/1.1\r\nHost: connector\r\n")
			conns = append(conns, c)
		}
		resp, err := http.Get(w.app.URL + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("a normal request beside 200 slow ones: %v %v", resp, err)
		}
		resp.Body.Close()
		// Each slow connection is closed by the server once its header time is up.
		deadline := time.Now().Add(readBound + 5*time.Second)
		for i, c := range conns {
			c.SetReadDeadline(deadline)
			if _, err := io.Copy(io.Discard, c); err != nil {
				t.Fatalf("slow connection %d still open after %s: %v", i, readBound+5*time.Second, err)
			}
		}
	})
}
