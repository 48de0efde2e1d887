package console

import (
	"cmp"
	"context"
	"net/http"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
)

// Session keys. A person's roles are kept as one string: the session codec needs no types
// registered for that.
const (
	keyName      = "name"
	keySubject   = "sub"
	keyRoles     = "roles"
	keyIDToken   = "id_token" // for logout at the provider
	keyFlash     = "flash"
	keyFlashLink = "flashLink"
)

// newSessions keeps sessions server-side in the connector's database, so that they hold on every
// replica and end when the server says so: the cookie is only a random token.
func newSessions(cfg Config) *scs.SessionManager {
	s := scs.New()
	if cfg.Dialect == store.Postgres {
		s.Store = postgresstore.New(cfg.DB)
	} else {
		s.Store = sqlite3store.New(cfg.DB)
	}
	s.IdleTimeout = cfg.Settings.SessionIdle.Duration
	s.Lifetime = cfg.Settings.SessionLifetime.Duration
	s.Cookie.Name = "connector_session"
	s.Cookie.HttpOnly = true
	s.Cookie.Path = "/"
	// Lax, not Strict: the provider sends people back with a top-level GET that must carry the
	// session holding the sign-in's state. Form posts from elsewhere are refused by origin.
	s.Cookie.SameSite = http.SameSiteLaxMode
	s.Cookie.Secure = secureSite(cfg)
	if s.Cookie.Secure {
		// The __Host- prefix makes browsers refuse the cookie from anything but this host over
		// https, so a sibling subdomain cannot plant a session.
		s.Cookie.Name = "__Host-connector_session"
	}
	s.Cookie.Persist = false
	return s
}

// secureSite reports whether the console is reached over HTTPS (then cookies are Secure and
// browsers are told to keep to HTTPS).
func secureSite(cfg Config) bool {
	return strings.HasPrefix(cfg.PublicURL, "https://") || strings.HasPrefix(cfg.Settings.OIDCRedirectURL, "https://")
}

// Person is who is signed in: a principal whose ID is their sign-in's subject (their name, with
// the development sign-in).
type Person = objection.Principal

// personOf is the signed-in person of a request; nil when nobody is.
func (c *Console) personOf(ctx context.Context) *Person {
	name := c.sessions.GetString(ctx, keyName)
	if name == "" {
		return nil
	}
	p := &Person{ID: cmp.Or(c.sessions.GetString(ctx, keySubject), name), Name: name, Via: objection.ViaSession}
	for _, r := range strings.Fields(c.sessions.GetString(ctx, keyRoles)) {
		p.Roles = append(p.Roles, config.Role(r))
	}
	return p
}

// startSession signs a person in: a new session token (no fixation), their name and roles.
func startSession(ctx context.Context, s *scs.SessionManager, p Person, idToken string) error {
	if err := s.RenewToken(ctx); err != nil {
		return err
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	s.Put(ctx, keyName, p.Name)
	s.Put(ctx, keySubject, p.ID)
	s.Put(ctx, keyRoles, strings.Join(roles, " "))
	if idToken != "" {
		s.Put(ctx, keyIDToken, idToken)
	}
	return nil
}

// flash keeps a message for the next page.
func (c *Console) flash(ctx context.Context, msg string) { c.sessions.Put(ctx, keyFlash, msg) }

// flashLink keeps a message with a link to a page of the console (a path) for the next page.
func (c *Console) flashLink(ctx context.Context, msg, label, path string) {
	c.flash(ctx, msg)
	c.sessions.Put(ctx, keyFlashLink, label+"\x00"+path) // a string: the session codec needs no type of ours
}

// flashLink is a link under a message: the label and a path of the console.
type flashLink struct{ Label, Path string }
