package provision_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"
	"github.com/gemeenten/meta-bezwaar-connector/internal/provision"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Provisioning against the sandbox (every request validated against the Catalogi spec): into an
// empty catalogue, then again (nothing to do), then with a changed definition (differences
// reported, nothing changed), then published; the connector's resolution then finds the
// provisioned zaaktype and a zaak runs on it.
func TestProvision(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	def := catalogdef.Default(sandboxtest.RSIN)
	def.Catalogus.Domein = "PROV" // a catalogue the sandbox does not seed
	def = def.Expand(env.URL + "/selectielijst/api/v1")
	api := env.Client.Catalogi

	// The sandbox's seed is the same definition: provisioning it into the seeded catalogue
	// finds everything as defined.
	seeded, err := provision.Run(ctx, api, catalogdef.Default(sandboxtest.RSIN).Expand(env.URL+"/selectielijst/api/v1"), provision.Options{})
	if err != nil || len(seeded.Created) > 0 || len(seeded.Differences) > 0 {
		t.Fatalf("the seeded catalogue differs from the default definition: %v %+v", err, seeded)
	}

	first, err := provision.Run(ctx, api, def, provision.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// catalogus, 4 informatieobjecttypen, 1 besluittype, zaaktype, 3 statustypen, 3
	// resultaattypen, 1 roltype, 4 zaaktype-informatieobjecttypen
	if len(first.Created) != 18 || len(first.Differences) > 0 || len(first.Published) > 0 {
		t.Fatalf("first run: %+v", first)
	}

	again, err := provision.Run(ctx, api, def, provision.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Created) > 0 || len(again.Differences) > 0 || again.ZaaktypeURL != first.ZaaktypeURL {
		t.Fatalf("second run changed or found something: %+v", again)
	}

	changed := def
	changed.Zaaktype.Doorlooptijd = "P20D"
	changed.Zaaktype.Statustypen = append([]catalogdef.Statustype(nil), def.Zaaktype.Statustypen...)
	changed.Zaaktype.Statustypen[1].Omschrijving = "Ingediend"
	changed.Informatieobjecttypen = append([]catalogdef.Informatieobjecttype(nil), def.Informatieobjecttypen...)
	changed.Informatieobjecttypen[0].Vertrouwelijkheidaanduiding = "intern"
	changed.Zaaktype.Roltypen = nil // dropped from the definition, still in the catalogue
	diff, err := provision.Run(ctx, api, changed, provision.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(diff.Differences, "\n")
	for _, want := range []string{
		`zaaktype BEZWAAR-META-AI: doorlooptijd is "P30D" in the catalogue, "P20D" in the definition`,
		`statustype "Ingediend": missing in the catalogue`,
		`statustype "Bezwaar ingediend bij Meta": in the catalogue, not in the definition`,
		`roltype "Behandelaar": in the catalogue, not in the definition`,
		`informatieobjecttype "Bezwaarschrift": vertrouwelijkheidaanduiding is "zaakvertrouwelijk" in the catalogue, "intern" in the definition`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("differences lack %q:\n%s", want, got)
		}
	}
	if len(diff.Created) > 0 || len(diff.Differences) != 5 {
		t.Errorf("a changed definition: created %v, %d differences:\n%s", diff.Created, len(diff.Differences), got)
	}

	published, err := provision.Run(ctx, api, def, provision.Options{Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(published.Published) != 6 || published.Published[len(published.Published)-1] != "zaaktype BEZWAAR-META-AI" {
		t.Fatalf("publishing: %+v", published.Published)
	}

	spec := sandboxtest.Spec()
	spec.Catalogus = "PROV"
	cat, err := api.Resolve(ctx, spec, "2025-06-01")
	if err != nil {
		t.Fatalf("the connector cannot resolve the provisioned zaaktype: %v", err)
	}
	if cat.ZaakType.URL != first.ZaaktypeURL || len(cat.StatusTypen) != 3 || !cat.EindStatus().IsEindstatus {
		t.Fatalf("resolved %+v", cat)
	}
	zaak, err := env.Client.Zaken.CreateZaak(ctx, zgw.Zaak{Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-06-01"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.FirstStatus().URL,
		DatumStatusGezet: time.Now().UTC().Add(-time.Second).Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Zaak: zaak.URL, Datum: "2025-06-01", IngangsDatum: "2025-06-01"}); err != nil {
		t.Fatal(err)
	}
}
