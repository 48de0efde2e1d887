package console

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Sign-in state kept in the session between the redirect to the provider and the way back.
const (
	keyState    = "oidc_state"
	keyNonce    = "oidc_nonce"
	keyVerifier = "oidc_verifier"
	keyReturn   = "oidc_return"
)

// oidcSignIn signs people in with the municipality's OpenID provider: authorization code flow with
// PKCE (S256), state and nonce checked, the ID token verified (issuer, audience, expiry,
// signature). The provider is discovered on first use, so a provider that is briefly down does
// not keep the connector from starting.
type oidcSignIn struct {
	cfg      Config
	sessions *scs.SessionManager
	console  *Console
	client   *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	endURL   string // end_session_endpoint, when the provider has one
}

func newOIDC(cfg Config, sessions *scs.SessionManager) *oidcSignIn {
	return &oidcSignIn{cfg: cfg, sessions: sessions, client: &http.Client{Timeout: 15 * time.Second}}
}

func (o *oidcSignIn) development() bool { return false }

// discover finds the provider's endpoints (once it succeeds).
func (o *oidcSignIn) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), o.cfg.Settings.OIDCIssuer)
	if err != nil {
		return nil, fmt.Errorf("discovering the OpenID provider %s: %w", o.cfg.Settings.OIDCIssuer, err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err == nil {
		o.endURL = extra.EndSession
	}
	o.provider = p
	return p, nil
}

func (o *oidcSignIn) oauth(p *oidc.Provider) *oauth2.Config {
	scopes := strings.Fields(o.cfg.Settings.OIDCScopes)
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	return &oauth2.Config{ClientID: o.cfg.Settings.OIDCClientID, ClientSecret: o.cfg.Settings.OIDCClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: redirectURL(o.cfg), Scopes: scopes}
}

func redirectURL(cfg Config) string {
	if cfg.Settings.OIDCRedirectURL != "" {
		return cfg.Settings.OIDCRedirectURL
	}
	return strings.TrimRight(cfg.PublicURL, "/") + "/auth/callback"
}

// formTargets: the provider's origin (sign-in redirects go there; a sign-out form ends there).
func (o *oidcSignIn) formTargets() []string {
	u, err := url.Parse(o.cfg.Settings.OIDCIssuer)
	if err != nil {
		return nil
	}
	return []string{u.Scheme + "://" + u.Host}
}

func (o *oidcSignIn) start(w http.ResponseWriter, r *http.Request) {
	c := o.console
	p, err := o.discover(r.Context())
	if err != nil {
		c.failPage(w, r, err, http.StatusBadGateway, "De aanmelddienst van de gemeente is niet bereikbaar. Probeer het later opnieuw.")
		return
	}
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	ctx := r.Context()
	if err := o.sessions.RenewToken(ctx); err != nil {
		c.failPage(w, r, err, http.StatusInternalServerError, "")
		return
	}
	o.sessions.Put(ctx, keyState, state)
	o.sessions.Put(ctx, keyNonce, nonce)
	o.sessions.Put(ctx, keyVerifier, verifier)
	o.sessions.Put(ctx, keyReturn, returnTo(r.URL.Query().Get("terug")))
	http.Redirect(w, r, o.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
}

func (o *oidcSignIn) submit(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/aanmelden", http.StatusSeeOther)
}

func (o *oidcSignIn) callback(w http.ResponseWriter, r *http.Request) {
	c, ctx := o.console, r.Context()
	q := r.URL.Query()
	state := o.sessions.PopString(ctx, keyState)
	nonce := o.sessions.PopString(ctx, keyNonce)
	verifier := o.sessions.PopString(ctx, keyVerifier)
	back := o.sessions.PopString(ctx, keyReturn)
	if e := q.Get("error"); e != "" {
		c.failPage(w, r, nil, http.StatusUnauthorized, "De aanmelddienst meldt: "+truncate(e+" "+q.Get("error_description"), 200))
		return
	}
	if state == "" || q.Get("state") != state {
		c.failPage(w, r, nil, http.StatusBadRequest, "Deze aanmelding is verlopen of niet hier begonnen. Meld u opnieuw aan.")
		return
	}
	p, err := o.discover(ctx)
	if err != nil {
		c.failPage(w, r, err, http.StatusBadGateway, "De aanmelddienst van de gemeente is niet bereikbaar.")
		return
	}
	octx := oidc.ClientContext(ctx, o.client)
	tok, err := o.oauth(p).Exchange(octx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		c.failPage(w, r, err, http.StatusUnauthorized, "De aanmelding is niet gelukt (de code werd niet aanvaard). Meld u opnieuw aan.")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: o.cfg.Settings.OIDCClientID}).Verify(octx, raw)
	if err != nil {
		c.failPage(w, r, err, http.StatusUnauthorized, "De aanmelding is niet gelukt (het ID-token is niet geldig).")
		return
	}
	if idt.Nonce != nonce {
		c.failPage(w, r, nil, http.StatusUnauthorized, "De aanmelding is niet gelukt (het ID-token hoort niet bij deze aanmelding).")
		return
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		c.failPage(w, r, err, http.StatusUnauthorized, "")
		return
	}
	person := Person{ID: idt.Subject, Name: displayName(claims, idt.Subject), Roles: o.roles(claims), Via: objection.ViaSession}
	if len(person.Roles) == 0 {
		c.cfg.Log.Warn("sign-in refused: no role", "subject", idt.Subject, "claim", o.cfg.Settings.OIDCRolesClaim)
		c.failPage(w, r, nil, http.StatusForbidden, "U bent aangemeld als "+person.Name+", maar uw account heeft geen rol in deze console. Vraag de beheerder om de rol registrar, auditor of operator.")
		return
	}
	if err := startSession(ctx, o.sessions, person, raw); err != nil {
		c.failPage(w, r, err, http.StatusInternalServerError, "")
		return
	}
	c.cfg.Log.Info("signed in", "person", person.Name, "roles", person.Roles)
	http.Redirect(w, r, returnTo(back), http.StatusSeeOther)
}

// roles maps the configured claim (a string or a list; a dotted path reaches into objects, as
// Keycloak's realm_access.roles) to the console's roles.
func (o *oidcSignIn) roles(claims map[string]any) []config.Role {
	var v any = claims
	for _, part := range strings.Split(o.cfg.Settings.OIDCRolesClaim, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	var values []string
	switch x := v.(type) {
	case string:
		values = strings.Fields(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				values = append(values, s)
			}
		}
	}
	s := o.cfg.Settings
	var out []config.Role
	for _, m := range []struct {
		value string
		role  config.Role
	}{{s.OIDCRoleRegistrar, config.RoleRegistrar}, {s.OIDCRoleAuditor, config.RoleAuditor}, {s.OIDCRoleOperator, config.RoleOperator}} {
		if slices.Contains(values, m.value) {
			out = append(out, m.role)
		}
	}
	return out
}

// logoutURL is the provider's sign-out (RP-initiated logout), when it has one.
func (o *oidcSignIn) logoutURL(ctx context.Context, idToken string) string {
	if _, err := o.discover(ctx); err != nil || o.endURL == "" {
		return ""
	}
	q := url.Values{"client_id": {o.cfg.Settings.OIDCClientID}}
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	if o.cfg.PublicURL != "" {
		q.Set("post_logout_redirect_uri", strings.TrimRight(o.cfg.PublicURL, "/")+"/afgemeld")
	}
	sep := "?"
	if strings.Contains(o.endURL, "?") {
		sep = "&"
	}
	return o.endURL + sep + q.Encode()
}

// displayName is how a person is named in the console, the case's events and the zaaksysteem's
// audit trail.
func displayName(claims map[string]any, subject string) string {
	for _, k := range []string{"name", "preferred_username", "email"} {
		if s, ok := claims[k].(string); ok && strings.TrimSpace(s) != "" {
			return truncate(strings.TrimSpace(s), 100)
		}
	}
	return subject
}

func random() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
