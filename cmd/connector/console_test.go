package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store/storetest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// person is a browser-like client of the console: a cookie jar, redirects not followed unless
// asked, and the Origin a browser sends with a form post.
type person struct {
	t    *testing.T
	base string
	http *http.Client
}

func newPerson(t *testing.T, base string) *person {
	jar, _ := cookiejar.New(nil)
	return &person{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get fetches a page; follow follows redirects (as a browser would).
func (p *person) get(path string, follow bool) (*http.Response, string) {
	p.t.Helper()
	client := *p.http
	if follow {
		client.CheckRedirect = nil
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = p.base + path
	}
	resp, err := client.Get(u)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// post sends a form as the console's pages do (multipart), from the console's own origin
// unless origin says otherwise.
func (p *person) post(path string, fields map[string]string, files map[string][]byte, origin string) (*http.Response, string) {
	p.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for k, v := range files {
		fw, _ := mw.CreateFormFile(k, k+".bin")
		fw.Write(v)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", p.base+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if origin == "" {
		origin = p.base
	}
	req.Header.Set("Origin", origin)
	if origin != p.base {
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	} else {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := p.http.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// devSignIn signs in with the development sign-in.
func (p *person) devSignIn(name string, roles ...string) {
	p.t.Helper()
	fields := map[string]string{"naam": name, "terug": "/"}
	for _, r := range roles {
		fields[r] = "1"
	}
	if resp, body := p.post("/aanmelden", fields, nil, ""); resp.StatusCode != http.StatusSeeOther {
		p.t.Fatalf("sign-in: %d %s", resp.StatusCode, body)
	}
}

var caseLink = regexp.MustCompile(`/zaken/([0-9a-f-]{36})`)

func TestConsoleRolesAndForms(t *testing.T) {
	w := newWorld(t)
	id := w.registered(t, "B&W-console-1", "facebook")

	auditor := newPerson(t, w.app.URL)
	auditor.devSignIn("Ad Auditor", "auditor")
	resp, page := auditor.get("/zaken/"+id, false)
	if resp.StatusCode != 200 || !strings.Contains(page, "B&amp;W-console-1") || !strings.Contains(page, "Dossier downloaden") {
		t.Fatalf("auditor's case page: %d %s", resp.StatusCode, page)
	}
	for _, control := range []string{`type="file"`, "/indiening/", "/bevestiging", "/sluiten", "Quarantaine"} {
		if strings.Contains(page, control) {
			t.Errorf("the auditor's page offers %q", control)
		}
	}
	for _, path := range []string{"/zaken/" + id + "/indiening/0", "/zaken/" + id + "/bevestiging", "/zaken/" + id + "/sluiten", "/quarantaine/x/toewijzen", "/besluiten"} {
		if resp, _ := auditor.post(path, map[string]string{"reason": "x"}, nil, ""); resp.StatusCode != http.StatusForbidden {
			t.Errorf("auditor POST %s: %d, want 403", path, resp.StatusCode)
		}
	}
	if resp, _ := auditor.get("/quarantaine", false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("auditor on the quarantine: %d", resp.StatusCode)
	}
	if resp, _ := auditor.get("/beheer", false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("auditor on the operators' page: %d", resp.StatusCode)
	}

	// A registrar registers a decision by the form: the same validation as the API...
	reg := newPerson(t, w.app.URL)
	reg.devSignIn("Rita Registrar", "registrar")
	decision := map[string]string{"reference": "B&W-console-2", "title": "Bezwaar", "decidedOn": "2025-05-13", "deadline": "2025-05-27", "acceptPastDeadline": "on",
		"account0_platform": "instagram", "account0_name": "@voorbeeldstad", "account0_url": "https://www.instagram.com/voorbeeldstad",
		"account0_email": "not-an-address"}
	resp, page = reg.post("/besluiten", decision, nil, "")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `value="@voorbeeldstad"`) {
		t.Fatalf("an invalid decision: %d (what was typed should show) %s", resp.StatusCode, page)
	}
	// The error is said in Dutch, in a summary that links to the field, and at the field.
	for _, want := range []string{"<title>Fout: Nieuw besluit", `<a href="#account0_email">Vul een gewoon e-mailadres in`,
		`aria-invalid="true" aria-describedby="account0_email-error"`, `<span class="field-error" id="account0_email-error">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if strings.Contains(page, "accounts[0].email") || strings.Contains(page, "a plain e-mail address") {
		t.Errorf("the refused form shows the API's words: %s", page)
	}
	// ...and the reference as idempotency key.
	decision["account0_email"] = "instagram@voorbeeldstad.nl"
	resp, _ = reg.post("/besluiten", decision, nil, "")
	first := caseLink.FindStringSubmatch(resp.Header.Get("Location"))
	resp2, _ := reg.post("/besluiten", decision, nil, "")
	second := caseLink.FindStringSubmatch(resp2.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || first == nil || second == nil || first[1] != second[1] {
		t.Fatalf("registering twice: %d %v / %d %v", resp.StatusCode, first, resp2.StatusCode, second)
	}
	decision["title"] = "Een ander besluit"
	if resp, page := reg.post("/besluiten", decision, nil, ""); resp.StatusCode != http.StatusConflict {
		t.Errorf("same reference, other decision: %d %s", resp.StatusCode, page)
	}
	c := w.waitState(t, first[1], objection.StateAwaitingConfirmation)

	// The person is the actor: in the case's events and in the zaaksysteem's audit trail.
	_, page = reg.get("/zaken/"+first[1], false)
	if !strings.Contains(page, `<td data-label="Wie">Rita Registrar</td>`) {
		t.Errorf("the history does not name the registrar: %s", page)
	}
	zc, err := zgw.New(w.sb.ZGW)
	if err != nil {
		t.Fatal(err)
	}
	trail, err := zc.Zaken.AuditTrail(context.Background(), c["zaakUrl"].(string))
	if err != nil || len(trail) == 0 {
		t.Fatalf("audit trail: %v %v", trail, err)
	}
	// The principal of the sign-in: their identity and their name.
	for _, e := range trail {
		if e.GebruikersWeergave != "Rita Registrar" || e.GebruikersID != "dev:Rita Registrar" {
			t.Errorf("audit trail entry %s %s by %q (%q), want the registrar", e.Actie, e.Resource, e.GebruikersWeergave, e.GebruikersID)
		}
	}

	// A file that is no e-mail is refused at once, in words, and nothing is kept for review: an
	// Outlook .msg with how to get the mail out of Outlook, a PDF with what is expected.
	for _, tc := range []struct {
		name string
		file []byte
		want []string
	}{
		{"an Outlook .msg", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), []string{"Outlook-bestand (.msg)", "Downloaden", ".eml", "pagina Hulp"}},
		{"a PDF", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), []string{"Dit bestand is geen e-mail", ".eml"}},
	} {
		resp, page := reg.post("/zaken/"+first[1]+"/bevestiging", nil, map[string][]byte{"file": tc.file}, "")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, resp.StatusCode)
		}
		for _, want := range tc.want {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page does not say %q", tc.name, want)
			}
		}
	}
	if resp, page := reg.get("/hulp", false); resp.StatusCode != 200 || !strings.Contains(page, "Klassieke Outlook") || !strings.Contains(page, "Outlook op het web") {
		t.Errorf("the help page does not say how to get the mail out of Outlook: %d", resp.StatusCode)
	}
	if status, _, q := w.do(t, "GET", "/api/v1/quarantine", w.registrar(t), "", nil); status != 200 || q["count"] != float64(0) {
		t.Errorf("files that are no e-mail were kept for review: %d %v", status, q)
	}

	// Meta's mail for the first case, uploaded again on the second, is no success there: the page
	// says it belongs to another case and links to it.
	mail := w.mail(t, "facebook", "Gemeente Voorbeeldstad facebook", "facebook@voorbeeldstad.nl", true, meta.KindHonoured)
	if status, _, v := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", mail); status != 202 {
		t.Fatalf("the mail for the first case: %d %v", status, v)
	}
	if resp, _ := reg.post("/zaken/"+first[1]+"/bevestiging", nil, map[string][]byte{"file": mail}, ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the mail again, on another case: %d", resp.StatusCode)
	}
	_, page = reg.get("/zaken/"+first[1], false)
	if !strings.Contains(page, "hoort niet bij deze zaak") || !strings.Contains(page, `<a href="/zaken/`+id+`">Naar de zaak waar hij bij hoort</a>`) {
		t.Errorf("the other case's mail reads as: %s", page)
	}

	// A form posted from another site is refused, whoever is signed in.
	if resp, _ := reg.post("/zaken/"+first[1]+"/sluiten", map[string]string{"reason": "forged"}, nil, "http://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin close: %d, want 403", resp.StatusCode)
	}
	if c := w.waitState(t, first[1], objection.StateAwaitingConfirmation); c["closeReason"] != nil {
		t.Errorf("the forged close went through: %v", c)
	}
}

func TestConsoleHeadersAndSessions(t *testing.T) {
	w := newWorldWith(t, map[string]string{"CONNECTOR_SESSION_IDLE_TIMEOUT": "2s", "CONNECTOR_SESSION_LIFETIME": "1h"})
	anon := newPerson(t, w.app.URL)
	resp, _ := anon.get("/zaken?filter=open", false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/aanmelden?terug="+url.QueryEscape("/zaken?filter=open") {
		t.Fatalf("anonymous: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q lacks %q or allows inline script", csp, want)
		}
	}
	if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("security headers: %v", resp.Header)
	}

	p := newPerson(t, w.app.URL)
	p.devSignIn("Rita Registrar", "registrar")
	u, _ := url.Parse(w.app.URL)
	for _, ck := range p.http.Jar.Cookies(u) {
		if ck.Name == "connector_session" && len(ck.Value) < 32 {
			t.Errorf("session token %q is short", ck.Value)
		}
	}
	if resp, _ := p.get("/zaken", false); resp.StatusCode != 200 {
		t.Fatalf("signed in: %d", resp.StatusCode)
	}
	// An open case page's question whether its case changed (every few seconds) neither writes
	// the session nor keeps it alive: the person idles out all the same.
	for range 5 {
		time.Sleep(500 * time.Millisecond)
		resp, _ := p.get("/zaken/"+url.PathEscape("geen-zaak")+"/versie", false)
		if resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("the case page's question wrote the session: %s", resp.Header.Get("Set-Cookie"))
		}
	}
	// Idle too long: the session is over, and a form posted then goes to the sign-in without
	// carrying anything of the form.
	resp, _ = p.post("/besluiten", map[string]string{"reference": "secret-ref", "title": "t"}, nil, "")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/aanmelden") || strings.Contains(loc, "secret-ref") {
		t.Errorf("expired session: %d %q", resp.StatusCode, loc)
	}

	// Signing out ends the session on the server: the old cookie is worth nothing after it.
	p.devSignIn("Rita Registrar", "registrar")
	old := p.http.Jar.Cookies(u)
	if resp, _ := p.post("/afmelden", nil, nil, ""); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/afgemeld" {
		t.Fatalf("sign-out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	replay := newPerson(t, w.app.URL)
	replay.http.Jar.SetCookies(u, old)
	if resp, _ := replay.get("/zaken", false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a signed-out session still works: %d", resp.StatusCode)
	}
}

// The development sign-in answers on loopback only: a server listening on another address
// does not offer it.
func TestDevelopmentSignInOnlyOnLoopback(t *testing.T) {
	addr := nonLoopbackAddr(t)
	if addr == "" {
		citest.Missing(t, "this machine has no non-loopback address to listen on")
	}
	w := newWorldWith(t, map[string]string{"CONNECTOR_ADDR": addr + ":0"})
	p := newPerson(t, w.app.URL)
	if resp, body := p.get("/aanmelden", false); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "loopback") {
		t.Errorf("dev sign-in on %s: %d", addr, resp.StatusCode)
	}
	if resp, _ := p.post("/aanmelden", map[string]string{"naam": "x", "registrar": "1"}, nil, ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("dev sign-in post on %s: %d", addr, resp.StatusCode)
	}
}

func nonLoopbackAddr(t *testing.T) string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// oidcPerson is a person at the OpenID provider, with a name and roles in the ID token.
type oidcPerson struct {
	sub, name string
	roles     []string
}

func (p oidcPerson) ID() string { return p.sub }
func (p oidcPerson) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": p.sub, "name": p.name})
}
func (p oidcPerson) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Name  string   `json:"name"`
		Roles []string `json:"groups"`
	}{base, p.name, p.roles}, nil
}

// startProvider runs a real OpenID provider in-process and points the connector at it; it
// records the PKCE method of every authorization request.
func startProvider(t *testing.T) (*mockoidc.MockOIDC, map[string]string, *[]string) {
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, mockoidc.AuthorizationEndpoint) {
				methods = append(methods, r.URL.Query().Get("code_challenge_method"))
			}
			next.ServeHTTP(w, r)
		})
	})
	oln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(oln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	addr := freeAddr(t) // the redirect URL names the connector's address, so it is chosen first
	cfg := m.Config()
	return m, map[string]string{"OIDC_ISSUER": cfg.Issuer, "OIDC_CLIENT_ID": cfg.ClientID, "OIDC_CLIENT_SECRET": cfg.ClientSecret,
		"OIDC_REDIRECT_URL": "http://" + addr + "/auth/callback", "CONNECTOR_ADDR": addr, "OIDC_ROLES_CLAIM": "groups",
		"OIDC_ROLE_REGISTRAR": "bezwaar-registrar", "OIDC_ROLE_AUDITOR": "bezwaar-auditor", "OIDC_ROLE_OPERATOR": "bezwaar-beheer"}, &methods
}

func TestConsoleSignInWithOpenIDProvider(t *testing.T) {
	m, env, methods := startProvider(t)
	w := newWorldWith(t, env)

	p := newPerson(t, w.app.URL)
	m.QueueUser(oidcPerson{sub: "u-1", name: "Anna de Vries", roles: []string{"staff", "bezwaar-registrar"}})
	resp, page := p.get("/aanmelden?terug="+url.QueryEscape("/zaken?filter=alle"), true)
	if resp.StatusCode != 200 || resp.Request.URL.RequestURI() != "/zaken?filter=alle" || !strings.Contains(page, "Anna de Vries") {
		t.Fatalf("signed in: %d at %s: %s", resp.StatusCode, resp.Request.URL, page)
	}
	if strings.Contains(page, "Ontwikkel-aanmelding") {
		t.Error("the development banner shows with a provider configured")
	}
	if len(*methods) != 1 || (*methods)[0] != "S256" {
		t.Errorf("PKCE methods %v, want S256", *methods)
	}
	if resp, _ := p.get("/beheer", false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a registrar on the operators' page: %d", resp.StatusCode)
	}
	// The development sign-in does not exist beside a provider.
	if resp, _ := p.post("/aanmelden", map[string]string{"naam": "x", "operator": "1"}, nil, ""); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/aanmelden" {
		t.Errorf("dev sign-in beside a provider: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Someone without a role of the console gets no session.
	nobody := newPerson(t, w.app.URL)
	m.QueueUser(oidcPerson{sub: "u-2", name: "Piet Passant", roles: []string{"staff"}})
	if resp, page := nobody.get("/aanmelden", true); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "geen rol") {
		t.Errorf("no role: %d %s", resp.StatusCode, page)
	}
	if resp, _ := nobody.get("/zaken", false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("no role, yet a session: %d", resp.StatusCode)
	}

	// A callback that was not started here (forged state) is refused.
	forger := newPerson(t, w.app.URL)
	if resp, _ := forger.get("/auth/callback?code=abc&state=forged", false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("forged callback: %d", resp.StatusCode)
	}
	// Only paths of this site are returned to after sign-in.
	op := newPerson(t, w.app.URL)
	m.QueueUser(oidcPerson{sub: "u-3", name: "Olga Operator", roles: []string{"bezwaar-beheer"}})
	if resp, _ := op.get("/aanmelden?terug="+url.QueryEscape("//evil.example/x"), true); resp.Request.URL.Host != strings.TrimPrefix(w.app.URL, "http://") || resp.Request.URL.Path != "/beheer" {
		t.Errorf("after sign-in with a foreign return: at %s", resp.Request.URL)
	}
}

// With Postgres, a console session lives in the shared database: signed in at one replica, a
// person goes on at another, and signing out at one ends it at all.
func TestConsoleSessionsHoldOnEveryReplica(t *testing.T) {
	w := newWorldWith(t, map[string]string{"CONNECTOR_DATABASE_URL": storetest.PostgresURL(t)})
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	other, err := startApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer other.shutdown()

	a := newPerson(t, w.app.URL)
	a.devSignIn("Rita Registrar", "registrar")
	b := &person{t: t, base: other.URL, http: a.http} // the same browser, at the other replica
	if resp, page := b.get("/zaken", false); resp.StatusCode != 200 || !strings.Contains(page, "Rita Registrar") {
		t.Fatalf("the session at the other replica: %d", resp.StatusCode)
	}
	u, _ := url.Parse(w.app.URL)
	session := a.http.Jar.Cookies(u)
	if resp, _ := b.post("/afmelden", nil, nil, ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", resp.StatusCode)
	}
	replay := newPerson(t, w.app.URL)
	replay.http.Jar.SetCookies(u, session)
	if resp, _ := replay.get("/zaken", false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out at one replica, the session still works at the other: %d", resp.StatusCode)
	}
}

// A quarantined mail set aside from the console leaves the quarantine with its reason, and is
// kept as it came.
func TestConsoleSetsAQuarantinedMailAside(t *testing.T) {
	w := newWorld(t)
	status, _, p := w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822",
		w.mail(t, "facebook", "Iemand", "iemand@elders.nl", true, meta.KindHonoured))
	if status != 422 {
		t.Fatalf("an unmatched mail: %d %v", status, p)
	}
	id := p["confirmation"].(map[string]any)["id"].(string)
	reg := newPerson(t, w.app.URL)
	reg.devSignIn("Rita Registrar", "registrar")
	if resp, page := reg.get("/quarantaine/"+id, false); resp.StatusCode != 200 || !strings.Contains(page, "iemand@elders.nl") {
		t.Fatalf("the review page: %d", resp.StatusCode)
	}
	// Checked again, it is still refused — no case has its address — and stays, saying so.
	if resp, page := reg.post("/quarantaine/"+id+"/opnieuw", nil, nil, ""); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Ook bij de nieuwe controle niet aanvaard") {
		t.Errorf("checked again: %d", resp.StatusCode)
	}
	// Setting aside is asked on a page of its own that says what happens.
	if resp, page := reg.get("/quarantaine/"+id+"/terzijde", false); resp.StatusCode != 200 || !strings.Contains(page, "niet ongedaan") || !strings.Contains(page, `class="danger"`) {
		t.Errorf("the set-aside page: %d %s", resp.StatusCode, page)
	}
	if resp, _ := reg.post("/quarantaine/"+id+"/terzijde", map[string]string{"reason": " "}, nil, ""); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("set aside without a reason: %d", resp.StatusCode)
	}
	resp, _ := reg.post("/quarantaine/"+id+"/terzijde", map[string]string{"reason": "Niet voor onze gemeente."}, nil, "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/quarantaine" {
		t.Fatalf("set aside: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, _, list := w.do(t, "GET", "/api/v1/quarantine", w.registrar(t), "", nil); list["count"] != float64(0) {
		t.Errorf("the quarantine after setting the mail aside: %v", list)
	}
	if resp, page := reg.get("/quarantaine/"+id, false); resp.StatusCode != 200 || !strings.Contains(page, "Terzijde gelegd door Rita Registrar: Niet voor onze gemeente.") {
		t.Errorf("the mail after it was set aside: %d %s", resp.StatusCode, page)
	}
	if resp, _ := reg.get("/quarantaine/"+id+"/eml", false); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "message/rfc822" {
		t.Errorf("the mail as it came: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := reg.post("/quarantaine/"+id+"/terzijde", map[string]string{"reason": "nog eens"}, nil, ""); resp.StatusCode != http.StatusConflict {
		t.Errorf("set aside twice: %d", resp.StatusCode)
	}
	if resp, _ := reg.get("/quarantaine/"+id+"/terzijde", false); resp.StatusCode != http.StatusConflict {
		t.Errorf("the set-aside page of a mail set aside: %d", resp.StatusCode)
	}
}
