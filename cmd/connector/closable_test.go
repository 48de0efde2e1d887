package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Before it sets the resultaat and eindstatus, the connector checks what the zaaksysteem will
// demand, and fails the case with a reason naming the document or field — instead of leaving a
// resultaat on a zaak the zaaksysteem then refuses to close.
func TestTheConnectorChecksBeforeItCloses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		prepare func(t *testing.T, w *world, zaak string, cat *zgw.Catalogue)
		reason  []string
	}{
		{"a document without indicatieGebruiksrecht", nil, func(t *testing.T, w *world, zaak string, cat *zgw.Catalogue) {
			linkDocument(t, w, zaak, cat, "Notitie van de afdeling", nil)
		}, []string{`document "Notitie van de afdeling"`, "indicatieGebruiksrecht"}},
		{"a locked document", nil, func(t *testing.T, w *world, zaak string, cat *zgw.Catalogue) {
			doc := linkDocument(t, w, zaak, cat, "Concept in bewerking", new(bool))
			if _, err := w.sb.Client.Documenten.Lock(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
		}, []string{`document "Concept in bewerking"`, "is locked"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorldWith(t, tc.env)
			id := w.registered(t, "B&W-CLOSE-"+strings.ReplaceAll(tc.name, " ", "-")[:12], "facebook")
			_, _, c := w.do(t, "GET", "/api/v1/cases/"+id, w.auditor(t), "", nil)
			zaak := c["zaakUrl"].(string)
			ctx := context.Background()
			cat, err := w.sb.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
			if err != nil {
				t.Fatal(err)
			}
			if tc.prepare != nil {
				tc.prepare(t, w, zaak, cat)
			}
			if status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/close", w.registrar(t), "application/json", []byte(`{"reason":"geen bevestiging"}`)); status != 202 && status != 200 {
				t.Fatalf("close: %d %v", status, p)
			}
			failed := w.waitState(t, id, objection.StateFailed)
			for _, want := range tc.reason {
				if !strings.Contains(fmt.Sprint(failed["failureReason"]), want) {
					t.Errorf("failure reason %q lacks %q", failed["failureReason"], want)
				}
			}
			if rs, err := w.sb.Client.Zaken.ListResultaten(ctx, zaak); err != nil || len(rs) != 0 {
				t.Errorf("a resultaat was set on a zaak that cannot close: %v %v", rs, err)
			}
		})
	}
}

// An archive date the zaak cannot have yet is the zaaksysteem's to settle, not the connector's to
// refuse: with a resultaattype that derives it from the besluit's vervaldatum (the college's
// besluit has none), the zaak closes as Open Zaak closes it — its archiefactiedatum open — and
// gets the date when the vervaldatum is recorded.
func TestAClosingWaitsNotForTheArchiveDate(t *testing.T) {
	w := newWorldWith(t, map[string]string{"ZGW_RESULTAATTYPE_NOT_CONFIRMED": sandbox.ResultaatTypeLapsed})
	id := w.registered(t, "B&W-VERVALLEN", "facebook")
	if status, _, p := w.do(t, "POST", "/api/v1/cases/"+id+"/close", w.registrar(t), "application/json", []byte(`{"reason":"geen bevestiging"}`)); status != 202 && status != 200 {
		t.Fatalf("close: %d %v", status, p)
	}
	c := w.waitState(t, id, objection.StateClosed)
	ctx := context.Background()
	zaak, err := w.sb.Client.Zaken.GetZaak(ctx, c["zaakUrl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if zaak.Einddatum == nil || zaak.ArchiefNominatie == nil || *zaak.ArchiefNominatie != "vernietigen" || zaak.ArchiefActieDatum != nil {
		t.Fatalf("closed zaak: einddatum %v, archiefnominatie %v, archiefactiedatum %v; want closed, vernietigen, open",
			zaak.Einddatum, zaak.ArchiefNominatie, zaak.ArchiefActieDatum)
	}
	besluit, err := w.sb.Client.Besluiten.GetBesluit(ctx, c["besluitUrl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	// The Besluiten API 1.0 spec gives PATCH the full besluit's required fields.
	if _, err := w.sb.Client.Besluiten.UpdateBesluit(ctx, besluit.URL, map[string]any{"vervaldatum": "2030-01-01",
		"verantwoordelijkeOrganisatie": besluit.VerantwoordelijkeOrganisatie, "besluittype": besluit.BesluitType,
		"datum": besluit.Datum, "ingangsdatum": besluit.IngangsDatum}); err != nil {
		t.Fatal(err)
	}
	if zaak, err = w.sb.Client.Zaken.GetZaak(ctx, zaak.URL); err != nil || zaak.ArchiefActieDatum == nil || *zaak.ArchiefActieDatum != "2035-01-01" {
		t.Errorf("after the vervaldatum: archiefactiedatum %v (%v), want 2035-01-01", zaak.ArchiefActieDatum, err)
	}
}

// linkDocument adds a document to the zaak as someone else in the zaaksysteem would.
func linkDocument(t *testing.T, w *world, zaak string, cat *zgw.Catalogue, titel string, gebruiksrecht *bool) string {
	ctx := context.Background()
	inhoud := base64.StdEncoding.EncodeToString([]byte("notitie"))
	doc, err := w.sb.Client.Documenten.Create(ctx, zgw.InformatieObject{Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-14",
		Titel: titel, Auteur: "Afdeling Communicatie", Taal: "dut", Inhoud: &inhoud, IndicatieGebruiksrecht: gebruiksrecht,
		InformatieObjectType: cat.InformatieObjectTypen[sandbox.IOTypeLetter].URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.sb.Client.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaak, InformatieObject: doc.URL}); err != nil {
		t.Fatal(err)
	}
	return doc.URL
}
