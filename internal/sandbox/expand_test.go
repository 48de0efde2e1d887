package sandbox_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

var crsHeaders = map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}

// newDocument creates a small document of the given type and vertrouwelijkheid.
func newDocument(t *testing.T, c *zgw.Client, ioType, vertrouwelijkheid string) *zgw.InformatieObject {
	t.Helper()
	content := []byte("inhoud " + vertrouwelijkheid)
	f := false
	d, err := c.Documenten.Create(context.Background(), zgw.InformatieObject{Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-13",
		Titel: "Document " + vertrouwelijkheid, Auteur: "Test", Taal: "dut", Vertrouwelijkheid: vertrouwelijkheid,
		Inhoud: ptr(base64.StdEncoding.EncodeToString(content)), IndicatieGebruiksrecht: &f,
		Integriteit: documents.Integriteit(content, "2025-05-13"), InformatieObjectType: ioType})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

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
		d := newDocument(t, env.Client, cat.InformatieObjectTypen["Bezwaarschrift"].URL, "openbaar")
		zio, err := env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: z.URL, InformatieObject: d.URL})
		if err != nil {
			t.Fatal(err)
		}
		zios = append(zios, zio.URL)
	}
	admin := token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())

	status, got := send(t, "GET", z.URL+"?expand=zaakinformatieobjecten,status,%20resultaat,rollen", admin, "", crsHeaders)
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
	if status, got := send(t, "GET", z.URL, admin, "", crsHeaders); status != http.StatusOK || fmt.Sprint(got["_expand"]) != "map[]" {
		t.Errorf("without expand: %d, _expand %v, want {}", status, got["_expand"])
	}
	for _, bad := range []string{"zaaktype", "zaakinformatieobjecten.informatieobject", "onzin"} {
		if status, got := send(t, "GET", z.URL+"?expand="+bad, admin, "", crsHeaders); status != http.StatusBadRequest || !hasParam(got, "expand", "invalid_choice") {
			t.Errorf("expand=%s: %d %v, want 400 invalid_choice", bad, status, got)
		}
	}
}

// POST /enkelvoudiginformatieobjecten/_zoek finds documents by uuid (either spelling of the
// field), only those the client may read, and refuses a request it cannot read unambiguously.
func TestDocumentSearch(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	letter := cat.InformatieObjectTypen["Bezwaarschrift"].URL
	open, secret := newDocument(t, env.Client, letter, "openbaar"), newDocument(t, env.Client, letter, "geheim")
	uuidOf := func(d *zgw.InformatieObject) string { return d.URL[len(d.URL)-36:] }
	admin := token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, d := send(t, "POST", env.URL+"/autorisaties/api/v1/applicaties", admin, fmt.Sprintf(
		`{"clientIds":["lezer"],"label":"lezer","autorisaties":[{"component":"drc","scopes":["documenten.lezen"],"informatieobjecttype":%q,"maxVertrouwelijkheidaanduiding":"openbaar"}]}`, letter), nil); status != http.StatusCreated {
		t.Fatalf("applicatie: %d %v", status, d)
	}
	reader := token(t, "lezer", sandboxtest.Secret, time.Now())
	search := env.URL + "/documenten/api/v1/enkelvoudiginformatieobjecten/_zoek"
	missing := "0b7d4c4e-2f5c-4a7e-9a39-0d7a52d0d000"
	both := fmt.Sprintf(`[%q,%q,%q]`, uuidOf(open), uuidOf(secret), missing)

	for _, tc := range []struct {
		name, client, body string
		want               []string
		valid              bool // by the VNG specification, which requires uuid_In
	}{
		{"uuid_In, every right", admin, `{"uuid_In":` + both + `}`, []string{open.URL, secret.URL}, true},
		{"both spellings", admin, `{"uuid_In":` + both + `,"uuid__in":` + both + `}`, []string{open.URL, secret.URL}, true},
		{"uuid__in (Open Zaak)", admin, `{"uuid__in":` + both + `}`, []string{open.URL, secret.URL}, false},
		{"a reader of openbaar only", reader, `{"uuid_In":` + both + `}`, []string{open.URL}, true},
	} {
		var status int
		var got map[string]any
		do := func() { status, got = send(t, "POST", search, tc.client, tc.body, nil) }
		if tc.valid {
			do()
		} else {
			env.Spec.ExpectInvalidRequests(do)
		}
		results, _ := got["results"].([]any)
		var urls []string
		for _, r := range results {
			urls = append(urls, fmt.Sprint(r.(map[string]any)["url"]))
		}
		if status != http.StatusOK || fmt.Sprint(urls) != fmt.Sprint(tc.want) || got["count"] != float64(len(tc.want)) {
			t.Errorf("%s: %d %v, want %v", tc.name, status, got, tc.want)
		}
	}
	for _, tc := range []struct{ body, field, code string }{
		{`{"uuid_In":["` + uuidOf(open) + `"],"uuid__in":["` + uuidOf(secret) + `"]}`, "uuid__in", "ambiguous"},
		{`{"uuid_In":"` + uuidOf(open) + `"}`, "uuid_In", "required"},
		{`{"uuid_In":["not-a-uuid"]}`, "uuid_In", "invalid"},
		{`{}`, "uuid__in", "required"},
	} {
		var status int
		var got map[string]any
		env.Spec.ExpectInvalidRequests(func() { status, got = send(t, "POST", search, admin, tc.body, nil) })
		if status != http.StatusBadRequest || !hasParam(got, tc.field, tc.code) {
			t.Errorf("%s: %d %v, want 400 %s %s", tc.body, status, got, tc.field, tc.code)
		}
	}
}
