package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// TestBesluitNotificationBecomesADecision: the college's besluit is registered in the
// zaaksysteem; the Notificaties API calls back; the connector makes the decision for the
// configured accounts and links that same besluit to its zaak (no second besluit).
func TestBesluitNotificationBecomesADecision(t *testing.T) {
	const auth = "Bearer nrc-callback-secret-0123"
	w := newWorldWith(t, map[string]string{
		"CONNECTOR_NOTIFICATIONS_AUTH": auth,
		"CONNECTOR_ACCOUNTS":           "facebook|Gemeente Voorbeeldstad|https://www.facebook.com/voorbeeldstad|communicatie@voorbeeldstad.nl",
	})
	ctx := context.Background()
	cat, err := w.sb.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.sb.Client.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Identificatie: "B&W-2025-0999", Datum: "2025-05-13", IngangsDatum: "2025-05-13",
		Toelichting: "Bezwaar tegen gebruik van openbare content voor AI-training door Meta"})
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte(fmt.Sprintf(`{"kanaal":"besluiten","hoofdObject":%q,"resource":"besluit","resourceUrl":%q,"actie":"create","aanmaakdatum":"2025-05-13T10:00:00Z","kenmerken":{"besluittype":%q}}`,
		b.URL, b.URL, cat.BesluitType.URL))
	for _, tc := range []struct {
		name, auth string
		want       int
	}{{"no auth", "", 401}, {"a client's JWT is not the NRC's", w.registrar(t), 401}, {"right auth", auth, 204}, {"again", auth, 204}} {
		if status, _, p := w.do(t, "POST", "/api/v1/notifications", tc.auth, "application/json", msg); status != tc.want {
			t.Fatalf("%s: %d %v", tc.name, status, p)
		}
	}
	// Only a besluit of the configured Besluiten API is followed: not a zaak, not another host.
	for _, other := range []string{w.sb.ZGW.ZakenURL + "/zaken/0f2c1a40-0000-4000-8000-000000000001", "http://elsewhere.example/besluiten/api/v1/besluiten/1",
		w.sb.ZGW.BesluitenURL + "/besluitinformatieobjecten/1"} {
		foreign := bytes.ReplaceAll(msg, []byte(b.URL), []byte(other))
		if status, _, p := w.do(t, "POST", "/api/v1/notifications", auth, "application/json", foreign); status != 400 {
			t.Errorf("a notification naming %s: %d %v, want 400", other, status, p)
		}
	}
	var caseID string
	deadline := time.Now().Add(20 * time.Second)
	for caseID == "" || !strings.Contains(fmt.Sprint(w.waitState(t, caseID, "awaiting_confirmation")["state"]), "awaiting") {
		_, _, list := w.do(t, "GET", "/api/v1/cases", w.auditor(t), "", nil)
		for _, c := range list["results"].([]any) {
			if c.(map[string]any)["decision"].(map[string]any)["reference"] == "B&W-2025-0999" {
				caseID = c.(map[string]any)["id"].(string)
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no case for the notified besluit")
		}
		time.Sleep(50 * time.Millisecond)
	}
	c := w.waitState(t, caseID, "awaiting_confirmation")
	linked, err := w.sb.Client.Besluiten.GetBesluit(ctx, b.URL)
	if err != nil || linked.Zaak != c["zaakUrl"] {
		t.Fatalf("the besluit is not linked to the zaak: %+v %v", linked, err)
	}
	if bs, _ := w.sb.Client.Besluiten.ListBesluiten(ctx, c["zaakUrl"].(string), ""); len(bs) != 1 {
		t.Errorf("%d besluiten on the zaak, want the notified one only", len(bs))
	}
	if _, _, list := w.do(t, "GET", "/api/v1/cases", w.auditor(t), "", nil); list["count"] != float64(1) {
		t.Errorf("%v cases after two notifications, want 1", list["count"])
	}
}
