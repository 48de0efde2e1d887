package zgw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpclient"
)

// Problem is an error answer of a ZGW API (application/problem+json). Answers that are not
// problem+json are turned into a Problem too, with the status and a short excerpt as detail.
type Problem struct {
	Type          string         `json:"type,omitempty"`
	Code          string         `json:"code,omitempty"`
	Title         string         `json:"title,omitempty"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail,omitempty"`
	Instance      string         `json:"instance,omitempty"`
	InvalidParams []InvalidParam `json:"invalidParams,omitempty"`

	Method string `json:"-"`
	URL    string `json:"-"`
	// RetryAfter is the server's Retry-After (429, 503), zero when it sent none.
	RetryAfter time.Duration `json:"-"`
}

// InvalidParam names one field the server refused and why.
type InvalidParam struct {
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zgw: %s %s: %d", p.Method, p.URL, p.Status)
	if p.Title != "" {
		b.WriteString(" " + p.Title)
	}
	if p.Detail != "" && p.Detail != p.Title {
		b.WriteString(": " + p.Detail)
	}
	for _, ip := range p.InvalidParams {
		fmt.Fprintf(&b, "; %s: %s (%s)", ip.Name, ip.Reason, ip.Code)
	}
	return b.String()
}

// Param returns the invalid parameter with the given name, if the server named it.
func (p *Problem) Param(name string) (InvalidParam, bool) {
	for _, ip := range p.InvalidParams {
		if ip.Name == name {
			return ip, true
		}
	}
	return InvalidParam{}, false
}

// Permanent reports whether retrying the same request cannot succeed (a 4xx other than 408, 409,
// 423 and 429).
func (p *Problem) Permanent() bool { return httpclient.Permanent(p.Status) }

// ForeignURLError is returned, without any request being sent, for a URL outside the configured
// API roots.
type ForeignURLError struct{ URL string }

func (e *ForeignURLError) Error() string {
	return fmt.Sprintf("zgw: refusing to send credentials to %s: not under a configured API root", e.URL)
}

// StatusOf returns the HTTP status of a Problem error, or 0.
func StatusOf(err error) int {
	var p *Problem
	if errors.As(err, &p) {
		return p.Status
	}
	return 0
}

// IsNotFound reports whether the server answered 404.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// Uncertain reports whether a write that failed with err may nevertheless have been committed by
// the server: the request was sent but no clear answer came back (a timeout, a connection lost
// after sending, a 500, 502 or 504). Before retrying such a write, look up whether its effect
// exists — not before the request can have landed. An answer that proves nothing was done (any
// 4xx, a 503 Service Unavailable) and a connection that was never made are not uncertain: retry
// at once, on the usual backoff.
func Uncertain(err error) bool {
	if err == nil {
		return false
	}
	var foreign *ForeignURLError
	if errors.As(err, &foreign) || errors.Is(err, ErrCircuitOpen) || errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return false // nothing was sent
	}
	var p *Problem
	if errors.As(err, &p) {
		return p.Status >= 500 && p.Status != http.StatusServiceUnavailable
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false // no connection, so no request
	}
	return true
}

// check turns a failed response into an error: the transport error as is, or a *Problem.
func check(resp *resty.Response, err error) error {
	if err != nil {
		if resp != nil && resp.Request != nil {
			return fmt.Errorf("zgw: %s %s: %w", resp.Request.Method, redact(resp.Request.URL), err)
		}
		return fmt.Errorf("zgw: %w", err)
	}
	if resp.StatusCode() < 400 {
		return nil
	}
	return problemFrom(resp.Request.Method, resp.Request.URL, resp.StatusCode(), resp.Header(), resp.Body())
}

// problemFrom builds the *Problem of an error answer: its problem+json when it is one, else the
// status text with a short excerpt of the body.
func problemFrom(method, url string, status int, header http.Header, body []byte) *Problem {
	p := &Problem{Method: method, URL: redact(url), RetryAfter: retryAfter(header.Get("Retry-After"), time.Now())}
	if len(body) > 0 && json.Unmarshal(body, p) == nil && (p.Status != 0 || p.Title != "") {
		p.Status = status // the header wins over the body
		return p
	}
	p.Status, p.Title = status, http.StatusText(status)
	if s := strings.TrimSpace(string(body)); s != "" {
		if len(s) > 200 {
			s = s[:200] + "…"
		}
		p.Detail = s
	}
	return p
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; zero when absent or unreadable.
// It is capped at an hour: a server cannot park the connector indefinitely.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs > 0 {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, time.Hour))
}

// redact drops query and fragment from a URL for messages.
func redact(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}
