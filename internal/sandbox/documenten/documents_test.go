package documenten_test

import (
	"context"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// TestUpdateLocksPatchesAndUnlocks uses the client's lock → PATCH → unlock on a document that
// was created without indicatieGebruiksrecht, which then lets the zaak close.
func TestUpdateLocksPatchesAndUnlocks(t *testing.T) {
	f := sandboxtest.NewFixture(t, nil)
	ctx := context.Background()
	c := f.Env.Client
	updated, err := c.Documenten.Update(ctx, f.Doc.URL, map[string]any{"indicatieGebruiksrecht": false})
	if err != nil {
		t.Fatal(err)
	}
	if updated.IndicatieGebruiksrecht == nil || *updated.IndicatieGebruiksrecht || updated.Versie != 2 {
		t.Errorf("after update: gebruiksrecht %v, versie %d", updated.IndicatieGebruiksrecht, updated.Versie)
	}
	again, err := c.Documenten.Get(ctx, f.Doc.URL)
	if err != nil || again.Locked {
		t.Fatalf("document still locked after Update: %+v %v", again, err)
	}
	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.Zaak.URL, ResultaatType: f.Cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.Zaak.URL, StatusType: f.Cat.EindStatus().URL, DatumStatusGezet: sandboxtest.Now()}); err != nil {
		t.Fatalf("closing after setting indicatieGebruiksrecht: %v", err)
	}
	trail, err := c.Documenten.AuditTrail(ctx, f.Doc.URL)
	if err != nil || len(trail) != 2 || trail[1].Actie != "partial_update" {
		t.Errorf("document audit trail: %+v, %v", trail, err)
	}

	// A refused PATCH still releases the lock.
	var err2 error
	f.Env.Spec.ExpectInvalidRequests(func() {
		_, err2 = c.Documenten.Update(ctx, f.Doc.URL, map[string]any{"vertrouwelijkheidaanduiding": "streng"})
	})
	if zgw.StatusOf(err2) != 400 {
		t.Fatalf("invalid update: %v", err2)
	}
	if doc, _ := c.Documenten.Get(ctx, f.Doc.URL); doc.Locked {
		t.Error("a refused update left the document locked")
	}
	// indicatieGebruiksrecht true only with gebruiksrechten, as Open Zaak refuses it otherwise.
	_, err = c.Documenten.Update(ctx, f.Doc.URL, map[string]any{"indicatieGebruiksrecht": true})
	sandboxtest.WantRefusal(t, err, "indicatieGebruiksrecht", "missing-gebruiksrechten")
	auth := sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, d := sandboxtest.Send(t, "POST", f.Env.URL+"/documenten/api/v1/gebruiksrechten", auth,
		`{"informatieobject":"`+f.Doc.URL+`","startdatum":"2025-05-13T00:00:00Z","omschrijvingVoorwaarden":"Geen"}`, nil); status != 201 {
		t.Fatalf("gebruiksrecht: %d %v", status, d)
	}
	if updated, err := c.Documenten.Update(ctx, f.Doc.URL, map[string]any{"indicatieGebruiksrecht": true}); err != nil || !*updated.IndicatieGebruiksrecht {
		t.Errorf("with a gebruiksrecht: %+v %v", updated, err)
	}
}

// TestDocumentsAsOpenZaakTakesThem: a taal in capitals is taken as Open Zaak takes it, and a
// PATCH of the bronorganisatie changes it (a valid RSIN only).
func TestDocumentsAsOpenZaakTakesThem(t *testing.T) {
	f := sandboxtest.NewFixture(t, nil)
	ctx := context.Background()
	c := f.Env.Client
	doc := sandboxtest.NewDoc(f.Cat, sandbox.IOTypeLetter, nil)
	doc.Taal = "ENG"
	created, err := c.Documenten.Create(ctx, doc)
	if err != nil || created.Taal != "ENG" {
		t.Fatalf("taal ENG: %+v %v", created, err)
	}
	updated, err := c.Documenten.Update(ctx, created.URL, map[string]any{"bronorganisatie": "517439943"})
	if err != nil || updated.Bronorganisatie != "517439943" {
		t.Fatalf("PATCH bronorganisatie: %+v %v", updated, err)
	}
	if again, _ := c.Documenten.Get(ctx, created.URL); again.Bronorganisatie != "517439943" {
		t.Errorf("the new bronorganisatie was not kept: %q", again.Bronorganisatie)
	}
	_, err = c.Documenten.Update(ctx, created.URL, map[string]any{"bronorganisatie": "123456789"})
	sandboxtest.WantRefusal(t, err, "bronorganisatie", "invalid")
}
