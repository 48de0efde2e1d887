package zaken_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// A zaak can be updated (PUT, PATCH) within the rules of creation, not in its zaaktype; and
// deleted with its statussen, resultaat, rollen, documents' links and audit trail (zrc-023).
func TestZaakUpdateAndDelete(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	c := env.Client
	cat, zaak := sandboxtest.SeededZaak(t, c)
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	status, body := sandboxtest.Send(t, "PATCH", zaak.URL, tok, `{"omschrijving":"Bijgewerkt"}`, crs)
	if status != http.StatusOK || body["omschrijving"] != "Bijgewerkt" || body["identificatie"] != zaak.Identificatie || body["zaaktype"] != cat.ZaakType.URL {
		t.Fatalf("PATCH: %d %v", status, body)
	}
	status, body = sandboxtest.Send(t, "PUT", zaak.URL, tok, `{"bronorganisatie":"`+sandboxtest.RSIN+`","verantwoordelijkeOrganisatie":"`+sandboxtest.RSIN+
		`","zaaktype":"`+cat.ZaakType.URL+`","startdatum":"2025-05-14","toelichting":"Geheel vervangen"}`, crs)
	if status != http.StatusOK || body["startdatum"] != "2025-05-14" || body["toelichting"] != "Geheel vervangen" || body["identificatie"] != zaak.Identificatie {
		t.Fatalf("PUT: %d %v", status, body)
	}
	n := env.Spec.ExpectInvalidRequests(func() {
		if status, body := sandboxtest.Send(t, "PATCH", zaak.URL, tok, `{"startdatum":"gisteren"}`, crs); status != http.StatusBadRequest {
			t.Errorf("an invalid startdatum: %d %v", status, body)
		}
	})
	if n != 1 {
		t.Errorf("%d invalid requests", n)
	}
	if status, body := sandboxtest.Send(t, "PATCH", zaak.URL, tok, `{"zaaktype":"`+env.URL+`/catalogi/api/v1/zaaktypen/00000000-0000-4000-8000-000000000000"}`, crs); status != http.StatusBadRequest {
		t.Errorf("changing the zaaktype: %d %v", status, body)
	}
	trail, err := c.Zaken.AuditTrail(ctx, zaak.URL)
	if err != nil || len(trail) != 3 || trail[1].Actie != "partial_update" || trail[2].Actie != "update" {
		t.Errorf("audit trail: %+v %v", trail, err)
	}

	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.FirstStatus().URL, DatumStatusGezet: sandboxtest.Now()}); err != nil {
		t.Fatal(err)
	}
	if status, body := sandboxtest.Send(t, "DELETE", zaak.URL, tok, "", crs); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %v", status, body)
	}
	if status, _ := sandboxtest.Send(t, "GET", zaak.URL, tok, "", crs); status != http.StatusNotFound {
		t.Errorf("the deleted zaak: %d", status)
	}
	if st, err := c.Zaken.ListStatussen(ctx, zaak.URL); err != nil || len(st) != 0 {
		t.Errorf("statussen of the deleted zaak: %+v %v", st, err)
	}
}

// A document can be unlocked without its lock (forced), as a client with the scope
// documenten.geforceerd-unlock may in Open Zaak.
func TestForcedUnlock(t *testing.T) {
	f := sandboxtest.NewFixture(t, new(bool))
	ctx := context.Background()
	if _, err := f.Env.Client.Documenten.Lock(ctx, f.Doc.URL); err != nil {
		t.Fatal(err)
	}
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, body := sandboxtest.Send(t, "POST", f.Doc.URL+"/unlock", tok, "", map[string]string{"Content-Type": "application/json"}); status != http.StatusNoContent {
		t.Fatalf("forced unlock: %d %v", status, body)
	}
	if doc, err := f.Env.Client.Documenten.Get(ctx, f.Doc.URL); err != nil || doc.Locked {
		t.Errorf("after the forced unlock: %+v %v", doc, err)
	}
}

// A reference that is no resource of the kind is told apart as Open Zaak does: a URL that
// answers but is not a zaaktype here is an invalid-resource, one that does not answer a bad-url.
func TestReferencesToOtherThings(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"something":"else"}`)
	}))
	defer elsewhere.Close()
	for _, tc := range []struct{ zaaktype, code string }{
		{elsewhere.URL + "/zaaktypen/1", "invalid-resource"},
		{cat.BesluitType.URL, "invalid-resource"},
		{env.URL + "/catalogi/api/v1/zaaktypen/00000000-0000-4000-8000-000000000000", "bad-url"},
		{elsewhere.URL + "/gone", "bad-url"},
	} {
		z := sandboxtest.NewZaak(cat)
		z.ZaakType = tc.zaaktype
		if tc.code == "bad-url" && strings.HasSuffix(tc.zaaktype, "/gone") {
			elsewhere.Close()
		}
		_, err := env.Client.Zaken.CreateZaak(ctx, z)
		sandboxtest.WantRefusal(t, err, "zaaktype", tc.code)
	}
}

// A zaak's groups and references are checked with Open Zaak's codes.
func TestZaakRules(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	ref := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/communicatiekanalen/1":
			io.WriteString(w, `{"url":"x","naam":"E-mail","omschrijving":"E-mail"}`)
		case "/other":
			io.WriteString(w, `{"something":"else"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer ref.Close()
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	base := `"bronorganisatie":"` + sandboxtest.RSIN + `","verantwoordelijkeOrganisatie":"` + sandboxtest.RSIN + `","zaaktype":"` + cat.ZaakType.URL + `","startdatum":"2025-05-13"`
	for _, tc := range []struct{ extra, field, code string }{
		{`"communicatiekanaal":"` + ref.URL + `/communicatiekanalen/1"`, "", ""},
		{`"communicatiekanaal":"` + ref.URL + `/404"`, "communicatiekanaal", "bad-url"},
		{`"communicatiekanaal":"` + ref.URL + `/other"`, "communicatiekanaal", "invalid-resource"},
		{`"opschorting":{"indicatie":true}`, "opschorting.reden", "required"},
		{`"verlenging":{"reden":"drukte"}`, "verlenging.duur", "required"},
		{`"betalingsindicatie":"nvt","laatsteBetaaldatum":"2019-03-29T12:00:00Z"`, "laatsteBetaaldatum", "betaling-nvt"},
		{`"productenOfDiensten":["https://producten.example/1"]`, "productenOfDiensten", "invalid-products-services"},
		{`"hoofdzaak":"` + ref.URL + `/other"`, "hoofdzaak", "no_match"},
		{`"relevanteAndereZaken":[{"url":"` + env.URL + `/zaken/api/v1/zaken/00000000-0000-4000-8000-000000000000","aardRelatie":"vervolg"}]`, "relevanteAndereZaken.0.url", "bad-url"},
	} {
		var status int
		var body map[string]any
		// The incomplete groups break the spec's schema on purpose: the sandbox must refuse them.
		env.Spec.ExpectInvalidRequests(func() {
			status, body = sandboxtest.Send(t, "POST", env.URL+"/zaken/api/v1/zaken", tok, `{`+base+`,`+tc.extra+`}`, crs)
		})
		if tc.code == "" {
			if status != http.StatusCreated {
				t.Errorf("%s: %d %v", tc.extra, status, body)
			}
			continue
		}
		if status != http.StatusBadRequest || !sandboxtest.HasParam(body, tc.field, tc.code) {
			t.Errorf("%s: %d %v, want %s %s", tc.extra, status, body, tc.field, tc.code)
		}
	}
}

// A zaakinformatieobject's titel changes; its zaak and document do not. A document's PUT keeps
// its lock rules, and a received document cannot be "in bewerking".
func TestLinkAndDocumentUpdates(t *testing.T) {
	f := sandboxtest.NewFixture(t, new(bool))
	ctx := context.Background()
	zios, err := f.Env.Client.Zaken.ListZaakInformatieObjecten(ctx, f.Zaak.URL)
	if err != nil || len(zios) != 1 {
		t.Fatalf("%v %v", zios, err)
	}
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	status, body := sandboxtest.Send(t, "PATCH", zios[0].URL, tok, `{"titel":"Nieuwe titel"}`, nil)
	if status != http.StatusOK || body["titel"] != "Nieuwe titel" || body["zaak"] != f.Zaak.URL {
		t.Errorf("PATCH zio: %d %v", status, body)
	}
	other, err := f.Env.Client.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(f.Cat))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := sandboxtest.Send(t, "PATCH", zios[0].URL, tok, `{"zaak":"`+other.URL+`"}`, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(body, "zaak", "wijzigen-niet-toegelaten") {
		t.Errorf("moving a zio to another zaak: %d %v", status, body)
	}
	lock, err := f.Env.Client.Documenten.Lock(ctx, f.Doc.URL)
	if err != nil {
		t.Fatal(err)
	}
	if status, body := sandboxtest.Send(t, "PATCH", f.Doc.URL, tok, `{"status":"in_bewerking","ontvangstdatum":"2025-05-14","lock":"`+lock+`"}`, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(body, "status", "invalid_for_received") {
		t.Errorf("a received document in bewerking: %d %v", status, body)
	}
	if status, body := sandboxtest.Send(t, "PATCH", f.Doc.URL, tok, `{"titel":"x"}`, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(body, "lock", "required") {
		t.Errorf("a PATCH without the lock: %d %v", status, body)
	}
}

// A resultaat can be changed (not moved to another zaak) and deleted; the zaak forgets it.
func TestResultaatAndRolChanges(t *testing.T) {
	f := sandboxtest.NewFixture(t, new(bool))
	ctx := context.Background()
	c := f.Env.Client
	res, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.Zaak.URL, ResultaatType: f.Cat.ResultaatType.URL})
	if err != nil {
		t.Fatal(err)
	}
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, body := sandboxtest.Send(t, "PATCH", res.URL, tok, `{"toelichting":"aangepaste toelichting"}`, nil); status != http.StatusOK || body["toelichting"] != "aangepaste toelichting" {
		t.Errorf("PATCH resultaat: %d %v", status, body)
	}
	other, err := c.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(f.Cat))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := sandboxtest.Send(t, "PATCH", res.URL, tok, `{"zaak":"`+other.URL+`"}`, nil); status != http.StatusBadRequest || !sandboxtest.HasParam(body, "zaak", "wijzigen-niet-toegelaten") {
		t.Errorf("moving a resultaat: %d %v", status, body)
	}
	if status, body := sandboxtest.Send(t, "DELETE", res.URL, tok, "", nil); status != http.StatusNoContent {
		t.Fatalf("DELETE resultaat: %d %v", status, body)
	}
	if z, err := c.Zaken.GetZaak(ctx, f.Zaak.URL); err != nil || z.Resultaat != nil {
		t.Errorf("the zaak after its resultaat went: %+v %v", z, err)
	}
	if rs, err := c.Zaken.ListResultaten(ctx, f.Zaak.URL); err != nil || len(rs) != 0 {
		t.Errorf("resultaten: %v %v", rs, err)
	}
}

// A zaak cannot be its own hoofdzaak (PUT and PATCH), and setting betalingsindicatie to nvt
// clears the laatsteBetaaldatum instead of refusing it.
func TestZaakSelfHoofdzaakAndBetaling(t *testing.T) {
	env := sandboxtest.Start(t)
	cat, zaak := sandboxtest.SeededZaak(t, env.Client)
	auth := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	for _, method := range []string{"PATCH", "PUT"} {
		body := fmt.Sprintf(`{"hoofdzaak":%q}`, zaak.URL)
		if method == "PUT" {
			body = fmt.Sprintf(`{"bronorganisatie":%q,"verantwoordelijkeOrganisatie":%q,"zaaktype":%q,"startdatum":"2025-05-13","hoofdzaak":%q}`,
				sandboxtest.RSIN, sandboxtest.RSIN, cat.ZaakType.URL, zaak.URL)
		}
		if status, d := sandboxtest.Send(t, method, zaak.URL, auth, body, crs); status != http.StatusBadRequest || !sandboxtest.HasParam(d, "hoofdzaak", "self-forbidden") {
			t.Errorf("%s with itself as hoofdzaak: %d %v", method, status, d)
		}
	}
	if status, d := sandboxtest.Send(t, "PATCH", zaak.URL, auth, `{"betalingsindicatie":"geheel","laatsteBetaaldatum":"2025-05-14T10:00:00Z"}`, crs); status != http.StatusOK {
		t.Fatalf("paid: %d %v", status, d)
	}
	status, d := sandboxtest.Send(t, "PATCH", zaak.URL, auth, `{"betalingsindicatie":"nvt"}`, crs)
	if status != http.StatusOK || d["betalingsindicatie"] != "nvt" || d["laatsteBetaaldatum"] != nil {
		t.Errorf("nvt: %d %v", status, d)
	}
}
