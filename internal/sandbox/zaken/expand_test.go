package zaken_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

var crsHeaders = map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}

// GET /zaken/{uuid}?expand= answers the zaak with its parts in _expand (lists as arrays, a
// missing one as null), and refuses what it cannot expand rather than leave it out.
func TestZaakExpand(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	z, err := env.Client.Zaken.CreateZaak(ctx, zgw.Zaak{Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: z.URL, StatusType: cat.FirstStatus().URL, DatumStatusGezet: time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	var zios []string
	for range 2 {
		d := sandboxtest.NewDocument(t, env.Client, cat.InformatieObjectTypen["Bezwaarschrift"].URL, "openbaar")
		zio, err := env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: z.URL, InformatieObject: d.URL})
		if err != nil {
			t.Fatal(err)
		}
		zios = append(zios, zio.URL)
	}
	admin := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())

	status, got := sandboxtest.Send(t, "GET", z.URL+"?expand=zaakinformatieobjecten,status,%20resultaat,rollen", admin, "", crsHeaders)
	if status != http.StatusOK {
		t.Fatalf("expand: %d %v", status, got)
	}
	x, _ := got["_expand"].(map[string]any)
	links, _ := x["zaakinformatieobjecten"].([]any)
	if len(links) != 2 {
		t.Fatalf("_expand.zaakinformatieobjecten = %v, want the 2 links", x["zaakinformatieobjecten"])
	}
	for i, l := range links {
		if m, _ := l.(map[string]any); m["url"] != zios[i] || m["zaak"] != z.URL {
			t.Errorf("expanded link %d = %v, want %s of the zaak", i, l, zios[i])
		}
	}
	if s, _ := x["status"].(map[string]any); s["url"] != st.URL || s["indicatieLaatstGezetteStatus"] != true {
		t.Errorf("_expand.status = %v, want %s, the last one set", x["status"], st.URL)
	}
	if r, ok := x["resultaat"]; !ok || r != nil {
		t.Errorf("_expand.resultaat = %v (present %v), want null", r, ok)
	}
	if r, ok := x["rollen"].([]any); !ok || len(r) != 0 {
		t.Errorf("_expand.rollen = %v, want []", x["rollen"])
	}
	// Without expand Open Zaak answers an empty _expand (the recorded exchanges show it).
	if status, got := sandboxtest.Send(t, "GET", z.URL, admin, "", crsHeaders); status != http.StatusOK || fmt.Sprint(got["_expand"]) != "map[]" {
		t.Errorf("without expand: %d, _expand %v, want {}", status, got["_expand"])
	}
	for _, bad := range []string{"zaaktype", "zaakinformatieobjecten.informatieobject", "onzin"} {
		if status, got := sandboxtest.Send(t, "GET", z.URL+"?expand="+bad, admin, "", crsHeaders); status != http.StatusBadRequest || !sandboxtest.HasParam(got, "expand", "invalid_choice") {
			t.Errorf("expand=%s: %d %v, want 400 invalid_choice", bad, status, got)
		}
	}
}
