package besluiten_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func TestBesluitDocuments(t *testing.T) {
	f := sandboxtest.NewFixture(t, sandboxtest.Ptr(false))
	ctx := context.Background()
	c := f.Env.Client
	besluit, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: f.Cat.BesluitType.URL, Zaak: f.Zaak.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13", Identificatie: "B&W-2025-0412"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Documenten.Create(ctx, sandboxtest.NewDoc(f.Cat, "Besluitdocument", sandboxtest.Ptr(false)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Besluiten.CreateBesluitInformatieObject(ctx, zgw.BesluitInformatieObject{Besluit: besluit.URL, InformatieObject: doc.URL}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Besluiten.CreateBesluitInformatieObject(ctx, zgw.BesluitInformatieObject{Besluit: besluit.URL, InformatieObject: f.Doc.URL})
	sandboxtest.WantRefusal(t, err, "nonFieldErrors", "missing-besluittype-informatieobjecttype-relation")
	bios, err := c.Besluiten.ListBesluitInformatieObjecten(ctx, besluit.URL)
	if err != nil || len(bios) != 1 || bios[0].InformatieObject != doc.URL {
		t.Errorf("besluitinformatieobjecten: %+v, %v", bios, err)
	}
	found, err := c.Besluiten.ListBesluiten(ctx, "", "B&W-2025-0412")
	if err != nil || len(found) != 1 {
		t.Errorf("by identificatie: %+v, %v", found, err)
	}
	_, err = c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: f.Cat.BesluitType.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13", Identificatie: "B&W-2025-0412"})
	sandboxtest.WantRefusal(t, err, "identificatie", "identificatie-niet-uniek")
}

// A besluit can be updated (PUT, PATCH), except its besluittype, identificatie and
// verantwoordelijkeOrganisatie; what a PATCH sends is kept (bestuursorgaan, toelichting).
func TestBesluitUpdate(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	c := env.Client
	cat, err := c.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN, BesluitType: cat.BesluitType.URL,
		Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	tok := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	// The Besluiten API 1.0 spec asks the required fields of a PATCH too.
	required := `"verantwoordelijkeOrganisatie":"` + sandboxtest.RSIN + `","besluittype":"` + cat.BesluitType.URL + `","datum":"2025-05-13","ingangsdatum":"2025-05-13"`
	status, body := sandboxtest.Send(t, "PATCH", b.URL, tok, `{`+required+`,"bestuursorgaan":"college van B&W","toelichting":"aangepast"}`, nil)
	if status != http.StatusOK || body["bestuursorgaan"] != "college van B&W" || body["toelichting"] != "aangepast" {
		t.Fatalf("PATCH: %d %v", status, body)
	}
	for _, change := range []string{`{` + required + `,"identificatie":"ANDERS"}`,
		`{"verantwoordelijkeOrganisatie":"517439943","besluittype":"` + cat.BesluitType.URL + `","datum":"2025-05-13","ingangsdatum":"2025-05-13"}`} {
		status, body := sandboxtest.Send(t, "PATCH", b.URL, tok, change, nil)
		if status != http.StatusBadRequest || !sandboxtest.HasParam(body, "", "wijzigen-niet-toegelaten") {
			t.Errorf("PATCH %s: %d %v", change, status, body)
		}
	}
	status, body = sandboxtest.Send(t, "PUT", b.URL, tok, `{"verantwoordelijkeOrganisatie":"`+sandboxtest.RSIN+`","besluittype":"`+cat.BesluitType.URL+
		`","datum":"2025-05-14","ingangsdatum":"2025-05-15"}`, nil)
	if status != http.StatusOK || body["ingangsdatum"] != "2025-05-15" || body["identificatie"] != b.Identificatie {
		t.Errorf("PUT: %d %v", status, body)
	}
}
