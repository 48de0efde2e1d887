package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/webform"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFiles embed.FS

func staticFS() fs.FS {
	sub, _ := fs.Sub(staticFiles, "static")
	return sub
}

// pages are the parsed templates: each page is the layout with its own content block.
type pages struct{ byName map[string]*template.Template }

func loadPages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	layout := template.New("layout.html").Funcs(funcs)
	if layout, err = layout.ParseFS(templateFS, "templates/layout.html"); err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page gets; Data is the page's own.
type view struct {
	Title        string
	Municipality string
	Theme        string // the class of the NL Design System theme
	Person       *Person
	Dev          bool
	Flash        string
	FlashLink    flashLink // a link under the Flash, when it points elsewhere
	Error        string
	Invalid      []objection.Param
	// FieldIDs map a refused parameter to the id of its input, where the form names it
	// otherwise (fieldErrors); Errors are the refused fields, worked out when the page renders.
	FieldIDs map[string]string
	Errors   []fieldError
	// Form holds what the person typed, shown again when a form comes back with an error.
	Form map[string]string
	Data any
}

// Field is what was typed in a form field (for the templates).
func (v view) Field(name string) string { return v.Form[name] }

// ErrorFor is what to put right in the field with this id ("" when it was not refused).
func (v view) ErrorFor(id string) string {
	for _, e := range v.Errors {
		if e.ID == id {
			return e.Text
		}
	}
	return ""
}

// render writes a page; it is rendered to a buffer first, so that a template error becomes a
// clean 500 instead of half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	v.Person, v.Municipality, v.Theme = c.personOf(r.Context()), c.cfg.Municipality, c.cfg.Settings.ThemeClass
	v.Dev = c.signIn.development()
	if len(v.Invalid) > 0 {
		// A form refused field by field: its error summary links to each field.
		v.Errors = fieldErrors(v.Invalid, v.FieldIDs)
		v.Error = "Het formulier is nog niet in orde. Verbeter het volgende:"
	}
	if v.Flash == "" {
		v.Flash = c.sessions.PopString(r.Context(), keyFlash)
		label, path, _ := strings.Cut(c.sessions.PopString(r.Context(), keyFlashLink), "\x00")
		v.FlashLink = flashLink{Label: label, Path: path}
	}
	var buf bytes.Buffer
	t, ok := c.pages.byName[name]
	if !ok {
		c.cfg.Log.Error("no such page template", "page", name)
		http.Error(w, "Interne fout", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		c.cfg.Log.Error("rendering a page", "page", name, "error", err)
		http.Error(w, "Interne fout", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// failPage answers with a page that says what went wrong. An application error speaks for
// itself; any other error stays in the log and the person sees a general message.
func (c *Console) failPage(w http.ResponseWriter, r *http.Request, err error, status int, message string) {
	if err != nil {
		var e *objection.Error
		if errors.As(err, &e) {
			status = httpserver.StatusOf(err)
			if message == "" {
				message = e.Message
			}
		} else {
			c.cfg.Log.Error("console", "method", r.Method, "path", r.URL.Path, "error", err)
		}
	}
	if message == "" {
		message = "Er ging iets mis. De fout is vastgelegd; probeer het later opnieuw."
	}
	c.render(w, r, status, "error", view{Title: statusTitle(status), Error: message})
}

// formError turns a refused form into what the page shows: the message and the bad fields.
// pageFunc renders a page with a view: how formRefused shows a form again.
type pageFunc func(w http.ResponseWriter, r *http.Request, status int, v view)

// formRefused shows a form's page again (show) with why the form was refused, keeping in v what
// was typed; an error that is no refusal becomes the error page.
func (c *Console) formRefused(w http.ResponseWriter, r *http.Request, err error, v view, show pageFunc) {
	status, msg, invalid, ok := formError(err)
	if !ok {
		c.failPage(w, r, err, 0, "")
		return
	}
	v.Error, v.Invalid = msg, invalid
	show(w, r, status, v)
}

func formError(err error) (status int, message string, invalid []objection.Param, ok bool) {
	var e *objection.Error
	if !errors.As(err, &e) {
		return 0, "", nil, false
	}
	return httpserver.StatusOf(err), e.Message, e.Params, true
}

// readForm reads a posted form (the console's forms are multipart, so that the same reader bounds
// text and files); on failure it answers itself.
func (c *Console) readForm(w http.ResponseWriter, r *http.Request, maxFile int64, fields, files []string) (*webform.Form, bool) {
	if !webform.IsMultipart(r) {
		c.failPage(w, r, nil, http.StatusUnsupportedMediaType, "Dit formulier wordt als multipart/form-data verstuurd.")
		return nil, false
	}
	f, err := webform.Read(w, r, max(maxFile, 1), fields, files)
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return nil, false
	}
	return f, true
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, p *Person)

// authorized lets only signed-in people with one of the roles through; the signed-in person is
// the actor of whatever they do. Without a session a GET goes to the sign-in (and back after it);
// a post goes to the sign-in too, carrying nothing of the form.
func (c *Console) authorized(fn handlerFunc, roles []config.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := c.personOf(r.Context())
		if p == nil {
			back := r.URL.Path
			if r.Method == http.MethodGet && r.URL.RawQuery != "" {
				back = r.URL.RequestURI()
			}
			if r.Method != http.MethodGet {
				back = "/"
				if ref := r.Header.Get("Referer"); ref != "" {
					back = pathOnly(ref)
				}
			}
			http.Redirect(w, r, "/aanmelden?terug="+urlQueryEscape(back), http.StatusSeeOther)
			return
		}
		allowed := false
		for _, role := range roles {
			allowed = allowed || p.Is(string(role))
		}
		if !allowed {
			c.failPage(w, r, nil, http.StatusForbidden, "U hebt geen rol die dit mag ("+joinRoles(roles)+").")
			return
		}
		ctx := objection.WithPrincipal(r.Context(), *p)
		fn(w, r.WithContext(ctx), p)
	})
}

// headers are the security headers of every page: no inline script, no framing, no sniffing.
func (c *Console) headers(h http.Handler) http.Handler {
	secure := secureSite(c.cfg)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", c.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			hd.Set("Cache-Control", "no-store")
		}
		if secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows scripts, styles and images of the console itself only, and forms
// that lead to the console or the sign-in provider.
func contentSecurityPolicy(formTargets []string) string {
	forms := strings.Join(append([]string{"'self'"}, formTargets...), " ")
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
		"form-action " + forms + "; frame-ancestors 'none'; base-uri 'none'"
}

var funcs = template.FuncMap{
	"day":    func(t any) string { return inAmsterdam(t, "02-01-2006") },
	"moment": func(t any) string { return inAmsterdam(t, "02-01-2006 15:04") },
	// isoday shows a day kept as YYYY-MM-DD (a decision's dates) the Dutch way.
	"isoday":       dutch.Day,
	"state":        dutch.State,
	"mailstate":    dutch.MailState,
	"channel":      dutch.Channel,
	"platform":     dutch.Platform,
	"confirmedhow": dutch.ConfirmedHow,
	"publication":  dutch.PublicationState,
	"inc":          func(i int) int { return i + 1 },
	"jobkind":      dutch.JobKind,
	"jobstate":     dutch.JobState,
}

// inAmsterdam shows a moment (a time.Time or *time.Time; nil shows nothing) in Dutch time.
func inAmsterdam(t any, layout string) string {
	switch x := t.(type) {
	case time.Time:
		return x.In(objection.Amsterdam).Format(layout)
	case *time.Time:
		if x != nil {
			return x.In(objection.Amsterdam).Format(layout)
		}
	}
	return ""
}
