package catalogi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// A catalogue built through the Catalogi API: concepts change freely, publishing fixes them
// (only an eindeGeldigheid may still be set), a zaaktype is published only after the types it
// relates to, resultaattypen are checked against the Selectielijst, and a zaak can then be
// created on the published zaaktype with a document of a type allowed through a
// zaaktype-informatieobjecttype. The catalogue is written by a beheerder with catalogi.schrijven;
// a client with catalogi.geforceerd-schrijven (and -verwijderen) may change and delete
// published types all the same, as in Open Zaak.
func TestCatalogiWrites(t *testing.T) {
	env := sandboxtest.Start(t)
	admin := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, d := sandboxtest.Send(t, "POST", env.URL+"/autorisaties/api/v1/applicaties", admin,
		`{"clientIds":["beheerder"],"label":"Beheerder","autorisaties":[{"component":"ztc","scopes":["catalogi.lezen","catalogi.schrijven"]}]}`, nil); status != http.StatusCreated {
		t.Fatalf("applicatie: %d %v", status, d)
	}
	auth := sandboxtest.Token(t, "beheerder", sandboxtest.Secret, time.Now())
	root := env.URL + "/catalogi/api/v1/"
	sl := env.URL + "/selectielijst/api/v1/"
	call := func(method, url, body string) (int, map[string]any) {
		t.Helper()
		return sandboxtest.Send(t, method, url, auth, body, nil)
	}
	create := func(collection, body string) string {
		t.Helper()
		status, d := call("POST", root+collection, body)
		if status != http.StatusCreated {
			t.Fatalf("POST %s: %d %v", collection, status, d)
		}
		return d["url"].(string)
	}
	refused := func(method, url, body, field, code string) {
		t.Helper()
		status, d := call(method, url, body)
		if status != http.StatusBadRequest || !sandboxtest.HasParam(d, field, code) {
			t.Errorf("%s %s %s: %d %v, want 400 %s %s", method, url, body, status, d, field, code)
		}
	}

	cat := create("catalogussen", `{"domein":"TST","rsin":"002220647","contactpersoonBeheerNaam":"Beheer"}`)
	refused("POST", root+"catalogussen", `{"domein":"TST","rsin":"002220647","contactpersoonBeheerNaam":"Beheer"}`, "nonFieldErrors", "unique")
	iot := create("informatieobjecttypen", fmt.Sprintf(`{"catalogus":%q,"omschrijving":"Brief","vertrouwelijkheidaanduiding":"openbaar","beginGeldigheid":"2025-01-01","informatieobjectcategorie":"Correspondentie"}`, cat))
	bt := create("besluittypen", fmt.Sprintf(`{"catalogus":%q,"omschrijving":"Besluit","publicatieIndicatie":false,"informatieobjecttypen":[%q],"beginGeldigheid":"2025-01-01"}`, cat, iot))
	// besluittypen by omschrijving, as Catalogi 1.3 writes relations.
	ztBody := func(ident, besluittypen string) string {
		return fmt.Sprintf(`{"identificatie":%q,"omschrijving":"Test","vertrouwelijkheidaanduiding":"openbaar","doel":"d","aanleiding":"a",
			"indicatieInternOfExtern":"intern","handelingInitiator":"indienen","onderwerp":"o","handelingBehandelaar":"behandelen",
			"doorlooptijd":"P10D","opschortingEnAanhoudingMogelijk":false,"verlengingMogelijk":false,"publicatieIndicatie":false,
			"productenOfDiensten":[],"referentieproces":{"naam":"r"},"verantwoordelijke":"X","catalogus":%q,"besluittypen":[%s],
			"deelzaaktypen":[],"gerelateerdeZaaktypen":[],"selectielijstProcestype":%q,"beginGeldigheid":"2025-01-01","versiedatum":"2025-01-01"}`,
			ident, cat, besluittypen, sl+"procestypen/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a01")
	}
	zt := create("zaaktypen", ztBody("TEST-1", `"Besluit"`))
	st1 := create("statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Begin","volgnummer":1}`, zt))
	st2 := create("statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Eind","volgnummer":2}`, zt))
	refused("POST", root+"statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Nog een","volgnummer":2}`, zt), "nonFieldErrors", "unique")
	rtBody := func(afleidingswijze, datumkenmerk string) string {
		return fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Klaar","resultaattypeomschrijving":%q,"selectielijstklasse":%q,
			"brondatumArchiefprocedure":{"afleidingswijze":%q,"datumkenmerk":%q,"einddatumBekend":false,"objecttype":"","registratie":"","procestermijn":null},"besluittypen":[]}`,
			zt, sl+"resultaattypeomschrijvingen/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a21", sl+"resultaten/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a11", afleidingswijze, datumkenmerk)
	}
	refused("POST", root+"resultaattypen", rtBody("termijn", ""), "brondatumArchiefprocedure.procestermijn", "required")
	refused("POST", root+"resultaattypen", rtBody("afgehandeld", "einddatum"), "brondatumArchiefprocedure.datumkenmerk", "must-be-empty")
	refused("POST", root+"resultaattypen", rtBody("hoofdzaak", ""), "nonFieldErrors", "invalid-afleidingswijze-for-procestermijn")
	rt := create("resultaattypen", rtBody("afgehandeld", ""))
	if _, d := call("GET", rt, ""); d["archiefnominatie"] != "blijvend_bewaren" || d["omschrijvingGeneriek"] != "Afgehandeld" {
		t.Errorf("resultaattype: archiefnominatie and omschrijvingGeneriek not taken from the selectielijst: %v", d)
	}
	create("roltypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Behandelaar","omschrijvingGeneriek":"behandelaar"}`, zt))
	create("zaaktype-informatieobjecttypen", fmt.Sprintf(`{"zaaktype":%q,"informatieobjecttype":"Brief","volgnummer":1,"richting":"inkomend"}`, zt))

	_, view := call("GET", zt, "")
	if len(view["statustypen"].([]any)) != 2 || fmt.Sprint(view["informatieobjecttypen"]) != fmt.Sprint([]any{iot}) || view["concept"] != true {
		t.Errorf("zaaktype's derived fields: %v", view)
	}
	if _, d := call("GET", st2, ""); d["isEindstatus"] != true {
		t.Errorf("the highest volgnummer is not the eindstatus: %v", d)
	}
	if _, d := call("GET", st1, ""); d["isEindstatus"] != false {
		t.Errorf("the first statustype is an eindstatus: %v", d)
	}

	// Publishing: the zaaktype waits for its besluittype and informatieobjecttype.
	if status, d := sandboxtest.Send(t, "POST", zt+"/publish", auth, "", map[string]string{"Content-Type": "application/json"}); status != http.StatusBadRequest || !sandboxtest.HasParam(d, "nonFieldErrors", "concept-relation") {
		t.Errorf("publishing before its besluittype: %d %v", status, d)
	}
	for _, u := range []string{iot, bt, zt} {
		if status, d := sandboxtest.Send(t, "POST", u+"/publish", auth, "", map[string]string{"Content-Type": "application/json"}); status != http.StatusOK || d["concept"] != false {
			t.Fatalf("publish %s: %d %v", u, status, d)
		}
	}
	refused("PATCH", zt, `{"omschrijving":"Anders"}`, "nonFieldErrors", "non-concept-object")
	if status, d := call("PATCH", zt, `{"eindeGeldigheid":"2030-12-31"}`); status != http.StatusOK || d["eindeGeldigheid"] != "2030-12-31" {
		t.Errorf("ending a published zaaktype: %d %v", status, d)
	}
	refused("POST", root+"statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Later","volgnummer":3}`, zt), "nonFieldErrors", "non-concept-zaaktype")
	refused("DELETE", zt, "", "nonFieldErrors", "non-concept-object")
	refused("DELETE", st1, "", "nonFieldErrors", "non-concept-zaaktype")
	// Forced: the sandbox's own client holds catalogi.geforceerd-schrijven and -verwijderen.
	if status, d := sandboxtest.Send(t, "PATCH", zt, admin, `{"toelichting":"Geforceerd bijgewerkt"}`, nil); status != http.StatusOK || d["toelichting"] != "Geforceerd bijgewerkt" {
		t.Errorf("a forced change of a published zaaktype: %d %v", status, d)
	}
	if status, d := sandboxtest.Send(t, "DELETE", st1, admin, "", nil); status != http.StatusNoContent {
		t.Errorf("a forced delete of a published zaaktype's statustype: %d %v", status, d)
	}

	// A concept is deleted with its own types; a concept tied to a published besluittype is not
	// created at all.
	refused("POST", root+"zaaktypen", ztBody("TEST-2", fmt.Sprintf("%q", bt)), "nonFieldErrors", "non-concept-relation")
	zt2 := create("zaaktypen", ztBody("TEST-3", ""))
	st3 := create("statustypen", fmt.Sprintf(`{"zaaktype":%q,"omschrijving":"Begin","volgnummer":1}`, zt2))
	if status, d := call("DELETE", zt2, ""); status != http.StatusNoContent {
		t.Fatalf("delete a concept: %d %v", status, d)
	}
	if status, _ := call("GET", st3, ""); status != http.StatusNotFound {
		t.Errorf("the deleted zaaktype's statustype: %d, want 404", status)
	}

	// A besluittype that names its zaaktypen (read-only in Catalogi 1.3, written by Catalogi 1.0
	// clients; here by identificatie) sets the relation on those zaaktypen.
	zt4 := create("zaaktypen", ztBody("TEST-4", ""))
	var bt2 string
	if n := env.Spec.ExpectInvalidRequests(func() {
		bt2 = create("besluittypen", fmt.Sprintf(`{"catalogus":%q,"omschrijving":"Ander besluit","publicatieIndicatie":false,"informatieobjecttypen":[],"zaaktypen":["TEST-4"],"beginGeldigheid":"2025-01-01"}`, cat))
	}); n != 1 {
		t.Errorf("a besluittype with zaaktypen broke the spec %d times, want 1 (zaaktypen is read-only)", n)
	}
	if _, d := call("GET", zt4, ""); fmt.Sprint(d["besluittypen"]) != fmt.Sprint([]any{bt2}) {
		t.Errorf("zaaktype named by a besluittype: besluittypen %v, want [%s]", d["besluittypen"], bt2)
	}

	// The published zaaktype takes a zaak, and a document of the type its
	// zaaktype-informatieobjecttype names.
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	auth = admin
	status, zaak := sandboxtest.Send(t, "POST", env.URL+"/zaken/api/v1/zaken", auth, fmt.Sprintf(`{"bronorganisatie":"002220647","verantwoordelijkeOrganisatie":"002220647","zaaktype":%q,"startdatum":"2025-06-01"}`, zt), crs)
	if status != http.StatusCreated {
		t.Fatalf("zaak: %d %v", status, zaak)
	}
	status, eio := call("POST", env.URL+"/documenten/api/v1/enkelvoudiginformatieobjecten", fmt.Sprintf(`{"bronorganisatie":"002220647","creatiedatum":"2025-06-01","titel":"t","auteur":"a","taal":"nld","informatieobjecttype":%q,"inhoud":"aGFsbG8=","bestandsomvang":5,"bestandsnaam":"b.txt","formaat":"text/plain"}`, iot))
	if status != http.StatusCreated {
		t.Fatalf("document: %d %v", status, eio)
	}
	if status, d := call("POST", env.URL+"/zaken/api/v1/zaakinformatieobjecten", fmt.Sprintf(`{"zaak":%q,"informatieobject":%q}`, zaak["url"], eio["url"])); status != http.StatusCreated {
		t.Errorf("zaakinformatieobject: %d %v", status, d)
	}
}
