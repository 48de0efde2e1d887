// Package zgw is a typed client for the ZGW APIs (Catalogi, Zaken, Documenten, Besluiten and
// Notificaties) as specified by VNG and implemented by Open Zaak.
//
// Every request carries a short-lived HS256 JWT, and only to URLs under the configured API
// roots: a resource URL elsewhere (a zaaktype in someone else's catalogue, a redirect) is refused
// before anything is sent. Reads are retried on transport errors and 429/5xx; writes never are,
// because a write whose answer was lost may have been committed: the caller must look it up
// before trying again (see Uncertain).
package zgw

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpclient"
)

// Config says where the APIs live and who the client is.
type Config struct {
	CatalogiURL     string
	ZakenURL        string
	DocumentenURL   string
	BesluitenURL    string
	NotificatiesURL string // optional

	ClientID string
	Secret   string
	// UserID and UserRepresentation end up in the zaaksysteem's audit trail.
	UserID             string
	UserRepresentation string

	// Timeout bounds one HTTP request (default 30s). Uploads of parts get the same bound per part.
	Timeout time.Duration
	// TokenLifetime is how long one JWT is reused before a fresh one is made (default 5 minutes,
	// well inside Open Zaak's usual one-hour JWT_EXPIRY).
	TokenLifetime time.Duration
	// ReadRetries is how often a GET is retried after a transport error, 429 or 502/503/504.
	ReadRetries int
	// Transport replaces the HTTP transport (tests, fault injection). Optional.
	Transport http.RoundTripper
	// CircuitThreshold consecutive failures stop requests for CircuitCooldown (defaults 5, 30s).
	CircuitThreshold int
	CircuitCooldown  time.Duration
	// Now replaces the clock (tests). Optional.
	Now func() time.Time
}

// Client talks to one zaaksysteem. It is safe for concurrent use.
type Client struct {
	http    *resty.Client
	roots   roots
	tokens  *tokenSource
	circuit *circuit

	Catalogi     *CatalogiService
	Zaken        *ZakenService
	Documenten   *DocumentenService
	Besluiten    *BesluitenService
	Notificaties *NotificatiesService
}

// New checks the configuration and builds a client. It sends nothing.
func New(cfg Config) (*Client, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.TokenLifetime == 0 {
		cfg.TokenLifetime = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var errs []error
	if cfg.ClientID == "" {
		errs = append(errs, errors.New("zgw: client id is empty"))
	}
	if cfg.Secret == "" {
		errs = append(errs, errors.New("zgw: secret is empty"))
	}
	rs := roots{}
	for _, api := range []struct{ name, url string }{
		{"catalogi", cfg.CatalogiURL}, {"zaken", cfg.ZakenURL}, {"documenten", cfg.DocumentenURL},
		{"besluiten", cfg.BesluitenURL}, {"notificaties", cfg.NotificatiesURL},
	} {
		if api.url == "" {
			if api.name != "notificaties" && api.name != "besluiten" {
				errs = append(errs, fmt.Errorf("zgw: %s API URL is empty", api.name))
			}
			continue
		}
		if err := rs.add(api.url); err != nil {
			errs = append(errs, fmt.Errorf("zgw: %s API URL: %w", api.name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	if cfg.CircuitThreshold <= 0 {
		cfg.CircuitThreshold = 5
	}
	if cfg.CircuitCooldown <= 0 {
		cfg.CircuitCooldown = 30 * time.Second
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	c := &Client{roots: rs, tokens: newTokenSource(cfg),
		circuit: &circuit{next: transport, threshold: cfg.CircuitThreshold, cooldown: cfg.CircuitCooldown, now: cfg.Now}}
	rc := httpclient.New(cfg.Timeout, cfg.ReadRetries, sentNothing).
		SetRedirectPolicy(resty.RedirectPolicyFunc(c.checkRedirect)).
		SetPreRequestHook(c.authorize).
		SetTransport(c.circuit)
	c.http = rc

	c.Catalogi = &CatalogiService{c: c, base: trimSlash(cfg.CatalogiURL), catalogi: map[string]string{}, versions: map[string][]ZaakType{}, resolved: map[string]*Catalogue{}}
	c.Zaken = &ZakenService{c: c, base: trimSlash(cfg.ZakenURL)}
	c.Documenten = &DocumentenService{c: c, base: trimSlash(cfg.DocumentenURL)}
	c.Besluiten = &BesluitenService{c: c, base: trimSlash(cfg.BesluitenURL)}
	c.Notificaties = &NotificatiesService{c: c, base: trimSlash(cfg.NotificatiesURL)}
	return c, nil
}

// authorize runs on the final *http.Request: the one place where the URL is checked against the
// configured roots and the token is attached.
func (c *Client) authorize(_ *resty.Client, r *http.Request) error {
	if !c.roots.allows(r.URL) {
		return &ForeignURLError{URL: r.URL.Redacted()}
	}
	tok, err := c.tokens.tokenFor(r.Context())
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// checkRedirect refuses to follow a redirect out of the configured roots; Go's client would drop
// the Authorization header on another host, but not on another path of the same host.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("zgw: too many redirects")
	}
	if !c.roots.allows(req.URL) {
		return &ForeignURLError{URL: req.URL.Redacted()}
	}
	return nil
}

// sentNothing says of a failed request that it never went out: its URL was refused, or the
// circuit was open.
func sentNothing(err error) bool {
	var foreign *ForeignURLError
	return errors.As(err, &foreign) || errors.Is(err, ErrCircuitOpen)
}

// request starts a request with the headers every ZGW call needs.
func (c *Client) request(ctx context.Context) *resty.Request {
	return c.http.R().SetContext(ctx)
}

func trimSlash(s string) string { return strings.TrimRight(s, "/") }
