package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// TestAuditTrailNamesTheCaller: as in Open Zaak, each entry names the applicatie that made the
// change (its uuid and label), and the sandbox's own client, which has no applicatie, by its id.
func TestAuditTrailNamesTheCaller(t *testing.T) {
	env := sandboxtest.Start(t)
	ctx := context.Background()
	cat, err := env.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	other := env.OtherSystem(t)
	zaak, err := other.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.FirstStatus().URL, DatumStatusGezet: "2025-05-14T10:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	status, apps := sandboxtest.Send(t, "GET", env.URL+"/autorisaties/api/v1/applicaties", sandboxtest.Token(t, sandboxtest.ClientID, sandboxtest.Secret, time.Now()), "", nil)
	appURL := ""
	for _, a := range apps["results"].([]any) {
		if a := a.(map[string]any); a["label"] == "Another system (tests)" {
			appURL = a["url"].(string)
		}
	}
	if status != 200 || appURL == "" {
		t.Fatalf("the other system's applicatie: %d %v", status, apps)
	}
	trail, err := env.Client.Zaken.AuditTrail(ctx, zaak.URL)
	if err != nil || len(trail) != 2 {
		t.Fatalf("%d entries, %v", len(trail), err)
	}
	if got := trail[0]; got.ApplicatieID != appURL[strings.LastIndex(appURL, "/")+1:] || got.ApplicatieWeergave != "Another system (tests)" {
		t.Errorf("the zaak's creation is attributed to %q (%q), want the other system's applicatie %s", got.ApplicatieID, got.ApplicatieWeergave, appURL)
	}
	if got := trail[1]; got.ApplicatieID != sandboxtest.ClientID || got.ApplicatieWeergave != sandboxtest.ClientID {
		t.Errorf("the status is attributed to %q (%q), want the sandbox's own client %s", got.ApplicatieID, got.ApplicatieWeergave, sandboxtest.ClientID)
	}
}
