package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Closing derives the archive fields from the resultaattype (zrc-021), and refuses the eindstatus
// when the zaak lacks what the derivation needs — here a besluit with a vervaldatum.
func TestClosingDerivesTheArchiveFields(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	c := env.Client
	spec := sandboxtest.Spec()
	spec.ResultaatType = sandbox.ResultaatTypeLapsed
	cat, err := c.Catalogi.Resolve(ctx, spec, "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := c.Zaken.CreateZaak(ctx, newZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak.URL, ResultaatType: cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	eind := zgw.Status{Zaak: zaak.URL, StatusType: cat.EindStatus().URL, DatumStatusGezet: now()}
	_, err = c.Zaken.CreateStatus(ctx, eind)
	wantRefusal(t, err, "nonFieldErrors", "archiefactiedatum-error")

	verval := "2027-01-31"
	if _, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN, BesluitType: cat.BesluitType.URL,
		Zaak: zaak.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13", VervalDatum: &verval}); err != nil {
		t.Fatal(err)
	}
	// A naive datumStatusGezet (no time zone) is taken as Dutch time, as Open Zaak does.
	eind.DatumStatusGezet = time.Now().In(time.FixedZone("", 0)).Add(-time.Hour).Format("2006-01-02T15:04:05")
	if n := env.Spec.ExpectInvalidRequests(func() {
		if _, err := c.Zaken.CreateStatus(ctx, eind); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Errorf("%d requests broke the spec, want the one naive datumStatusGezet", n)
	}
	closed, err := c.Zaken.GetZaak(ctx, zaak.URL)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Einddatum == nil || closed.ArchiefNominatie == nil || *closed.ArchiefNominatie != "vernietigen" || closed.ArchiefActieDatum == nil || *closed.ArchiefActieDatum != "2032-01-31" {
		t.Errorf("closed zaak: einddatum %v, archiefnominatie %v, archiefactiedatum %v", closed.Einddatum, closed.ArchiefNominatie, closed.ArchiefActieDatum)
	}
}
