package sandboxtest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Ptr points at a copy of v (optional fields).
func Ptr[T any](v T) *T { return &v }

// Token signs a ZGW JWT for clientID, issued at issued.
func Token(t *testing.T, clientID, secret string, issued time.Time) string {
	t.Helper()
	tok, err := zgwtoken.Sign(clientID, secret, "u", "User", issued, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Send makes a raw request and decodes a problem answer, if any.
func Send(t *testing.T, method, url, auth string, body string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// Fixture is a zaak with one linked document, ready for refusal cases.
type Fixture struct {
	Env  *Env
	Cat  *zgw.Catalogue
	Zaak *zgw.Zaak
	Doc  *zgw.InformatieObject
}

// NewFixture starts a sandbox and makes a zaak with one linked document (gebruiksrecht: its
// indicatieGebruiksrecht).
func NewFixture(t *testing.T, gebruiksrecht *bool) *Fixture {
	t.Helper()
	env := Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := env.Client.Zaken.CreateZaak(ctx, NewZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := env.Client.Documenten.Create(ctx, NewDoc(cat, "Bezwaarschrift", gebruiksrecht))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaak.URL, InformatieObject: doc.URL}); err != nil {
		t.Fatal(err)
	}
	return &Fixture{Env: env, Cat: cat, Zaak: zaak, Doc: doc}
}

// NewZaak is a zaak of the catalogue's zaaktype, ready to create.
func NewZaak(cat *zgw.Catalogue) zgw.Zaak {
	return zgw.Zaak{Bronorganisatie: RSIN, VerantwoordelijkeOrganisatie: RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13"}
}

// SeededZaak resolves the seeded catalogue and creates a zaak of its zaaktype.
func SeededZaak(t *testing.T, c *zgw.Client) (*zgw.Catalogue, *zgw.Zaak) {
	t.Helper()
	ctx := context.Background()
	cat, err := c.Catalogi.Resolve(ctx, Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := c.Zaken.CreateZaak(ctx, NewZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	return cat, zaak
}

// NewDoc is a small document of the informatieobjecttype iot, ready to create.
func NewDoc(cat *zgw.Catalogue, iot string, gebruiksrecht *bool) zgw.InformatieObject {
	return zgw.InformatieObject{Bronorganisatie: RSIN, CreatieDatum: "2025-05-13", Titel: "Brief",
		Auteur: "Gemeente", Taal: "dut", Inhoud: Ptr(base64.StdEncoding.EncodeToString([]byte("inhoud"))),
		IndicatieGebruiksrecht: gebruiksrecht, InformatieObjectType: cat.InformatieObjectTypen[iot].URL}
}

// Now is a datumStatusGezet a second ago.
func Now() string { return time.Now().UTC().Add(-time.Second).Format(time.RFC3339) }

// WantRefusal checks that err is a 400 problem naming the field with the code.
func WantRefusal(t *testing.T, err error, name, code string) {
	t.Helper()
	var p *zgw.Problem
	if !errors.As(err, &p) {
		t.Fatalf("want a 400 problem with %s/%s, got %v", name, code, err)
	}
	if p.Status != 400 {
		t.Fatalf("status %d, want 400 (%v)", p.Status, err)
	}
	ip, ok := p.Param(name)
	if !ok || ip.Code != code {
		t.Fatalf("invalidParams %+v lack %s with code %s", p.InvalidParams, name, code)
	}
}

// HasParam reports whether a problem names the field ("": any) with the code.
func HasParam(problem map[string]any, field, code string) bool {
	params, _ := problem["invalidParams"].([]any)
	for _, p := range params {
		pm, _ := p.(map[string]any)
		if (field == "" || pm["name"] == field) && pm["code"] == code {
			return true
		}
	}
	return false
}

// NewDocument creates a small document of the given type and vertrouwelijkheid.
func NewDocument(t *testing.T, c *zgw.Client, ioType, vertrouwelijkheid string) *zgw.InformatieObject {
	t.Helper()
	content := []byte("inhoud " + vertrouwelijkheid)
	f := false
	d, err := c.Documenten.Create(context.Background(), zgw.InformatieObject{Bronorganisatie: RSIN, CreatieDatum: "2025-05-13",
		Titel: "Document " + vertrouwelijkheid, Auteur: "Test", Taal: "dut", Vertrouwelijkheid: vertrouwelijkheid,
		Inhoud: Ptr(base64.StdEncoding.EncodeToString(content)), IndicatieGebruiksrecht: &f,
		Integriteit: documents.Integriteit(content, "2025-05-13"), InformatieObjectType: ioType})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
