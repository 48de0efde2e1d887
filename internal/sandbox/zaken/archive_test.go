package zaken_test

import (
	"context"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Closing derives the archive fields from the resultaattype (zrc-021). A zaak that lacks what the
// derivation needs — here a besluit with a vervaldatum — closes all the same with its
// archiefactiedatum left open, as Open Zaak does since 1.24; the date follows when the besluit
// records its vervaldatum, and moves when that changes.
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
	zaak, err := c.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak.URL, ResultaatType: cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	// A naive datumStatusGezet (no time zone) is taken as Dutch time, as Open Zaak does.
	eind := zgw.Status{Zaak: zaak.URL, StatusType: cat.EindStatus().URL,
		DatumStatusGezet: time.Now().In(time.FixedZone("", 0)).Add(-time.Hour).Format("2006-01-02T15:04:05")}
	if n := env.Spec.ExpectInvalidRequests(func() {
		if _, err := c.Zaken.CreateStatus(ctx, eind); err != nil {
			t.Fatal(err)
		}
	}); n != 1 {
		t.Errorf("%d requests broke the spec, want the one naive datumStatusGezet", n)
	}
	archive := func(want string) {
		t.Helper()
		z, err := c.Zaken.GetZaak(ctx, zaak.URL)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if z.ArchiefActieDatum != nil {
			got = *z.ArchiefActieDatum
		}
		if z.Einddatum == nil || z.ArchiefNominatie == nil || *z.ArchiefNominatie != "vernietigen" || got != want {
			t.Errorf("closed zaak: einddatum %v, archiefnominatie %v, archiefactiedatum %q, want %q", z.Einddatum, z.ArchiefNominatie, got, want)
		}
	}
	archive("") // closed, the archiefactiedatum open: the zaak has no besluit

	besluit, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN, BesluitType: cat.BesluitType.URL,
		Zaak: zaak.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	archive("") // a besluit without a vervaldatum derives nothing yet
	setVervaldatum := func(day string) {
		t.Helper()
		// The Besluiten API 1.0 spec gives PATCH the full besluit's required fields.
		if _, err := c.Besluiten.UpdateBesluit(ctx, besluit.URL, map[string]any{"vervaldatum": day,
			"verantwoordelijkeOrganisatie": besluit.VerantwoordelijkeOrganisatie, "besluittype": besluit.BesluitType,
			"datum": besluit.Datum, "ingangsdatum": besluit.IngangsDatum}); err != nil {
			t.Fatal(err)
		}
	}
	setVervaldatum("2027-01-31")
	archive("2032-01-31") // the vervaldatum plus the resultaattype's five years
	setVervaldatum("2028-03-01")
	archive("2033-03-01")
}
