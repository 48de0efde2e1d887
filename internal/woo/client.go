// Package woo is a client for GPP-publicatiebank's API (v2), the registration component of the
// Generic Publication Platform Woo through which a municipality publishes documents under the
// Wet open overheid.
//
// Every request carries the API key (`Authorization: Token …`) and the audit headers naming the
// person on whose behalf it is made, and goes only to URLs under the configured API root: a
// bestandsdeel URL elsewhere is refused before anything is sent, so the key never leaves. Reads
// are retried on transport errors and 429/5xx; writes never are, because a write whose answer
// was lost may have been committed: the caller looks it up before trying again.
package woo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpclient"
)

// Config says where the publicatiebank is and how to reach it.
type Config struct {
	// APIRoot is the API's root, e.g. https://publicaties.example.nl/api/v2.
	APIRoot string
	// Token is the API key a beheerder made for the connector.
	Token string
	// Timeout bounds one request (default 30s).
	Timeout time.Duration
	// ReadRetries is how often a GET is retried after a transport error, 429 or 502/503/504.
	ReadRetries int
	// Transport replaces the HTTP transport (tests, fault injection). Optional.
	Transport http.RoundTripper
}

// Client talks to one publicatiebank on behalf of one person (see As). It is safe for
// concurrent use.
type Client struct {
	http *resty.Client
	root *url.URL
	user User
}

// User is whom the publicatiebank's audit log names for a request.
type User struct {
	ID             string // Audit-User-ID: a unique identification, e.g. the sign-in's subject
	Representation string // Audit-User-Representation: the name people know them by
}

// New checks the configuration and builds a client. It sends nothing.
func New(cfg Config) (*Client, error) {
	root, err := url.Parse(strings.TrimRight(cfg.APIRoot, "/"))
	if err != nil || (root.Scheme != "https" && root.Scheme != "http") || root.Host == "" {
		return nil, fmt.Errorf("woo: API root %q is not an http(s) URL", cfg.APIRoot)
	}
	if cfg.Token == "" {
		return nil, errors.New("woo: the API key is empty")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	c := &Client{root: root, user: User{ID: "meta-bezwaar-connector", Representation: "Meta-bezwaar connector"}}
	rc := httpclient.New(cfg.Timeout, cfg.ReadRetries, func(err error) bool { return errors.As(err, new(*ForeignURLError)) }).
		SetRedirectPolicy(resty.NoRedirectPolicy())
	token := cfg.Token
	rc.SetPreRequestHook(func(_ *resty.Client, r *http.Request) error {
		if !c.allows(r.URL) {
			return &ForeignURLError{URL: r.URL.Redacted()}
		}
		r.Header.Set("Authorization", "Token "+token)
		return nil
	})
	if cfg.Transport != nil {
		rc.SetTransport(cfg.Transport)
	}
	c.http = rc
	return c, nil
}

// As is the client acting for u: the audit headers of its requests name u.
func (c *Client) As(u User) *Client {
	if u.ID == "" || u.Representation == "" {
		return c
	}
	cp := *c
	cp.user = u
	return &cp
}

// allows reports whether u lies under the API root (same scheme, host and path prefix).
func (c *Client) allows(u *url.URL) bool {
	return u.Scheme == c.root.Scheme && u.Host == c.root.Host &&
		(u.Path == c.root.Path || strings.HasPrefix(u.Path, c.root.Path+"/"))
}

// request starts a request with the audit headers; remarks says what it is for.
func (c *Client) request(ctx context.Context, remarks string) *resty.Request {
	return c.http.R().SetContext(ctx).
		SetHeader("Audit-User-ID", c.user.ID).
		SetHeader("Audit-User-Representation", c.user.Representation).
		SetHeader("Audit-Remarks", remarks)
}

func (c *Client) url(path string, query url.Values) string {
	u := c.root.String() + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}
