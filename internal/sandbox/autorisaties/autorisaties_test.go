package autorisaties_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Any client signed with the sandbox's secret is authenticated; what it may do is its
// applicatie's: nothing without one, what its scopes allow — for zaken only of its zaaktype and
// up to its maxVertrouwelijkheidaanduiding — everything with heeftAlleAutorisaties. A closed
// zaak changes only with zaken.geforceerd-bijwerken, and reopens only with zaken.heropenen.
func TestAutorisaties(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zt := cat.ZaakType.URL
	admin := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	apps := env.URL + "/autorisaties/api/v1/applicaties"
	register := func(body string) {
		t.Helper()
		if status, d := sandboxtest.Send(t, "POST", apps, admin, body, nil); status != http.StatusCreated {
			t.Fatalf("applicatie %s: %d %v", body, status, d)
		}
	}
	zrc := func(client, scopes, max string) string {
		return fmt.Sprintf(`{"clientIds":[%q],"label":%q,"autorisaties":[{"component":"zrc","scopes":[%s],"zaaktype":%q,"maxVertrouwelijkheidaanduiding":%q}]}`,
			client, client, scopes, zt, max)
	}
	register(zrc("lezer", `"zaken.lezen"`, "openbaar"))
	register(zrc("schrijver", `"zaken.lezen","zaken.aanmaken","zaken.bijwerken"`, "geheim"))
	register(zrc("forceerder", `"zaken.lezen","zaken.bijwerken","zaken.statussen.toevoegen","zaken.geforceerd-bijwerken"`, "geheim"))
	register(`{"clientIds":["alles"],"label":"Alles","heeftAlleAutorisaties":true}`)

	// The Autorisaties API's own rules.
	for _, tc := range []struct{ body, field, code string }{
		{`{"clientIds":["lezer"],"label":"Nog eens","heeftAlleAutorisaties":true}`, "clientIds", "clientId-exists"},
		{`{"clientIds":["x1"],"label":"x","heeftAlleAutorisaties":true,"autorisaties":[{"component":"ztc","scopes":["catalogi.lezen"]}]}`, "nonFieldErrors", "ambiguous-authorizations-specified"},
		{`{"clientIds":["x2"],"label":"x","autorisaties":[{"component":"zrc","scopes":["zaken.lezen"],"zaaktype":"","maxVertrouwelijkheidaanduiding":""}]}`, "autorisaties.0.zaaktype", "required"},
		{`{"clientIds":["x3"],"label":"x","autorisaties":[{"component":"drc","scopes":["documenten.lezen"],"informatieobjecttype":"","maxVertrouwelijkheidaanduiding":""}]}`, "autorisaties.0.maxVertrouwelijkheidaanduiding", "required"},
	} {
		if status, d := sandboxtest.Send(t, "POST", apps, admin, tc.body, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(d, tc.field, tc.code) {
			t.Errorf("%s: %d %v, want %s %s", tc.body, status, d, tc.field, tc.code)
		}
	}

	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	as := func(client, method, url, body string) (int, map[string]any) {
		t.Helper()
		var status int
		var d map[string]any
		env.Spec.ExpectInvalidRequests(func() {
			status, d = sandboxtest.Send(t, method, url, sandboxtest.Token(t, client, sandboxtest.Secret, time.Now()), body, crs)
		})
		return status, d
	}
	zaakBody := func(vertrouwelijkheid string) string {
		return fmt.Sprintf(`{"bronorganisatie":%q,"verantwoordelijkeOrganisatie":%q,"zaaktype":%q,"startdatum":"2025-05-13","vertrouwelijkheidaanduiding":%q}`,
			sandboxtest.RSIN, sandboxtest.RSIN, zt, vertrouwelijkheid)
	}
	zaken := env.URL + "/zaken/api/v1/zaken"
	status, open := as("schrijver", "POST", zaken, zaakBody("openbaar"))
	if status != http.StatusCreated {
		t.Fatalf("schrijver creates a zaak: %d %v", status, open)
	}
	if status, secret := as("schrijver", "POST", zaken, zaakBody("geheim")); status != http.StatusCreated {
		t.Fatalf("schrijver creates a geheime zaak: %d %v", status, secret)
	}
	for _, tc := range []struct {
		client, method, url, body string
		want                      int
	}{
		{"lezer", "POST", zaken, zaakBody("openbaar"), http.StatusForbidden},           // no zaken.aanmaken
		{"schrijver", "POST", zaken, zaakBody("zeer_geheim"), http.StatusForbidden},    // above its maximum
		{"onbekend", "GET", zaken, "", http.StatusForbidden},                           // no applicatie
		{"lezer", "GET", open["url"].(string), "", http.StatusOK},                      // its zaaktype, openbaar
		{"alles", "PATCH", open["url"].(string), `{"toelichting":"x"}`, http.StatusOK}, // heeftAlleAutorisaties
		{"lezer", "PATCH", open["url"].(string), `{"toelichting":"y"}`, http.StatusForbidden},
	} {
		if status, d := as(tc.client, tc.method, tc.url, tc.body); status != tc.want || (status == http.StatusForbidden && d["code"] != "permission_denied") {
			t.Errorf("%s %s %s: %d %v, want %d", tc.client, tc.method, tc.url, status, d, tc.want)
		}
	}
	if status, list := as("lezer", "GET", zaken, ""); status != http.StatusOK || list["count"] != 1.0 {
		t.Errorf("lezer sees %v zaken (the geheime one too?), want 1", list["count"])
	}

	// Documents and besluiten are narrowed the same way, by informatieobjecttype and besluittype.
	letter := cat.InformatieObjectTypen[sandbox.IOTypeLetter].URL
	register(fmt.Sprintf(`{"clientIds":["doclezer"],"label":"doclezer","autorisaties":[{"component":"drc","scopes":["documenten.lezen"],"informatieobjecttype":%q,"maxVertrouwelijkheidaanduiding":"openbaar"},{"component":"brc","scopes":["besluiten.lezen"],"besluittype":"/catalogi/api/v1/besluittypen/elders"}]}`, letter))
	publicDoc := sandboxtest.NewDoc(cat, sandbox.IOTypeLetter, nil)
	publicDoc.Vertrouwelijkheid = "openbaar"
	openDoc, err := env.Client.Documenten.Create(ctx, publicDoc)
	if err != nil {
		t.Fatal(err)
	}
	secretDoc := sandboxtest.NewDoc(cat, sandbox.IOTypeLetter, nil)
	secretDoc.Vertrouwelijkheid = "geheim"
	geheim, err := env.Client.Documenten.Create(ctx, secretDoc)
	if err != nil {
		t.Fatal(err)
	}
	besluit, err := env.Client.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url  string
		want int
	}{{openDoc.URL, http.StatusOK}, {geheim.URL, http.StatusForbidden}, {besluit.URL, http.StatusForbidden}} {
		if status, d := as("doclezer", "GET", tc.url, ""); status != tc.want {
			t.Errorf("doclezer GET %s: %d %v, want %d", tc.url, status, d, tc.want)
		}
	}
	if _, list := as("doclezer", "GET", env.URL+"/documenten/api/v1/enkelvoudiginformatieobjecten", ""); list["count"] != 1.0 {
		t.Errorf("doclezer sees %v documents, want the openbare one", list["count"])
	}

	// Close the open zaak, then try to change it.
	zaak, err := env.Client.Zaken.GetZaak(ctx, open["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	closeZaak(t, env, cat, zaak)
	if status, _ := as("schrijver", "PATCH", zaak.URL, `{"toelichting":"na sluiting"}`); status != http.StatusForbidden {
		t.Errorf("a closed zaak changed without zaken.geforceerd-bijwerken: %d", status)
	}
	if status, d := as("forceerder", "PATCH", zaak.URL, `{"toelichting":"geforceerd"}`); status != http.StatusOK {
		t.Errorf("a closed zaak not changed with zaken.geforceerd-bijwerken: %d %v", status, d)
	}
	reopen := fmt.Sprintf(`{"zaak":%q,"statustype":%q,"datumStatusGezet":%q}`, zaak.URL, cat.FirstStatus().URL, time.Now().UTC().Format(time.RFC3339))
	if status, _ := as("forceerder", "POST", env.URL+"/zaken/api/v1/statussen", reopen); status != http.StatusForbidden {
		t.Errorf("reopened without zaken.heropenen: %d", status)
	}
	if status, d := as("alles", "POST", env.URL+"/zaken/api/v1/statussen", reopen); status != http.StatusCreated {
		t.Fatalf("reopen: %d %v", status, d)
	}
	if _, d := as("alles", "GET", zaak.URL, ""); d["einddatum"] != nil || d["archiefnominatie"] != nil || d["archiefactiedatum"] != nil {
		t.Errorf("a reopened zaak keeps its einddatum or archive fields: %v", d)
	}
}

// closeZaak gives a zaak its resultaat and eindstatus.
func closeZaak(t *testing.T, env *sandboxtest.Env, cat *zgw.Catalogue, zaak *zgw.Zaak) {
	t.Helper()
	ctx := context.Background()
	if _, err := env.Client.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak.URL, ResultaatType: cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.EindStatus().URL,
		DatumStatusGezet: time.Now().UTC().Add(-time.Second).Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
}
