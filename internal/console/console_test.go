package console

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection/objectiontest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestReturnToStaysOnThisSite(t *testing.T) {
	for raw, want := range map[string]string{
		"":                     "/",
		"/zaken?filter=alle":   "/zaken?filter=alle",
		"/zaken/abc":           "/zaken/abc",
		"//evil.example/x":     "/",
		"https://evil.example": "/",
		"/\\evil.example":      "/",
		"zaken":                "/",
		"/x\r\nSet-Cookie: a":  "/",
		"javascript:alert(1)":  "/",
	} {
		if got := returnTo(raw); got != want {
			t.Errorf("returnTo(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestRolesFromTheClaim(t *testing.T) {
	settings := config.Console{OIDCRoleRegistrar: "reg", OIDCRoleAuditor: "aud", OIDCRoleOperator: "ops"}
	for _, tc := range []struct {
		claim  string
		claims string
		want   []config.Role
	}{
		{"roles", `{"roles":["reg","other"]}`, []config.Role{config.RoleRegistrar}},
		{"roles", `{"roles":"aud ops"}`, []config.Role{config.RoleAuditor, config.RoleOperator}},
		{"realm_access.roles", `{"realm_access":{"roles":["ops","reg"]}}`, []config.Role{config.RoleRegistrar, config.RoleOperator}},
		{"roles", `{"roles":["registrar"]}`, nil}, // the configured values, not the role names
		{"roles", `{"groups":["reg"]}`, nil},
		{"roles", `{"roles":[1,true,{"reg":1}]}`, nil},
		{"realm_access.roles", `{"realm_access":"reg"}`, nil},
	} {
		s := settings
		s.OIDCRolesClaim = tc.claim
		var claims map[string]any
		if err := json.Unmarshal([]byte(tc.claims), &claims); err != nil {
			t.Fatal(err)
		}
		o := &oidcSignIn{cfg: Config{Settings: s}}
		if got := o.roles(claims); !slices.Equal(got, tc.want) {
			t.Errorf("%s in %s: %v, want %v", tc.claim, tc.claims, got, tc.want)
		}
	}
}

func TestDisplayName(t *testing.T) {
	for claims, want := range map[string]string{
		`{"name":"Anna de Vries","email":"a@b.nl"}`: "Anna de Vries",
		`{"name":" ","preferred_username":"adv"}`:   "adv",
		`{"email":"a@b.nl"}`:                        "a@b.nl",
		`{}`:                                        "sub-1",
	} {
		var m map[string]any
		json.Unmarshal([]byte(claims), &m)
		if got := displayName(m, "sub-1"); got != want {
			t.Errorf("%s: %q, want %q", claims, got, want)
		}
	}
}

// The provider's own sign-out is used when its discovery document names one, with the ID token
// as hint and the console's signed-out page to come back to.
func TestSignOutAtTheProvider(t *testing.T) {
	var issuer string
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "authorization_endpoint": issuer + "/auth",
			"token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks", "end_session_endpoint": issuer + "/logout?realm=x",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	}))
	defer provider.Close()
	issuer = provider.URL
	o := newOIDC(Config{Settings: config.Console{OIDCIssuer: issuer, OIDCClientID: "connector"}, PublicURL: "https://bezwaar.example.nl/"}, nil)
	u, err := url.Parse(o.logoutURL(context.Background(), "the-id-token"))
	if err != nil || u.Path != "/logout" {
		t.Fatalf("logout URL %v %v", u, err)
	}
	q := u.Query()
	if q.Get("realm") != "x" || q.Get("id_token_hint") != "the-id-token" || q.Get("client_id") != "connector" || q.Get("post_logout_redirect_uri") != "https://bezwaar.example.nl/afgemeld" {
		t.Errorf("logout query %v", q)
	}
	if csp := contentSecurityPolicy(o.formTargets()); !strings.Contains(csp, "form-action 'self' "+provider.URL+";") {
		t.Errorf("CSP %q does not let the sign-in go to the provider", csp)
	}
}

// service is the part of the workflow the rendered case page reads, with fixed answers: the
// page's golden file tests the rendering, not the workflow (which the tests in cmd/connector
// drive for real).
type service struct {
	Service
	c *objection.Case
}

func (s service) Case(_ context.Context, id string) (*objection.Case, error) {
	if id != s.c.ID {
		return nil, objection.Errorf(objection.CodeNotFound, "no case %q", id)
	}
	return s.c, nil
}
func (s service) Confirmations(context.Context, string) ([]*objection.Confirmation, error) {
	return []*objection.Confirmation{{ID: "m1", State: objection.ConfirmationAttached, Reason: "<script>alert(1)</script>",
		CreatedAt: time.Date(2025, 5, 20, 9, 0, 0, 0, time.UTC)}}, nil
}
func (s service) Events(context.Context, string) ([]objection.Event, error) {
	return []objection.Event{{At: time.Date(2025, 5, 13, 10, 0, 0, 0, time.UTC), Actor: "Anna de Vries", Type: "registered", Detail: "decision B&W-2025-0412 registered with 2 accounts"}, {At: time.Date(2025, 5, 13, 10, 1, 0, 0, time.UTC), Actor: "connector", Type: "zaak_created", Detail: "zaak created: https://zaken.example.nl/zaken/api/v1/zaken/u-1"}}, nil
}
func (s service) Letter(context.Context, string, int) (io.ReadCloser, string, error) {
	return io.NopCloser(strings.NewReader("Geachte heer, mevrouw,\n<b>bezwaar</b>")), "text/plain", nil
}

func newTestConsole(t *testing.T, svc Service) *httptest.Server {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := New(Config{Service: svc, Settings: config.Console{SessionIdle: config.Duration{Duration: time.Hour}, SessionLifetime: config.Duration{Duration: time.Hour},
		ZaakUIURL: "https://zaken.example.nl/zaak/{uuid}"}, DB: st.DB(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2025, 5, 14, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	mux := http.NewServeMux()
	c.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func signedIn(t *testing.T, srv *httptest.Server, roles ...string) *http.Client {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("naam", "Anna de Vries")
	for _, r := range roles {
		mw.WriteField(r, "1")
	}
	mw.Close()
	resp, err := client.Post(srv.URL+"/aanmelden", mw.FormDataContentType(), &b)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %v %v", resp, err)
	}
	resp.Body.Close()
	return client
}

// The case page as a registrar sees it, against testdata/case.golden.html (run with -update to
// accept a change). What came from outside (a mail's reason, the letter) is escaped.
func TestCasePageGolden(t *testing.T) {
	filed := time.Date(2025, 5, 14, 8, 30, 0, 0, time.UTC)
	c := &objection.Case{ID: "case-1", ZaakURL: "https://zaken.example.nl/zaken/api/v1/zaken/u-1",
		ZaakIdentificatie: "ZAAK-2025-0000000001",
		Decision:          objection.Decision{Reference: "B&W-2025-0412", Title: "Bezwaar tegen AI-training", DecidedOn: "2025-05-13", Deadline: "2025-05-27"},
		Accounts: []objection.AccountState{
			{Account: objection.Account{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", URL: "https://www.facebook.com/voorbeeldstad"},
				FormURL: "https://www.facebook.com/help/contact/1", LetterURL: "https://zaken.example.nl/documenten/1",
				FiledAt: &filed, Filing: &objection.Filing{At: filed, Channel: "web-form", By: "Anna de Vries"}},
			{Account: objection.Account{Platform: objection.Instagram, Name: "@voorbeeldstad", URL: "https://www.instagram.com/voorbeeldstad"},
				FormURL: "https://help.instagram.com/contact/2", LetterURL: "https://zaken.example.nl/documenten/2"},
		},
		Publication: &objection.Publication{State: objection.PublicationPublished, PublishedAt: &filed, Publicatiedatum: "2025-05-14",
			PublicURL: "https://open.voorbeeldstad.nl/publicaties/p-1"}}
	objectiontest.InState(c, objection.StateAwaitingConfirmation)
	srv := newTestConsole(t, service{c: c})
	client := signedIn(t, srv, "registrar")
	resp, err := client.Get(srv.URL + "/zaken/case-1")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(got, []byte("<script>alert")) || bytes.Contains(got, []byte("<b>bezwaar")) {
		t.Error("text from outside is not escaped")
	}
	golden := filepath.Join("testdata", "case.golden.html")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the case page differs from %s (run with -update to accept)", golden)
	}

	// Unknown cases and bad filters are answered as pages, never as a stack trace.
	for path, want := range map[string]int{"/zaken/nope": 404, "/zaken?filter=x": 400} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// Closing as not confirmed cannot be undone: the case page offers it, set apart, only once every
// account is filed or the deadline has passed, and it is done on a page of its own that says what
// will happen. So is confirming an account on other evidence.
func TestClosingAsNotConfirmedIsAskedTwice(t *testing.T) {
	due := time.Date(2025, 5, 27, 22, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		due     time.Time
		offered bool
	}{
		{"nothing filed, deadline ahead", due, false},
		{"nothing filed, deadline passed", time.Date(2025, 5, 13, 22, 0, 0, 0, time.UTC), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := objectiontest.InState(&objection.Case{ID: "case-2", DueAt: &tc.due,
				Decision: objection.Decision{Reference: "B&W-2025-0412", Title: "Bezwaar tegen AI-training", DecidedOn: "2025-05-13", Deadline: tc.due.Format(time.DateOnly)},
				Accounts: []objection.AccountState{{Account: objection.Account{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad"}}}},
				objection.StateAwaitingConfirmation)
			srv := newTestConsole(t, service{c: c})
			client := signedIn(t, srv, "registrar")
			page := func(path string) (int, string) {
				resp, err := client.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			_, casePage := page("/zaken/case-2")
			if got := strings.Contains(casePage, `class="button danger" href="/zaken/case-2/sluiten"`); got != tc.offered {
				t.Errorf("the case page offers closing: %v, want %v", got, tc.offered)
			}
			// Confirming an account on other evidence is asked on a page of its own as well.
			if _, ev := page("/zaken/case-2/bewijs/0"); !strings.Contains(ev, "niet ongedaan") || !strings.Contains(ev, `<button type="submit" class="danger">Account definitief bevestigen`) {
				t.Errorf("the evidence page: %s", ev)
			}
			status, confirm := page("/zaken/case-2/sluiten")
			if !tc.offered {
				if status != http.StatusConflict {
					t.Errorf("the closing page before it may: %d", status)
				}
				return
			}
			for _, want := range []string{"Bezwaar niet bevestigd", "niet ongedaan", "Gemeente Voorbeeldstad (niet ingediend)", `<button type="submit" class="danger">`, `href="/zaken/case-2">Niet afsluiten`} {
				if !strings.Contains(confirm, want) {
					t.Errorf("the closing page lacks %q", want)
				}
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	for _, tc := range []struct {
		public string
		name   string
		secure bool
	}{{"", "connector_session", false}, {"http://127.0.0.1:8080", "connector_session", false}, {"https://bezwaar.example.nl", "__Host-connector_session", true}} {
		s := newSessions(Config{PublicURL: tc.public, Settings: config.Console{SessionIdle: config.Duration{Duration: time.Minute}, SessionLifetime: config.Duration{Duration: time.Hour}}})
		s.Store.(interface{ StopCleanup() }).StopCleanup()
		if s.Cookie.Name != tc.name || s.Cookie.Secure != tc.secure || !s.Cookie.HttpOnly || s.Cookie.SameSite != http.SameSiteLaxMode || s.Cookie.Persist ||
			s.IdleTimeout != time.Minute || s.Lifetime != time.Hour {
			t.Errorf("public URL %q: cookie %+v, idle %s, lifetime %s", tc.public, s.Cookie, s.IdleTimeout, s.Lifetime)
		}
	}
}

// The development sign-in is for this machine only: both ends loopback, a loopback host name, and
// no proxy in between (a proxy on the same machine connects from loopback too).
func TestLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		name, local, remote, host string
		header                    string
		want                      bool
	}{
		{"local", "127.0.0.1:8080", "127.0.0.1:50000", "127.0.0.1:8080", "", true},
		{"localhost", "127.0.0.1:8080", "127.0.0.1:50000", "localhost:8080", "", true},
		{"ipv6", "[::1]:8080", "[::1]:50000", "[::1]", "", true},
		{"from the network", "127.0.0.1:8080", "192.0.2.7:50000", "127.0.0.1:8080", "", false},
		{"listening on the network", "192.0.2.1:8080", "127.0.0.1:50000", "127.0.0.1:8080", "", false},
		{"a proxy's public host", "127.0.0.1:8080", "127.0.0.1:50000", "bezwaar.example.nl", "", false},
		{"a proxy's forwarding header", "127.0.0.1:8080", "127.0.0.1:50000", "localhost:8080", "X-Forwarded-For", false},
	} {
		r := httptest.NewRequest("GET", "/aanmelden", nil)
		r.RemoteAddr, r.Host = tc.remote, tc.host
		if tc.header != "" {
			r.Header.Set(tc.header, "198.51.100.9")
		}
		local, err := net.ResolveTCPAddr("tcp", tc.local)
		if err != nil {
			t.Fatal(err)
		}
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, local))
		if got := loopbackOnly(r); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
