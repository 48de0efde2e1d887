package zaken_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// A zaaktype with an eigenschap whose resultaattype derives the archive date from it: the zaak
// takes a zaakeigenschap (only of its own zaaktype's eigenschappen), a zaakobject and a
// klantcontact, and closing derives the archiefactiedatum from the eigenschap's date. Deleting
// the zaak takes its parts with it.
func TestZaakobjectenKlantcontactenEigenschappen(t *testing.T) {
	env := sandboxtest.Start(t)
	auth := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	call := func(method, url, body string) (int, map[string]any) {
		t.Helper()
		return sandboxtest.Send(t, method, url, auth, body, crs)
	}
	post := func(url, body string) map[string]any {
		t.Helper()
		status, d := call("POST", url, body)
		if status != http.StatusCreated {
			t.Fatalf("POST %s %s: %d %v", url, body, status, d)
		}
		return d
	}
	ztc, sl := env.URL+"/catalogi/api/v1/", env.URL+"/selectielijst/api/v1/"
	cat := post(ztc+"catalogussen", `{"domein":"EIG","rsin":"002220647","contactpersoonBeheerNaam":"Beheer"}`)["url"]
	zaaktype := func(ident string) string {
		return post(ztc+"zaaktypen", fmt.Sprintf(`{"identificatie":%q,"omschrijving":"Test","vertrouwelijkheidaanduiding":"openbaar","doel":"d","aanleiding":"a",
			"indicatieInternOfExtern":"intern","handelingInitiator":"indienen","onderwerp":"o","handelingBehandelaar":"behandelen",
			"doorlooptijd":"P10D","opschortingEnAanhoudingMogelijk":false,"verlengingMogelijk":false,"publicatieIndicatie":false,
			"productenOfDiensten":[],"referentieproces":{"naam":"r"},"verantwoordelijke":"X","catalogus":%q,"besluittypen":[],
			"deelzaaktypen":[],"gerelateerdeZaaktypen":[],"selectielijstProcestype":%q,"beginGeldigheid":"2025-01-01","versiedatum":"2025-01-01"}`,
			ident, cat, sl+"procestypen/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a01"))["url"].(string)
	}
	eigenschap := func(zt string) string {
		return post(ztc+"eigenschappen", fmt.Sprintf(`{"naam":"vervaldatum","definitie":"d","zaaktype":%q,
			"specificatie":{"formaat":"datum","lengte":"10","kardinaliteit":"1","waardenverzameling":[]}}`, zt))["url"].(string)
	}
	zt, other := zaaktype("EIG-1"), zaaktype("EIG-2")
	own, foreign := eigenschap(zt), eigenschap(other)
	post(ztc+"statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Begin","volgnummer":1}`, zt))
	eind := post(ztc+"statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Eind","volgnummer":2}`, zt))["url"]
	rt := post(ztc+"resultaattypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Vervallen","resultaattypeomschrijving":%q,
		"selectielijstklasse":%q,"archiefnominatie":"vernietigen","archiefactietermijn":"P5Y","besluittypen":[],
		"brondatumArchiefprocedure":{"afleidingswijze":"eigenschap","datumkenmerk":"vervaldatum","einddatumBekend":false,"objecttype":"","registratie":"","procestermijn":null}}`,
		zt, sl+"resultaattypeomschrijvingen/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a21", sl+"resultaten/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a12"))["url"]
	if status, d := sandboxtest.Send(t, "POST", zt+"/publish", auth, "", map[string]string{"Content-Type": "application/json"}); status != http.StatusOK {
		t.Fatalf("publish: %d %v", status, d)
	}

	zaak := post(env.URL+"/zaken/api/v1/zaken", fmt.Sprintf(`{"bronorganisatie":"002220647","verantwoordelijkeOrganisatie":"002220647","zaaktype":%q,"startdatum":"2025-05-13"}`, zt))
	zaakURL := zaak["url"].(string)
	if status, d := call("POST", zaakURL+"/zaakeigenschappen", fmt.Sprintf(`{"zaak":%q,"eigenschap":%q,"waarde":"2030-06-01"}`, zaakURL, foreign)); status != http.StatusBadRequest || !sandboxtest.HasParam(d, "nonFieldErrors", "zaaktype-mismatch") {
		t.Errorf("an eigenschap of another zaaktype: %d %v", status, d)
	}
	eig := post(zaakURL+"/zaakeigenschappen", fmt.Sprintf(`{"zaak":%q,"eigenschap":%q,"waarde":"2030-06-01"}`, zaakURL, own))
	if eig["naam"] != "vervaldatum" {
		t.Errorf("zaakeigenschap: %v", eig)
	}
	obj := post(env.URL+"/zaken/api/v1/zaakobjecten", fmt.Sprintf(`{"zaak":%q,"objectType":"pand","objectIdentificatie":{"identificatie":"0363100012345678"}}`, zaakURL))
	if status, d := call("PATCH", obj["url"].(string), `{"relatieomschrijving":"het pand"}`); status != http.StatusOK || d["relatieomschrijving"] != "het pand" {
		t.Errorf("zaakobject PATCH: %d %v", status, d)
	}
	if status, d := call("POST", env.URL+"/zaken/api/v1/zaakobjecten", fmt.Sprintf(`{"zaak":%q,"objectType":"pand"}`, zaakURL)); status != http.StatusBadRequest || !sandboxtest.HasParam(d, "nonFieldErrors", "invalid-zaakobject") {
		t.Errorf("a zaakobject without object: %d %v", status, d)
	}
	kc := post(env.URL+"/zaken/api/v1/klantcontacten", fmt.Sprintf(`{"zaak":%q,"datumtijd":"2025-05-14T10:00:00Z"}`, zaakURL))
	if id, _ := kc["identificatie"].(string); len(id) == 0 || len(id) > 14 {
		t.Errorf("klantcontact identificatie %q", id)
	}

	post(env.URL+"/zaken/api/v1/resultaten", fmt.Sprintf(`{"zaak":%q,"resultaattype":%q}`, zaakURL, rt))
	post(env.URL+"/zaken/api/v1/statussen", fmt.Sprintf(`{"zaak":%q,"statustype":%q,"datumStatusGezet":%q}`, zaakURL, eind, time.Now().UTC().Add(-time.Second).Format(time.RFC3339)))
	_, closed := call("GET", zaakURL, "")
	if closed["archiefactiedatum"] != "2035-06-01" || closed["archiefnominatie"] != "vernietigen" {
		t.Errorf("archive derived from the eigenschap: %v %v, want 2035-06-01 vernietigen", closed["archiefactiedatum"], closed["archiefnominatie"])
	}
	if list, _ := closed["eigenschappen"].([]any); len(list) != 1 {
		t.Errorf("the zaak's eigenschappen: %v", closed["eigenschappen"])
	}

	if status, d := call("DELETE", zaakURL, ""); status != http.StatusNoContent {
		t.Fatalf("delete zaak: %d %v", status, d)
	}
	for _, u := range []string{eig["url"].(string), obj["url"].(string), kc["url"].(string)} {
		if status, _ := call("GET", u, ""); status != http.StatusNotFound {
			t.Errorf("%s outlived its zaak: %d", u, status)
		}
	}
}
