package notificaties_test

import (
	"context"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

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
	sandboxtest.WantRefusal(t, err, "kanalen", "kanaal-does-not-exist")
	// A callback that does not take the test notification is refused, as Open Notificaties does.
	cb.down.Store(true)
	_, err = c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: cb.URL, Auth: "Bearer x", Kanalen: []zgw.FilterGroup{{Naam: "zaken"}}})
	sandboxtest.WantRefusal(t, err, "callbackUrl", "invalid-callback-url")
}
