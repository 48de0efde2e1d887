package sandbox_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// Any client signed with the sandbox's secret is authenticated; what it may do is its
// applicatie's: nothing without one, what its scopes allow, everything with
// heeftAlleAutorisaties.
func TestAutorisaties(t *testing.T) {
	env := sandboxtest.Start(t)
	admin := token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	apps := env.URL + "/autorisaties/api/v1/applicaties"
	if status, body := send(t, "POST", apps, admin, `{"clientIds":["beperkt"],"label":"Alleen lezen","autorisaties":[{"component":"zrc","scopes":["zaken.lezen"],"zaaktype":"","maxVertrouwelijkheidaanduiding":"geheim"}]}`, nil); status != http.StatusCreated {
		t.Fatalf("applicatie: %d %v", status, body)
	}
	if status, body := send(t, "POST", apps, admin, `{"clientIds":["alles"],"label":"Alles","heeftAlleAutorisaties":true}`, nil); status != http.StatusCreated {
		t.Fatalf("applicatie: %d %v", status, body)
	}
	if status, body := send(t, "POST", apps, admin, `{"clientIds":["beperkt"],"label":"Nog eens","heeftAlleAutorisaties":true}`, nil); status != http.StatusBadRequest || !hasParam(body, "clientIds", "clientId-exists") {
		t.Errorf("a client id twice: %d %v", status, body)
	}
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	zaken := env.URL + "/zaken/api/v1/zaken"
	for _, tc := range []struct {
		client, method string
		want           int
	}{
		{"beperkt", "GET", http.StatusOK},
		{"beperkt", "POST", http.StatusForbidden},
		{"onbekend", "GET", http.StatusForbidden},
		{"alles", "GET", http.StatusOK},
	} {
		body := ""
		if tc.method == "POST" {
			body = `{}` // an empty zaak: refused for the scope before it is even read
		}
		var status int
		var problem map[string]any
		env.Spec.ExpectInvalidRequests(func() {
			status, problem = send(t, tc.method, zaken, token(t, tc.client, sandboxtest.Secret, time.Now()), body, crs)
		})
		if status != tc.want || (tc.want == http.StatusForbidden && problem["code"] != "permission_denied") {
			t.Errorf("%s %s: %d %v, want %d", tc.client, tc.method, status, problem, tc.want)
		}
	}
}
