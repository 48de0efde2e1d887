package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gemeenten/meta-bezwaar-connector/api/openapi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/specs"
)

const (
	registrarSecret = "registrar-secret-0123456789"
	auditorSecret   = "auditor-secret-0123456789ab"
)

// world is a connector wired to a validated sandbox zaaksysteem, with API clients for both roles
// whose traffic is validated against the connector's own spec.
type world struct {
	sb      *sandboxtest.Env
	app     *app
	signer  *meta.SampleSigner
	spec    *specs.Validator
	http    *http.Client
	dataDir string
}

// zgwEnv points the connector at a sandbox and sets everything else it needs.
func zgwEnv(t *testing.T, sb *sandboxtest.Env, signer *meta.SampleSigner) string {
	dir := cleanEnv(t)
	for k, v := range map[string]string{
		"ZGW_CATALOGI_URL": sb.ZGW.CatalogiURL, "ZGW_ZAKEN_URL": sb.ZGW.ZakenURL, "ZGW_DOCUMENTEN_URL": sb.ZGW.DocumentenURL,
		"ZGW_BESLUITEN_URL": sb.ZGW.BesluitenURL, "ZGW_NOTIFICATIES_URL": sb.ZGW.NotificatiesURL,
		"ZGW_CLIENT_ID": sb.ZGW.ClientID, "ZGW_SECRET": sb.ZGW.Secret,
		"CONNECTOR_RSIN": sandboxtest.RSIN,
		// Short, so that a restarted process resumes its steps soon (after twice the timeout).
		"ZGW_TIMEOUT":       "2s",
		"CONNECTOR_CLIENTS": "intake:" + registrarSecret + ":registrar,audit:" + auditorSecret + ":auditor",
	} {
		t.Setenv(k, v)
	}
	keys := filepath.Join(dir, "dkim-keys")
	os.WriteFile(keys, []byte(signer.KeyLines(meta.DefaultSenders())), 0o600)
	t.Setenv("META_DKIM_KEYS_FILE", keys)
	return dir
}

func newWorld(t *testing.T) *world { return newWorldWith(t, nil) }

// newWorldWith sets extra environment variables before the connector starts.
func newWorldWith(t *testing.T, env map[string]string, opts ...sandboxtest.Option) *world {
	t.Helper()
	sb := sandboxtest.StartForConnector(t, opts...)
	signer, err := meta.NewSampleSigner("w1")
	if err != nil {
		t.Fatal(err)
	}
	dir := zgwEnv(t, sb, signer)
	for k, v := range env {
		t.Setenv(k, v)
	}
	if env["WOO_PUBLICATIEBANK_URL"] == onTheSandbox {
		wooEnv(t, sb.URL)
	}
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := startApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.shutdown() })
	spec, err := specs.FromData(openapi.Spec, "/")
	if err != nil {
		t.Fatal(err)
	}
	specs.FailOnViolations(t, spec, "connector API")
	return &world{sb: sb, app: a, signer: signer, spec: spec, dataDir: dir,
		http: &http.Client{Transport: spec.Transport(http.DefaultTransport), Timeout: 30 * time.Second}}
}

func bearer(t *testing.T, id, secret string, at time.Time) string {
	tok, err := zgwtoken.Sign(id, secret, "", "", at, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

func (w *world) do(t *testing.T, method, path, auth, contentType string, body []byte) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, w.app.URL+path, bytes.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := w.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, resp.Header, out
}

func (w *world) registrar(t *testing.T) string {
	return bearer(t, "intake", registrarSecret, time.Now())
}
func (w *world) auditor(t *testing.T) string { return bearer(t, "audit", auditorSecret, time.Now()) }

func decisionJSON(ref string, platforms ...string) []byte {
	var accounts []string
	for _, p := range platforms {
		accounts = append(accounts, fmt.Sprintf(`{"platform":%q,"name":"Gemeente Voorbeeldstad %s","url":"https://www.%s.com/voorbeeldstad","email":"%s@voorbeeldstad.nl"}`, p, p, p, p))
	}
	return []byte(fmt.Sprintf(`{"reference":%q,"title":"Bezwaar tegen gebruik van openbare content voor AI-training door Meta","decidedOn":"2025-05-13","deadline":"2025-05-27","acceptPastDeadline":true,"accounts":[%s]}`,
		ref, strings.Join(accounts, ",")))
}

func (w *world) waitState(t *testing.T, id string, want objection.State) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, _, c := w.do(t, "GET", "/api/v1/cases/"+id, w.auditor(t), "", nil)
		if status == 200 && c["state"] == string(want) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("case %s: %d %v, want state %s", id, status, c, want)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// registered registers a decision and waits until its zaak and letters are there.
func (w *world) registered(t *testing.T, ref string, platforms ...string) string {
	t.Helper()
	status, _, c := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json", decisionJSON(ref, platforms...))
	if status != 202 {
		t.Fatalf("registering %s: %d %v", ref, status, c)
	}
	id := c["id"].(string)
	w.waitState(t, id, objection.StateAwaitingConfirmation)
	return id
}

func (w *world) mail(t *testing.T, platform, name, email string, dutch bool, kind meta.Kind) []byte {
	raw, err := w.signer.Make(meta.Sample{Platform: objection.Platform(platform), To: email, Account: name, Dutch: dutch, Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func multipartFile(t *testing.T, raw []byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "bevestiging.eml")
	fw.Write(raw)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func TestAPIFlowOverHTTP(t *testing.T) {
	w := newWorld(t)
	for _, platforms := range [][]string{{"facebook"}, {"facebook", "instagram"}} {
		t.Run(strings.Join(platforms, "+"), func(t *testing.T) {
			ref := "B&W-" + strings.Join(platforms, "-")
			body := decisionJSON(ref, platforms...)
			status, hdr, c := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json", body)
			if status != http.StatusAccepted || hdr.Get("Location") != "/api/v1/cases/"+c["id"].(string) {
				t.Fatalf("POST decision: %d %v %v", status, hdr, c)
			}
			id := c["id"].(string)
			status, _, again := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json", body)
			if status != http.StatusOK || again["id"] != id {
				t.Fatalf("same decision again: %d %v", status, again)
			}
			status, _, _ = w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json", bytes.Replace(body, []byte("2025-05-27"), []byte("2025-05-26"), 1))
			if status != http.StatusConflict {
				t.Fatalf("same reference, other body: %d", status)
			}
			c = w.waitState(t, id, objection.StateAwaitingConfirmation)
			for i, acc := range c["accounts"].([]any) {
				a := acc.(map[string]any)
				if a["letterUrl"] == "" || !strings.HasPrefix(a["formUrl"].(string), "https://") {
					t.Errorf("account %d lacks letter or form link: %v", i, a)
				}
				name, email, platform := a["name"].(string), a["email"].(string), a["platform"].(string)
				// The first by raw upload in Dutch, the second as a form upload in English.
				raw := w.mail(t, platform, name, email, i == 0, meta.KindHonoured)
				var status int
				var conf map[string]any
				if i == 0 {
					status, _, conf = w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", raw)
				} else {
					form, ct := multipartFile(t, raw)
					status, _, conf = w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), ct, form)
				}
				if status != http.StatusAccepted || conf["honoured"] != true {
					t.Fatalf("confirmation %d: %d %v", i, status, conf)
				}
				status, _, dup := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", raw)
				if status != http.StatusOK || dup["id"] != conf["id"] {
					t.Fatalf("duplicate: %d %v", status, dup)
				}
			}
			closed := w.waitState(t, id, objection.StateClosed)
			zaak, err := w.sb.Client.Zaken.GetZaak(context.Background(), closed["zaakUrl"].(string))
			if err != nil || zaak.Einddatum == nil {
				t.Fatalf("zaak not closed in the zaaksysteem: %v %v", zaak, err)
			}
			// The stored e-mail is byte-exact.
			confs := closed["confirmations"].([]any)
			doc := confs[0].(map[string]any)["documentUrl"].(string)
			rc, err := w.sb.Client.Documenten.Download(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := io.ReadAll(rc)
			rc.Close()
			want := w.mail(t, "facebook", "x", "y@z.nl", true, meta.KindHonoured) // same shape, other bytes
			if len(stored) == 0 || bytes.Equal(stored, want) {
				t.Fatal("sanity: stored mail empty")
			}
			var v map[string]any
			json.Unmarshal(mustJSON(confs[0].(map[string]any)["verdict"]), &v)
			if v["sha256"] != sha256Hex(stored) {
				t.Errorf("stored e-mail differs from the one received: sha256 %s vs %v", sha256Hex(stored), v["sha256"])
			}
		})
	}
}

func TestAPIAuthentication(t *testing.T) {
	w := newWorld(t)
	body := decisionJSON("B&W-auth", "facebook")
	old := bearer(t, "intake", registrarSecret, time.Now().Add(-2*time.Hour))
	forged := bearer(t, "intake", "not-the-secret-at-all-0000", time.Now())
	withClaims := func(extra jwt.MapClaims) string {
		claims := jwt.MapClaims{"client_id": "audit", "iat": time.Now().Unix()}
		for k, v := range extra {
			claims[k] = v
		}
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(auditorSecret))
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + tok
	}
	for _, tc := range []struct {
		name, method, path, auth, ct string
		body                         []byte
		want                         int
	}{
		{"no token", "GET", "/api/v1/cases", "", "", nil, 401},
		{"expired token", "GET", "/api/v1/cases", old, "", nil, 401},
		{"wrong secret", "GET", "/api/v1/cases", forged, "", nil, 401},
		{"auditor reads", "GET", "/api/v1/cases", w.auditor(t), "", nil, 200},
		{"the scheme in lower case (RFC 7235)", "GET", "/api/v1/cases", "bearer " + strings.TrimPrefix(w.auditor(t), "Bearer "), "", nil, 200},
		{"the scheme in capitals", "GET", "/api/v1/cases", "BEARER " + strings.TrimPrefix(w.auditor(t), "Bearer "), "", nil, 200},
		{"another scheme", "GET", "/api/v1/cases", "Basic " + strings.TrimPrefix(w.auditor(t), "Bearer "), "", nil, 401},
		{"not valid before an hour from now (nbf)", "GET", "/api/v1/cases", withClaims(jwt.MapClaims{"nbf": time.Now().Add(time.Hour).Unix()}), "", nil, 401},
		{"valid since a minute ago (nbf)", "GET", "/api/v1/cases", withClaims(jwt.MapClaims{"nbf": time.Now().Add(-time.Minute).Unix()}), "", nil, 200},
		{"nbf not a number", "GET", "/api/v1/cases", withClaims(jwt.MapClaims{"nbf": "soon"}), "", nil, 401},
		{"expired by exp", "GET", "/api/v1/cases", withClaims(jwt.MapClaims{"exp": time.Now().Add(-time.Hour).Unix()}), "", nil, 401},
		{"registrar reads", "GET", "/api/v1/cases", w.registrar(t), "", nil, 200},
		{"auditor cannot write", "POST", "/api/v1/decisions", w.auditor(t), "application/json", body, 403},
		{"auditor cannot confirm", "POST", "/api/v1/confirmations", w.auditor(t), "message/rfc822", []byte("x"), 403},
		{"the spec needs a token", "GET", "/api/v1/openapi.yaml", "", "", nil, 401},
		{"the spec", "GET", "/api/v1/openapi.yaml", w.auditor(t), "", nil, 200},
		{"health needs none", "GET", "/healthz", "", "", nil, 200},
		{"unknown case", "GET", "/api/v1/cases/nope", w.auditor(t), "", nil, 404},
		{"auditor cannot ask to publish again", "POST", "/api/v1/cases/nope/publication", w.auditor(t), "", nil, 403},
		{"publish again with no publicatiebank configured", "POST", "/api/v1/cases/nope/publication", w.registrar(t), "", nil, 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, p := w.do(t, tc.method, tc.path, tc.auth, tc.ct, tc.body)
			if status != tc.want {
				t.Fatalf("%d, want %d (%v)", status, tc.want, p)
			}
			if status >= 400 && hdr.Get("Content-Type") != "application/problem+json" {
				t.Errorf("error without problem+json: %s", hdr.Get("Content-Type"))
			}
		})
	}
}

// inDays is the day n days from today in Amsterdam.
func inDays(n int) string {
	return time.Now().In(objection.Amsterdam).AddDate(0, 0, n).Format(time.DateOnly)
}

func TestAPIInvalidInput(t *testing.T) {
	w := newWorld(t)
	many := `{"reference":"R","title":"T","decidedOn":"2025-05-13","accounts":[` +
		strings.TrimSuffix(strings.Repeat(`{"platform":"facebook","name":"N","email":"a@b.nl"},`, 10000), ",") + `]}`
	for _, tc := range []struct {
		name, ct, body string
		want           int
		param          string
	}{
		{"missing fields", "application/json", `{"reference":"R"}`, 400, "title"},
		{"bad date", "application/json", `{"reference":"R","title":"T","decidedOn":"13-05-2025","accounts":[{"platform":"facebook","name":"N","email":"a@b.nl"}]}`, 400, "decidedOn"},
		{"deadline before decision", "application/json", `{"reference":"R","title":"T","decidedOn":"2025-05-13","deadline":"2025-05-01","accounts":[{"platform":"facebook","name":"N","email":"a@b.nl"}]}`, 400, "deadline"},
		{"decided in the future", "application/json", `{"reference":"R","title":"T","decidedOn":"` + inDays(2) + `","accounts":[{"platform":"facebook","name":"N","email":"a@b.nl"}]}`, 400, "decidedOn"},
		{"a deadline already past, not said on purpose", "application/json", `{"reference":"R","title":"T","decidedOn":"` + inDays(-20) + `","deadline":"` + inDays(-1) + `","accounts":[{"platform":"facebook","name":"N","email":"a@b.nl"}]}`, 400, "deadline"},
		{"unknown platform", "application/json", `{"reference":"R","title":"T","decidedOn":"2025-05-13","accounts":[{"platform":"tiktok","name":"N","email":"a@b.nl"}]}`, 400, "accounts[0].platform"},
		{"bad e-mail", "application/json", `{"reference":"R","title":"T","decidedOn":"2025-05-13","accounts":[{"platform":"facebook","name":"N","email":"nope"}]}`, 400, "accounts[0].email"},
		{"10,000 accounts", "application/json", many, 400, "accounts"},
		{"unknown field", "application/json", `{"reference":"R","colour":"red"}`, 400, "colour"},
		{"not JSON", "application/json", `{"reference":`, 400, ""},
		{"wrong content type", "text/plain", `hello`, 415, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var status int
			var p map[string]any
			w.spec.ExpectInvalidRequests(func() {
				status, _, p = w.do(t, "POST", "/api/v1/decisions", w.registrar(t), tc.ct, []byte(tc.body))
			})
			if status != tc.want {
				t.Fatalf("%d, want %d: %v", status, tc.want, p)
			}
			if tc.param != "" && !strings.Contains(fmt.Sprint(p["invalidParams"]), "name:"+tc.param+" ") {
				t.Errorf("invalidParams %v do not name %s", p["invalidParams"], tc.param)
			}
		})
	}
	status, _, _ := w.do(t, "GET", "/api/v1/cases", w.auditor(t), "", nil)
	if status != 200 {
		t.Fatal(status)
	}
	if _, n, _ := w.app.engine.Cases(context.Background(), objection.CaseFilter{}, objection.Page{}); n != 0 {
		t.Errorf("%d cases created by invalid input", n)
	}
}

func TestAPIRefusedAndUnmatchedMail(t *testing.T) {
	w := newWorld(t)
	status, _, c := w.do(t, "POST", "/api/v1/decisions", w.registrar(t), "application/json", decisionJSON("B&W-refuse", "facebook"))
	if status != 202 {
		t.Fatal(status)
	}
	id := c["id"].(string)
	good := w.mail(t, "facebook", "Gemeente Voorbeeldstad facebook", "facebook@voorbeeldstad.nl", false, meta.KindHonoured)
	altered := bytes.Replace(good, []byte("honour your objection."), []byte("honour your objection!"), 1)
	status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", altered)
	if status != 422 || p["confirmation"].(map[string]any)["state"] != "quarantined" {
		t.Fatalf("altered mail: %d %v", status, p)
	}
	status, _, p = w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822",
		w.mail(t, "instagram", "Iemand", "iemand@elders.nl", false, meta.KindHonoured))
	if status != 422 || !strings.Contains(p["detail"].(string), "no open case has an account at the signed recipient iemand@elders.nl") {
		t.Fatalf("unmatched mail: %d %v", status, p)
	}
	big := bytes.Repeat([]byte("x"), 26<<20)
	status, _, _ = w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822", big)
	if status != 413 {
		t.Fatalf("26 MiB upload: %d", status)
	}
	status, _, p = w.do(t, "POST", "/api/v1/confirmations", w.registrar(t), "message/rfc822", good)
	if status != 202 || p["caseId"] != id {
		t.Fatalf("matched without a case id: %d %v", status, p)
	}
	w.waitState(t, id, objection.StateClosed)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
