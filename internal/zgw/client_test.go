package zgw_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

const secret = "client-secret-of-at-least-32-bytes"

// recorded is what a fake API saw of one request.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// fakeAPI is an httptest server whose answers the test scripts, recording every request.
type fakeAPI struct {
	*httptest.Server
	mu   sync.Mutex
	seen []recorded
}

func newFakeAPI(t *testing.T, h http.HandlerFunc) *fakeAPI {
	f := &fakeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.seen = append(f.seen, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		f.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.seen...)
}

func config(base string) zgw.Config {
	return zgw.Config{
		CatalogiURL: base + "/catalogi/api/v1", ZakenURL: base + "/zaken/api/v1",
		DocumentenURL: base + "/documenten/api/v1", BesluitenURL: base + "/besluiten/api/v1",
		ClientID: "connector", Secret: secret, UserID: "svc", UserRepresentation: "Meta-bezwaar connector",
		Timeout: 2 * time.Second, ReadRetries: 2,
	}
}

func newClient(t *testing.T, cfg zgw.Config) *zgw.Client {
	t.Helper()
	c, err := zgw.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func jsonAnswer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestCreateZaakSendsTheExactRequest(t *testing.T) {
	api := newFakeAPI(t, jsonAnswer(201, `{"url":"http://x/zaken/api/v1/zaken/1","identificatie":"ZAAK-1"}`))
	now := time.Unix(1_750_000_000, 0)
	cfg := config(api.URL)
	cfg.Now = func() time.Time { return now }
	c := newClient(t, cfg)

	z, err := c.Zaken.CreateZaak(context.Background(), zgw.Zaak{Bronorganisatie: "002220647", VerantwoordelijkeOrganisatie: "002220647",
		ZaakType: api.URL + "/catalogi/api/v1/zaaktypen/1", Startdatum: "2025-05-13",
		Kenmerken: []zgw.Kenmerk{{Kenmerk: "B&W-1", Bron: "collegebesluit"}}})
	if err != nil {
		t.Fatal(err)
	}
	if z.Identificatie != "ZAAK-1" {
		t.Errorf("decoded %+v", z)
	}
	reqs := api.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/zaken/api/v1/zaken" {
		t.Errorf("%s %s", r.Method, r.Path)
	}
	for h, want := range map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326", "Content-Type": "application/json", "Accept": "application/json"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := `{"bronorganisatie":"002220647","kenmerken":[{"bron":"collegebesluit","kenmerk":"B\u0026W-1"}],"startdatum":"2025-05-13","verantwoordelijkeOrganisatie":"002220647","zaaktype":"` + api.URL + `/catalogi/api/v1/zaaktypen/1"}`
	if got, _ := json.Marshal(body); string(got) != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}

	claims := jwt.MapClaims{}
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if _, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation()); err != nil {
		t.Fatalf("JWT does not verify with the secret: %v", err)
	}
	for k, v := range map[string]any{"iss": "connector", "client_id": "connector", "user_id": "svc",
		"user_representation": "Meta-bezwaar connector", "iat": float64(now.Unix()), "exp": float64(now.Add(6 * time.Minute).Unix())} {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
}

func TestTokenIsRenewedBeforeServersRejectIt(t *testing.T) {
	api := newFakeAPI(t, jsonAnswer(200, `{"url":"u"}`))
	now := time.Unix(1_750_000_000, 0)
	cfg := config(api.URL)
	cfg.Now = func() time.Time { return now }
	c := newClient(t, cfg)
	get := func() string {
		if _, err := c.Zaken.GetResultaat(context.Background(), api.URL+"/zaken/api/v1/resultaten/1"); err != nil {
			t.Fatal(err)
		}
		reqs := api.requests()
		return reqs[len(reqs)-1].Header.Get("Authorization")
	}
	first := get()
	now = now.Add(4 * time.Minute)
	if get() != first {
		t.Error("token renewed within its lifetime")
	}
	now = now.Add(2 * time.Minute)
	if get() == first {
		t.Error("token reused after its lifetime (5 minutes)")
	}
}

// A request made for a person carries their name for the audit trail; the connector's own
// requests around it keep the connector's identity.
func TestRequestsActForTheirPerson(t *testing.T) {
	api := newFakeAPI(t, jsonAnswer(200, `{"url":"u"}`))
	const secret = "a-secret-of-at-least-thirty-two-bytes!"
	cfg := config(api.URL)
	cfg.Secret = secret
	c := newClient(t, cfg)
	claimsOf := func(ctx context.Context) jwt.MapClaims {
		t.Helper()
		if _, err := c.Zaken.GetResultaat(ctx, api.URL+"/zaken/api/v1/resultaten/1"); err != nil {
			t.Fatal(err)
		}
		reqs := api.requests()
		claims := jwt.MapClaims{}
		raw := strings.TrimPrefix(reqs[len(reqs)-1].Header.Get("Authorization"), "Bearer ")
		if _, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation()); err != nil {
			t.Fatal(err)
		}
		return claims
	}
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		id, repr string
	}{
		{"the connector", context.Background(), cfg.UserID, cfg.UserRepresentation},
		{"a person", zgw.AsUser(context.Background(), zgw.User{ID: "a.devries", Representation: "Anna de Vries"}), "a.devries", "Anna de Vries"},
		{"a client named once", zgw.AsUser(context.Background(), zgw.User{ID: "intake"}), "intake", "intake"},
		{"the connector again", context.Background(), cfg.UserID, cfg.UserRepresentation},
	} {
		claims := claimsOf(tc.ctx)
		if claims["user_id"] != tc.id || claims["user_representation"] != tc.repr || claims["client_id"] != cfg.ClientID {
			t.Errorf("%s: claims %v", tc.name, claims)
		}
	}
}

func TestProblemsAreTyped(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/zaken/api/v1/statussen":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(400)
			io.WriteString(w, `{"type":"t","code":"invalid","title":"Invalid input.","status":400,"detail":"d","instance":"i",
				"invalidParams":[{"name":"nonFieldErrors","code":"resultaat-does-not-exist","reason":"Geen resultaat."}]}`)
		default:
			w.WriteHeader(502)
			io.WriteString(w, "<html>Bad gateway</html>")
		}
	})
	c := newClient(t, config(api.URL))
	_, err := c.Zaken.CreateStatus(context.Background(), zgw.Status{Zaak: "z"})
	var p *zgw.Problem
	if !errors.As(err, &p) || p.Status != 400 || !p.Permanent() {
		t.Fatalf("err = %v", err)
	}
	if ip, ok := p.Param("nonFieldErrors"); !ok || ip.Code != "resultaat-does-not-exist" {
		t.Errorf("invalidParams = %+v", p.InvalidParams)
	}
	if zgw.Uncertain(err) {
		t.Error("a 400 is not uncertain: nothing was committed")
	}
	_, err = c.Zaken.CreateResultaat(context.Background(), zgw.Resultaat{})
	if !errors.As(err, &p) || p.Status != 502 || p.Detail != "<html>Bad gateway</html>" || p.Permanent() {
		t.Fatalf("non-JSON 502: %#v", err)
	}
	if !zgw.Uncertain(err) {
		t.Error("a 502 after a POST is uncertain")
	}
	if strings.Contains(err.Error(), secret) {
		t.Error("secret in an error message")
	}
}

func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	var calls atomic.Int32
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1)%3 != 0 {
			w.WriteHeader(503)
			return
		}
		jsonAnswer(200, `{"url":"ok"}`)(w, r)
	})
	c := newClient(t, config(api.URL))
	if _, err := c.Zaken.GetResultaat(context.Background(), api.URL+"/zaken/api/v1/resultaten/1"); err != nil {
		t.Fatalf("GET after two 503s: %v", err)
	}
	if n := len(api.requests()); n != 3 {
		t.Errorf("GET sent %d times, want 3", n)
	}
	calls.Store(0)
	_, err := c.Zaken.CreateResultaat(context.Background(), zgw.Resultaat{Zaak: "z"})
	if zgw.StatusOf(err) != 503 || zgw.Uncertain(err) {
		t.Fatalf("POST: %v (uncertain %v): a 503 says nothing was done", err, zgw.Uncertain(err))
	}
	if n := len(api.requests()); n != 4 {
		t.Errorf("POST sent %d times, want once (4 requests in all)", n-3)
	}
}

// A connection that could not be made sent nothing: not uncertain, retried without waiting for
// a request that cannot be on its way.
func TestRefusedConnectionIsCertain(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newClient(t, config("http://"+addr))
	_, err = c.Zaken.CreateResultaat(context.Background(), zgw.Resultaat{Zaak: "z"})
	if err == nil || zgw.Uncertain(err) {
		t.Fatalf("refused connection: %v (uncertain %v)", err, zgw.Uncertain(err))
	}
}

func TestTimeoutIsUncertain(t *testing.T) {
	release := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	})
	defer close(release)
	cfg := config(api.URL)
	cfg.Timeout = 100 * time.Millisecond
	c := newClient(t, cfg)
	_, err := c.Zaken.CreateZaak(context.Background(), zgw.Zaak{})
	if err == nil || !zgw.Uncertain(err) {
		t.Fatalf("timeout: %v (uncertain=%v)", err, zgw.Uncertain(err))
	}
	if n := len(api.requests()); n != 1 {
		t.Errorf("POST sent %d times after a timeout", n)
	}
}

func TestPagination(t *testing.T) {
	var api *fakeAPI
	api = newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		next := map[string]string{"": "2", "2": "3"}[page]
		var nextURL any
		if next != "" {
			nextURL = api.URL + "/zaken/api/v1/zaken?zaaktype=zt&page=" + next
		}
		b, _ := json.Marshal(map[string]any{"count": 5, "next": nextURL, "previous": nil,
			"results": []map[string]string{{"url": "p" + page + "a"}, {"url": "p" + page + "b"}}})
		w.Write(b)
	})
	c := newClient(t, config(api.URL))
	var got []string
	for z, err := range c.Zaken.ListZaken(context.Background(), zgw.ZaakFilter{ZaakType: "zt"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, z.URL)
	}
	if strings.Join(got, ",") != "pa,pb,p2a,p2b,p3a,p3b" {
		t.Errorf("got %v", got)
	}
	if q := api.requests()[0].Query; q != "zaaktype=zt" {
		t.Errorf("first query %q", q)
	}
	before := len(api.requests())
	for range c.Zaken.ListZaken(context.Background(), zgw.ZaakFilter{}) {
		break
	}
	if n := len(api.requests()) - before; n != 1 {
		t.Errorf("breaking after the first item still fetched %d pages", n)
	}
}

// TestCredentialsOnlyGoToConfiguredRoots checks every way a URL can lead elsewhere: a resource
// URL on another host, a path outside the API roots on the same host, a dot-segment escape, a
// pagination link and a redirect. The foreign server must never see a request.
func TestCredentialsOnlyGoToConfiguredRoots(t *testing.T) {
	foreign := newFakeAPI(t, jsonAnswer(200, `{}`))
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/zaken/api/v1/zaken":
			w.Write([]byte(`{"count":1,"next":"` + foreign.URL + `/zaken/api/v1/zaken?page=2","previous":null,"results":[{"url":"a"}]}`))
		case "/zaken/api/v1/resultaten/redirect":
			http.Redirect(w, r, foreign.URL+"/steal", http.StatusFound)
		case "/zaken/api/v1/resultaten/local-redirect":
			http.Redirect(w, r, "/admin/", http.StatusFound)
		default:
			jsonAnswer(200, `{}`)(w, r)
		}
	})
	c := newClient(t, config(api.URL))
	ctx := context.Background()
	var foreignErr *zgw.ForeignURLError

	for _, u := range []string{
		foreign.URL + "/zaken/api/v1/zaken/1",
		api.URL + "/admin/zaken/1",
		api.URL + "/zaken/api/v1/../../admin/",
		api.URL + "/zaken/api/v1/%2e%2e/%2e%2e/admin/",
		"http://user:pw@" + strings.TrimPrefix(api.URL, "http://") + "/zaken/api/v1/zaken/1",
	} {
		if _, err := c.Zaken.GetZaak(ctx, u); !errors.As(err, &foreignErr) {
			t.Errorf("GetZaak(%s) = %v, want a ForeignURLError", u, err)
		}
		if c.Allows(u) {
			t.Errorf("Allows(%s)", u)
		}
	}
	for _, err := range c.Zaken.ListZaken(ctx, zgw.ZaakFilter{}) {
		if err != nil && !errors.As(err, &foreignErr) {
			t.Errorf("foreign next link: %v", err)
		}
	}
	for _, path := range []string{"redirect", "local-redirect"} {
		if _, err := c.Zaken.GetResultaat(ctx, api.URL+"/zaken/api/v1/resultaten/"+path); !errors.As(err, &foreignErr) {
			t.Errorf("%s: %v, want a ForeignURLError", path, err)
		}
	}
	if _, err := c.Documenten.Download(ctx, foreign.URL+"/documenten/api/v1/enkelvoudiginformatieobjecten/1"); !errors.As(err, &foreignErr) {
		t.Errorf("download from a foreign host: %v", err)
	}
	if n := len(foreign.requests()); n != 0 {
		t.Fatalf("the foreign server received %d requests", n)
	}
	for _, r := range api.requests() {
		if !strings.HasPrefix(r.Path, "/zaken/api/v1/") {
			t.Errorf("request outside the roots reached the API: %s", r.Path)
		}
	}
	if !c.Allows(api.URL + "/zaken/api/v1/zaken/1") {
		t.Error("a URL under a root is not allowed")
	}
}

func TestConfigIsChecked(t *testing.T) {
	_, err := zgw.New(zgw.Config{ZakenURL: "ftp://x", CatalogiURL: "http://x/c?q=1"})
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{"client id", "secret", "zaken API URL", "catalogi API URL", "documenten API URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

// TestUploadUsesThePartLockOrTheDocumentLock covers both answers servers give: parts that carry
// their own lock, and parts that leave it to the document's.
func TestUploadUsesThePartLockOrTheDocumentLock(t *testing.T) {
	for _, partLock := range []string{"", "part-lock"} {
		t.Run("partLock="+partLock, func(t *testing.T) {
			var api *fakeAPI
			var mu sync.Mutex
			received := map[string]string{}
			locks := map[string]string{}
			api = newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/enkelvoudiginformatieobjecten"):
					b, _ := json.Marshal(map[string]any{"url": api.URL + "/documenten/api/v1/enkelvoudiginformatieobjecten/1",
						"lock": "doc-lock", "locked": true, "bestandsdelen": []map[string]any{
							{"url": api.URL + "/documenten/api/v1/bestandsdelen/b", "volgnummer": 2, "omvang": 3, "voltooid": false, "lock": partLock},
							{"url": api.URL + "/documenten/api/v1/bestandsdelen/a", "volgnummer": 1, "omvang": 4, "voltooid": false, "lock": partLock},
						}})
					w.WriteHeader(201)
					w.Write(b)
				case r.Method == "PUT":
					if r.ContentLength <= 0 {
						t.Errorf("part sent without Content-Length")
					}
					_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
					mr := multipart.NewReader(r.Body, params["boundary"])
					form, err := mr.ReadForm(1 << 20)
					if err != nil {
						t.Fatal(err)
					}
					f, _ := form.File["inhoud"][0].Open()
					b, _ := io.ReadAll(f)
					mu.Lock()
					received[r.URL.Path] = string(b)
					locks[r.URL.Path] = form.Value["lock"][0]
					mu.Unlock()
					jsonAnswer(200, `{}`)(w, r)
				case strings.HasSuffix(r.URL.Path, "/unlock"):
					w.WriteHeader(204)
				}
			})
			c := newClient(t, config(api.URL))
			doc, err := c.Documenten.Upload(context.Background(), zgw.InformatieObject{Titel: "t"}, 7, strings.NewReader("abcdefg"))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Locked || doc.Lock != "" {
				t.Errorf("returned document still shows the lock: %+v", doc)
			}
			if received["/documenten/api/v1/bestandsdelen/a"] != "abcd" || received["/documenten/api/v1/bestandsdelen/b"] != "efg" {
				t.Errorf("parts in the wrong order: %v", received)
			}
			want := "doc-lock"
			if partLock != "" {
				want = partLock
			}
			for p, l := range locks {
				if l != want {
					t.Errorf("part %s sent lock %q, want %q", p, l, want)
				}
			}
			reqs := api.requests()
			var create map[string]any
			json.Unmarshal(reqs[0].Body, &create)
			if create["bestandsomvang"] != float64(7) || create["inhoud"] != nil {
				t.Errorf("create announced %v", create)
			}
			if last := reqs[len(reqs)-1]; !strings.HasSuffix(last.Path, "/unlock") || !strings.Contains(string(last.Body), `"doc-lock"`) {
				t.Errorf("last request %s %s", last.Path, last.Body)
			}
		})
	}
}

func TestUploadOfAShortSourceFailsAndSaysWhere(t *testing.T) {
	var api *fakeAPI
	api = newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			b, _ := json.Marshal(map[string]any{"url": api.URL + "/documenten/api/v1/enkelvoudiginformatieobjecten/1", "lock": "l",
				"bestandsdelen": []map[string]any{{"url": api.URL + "/documenten/api/v1/bestandsdelen/a", "volgnummer": 1, "omvang": 10}}})
			w.WriteHeader(201)
			w.Write(b)
			return
		}
		io.Copy(io.Discard, r.Body)
		jsonAnswer(200, `{}`)(w, r)
	})
	c := newClient(t, config(api.URL))
	_, err := c.Documenten.Upload(context.Background(), zgw.InformatieObject{}, 10, strings.NewReader("short"))
	var ue *zgw.UploadError
	if !errors.As(err, &ue) || !strings.HasSuffix(ue.URL, "/enkelvoudiginformatieobjecten/1") {
		t.Fatalf("err = %v", err)
	}
	for _, r := range api.requests() {
		if strings.HasSuffix(r.Path, "/unlock") {
			t.Error("an incomplete upload was unlocked")
		}
	}
}

func TestCircuitStopsHammeringAndResumes(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(503)
			return
		}
		jsonAnswer(200, `{"url":"ok"}`)(w, r)
	})
	now := time.Unix(1_750_000_000, 0)
	cfg := config(api.URL)
	cfg.ReadRetries, cfg.CircuitThreshold, cfg.CircuitCooldown = 0, 3, time.Minute
	cfg.Now = func() time.Time { return now }
	c := newClient(t, cfg)
	ctx := context.Background()
	u := api.URL + "/zaken/api/v1/resultaten/1"
	for range 3 {
		_, err := c.Zaken.GetResultaat(ctx, u)
		var p *zgw.Problem
		if !errors.As(err, &p) || p.RetryAfter != 7*time.Second {
			t.Fatalf("503 with Retry-After: %v", err)
		}
	}
	if !c.CircuitOpen() {
		t.Fatal("the circuit did not open after 3 failures")
	}
	before := len(api.requests())
	_, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{})
	if !errors.Is(err, zgw.ErrCircuitOpen) || zgw.Uncertain(err) || len(api.requests()) != before {
		t.Fatalf("while open: %v (uncertain %v), %d requests sent", err, zgw.Uncertain(err), len(api.requests())-before)
	}
	down.Store(false)
	now = now.Add(61 * time.Second)
	if _, err := c.Zaken.GetResultaat(ctx, u); err != nil {
		t.Fatalf("after the cool-down the probe should pass: %v", err)
	}
	if c.CircuitOpen() {
		t.Error("the circuit stayed open after a success")
	}
}
