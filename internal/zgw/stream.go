package zgw

import (
	"fmt"
	"io"
	"net/http"
)

// stream sends a request whose body or answer is too large for resty's buffering. It goes through
// the same authorisation hook (configured roots, JWT) and the same transport, but without the
// whole-request timeout, which would cut off a large transfer: the context bounds it instead.
func (c *Client) stream(req *http.Request) (*http.Response, error) {
	if err := c.authorize(nil, req); err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "meta-bezwaar-connector")
	hc := *c.http.GetClient()
	hc.Timeout = 0
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("zgw: %s %s: %w", req.Method, redact(req.URL.String()), err)
	}
	return resp, nil
}

// checkRaw is check for a raw response: a *Problem for any status from 400 on.
func checkRaw(req *http.Request, resp *http.Response) error {
	if resp.StatusCode < 400 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return problemFrom(req.Method, req.URL.String(), resp.StatusCode, resp.Header, body)
}
