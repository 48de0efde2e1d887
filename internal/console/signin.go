package console

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// signIn is how people sign in: the municipality's OpenID provider, or the development sign-in.
type signIn interface {
	start(w http.ResponseWriter, r *http.Request)    // GET /aanmelden
	submit(w http.ResponseWriter, r *http.Request)   // POST /aanmelden (development only)
	callback(w http.ResponseWriter, r *http.Request) // GET /auth/callback (provider only)
	// formTargets are origins besides the console's own that forms lead to (the provider's
	// sign-in and sign-out), for the Content-Security-Policy.
	formTargets() []string
	// logoutURL is where to go after the session ended here ("" : the console's own page).
	logoutURL(ctx context.Context, idToken string) string
	development() bool
}

// returnTo is the page to go back to after sign-in: a path of this site only (never another
// host, never a scheme-relative //host).
func returnTo(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") ||
		strings.ContainsAny(raw, "\\\r\n") {
		return "/"
	}
	return u.RequestURI()
}

// devSignIn is the sign-in without a provider: anyone at this machine picks a name and roles. It
// answers only when both ends of the connection are loopback addresses, so a server reachable
// from the network never offers it; every page says it is in use.
type devSignIn struct {
	sessions *scs.SessionManager
	console  *Console
}

func (d *devSignIn) development() bool                               { return true }
func (d *devSignIn) formTargets() []string                           { return nil }
func (d *devSignIn) logoutURL(context.Context, string) string        { return "" }
func (d *devSignIn) callback(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }

// loopbackOnly reports whether a request came to and from a loopback address, for a loopback
// host name, and not through a proxy: a reverse proxy on the same machine connects from loopback
// too, but sends the public host name or forwarding headers, and then the request is not local.
func loopbackOnly(r *http.Request) bool {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if local == nil || !loopbackAddr(local.String()) || !loopbackAddr(r.RemoteAddr) {
		return false
	}
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = strings.Trim(r.Host, "[]")
	}
	return host == "localhost" || loopbackAddr(host)
}

func loopbackAddr(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (d *devSignIn) start(w http.ResponseWriter, r *http.Request) {
	c := d.console
	if !loopbackOnly(r) {
		c.failPage(w, r, nil, http.StatusForbidden, "Er is geen aanmelddienst ingesteld (OIDC_ISSUER), en de ontwikkel-aanmelding werkt alleen op dit apparaat zelf (loopback).")
		return
	}
	c.render(w, r, http.StatusOK, "signin", view{Title: "Aanmelden (ontwikkeling)", Data: map[string]string{"Terug": returnTo(r.URL.Query().Get("terug"))}})
}

func (d *devSignIn) submit(w http.ResponseWriter, r *http.Request) {
	c := d.console
	if !loopbackOnly(r) {
		c.failPage(w, r, nil, http.StatusForbidden, "De ontwikkel-aanmelding werkt alleen op dit apparaat zelf (loopback).")
		return
	}
	f, ok := c.readForm(w, r, 0, []string{"naam", "registrar", "auditor", "operator", "terug"}, nil)
	if !ok {
		return
	}
	name := strings.TrimSpace(f.Fields["naam"])
	p := Person{ID: "dev:" + name, Name: name, Via: objection.ViaSession}
	for _, role := range []config.Role{config.RoleRegistrar, config.RoleAuditor, config.RoleOperator} {
		if f.Fields[string(role)] != "" {
			p.Roles = append(p.Roles, role)
		}
	}
	if name == "" || len(name) > 100 || len(p.Roles) == 0 {
		c.render(w, r, http.StatusBadRequest, "signin", view{Title: "Aanmelden (ontwikkeling)", Error: "Vul een naam in en kies ten minste één rol.",
			Data: map[string]string{"Terug": returnTo(f.Fields["terug"])}})
		return
	}
	if err := startSession(r.Context(), d.sessions, p, ""); err != nil {
		c.failPage(w, r, err, http.StatusInternalServerError, "")
		return
	}
	http.Redirect(w, r, returnTo(f.Fields["terug"]), http.StatusSeeOther)
}

// signOut ends the session here, and at the provider when it has a sign-out endpoint.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	idToken := c.sessions.GetString(r.Context(), keyIDToken)
	if err := c.sessions.Destroy(r.Context()); err != nil {
		c.failPage(w, r, err, http.StatusInternalServerError, "")
		return
	}
	if u := c.signIn.logoutURL(r.Context(), idToken); u != "" {
		http.Redirect(w, r, u, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/afgemeld", http.StatusSeeOther)
}

func (c *Console) signedOut(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "signedout", view{Title: "Afgemeld"})
}
