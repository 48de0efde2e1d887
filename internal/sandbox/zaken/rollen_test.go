package zaken_test

import (
	"context"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func TestRollen(t *testing.T) {
	f := sandboxtest.NewFixture(t, sandboxtest.Ptr(false))
	ctx := context.Background()
	c := f.Env.Client
	rt := f.Cat.ZaakType.RolTypen[0]
	rol, err := c.Zaken.CreateRol(ctx, zgw.Rol{Zaak: f.Zaak.URL, BetrokkeneType: "organisatorische_eenheid", RolType: rt,
		RolToelichting: "Behandelend team", BetrokkeneIdentificatie: map[string]any{"identificatie": "INFO", "naam": "Informatiebeheer"}})
	if err != nil {
		t.Fatal(err)
	}
	rollen, err := c.Zaken.ListRollen(ctx, f.Zaak.URL)
	if err != nil || len(rollen) != 1 || rollen[0].URL != rol.URL || rollen[0].Omschrijving != "Behandelaar" {
		t.Errorf("rollen: %+v, %v", rollen, err)
	}
}
