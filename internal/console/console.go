// Package console is the web console: server-rendered Dutch pages for the people who carry out a
// decision (registrars), take the dossier (auditors) and run the service (operators), signed in
// with the municipality's OpenID provider. It works on the same services as the API: there is no
// second path to the workflow.
package console

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/queueui"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"

	"github.com/alexedwards/scs/v2"

	"github.com/gemeenten/meta-bezwaar-connector/internal/cases"
	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
)

// Service is what the pages ask of the workflow: the one case service.
type Service = cases.Service

// Config is what the console is made of.
type Config struct {
	Service  Service
	Dossiers cases.Dossiers
	// Verify checks an uploaded dossier (dossier.Verify without the live comparison).
	Verify func(ctx context.Context, r io.ReaderAt, size int64) ([]dossier.Finding, *dossier.Manifest, error)
	// Reader reads a stored e-mail for review: the signed reading of an authentic one.
	Reader *meta.Checker
	// QueueUI is River's own UI over the job queue (queueui), for operators at queueui.Prefix;
	// nil: none.
	QueueUI http.Handler
	// Checks and CircuitOpen are the operators' view of health.
	Checks      []httpserver.Check
	CircuitOpen func() bool

	Settings     config.Console
	PublicURL    string
	Municipality string
	// DB keeps the sessions (table sessions), in Dialect.
	DB      *sql.DB
	Dialect store.Dialect

	MaxEmail, MaxEvidence, MaxDocument int64
	Log                                *slog.Logger
	Now                                func() time.Time
}

// Console serves the pages.
type Console struct {
	cfg      Config
	sessions *scs.SessionManager
	signIn   signIn
	pages    *pages
	csp      string
	theme    []byte // the NL Design System theme's tokens (CSS)
}

// New makes the console. Sign-in is with the configured OpenID provider, or, without one, the
// development sign-in (loopback only).
func New(cfg Config) (*Console, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	c := &Console{cfg: cfg, pages: p, sessions: newSessions(cfg)}
	if c.theme, err = loadTheme(cfg.Settings.ThemeCSS); err != nil {
		return nil, err
	}
	if cfg.Settings.OIDC() {
		o := newOIDC(cfg, c.sessions)
		o.console = c
		c.signIn = o
	} else {
		c.signIn = &devSignIn{sessions: c.sessions, console: c}
	}
	c.csp = contentSecurityPolicy(c.signIn.formTargets())
	return c, nil
}

// Close stops the sessions' clean-up.
func (c *Console) Close() {
	if s, ok := c.sessions.Store.(interface{ StopCleanup() }); ok {
		s.StopCleanup()
	}
}

// Routes registers the pages on mux, under / (the API keeps /api/v1).
func (c *Console) Routes(mux httpserver.Mux) {
	h := func(pattern string, fn handlerFunc, roles ...config.Role) {
		mux.Handle(pattern, c.protect(c.authorized(fn, roles)))
	}
	anyone := []config.Role{config.RoleRegistrar, config.RoleAuditor, config.RoleOperator}
	reader := []config.Role{config.RoleRegistrar, config.RoleAuditor}
	registrar := config.RoleRegistrar

	mux.Handle("GET /static/", c.headers(http.StripPrefix("/static/", http.FileServerFS(staticFS()))))
	mux.Handle("GET /static/theme.css", c.headers(http.HandlerFunc(c.serveTheme)))
	mux.Handle("GET /aanmelden", c.protect(http.HandlerFunc(c.signIn.start)))
	mux.Handle("POST /aanmelden", c.protect(http.HandlerFunc(c.signIn.submit)))
	mux.Handle("GET /auth/callback", c.protect(http.HandlerFunc(c.signIn.callback)))
	mux.Handle("POST /afmelden", c.protect(http.HandlerFunc(c.signOut)))
	mux.Handle("GET /afgemeld", c.protect(http.HandlerFunc(c.signedOut)))

	h("GET /{$}", c.home, anyone...)
	h("GET /zaken", c.listCases, reader...)
	h("GET /hulp", c.help, anyone...)
	h("GET /besluiten/nieuw", c.newDecision, registrar)
	h("POST /besluiten", c.postDecision, registrar)
	h("GET /zaken/{id}", c.showCase, reader...)
	h("GET /zaken/{id}/brief/{n}", c.letter, reader...)
	// The case page's background question reads the session and never writes it (peek).
	mux.Handle("GET /zaken/{id}/versie", c.peek(c.authorized(c.version, reader)))
	h("POST /zaken/{id}/indiening/{n}", c.postFiling, registrar)
	h("GET /zaken/{id}/bewijs/{n}", c.confirmEvidence, registrar)
	h("POST /zaken/{id}/bewijs/{n}", c.postEvidence, registrar)
	h("POST /zaken/{id}/bevestiging", c.postMail, registrar)
	h("GET /zaken/{id}/sluiten", c.confirmClose, registrar)
	h("POST /zaken/{id}/sluiten", c.postClose, registrar)
	h("POST /zaken/{id}/publicatie", c.postPublication, registrar)
	h("GET /zaken/{id}/dossier", c.downloadDossier, reader...)
	h("GET /quarantaine", c.listQuarantine, registrar)
	h("GET /quarantaine/{id}", c.showQuarantined, registrar)
	h("GET /quarantaine/{id}/eml", c.downloadEML, registrar)
	h("POST /quarantaine/{id}/toewijzen", c.postAssign, registrar)
	h("POST /quarantaine/{id}/opnieuw", c.postRecheck, registrar)
	h("GET /quarantaine/{id}/terzijde", c.confirmDismiss, registrar)
	h("POST /quarantaine/{id}/terzijde", c.postDismiss, registrar)
	h("GET /dossier/controleren", c.verifyForm, reader...)
	h("POST /dossier/controleren", c.postVerify, reader...)
	h("GET /beheer", c.operators, config.RoleOperator)
	if c.cfg.QueueUI != nil {
		ui := func(w http.ResponseWriter, r *http.Request, _ *Person) { c.cfg.QueueUI.ServeHTTP(w, r) }
		mux.Handle(queueui.Prefix+"/", c.protect(c.authorized(ui, []config.Role{config.RoleOperator})))
	}
}

// protect is what every page gets: sessions (loaded and saved), refusal of form posts from other
// origins (CSRF), and the security headers.
func (c *Console) protect(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.failPage(w, r, nil, http.StatusForbidden, "Dit formulier kwam niet van deze site en is geweigerd.")
	}))
	return c.headers(c.sessions.LoadAndSave(cop.Handler(h)))
}

// peek is protect for a page's background request, which a person did not make (the case page
// asking whether its case changed): the session is read, never written. Written, as scs writes
// every session it loads when sessions idle out, it would keep an open page's session from ever
// idling out, and it would put back the session as it was read — dropping what a form sent at
// the same moment put there (its message for the next page). Only GETs come here: no form to
// protect from other origins.
func (c *Console) peek(h http.Handler) http.Handler {
	return c.headers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var token string
		if ck, err := r.Cookie(c.sessions.Cookie.Name); err == nil {
			token = ck.Value
		}
		ctx, err := c.sessions.Load(r.Context(), token)
		if err != nil {
			c.failPage(w, r, err, http.StatusInternalServerError, "De sessie kon niet worden gelezen.")
			return
		}
		h.ServeHTTP(w, r.WithContext(ctx))
	}))
}
