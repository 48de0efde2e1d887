package config

import (
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// Console configures the web console: who may sign in, and how long a session lasts.
type Console struct {
	// The municipality's OpenID provider. Without an issuer, only a development sign-in exists,
	// and it answers only on a loopback address.
	OIDCIssuer        string `envconfig:"OIDC_ISSUER" desc:"OpenID provider (issuer URL) of the municipality; empty: a development sign-in on loopback only"`
	OIDCClientID      string `envconfig:"OIDC_CLIENT_ID" desc:"the connector's client id at the provider"`
	OIDCClientSecret  string `envconfig:"OIDC_CLIENT_SECRET" desc:"its client secret (never logged); empty for a public client (PKCE only)"`
	OIDCRedirectURL   string `envconfig:"OIDC_REDIRECT_URL" desc:"redirect URL registered at the provider; default: <CONNECTOR_PUBLIC_URL>/auth/callback"`
	OIDCScopes        string `envconfig:"OIDC_SCOPES" default:"openid profile email" desc:"scopes asked for, space-separated (openid always)"`
	OIDCRolesClaim    string `envconfig:"OIDC_ROLES_CLAIM" default:"roles" desc:"ID token claim holding the person's roles or groups (a string or a list)"`
	OIDCRoleRegistrar string `envconfig:"OIDC_ROLE_REGISTRAR" default:"registrar" desc:"claim value that makes someone a registrar"`
	OIDCRoleAuditor   string `envconfig:"OIDC_ROLE_AUDITOR" default:"auditor" desc:"claim value that makes someone an auditor"`
	OIDCRoleOperator  string `envconfig:"OIDC_ROLE_OPERATOR" default:"operator" desc:"claim value that makes someone an operator"`

	SessionIdle     Duration `envconfig:"CONNECTOR_SESSION_IDLE_TIMEOUT" default:"30m" desc:"a console session ends after this long without a request"`
	SessionLifetime Duration `envconfig:"CONNECTOR_SESSION_LIFETIME" default:"10h" desc:"a console session ends this long after sign-in, used or not"`
	// ChangePoll is how often an open case page asks whether its case changed meanwhile.
	ChangePoll Duration `envconfig:"CONNECTOR_CHANGE_POLL" default:"15s" desc:"how often an open case page asks whether the case changed since it was loaded, to say so (0: never)"`
	// ThemeCSS and ThemeClass are the municipality's NL Design System theme: its design tokens
	// as CSS, and the class they are set on. Without a file, the embedded neutral example theme.
	ThemeCSS   string `envconfig:"CONSOLE_THEME" desc:"the municipality's NL Design System theme: a CSS file of its design tokens (empty: the neutral example theme built in)"`
	ThemeClass string `envconfig:"CONNECTOR_THEME_CLASS" default:"voorbeeld-theme" desc:"the class the theme's tokens are set on (e.g. utrecht-theme)"`
	// ZaakUIURL links a zaak to the zaaksysteem's own screens.
	ZaakUIURL string `envconfig:"CONNECTOR_ZAAK_UI_URL" desc:"link to a zaak in the zaaksysteem's UI, with {identificatie} and/or {uuid}; empty: no link"`
}

// themeClass is what a theme's class may be: a plain CSS class name.
var themeClass = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)

// maxThemeCSS bounds a theme file: design tokens are a few hundred kilobytes.
const maxThemeCSS = 4 << 20

// OIDC reports whether a provider is configured.
func (c Console) OIDC() bool { return c.OIDCIssuer != "" }

// RedirectURL is where the provider sends people back to.
func (c *Config) RedirectURL() string {
	if c.Console.OIDCRedirectURL != "" {
		return c.Console.OIDCRedirectURL
	}
	return strings.TrimRight(c.PublicURL, "/") + "/auth/callback"
}

// ZaakLink fills the UI URL template for a zaak; "" without a template.
func (c Console) ZaakLink(identificatie, zaakURL string) string {
	if c.ZaakUIURL == "" || zaakURL == "" {
		return ""
	}
	uuid := zaakURL[strings.LastIndex(zaakURL, "/")+1:]
	return strings.NewReplacer("{identificatie}", url.PathEscape(identificatie), "{uuid}", url.PathEscape(uuid)).Replace(c.ZaakUIURL)
}

func (c *Config) validateConsole(bad func(name, format string, args ...any)) {
	k := c.Console
	for _, e := range []struct {
		name string
		err  error
	}{{"CONNECTOR_SESSION_IDLE_TIMEOUT", k.SessionIdle.err}, {"CONNECTOR_SESSION_LIFETIME", k.SessionLifetime.err}, {"CONNECTOR_CHANGE_POLL", k.ChangePoll.err}} {
		if e.err != nil {
			bad(e.name, "%v", e.err)
		}
	}
	if k.SessionIdle.err == nil && k.SessionLifetime.err == nil && k.SessionIdle.Duration > k.SessionLifetime.Duration {
		bad("CONNECTOR_SESSION_IDLE_TIMEOUT", "longer than CONNECTOR_SESSION_LIFETIME")
	}
	if k.ChangePoll.err == nil && k.ChangePoll.Duration != 0 && k.ChangePoll.Duration < 100*time.Millisecond {
		bad("CONNECTOR_CHANGE_POLL", "at least 100ms (or 0: never)")
	}
	if !themeClass.MatchString(k.ThemeClass) {
		bad("CONNECTOR_THEME_CLASS", "%q is not a CSS class name", k.ThemeClass)
	}
	if k.ThemeCSS != "" {
		if info, err := os.Stat(k.ThemeCSS); err != nil || !info.Mode().IsRegular() {
			bad("CONSOLE_THEME", "%q is not a readable file", k.ThemeCSS)
		} else if info.Size() > maxThemeCSS {
			bad("CONSOLE_THEME", "%q is larger than %d bytes", k.ThemeCSS, maxThemeCSS)
		}
	}
	if k.ZaakUIURL != "" && !httpURL(strings.NewReplacer("{identificatie}", "x", "{uuid}", "x").Replace(k.ZaakUIURL)) {
		bad("CONNECTOR_ZAAK_UI_URL", "%q is not an http(s) URL", k.ZaakUIURL)
	}
	if !k.OIDC() {
		return
	}
	if !httpURL(k.OIDCIssuer) {
		bad("OIDC_ISSUER", "%q is not an http(s) URL", k.OIDCIssuer)
	}
	if k.OIDCClientID == "" {
		bad("OIDC_CLIENT_ID", "required with OIDC_ISSUER")
	}
	if k.OIDCRedirectURL == "" && c.PublicURL == "" {
		bad("OIDC_REDIRECT_URL", "required with OIDC_ISSUER (or set CONNECTOR_PUBLIC_URL)")
	} else if !httpURL(c.RedirectURL()) {
		bad("OIDC_REDIRECT_URL", "%q is not an http(s) URL", c.RedirectURL())
	}
	if strings.TrimSpace(k.OIDCRolesClaim) == "" {
		bad("OIDC_ROLES_CLAIM", "must not be empty")
	}
	for _, r := range []struct{ name, value string }{{"OIDC_ROLE_REGISTRAR", k.OIDCRoleRegistrar}, {"OIDC_ROLE_AUDITOR", k.OIDCRoleAuditor}, {"OIDC_ROLE_OPERATOR", k.OIDCRoleOperator}} {
		if strings.TrimSpace(r.value) == "" {
			bad(r.name, "must not be empty (a value nobody has keeps the role from everyone)")
		}
	}
}
