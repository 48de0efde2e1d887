package sandbox_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
)

// A zaak as an earlier release stored it — before the Zaken 1.5 fields, with an opschorting of
// two fields and a field the schema does not have — is answered with every field of the schema
// (the validator checks the answers against it), and a PATCH keeps what it does not send.
func TestDataOfAnEarlierReleaseIsAnsweredWhole(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	id := core.NewUUID()
	self := core.ZakenRoot + "zaken/" + id
	zaaktype := strings.TrimPrefix(cat.ZaakType.URL, env.URL)
	old := map[string]any{
		"url": self, "uuid": id, "identificatie": "ZAAK-OUD-1", "bronorganisatie": sandboxtest.RSIN,
		"verantwoordelijkeOrganisatie": sandboxtest.RSIN, "zaaktype": zaaktype, "startdatum": "2025-05-13",
		"registratiedatum": "2025-05-13", "omschrijving": "uit een eerdere release", "vertrouwelijkheidaanduiding": "openbaar",
		"opschorting": map[string]any{"indicatie": false, "reden": ""}, "archiefstatus": "nog_te_archiveren",
		"rollen": []any{}, "status": nil, "__intern": "van vroeger",
	}
	if err := env.Sandbox.StoreAsEarlierRelease(ctx, "zaak", id, zaaktype, "ZAAK-OUD-1", old); err != nil {
		t.Fatal(err)
	}
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	crs := map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
	status, body := sandboxtest.Send(t, "GET", env.URL+self, tok, "", crs)
	if status != http.StatusOK {
		t.Fatalf("GET: %d %v", status, body)
	}
	for _, field := range []string{"laatstGemuteerd", "gerelateerdeZaken", "communicatiekanaalNaam", "processobject", "kenmerken"} {
		if _, ok := body[field]; !ok {
			t.Errorf("%s left out of %v", field, body)
		}
	}
	if o, _ := body["opschorting"].(map[string]any); o["eerdereOpschorting"] != false {
		t.Errorf("opschorting: %v", body["opschorting"])
	}
	if _, ok := body["__intern"]; ok {
		t.Errorf("a field of the store answered: %v", body)
	}
	status, body = sandboxtest.Send(t, "PATCH", env.URL+self, tok, `{"toelichting":"bijgewerkt"}`, crs)
	if status != http.StatusOK || body["toelichting"] != "bijgewerkt" || body["omschrijving"] != "uit een eerdere release" {
		t.Fatalf("PATCH: %d %v", status, body)
	}
	if rollen, _ := body["rollen"].([]any); slices.Contains(rollen, nil) {
		t.Errorf("rollen: %v", rollen)
	}
}
