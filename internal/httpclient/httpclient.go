// Package httpclient is what the connector's clients of other systems (the ZGW APIs, the
// publicatiebank) share about HTTP: which failed reads are worth retrying, which refusals asking
// again cannot change, and a resty logger that keeps quiet (the callers log what matters,
// without secrets).
package httpclient

import (
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"
)

// New is a resty client as the connector's clients use one: JSON accepted, the connector named,
// every request bounded by timeout, reads retried (retries times, 200ms to 5s apart) when
// RetryableRead says so with sentNothing, and quiet.
func New(timeout time.Duration, retries int, sentNothing func(error) bool) *resty.Client {
	return resty.New().
		SetTimeout(timeout).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "meta-bezwaar-connector").
		SetRetryCount(retries).
		SetRetryWaitTime(200 * time.Millisecond).
		SetRetryMaxWaitTime(5 * time.Second).
		AddRetryCondition(func(r *resty.Response, err error) bool { return RetryableRead(r, err, sentNothing) }).
		SetLogger(QuietLogger{})
}

// RetryableRead reports whether a failed exchange is read again: only a GET or HEAD (a write may
// have been committed, so the caller looks it up first), after a transport error while the
// request's context lives, or a 429, 502, 503 or 504. sentNothing says of an error that no
// request went out (a URL refused before sending, a circuit open): not retried.
func RetryableRead(r *resty.Response, err error, sentNothing func(error) bool) bool {
	if r == nil || r.Request == nil {
		return false
	}
	if m := r.Request.Method; m != http.MethodGet && m != http.MethodHead {
		return false
	}
	if err != nil {
		return !sentNothing(err) && r.Request.Context().Err() == nil
	}
	switch r.StatusCode() {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Permanent reports whether an answer with this status refuses for good: a 4xx other than 408,
// 409, 423 and 429, which may pass when asked again later.
func Permanent(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusLocked, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}

// QuietLogger is a resty logger that writes nothing.
type QuietLogger struct{}

func (QuietLogger) Errorf(string, ...any) {}
func (QuietLogger) Warnf(string, ...any)  {}
func (QuietLogger) Debugf(string, ...any) {}
