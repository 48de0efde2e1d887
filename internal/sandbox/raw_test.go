package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func TestAuthentication(t *testing.T) {
	env := sandboxtest.Start(t)
	url := env.URL + "/catalogi/api/v1/catalogussen"
	now := time.Now()
	for _, tc := range []struct {
		name string
		tok  string
		want int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"valid", sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, now), http.StatusOK},
		{"wrong secret", sandboxtest.Token(t, sandboxtest.ClientID, "another-secret-another-secret-xx", now), http.StatusForbidden},
		{"unknown client", sandboxtest.Token(t, "someone-else", sandboxtest.Secret, now), http.StatusForbidden},
		{"iat too old", sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, now.Add(-2*time.Hour)), http.StatusForbidden},
		{"iat in the future", sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, now.Add(time.Hour)), http.StatusForbidden},
		{"not a JWT", "abc.def.ghi", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := sandboxtest.Send(t, http.MethodGet, url, tc.tok, "", nil)
			if status != tc.want {
				t.Fatalf("status %d, want %d (%v)", status, tc.want, body)
			}
			if tc.want != http.StatusOK && body["status"] != float64(tc.want) {
				t.Errorf("no problem+json body: %v", body)
			}
		})
	}
}

func TestZaakEndpointsNeedCrs(t *testing.T) {
	env := sandboxtest.Start(t)
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	var status int
	env.Spec.ExpectInvalidRequests(func() {
		status, _ = sandboxtest.Send(t, http.MethodGet, env.URL+"/zaken/api/v1/zaken", tok, "", nil)
	})
	if status != http.StatusPreconditionFailed {
		t.Fatalf("GET /zaken without Accept-Crs: %d, want 412", status)
	}
}

func TestMissingRequiredFields(t *testing.T) {
	env := sandboxtest.Start(t)
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	var status int
	var body map[string]any
	flagged := env.Spec.ExpectInvalidRequests(func() {
		status, body = sandboxtest.Send(t, http.MethodPost, env.URL+"/zaken/api/v1/zaken", tok, `{"bronorganisatie":"002220647"}`, crs)
	})
	if status != http.StatusBadRequest || flagged != 1 {
		t.Fatalf("status %d, flagged %d", status, flagged)
	}
	names := map[string]string{}
	for _, p := range body["invalidParams"].([]any) {
		pm := p.(map[string]any)
		names[pm["name"].(string)] = pm["code"].(string)
	}
	for _, f := range []string{"verantwoordelijkeOrganisatie", "zaaktype", "startdatum"} {
		if names[f] != "required" {
			t.Errorf("invalidParams %v lack %s: required", names, f)
		}
	}
	flagged = env.Spec.ExpectInvalidRequests(func() {
		status, body = sandboxtest.Send(t, http.MethodPost, env.URL+"/zaken/api/v1/zaken", tok, `{not json`, crs)
	})
	if status != http.StatusBadRequest || flagged != 1 {
		t.Fatalf("malformed JSON: %d %v (flagged by the validator: %d)", status, body, flagged)
	}
}

// TestPersistsAcrossRestart reopens the sandbox on the same data directory.
func TestPersistsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	first := sandboxtest.Start(t, func(c *sandbox.Config) { c.DataDir = dir })
	ctx := context.Background()
	cat, err := first.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := first.Client.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	first.Sandbox.Close()

	second := sandboxtest.Start(t, func(c *sandbox.Config) { c.DataDir = dir })
	var found []zgw.Zaak
	for z, err := range second.Client.Zaken.ListZaken(ctx, zgw.ZaakFilter{Identificatie: zaak.Identificatie}) {
		if err != nil {
			t.Fatal(err)
		}
		found = append(found, z)
	}
	if len(found) != 1 || !strings.HasPrefix(found[0].URL, second.URL) {
		t.Fatalf("after restart: %+v (want one zaak at the new address %s)", found, second.URL)
	}
	// The catalogue is not seeded twice.
	cats, err := second.Client.Catalogi.ListInformatieObjectTypen(ctx, strings.Replace(cat.ZaakType.Catalogus, first.URL, second.URL, 1))
	if err != nil || len(cats) != 5 {
		t.Fatalf("informatieobjecttypen after restart: %d, %v", len(cats), err)
	}
}

func TestSetsInitialStatusWhenConfigured(t *testing.T) {
	for _, sets := range []bool{false, true} {
		env := sandboxtest.Start(t, func(c *sandbox.Config) { c.SetsInitialStatus = sets })
		ctx := context.Background()
		cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
		if err != nil {
			t.Fatal(err)
		}
		zaak, err := env.Client.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat))
		if err != nil {
			t.Fatal(err)
		}
		if (zaak.Status != nil) != sets {
			t.Errorf("SetsInitialStatus=%v: zaak.status = %v", sets, zaak.Status)
		}
		st, err := env.Client.Zaken.ListStatussen(ctx, zaak.URL)
		if err != nil || (len(st) == 1) != sets {
			t.Errorf("SetsInitialStatus=%v: %d statussen, %v", sets, len(st), err)
		}
	}
}

func TestPaginationAndDateResolution(t *testing.T) {
	env := sandboxtest.Start(t, func(c *sandbox.Config) { c.PageSize = 2 })
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for range 5 {
		z, err := env.Client.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat))
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, z.URL)
	}
	var listed []string
	for z, err := range env.Client.Zaken.ListZaken(ctx, zgw.ZaakFilter{ZaakType: cat.ZaakType.URL}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, z.URL)
	}
	if strings.Join(listed, ",") != strings.Join(urls, ",") {
		t.Errorf("listed over 3 pages: %v, want %v", listed, urls)
	}
	old, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2024-06-01")
	if err != nil {
		t.Fatal(err)
	}
	if old.ZaakType.URL == cat.ZaakType.URL || old.ZaakType.BeginGeldigheid != "2024-01-01" {
		t.Errorf("2024 resolved to %s (%s), want the 2024 version", old.ZaakType.URL, old.ZaakType.BeginGeldigheid)
	}
	if _, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2023-01-01"); err == nil {
		t.Error("a date before every version resolved")
	}
}
