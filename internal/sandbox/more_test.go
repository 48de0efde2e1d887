package sandbox_test

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
	f := newFixture(t, nil)
	ctx := context.Background()
	c := f.env.Client
	updated, err := c.Documenten.Update(ctx, f.doc.URL, map[string]any{"indicatieGebruiksrecht": false})
	if err != nil {
		t.Fatal(err)
	}
	if updated.IndicatieGebruiksrecht == nil || *updated.IndicatieGebruiksrecht || updated.Versie != 2 {
		t.Errorf("after update: gebruiksrecht %v, versie %d", updated.IndicatieGebruiksrecht, updated.Versie)
	}
	again, err := c.Documenten.Get(ctx, f.doc.URL)
	if err != nil || again.Locked {
		t.Fatalf("document still locked after Update: %+v %v", again, err)
	}
	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: f.zaak.URL, ResultaatType: f.cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: f.zaak.URL, StatusType: f.cat.EindStatus().URL, DatumStatusGezet: now()}); err != nil {
		t.Fatalf("closing after setting indicatieGebruiksrecht: %v", err)
	}
	trail, err := c.Documenten.AuditTrail(ctx, f.doc.URL)
	if err != nil || len(trail) != 2 || trail[1].Actie != "partial_update" {
		t.Errorf("document audit trail: %+v, %v", trail, err)
	}

	// A refused PATCH still releases the lock.
	var err2 error
	f.env.Spec.ExpectInvalidRequests(func() {
		_, err2 = c.Documenten.Update(ctx, f.doc.URL, map[string]any{"vertrouwelijkheidaanduiding": "streng"})
	})
	if zgw.StatusOf(err2) != 400 {
		t.Fatalf("invalid update: %v", err2)
	}
	if doc, _ := c.Documenten.Get(ctx, f.doc.URL); doc.Locked {
		t.Error("a refused update left the document locked")
	}
	// indicatieGebruiksrecht true only with gebruiksrechten, as Open Zaak refuses it otherwise.
	_, err = c.Documenten.Update(ctx, f.doc.URL, map[string]any{"indicatieGebruiksrecht": true})
	wantRefusal(t, err, "indicatieGebruiksrecht", "missing-gebruiksrechten")
	auth := token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now())
	if status, d := send(t, "POST", f.env.URL+"/documenten/api/v1/gebruiksrechten", auth,
		`{"informatieobject":"`+f.doc.URL+`","startdatum":"2025-05-13T00:00:00Z","omschrijvingVoorwaarden":"Geen"}`, nil); status != 201 {
		t.Fatalf("gebruiksrecht: %d %v", status, d)
	}
	if updated, err := c.Documenten.Update(ctx, f.doc.URL, map[string]any{"indicatieGebruiksrecht": true}); err != nil || !*updated.IndicatieGebruiksrecht {
		t.Errorf("with a gebruiksrecht: %+v %v", updated, err)
	}
}

func TestBesluitDocuments(t *testing.T) {
	f := newFixture(t, ptr(false))
	ctx := context.Background()
	c := f.env.Client
	besluit, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: f.cat.BesluitType.URL, Zaak: f.zaak.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13", Identificatie: "B&W-2025-0412"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Documenten.Create(ctx, newDoc(f.cat, "Besluitdocument", ptr(false)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Besluiten.CreateBesluitInformatieObject(ctx, zgw.BesluitInformatieObject{Besluit: besluit.URL, InformatieObject: doc.URL}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Besluiten.CreateBesluitInformatieObject(ctx, zgw.BesluitInformatieObject{Besluit: besluit.URL, InformatieObject: f.doc.URL})
	wantRefusal(t, err, "nonFieldErrors", "missing-besluittype-informatieobjecttype-relation")
	bios, err := c.Besluiten.ListBesluitInformatieObjecten(ctx, besluit.URL)
	if err != nil || len(bios) != 1 || bios[0].InformatieObject != doc.URL {
		t.Errorf("besluitinformatieobjecten: %+v, %v", bios, err)
	}
	found, err := c.Besluiten.ListBesluiten(ctx, "", "B&W-2025-0412")
	if err != nil || len(found) != 1 {
		t.Errorf("by identificatie: %+v, %v", found, err)
	}
	_, err = c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: f.cat.BesluitType.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13", Identificatie: "B&W-2025-0412"})
	wantRefusal(t, err, "identificatie", "identificatie-niet-uniek")
}

func TestRollen(t *testing.T) {
	f := newFixture(t, ptr(false))
	ctx := context.Background()
	c := f.env.Client
	rt := f.cat.ZaakType.RolTypen[0]
	rol, err := c.Zaken.CreateRol(ctx, zgw.Rol{Zaak: f.zaak.URL, BetrokkeneType: "organisatorische_eenheid", RolType: rt,
		RolToelichting: "Behandelend team", BetrokkeneIdentificatie: map[string]any{"identificatie": "INFO", "naam": "Informatiebeheer"}})
	if err != nil {
		t.Fatal(err)
	}
	rollen, err := c.Zaken.ListRollen(ctx, f.zaak.URL)
	if err != nil || len(rollen) != 1 || rollen[0].URL != rol.URL || rollen[0].Omschrijving != "Behandelaar" {
		t.Errorf("rollen: %+v, %v", rollen, err)
	}
}

func TestNotificaties(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	c := env.Client
	kanalen, err := c.Notificaties.ListKanalen(ctx, "besluiten")
	if err != nil || len(kanalen) != 1 || kanalen[0].Naam != "besluiten" {
		t.Fatalf("kanalen: %+v, %v", kanalen, err)
	}
	cb := newCallback(t, env)
	ab, err := c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: cb.URL + "/api/v1/notifications",
		Auth: "Bearer x", Kanalen: []zgw.FilterGroup{{Naam: "besluiten", Filters: map[string]string{"besluittype": "bt"}}}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.Notificaties.ListAbonnementen(ctx)
	if err != nil || len(list) != 1 || list[0].URL != ab.URL {
		t.Errorf("abonnementen: %+v, %v", list, err)
	}
	// The auth is write-only, as in Open Notificaties: a secret of the callback, shown to nobody.
	if one, err := c.Notificaties.GetAbonnement(ctx, ab.URL); err != nil || ab.Auth != "" || list[0].Auth != "" || one.Auth != "" {
		t.Errorf("the abonnement's auth is shown: created %q, listed %q, read %q (%v)", ab.Auth, list[0].Auth, one.Auth, err)
	}
	_, err = c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: "http://x", Auth: "y", Kanalen: []zgw.FilterGroup{{Naam: "nope"}}})
	wantRefusal(t, err, "kanalen", "kanaal-does-not-exist")
	// A callback that does not take the test notification is refused, as Open Notificaties does.
	cb.down.Store(true)
	_, err = c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: cb.URL, Auth: "Bearer x", Kanalen: []zgw.FilterGroup{{Naam: "zaken"}}})
	wantRefusal(t, err, "callbackUrl", "invalid-callback-url")
}

// TestDocumentsAsOpenZaakTakesThem: a taal in capitals is taken as Open Zaak takes it, and a
// PATCH of the bronorganisatie changes it (a valid RSIN only).
func TestDocumentsAsOpenZaakTakesThem(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	c := f.env.Client
	doc := newDoc(f.cat, sandbox.IOTypeLetter, nil)
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
	wantRefusal(t, err, "bronorganisatie", "invalid")
}
