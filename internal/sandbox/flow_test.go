package sandbox_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// TestWholeFlow drives the sandbox through the zgw client the way the connector will: resolve
// the catalogue, create a zaak with a status, a besluit, documents (inline and chunked), link
// them, record a resultaat and close the zaak; then read everything back. Every request and
// response is validated against the official specs.
func TestWholeFlow(t *testing.T) {
	env := sandboxtest.Start(t, func(c *sandbox.Config) { c.PartSize = 1000 })
	ctx := context.Background()
	c := env.Client

	cat, err := c.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	if len(cat.StatusTypen) != 3 || !cat.EindStatus().IsEindstatus || cat.FirstStatus().Volgnummer != 1 {
		t.Fatalf("statustypen not ordered with the eindstatus last: %+v", cat.StatusTypen)
	}

	zaak, err := c.Zaken.CreateZaak(ctx, zgw.Zaak{
		Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13", Omschrijving: "Bezwaar AI-training Meta",
		UiterlijkeEinddatumAfdoening: sandboxtest.Ptr("2025-05-27"),
		Kenmerken:                    []zgw.Kenmerk{{Kenmerk: "B&W-2025-0412", Bron: "collegebesluit"}},
	})
	if err != nil {
		t.Fatalf("create zaak: %v", err)
	}
	if !strings.HasPrefix(zaak.Identificatie, "ZAAK-") || zaak.URL == "" || !zaak.HasKenmerk("collegebesluit", "B&W-2025-0412") {
		t.Fatalf("zaak = %+v", zaak)
	}
	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.FirstStatus().URL,
		DatumStatusGezet: time.Now().UTC().Add(-2 * time.Second).Format(time.RFC3339)}); err != nil {
		t.Fatalf("first status: %v", err)
	}

	besluit, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Zaak: zaak.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatalf("besluit: %v", err)
	}

	letter := []byte("Geachte heer, mevrouw,\n\nHierbij maakt de gemeente bezwaar.\n")
	sum := sha256.Sum256(letter)
	inline, err := c.Documenten.Create(ctx, zgw.InformatieObject{
		Identificatie: "BZW-B&W-2025-0412-facebook", Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-13",
		Titel: "Bezwaarschrift Facebook", Auteur: "Gemeente Voorbeeldstad", Taal: "dut", Formaat: "text/plain",
		Bestandsnaam: "bezwaar-facebook.txt", Inhoud: sandboxtest.Ptr(base64.StdEncoding.EncodeToString(letter)),
		IndicatieGebruiksrecht: sandboxtest.Ptr(false), Status: "definitief",
		Integriteit:          &zgw.Integriteit{Algoritme: "sha_256", Waarde: hex.EncodeToString(sum[:]), Datum: "2025-05-13"},
		InformatieObjectType: cat.InformatieObjectTypen["Bezwaarschrift"].URL,
	})
	if err != nil {
		t.Fatalf("inline document: %v", err)
	}

	eml := bytes.Repeat([]byte("Received: by mail\r\nSubject: We will honour your objection\r\n\r\nbody line\r\n"), 100) // 7,100 bytes: 8 parts of 1000
	chunked, err := c.Documenten.Upload(ctx, zgw.InformatieObject{
		Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-14", Titel: "Bevestiging Meta Facebook",
		Auteur: "Meta", Taal: "eng", Formaat: "message/rfc822", Bestandsnaam: "bevestiging.eml",
		OntvangstDatum: sandboxtest.Ptr("2025-05-14"), IndicatieGebruiksrecht: sandboxtest.Ptr(false),
		InformatieObjectType: cat.InformatieObjectTypen["Bevestiging Meta"].URL,
	}, int64(len(eml)), bytes.NewReader(eml))
	if err != nil {
		t.Fatalf("chunked upload: %v", err)
	}

	for _, doc := range []*zgw.InformatieObject{inline, chunked} {
		if _, err := c.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaak.URL, InformatieObject: doc.URL, Titel: doc.Titel}); err != nil {
			t.Fatalf("zio %s: %v", doc.Titel, err)
		}
	}
	for doc, want := range map[string][]byte{inline.URL: letter, chunked.URL: eml} {
		rc, err := c.Documenten.Download(ctx, doc)
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, want) {
			t.Errorf("download of %s: %d bytes, want %d byte-exact", doc, len(got), len(want))
		}
	}

	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak.URL, ResultaatType: cat.ResultaatType.URL}); err != nil {
		t.Fatalf("resultaat: %v", err)
	}
	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.EindStatus().URL,
		DatumStatusGezet: time.Now().UTC().Add(-time.Second).Format(time.RFC3339)}); err != nil {
		t.Fatalf("eindstatus: %v", err)
	}

	closed, err := c.Zaken.GetZaak(ctx, zaak.URL)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Einddatum == nil || *closed.Einddatum != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("einddatum = %v, want today", closed.Einddatum)
	}
	if closed.Resultaat == nil || closed.Status == nil {
		t.Errorf("closed zaak lacks resultaat or status: %+v", closed)
	}
	statussen, err := c.Zaken.ListStatussen(ctx, zaak.URL)
	if err != nil || len(statussen) != 2 {
		t.Fatalf("statussen = %d, %v; want 2", len(statussen), err)
	}
	zios, err := c.Zaken.ListZaakInformatieObjecten(ctx, zaak.URL)
	if err != nil || len(zios) != 2 {
		t.Fatalf("zaakinformatieobjecten = %d, %v; want 2", len(zios), err)
	}
	besluiten, err := c.Besluiten.ListBesluiten(ctx, zaak.URL, "")
	if err != nil || len(besluiten) != 1 || besluiten[0].URL != besluit.URL {
		t.Fatalf("besluiten = %+v, %v", besluiten, err)
	}
	trail, err := c.Zaken.AuditTrail(ctx, zaak.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) < 7 || trail[0].Actie != "create" || trail[0].Resource != "zaak" || trail[0].GebruikersWeergave != "Test user" {
		t.Errorf("audit trail of %d entries, first %+v", len(trail), trail[0])
	}
	found, err := c.Documenten.FindByIdentificatie(ctx, sandboxtest.RSIN, "BZW-B&W-2025-0412-facebook")
	if err != nil || len(found) != 1 || found[0].URL != inline.URL {
		t.Fatalf("find by identificatie = %+v, %v", found, err)
	}
	if found[0].Integriteit == nil || found[0].Integriteit.Waarde != hex.EncodeToString(sum[:]) {
		t.Errorf("integriteit not kept: %+v", found[0].Integriteit)
	}
	if env.Spec.Checked() < 20 {
		t.Errorf("only %d requests were checked against the specs", env.Spec.Checked())
	}
}
