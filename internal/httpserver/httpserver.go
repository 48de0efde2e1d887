// Package httpserver makes the HTTP servers of the connector and the sandbox zaaksysteem with
// every client bounded: how long it may take to send its header and its whole request, how long
// an answer may stall, how long an idle connection is kept and how large a header may be.
package httpserver

import (
	"log/slog"
	"net/http"
	"time"
)

// Limits bound the clients of a server.
type Limits struct {
	// ReadHeaderTimeout is how long a client may take to send the request line and header.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a whole request, body included: a body
	// trickled in slower than that is cut off. It must fit the largest allowed upload.
	ReadTimeout time.Duration
	// WriteTimeout is how long an answer may stall: the deadline moves on with every write, so a
	// long stream (a dossier of gigabytes) goes on while it flows, and a reader that stops
	// reading is cut off.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and header.
	MaxHeaderBytes int
}

// New returns a server for h within the limits, logging its own errors (TLS handshakes,
// broken connections) at warn.
func New(h http.Handler, l Limits, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           writeDeadlines(h, l.WriteTimeout),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// writeDeadlines moves the write deadline on with each write of an answer.
func writeDeadlines(h http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&movingDeadline{ResponseWriter: w, rc: http.NewResponseController(w), d: d}, r)
	})
}

type movingDeadline struct {
	http.ResponseWriter
	rc *http.ResponseController
	d  time.Duration
}

func (m *movingDeadline) Write(b []byte) (int, error) {
	// Not every writer supports deadlines (a test recorder); then the server's fixed one holds.
	_ = m.rc.SetWriteDeadline(time.Now().Add(m.d))
	return m.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer (Flush, deadlines).
func (m *movingDeadline) Unwrap() http.ResponseWriter { return m.ResponseWriter }
