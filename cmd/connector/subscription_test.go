package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

const nrcAuth = "Bearer nrc-callback-secret-0123"

// quickDelivery makes the sandbox retry failed notifications within milliseconds.
func quickDelivery(c *sandbox.Config) {
	c.NotifyRetryBase, c.NotifyRetryCap, c.NotifyPoll = 20*time.Millisecond, 200*time.Millisecond, 10*time.Millisecond
}

// subscribedEnv is the configuration of a connector at addr that subscribes at the sandbox.
func subscribedEnv(addr string) map[string]string {
	return map[string]string{"CONNECTOR_ADDR": addr, "CONNECTOR_PUBLIC_URL": "http://" + addr,
		"CONNECTOR_NOTIFICATIONS_AUTH": nrcAuth,
		"CONNECTOR_ACCOUNTS":           "facebook|Gemeente Voorbeeldstad|https://www.facebook.com/voorbeeldstad|communicatie@voorbeeldstad.nl"}
}

// restart stops the world's connector and starts it again on the configuration now set.
func (w *world) restart(t *testing.T) {
	t.Helper()
	if w.app != nil {
		w.app.shutdown()
	}
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if w.app, err = startApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
}

// waitSubscribed waits until /readyz reports the abonnement in place.
func (w *world) waitSubscribed(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(w.app.URL + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 && strings.Contains(string(body), "notificaties") {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not subscribed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// caseOf waits for the case whose decision has the reference.
func (w *world) caseOf(t *testing.T, ref string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, _, list := w.do(t, "GET", "/api/v1/cases?pageSize=100", w.auditor(t), "", nil)
		for _, c := range list["results"].([]any) {
			if c.(map[string]any)["decision"].(map[string]any)["reference"] == ref {
				return c.(map[string]any)["id"].(string)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no case for %s", ref)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func (w *world) besluit(t *testing.T, cat *zgw.Catalogue, ident string) *zgw.Besluit {
	b, err := w.sb.Client.Besluiten.CreateBesluit(context.Background(), zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Identificatie: ident, Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecisionsStartThemselves: the connector subscribes at start; a besluit registered in the
// zaaksysteem becomes a decision through the notification alone; a zaak closed there by someone
// else stops its case; restarts keep one abonnement (and a changed callback moves it); a
// notification sent while the connector is down arrives once it is back.
func TestDecisionsStartThemselves(t *testing.T) {
	addr := freeAddr(t)
	w := newWorldWith(t, subscribedEnv(addr), quickDelivery)
	ctx := context.Background()
	w.waitSubscribed(t)
	cat, err := w.sb.Client.Catalogi.Resolve(ctx, sandboxtest.Spec(), time.Now().Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	abonnementen := func() []zgw.Abonnement {
		list, err := w.sb.Client.Notificaties.ListAbonnementen(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	list := abonnementen()
	// The auth is write-only (as Open Notificaties shows it: never); that the abonnement exists
	// says the connector's callback took the test notification sent with it.
	if len(list) != 1 || list[0].CallbackURL != "http://"+addr+"/api/v1/notifications" || list[0].Auth != "" || len(list[0].Kanalen) != 2 {
		t.Fatalf("abonnementen: %+v", list)
	}
	for _, k := range list[0].Kanalen {
		if (k.Naam == "zaken" && k.Filters["zaaktype"] != cat.ZaakType.URL) || (k.Naam == "besluiten" && k.Filters["besluittype"] != cat.BesluitType.URL) {
			t.Errorf("kanaal %s filters %v", k.Naam, k.Filters)
		}
	}
	if _, _, m := w.metrics(t); !strings.Contains(m, "connector_notifications_subscribed 1") {
		t.Errorf("the subscription metric: %s", grepLines(m, "subscribed"))
	}

	// A besluit made in the zaaksysteem becomes a decision, its zaak linked to that besluit.
	b := w.besluit(t, cat, "B&W-NRC-1")
	id := w.caseOf(t, "B&W-NRC-1")
	c := w.waitState(t, id, objection.StateAwaitingConfirmation)
	if linked, err := w.sb.Client.Besluiten.GetBesluit(ctx, b.URL); err != nil || linked.Zaak != c["zaakUrl"] {
		t.Errorf("the besluit is not linked to the zaak: %+v %v", linked, err)
	}

	// Told again late (after the zaak exists), and things the connector has no part in: one case,
	// each answered 204. A besluit of another type is not even sent (the abonnement's filter).
	late := fmt.Sprintf(`{"kanaal":"besluiten","hoofdObject":%q,"resource":"besluit","resourceUrl":%q,"actie":"create","aanmaakdatum":"2025-05-13T10:00:00Z","kenmerken":{"besluittype":%q}}`,
		b.URL, b.URL, cat.BesluitType.URL)
	unknown := fmt.Sprintf(`{"kanaal":"zaken","hoofdObject":"%[1]s/zaken/00000000-0000-4000-8000-000000000001","resource":"status","resourceUrl":"%[1]s/statussen/1","actie":"create","aanmaakdatum":"2025-05-13T10:00:00Z","kenmerken":{}}`,
		w.sb.ZGW.ZakenURL)
	for _, msg := range []string{late, unknown} {
		if status, _, p := w.do(t, "POST", "/api/v1/notifications", nrcAuth, "application/json", []byte(msg)); status != 204 {
			t.Errorf("%s: %d %v", msg, status, p)
		}
	}
	other := zgw.Notificatie{Kanaal: "besluiten", HoofdObject: w.sb.ZGW.BesluitenURL + "/besluiten/x", Resource: "besluit",
		ResourceURL: w.sb.ZGW.BesluitenURL + "/besluiten/x", Actie: "create", AanmaakDatum: "2025-05-13T10:00:00Z",
		Kenmerken: map[string]string{"besluittype": w.sb.ZGW.CatalogiURL + "/besluittypen/another"}}
	if err := w.sb.OtherSystem(t).Notificaties.Publish(ctx, other); err != nil {
		t.Fatal(err)
	}
	if log, _ := w.sb.Sandbox.Deliveries(ctx); strings.Contains(fmt.Sprint(log), "besluittypen/another") {
		t.Errorf("a besluit of another type was sent to the connector: %+v", log)
	}
	if _, _, list := w.do(t, "GET", "/api/v1/cases", w.auditor(t), "", nil); list["count"] != float64(1) {
		t.Errorf("%v cases, want 1", list["count"])
	}

	// The zaak closed by someone else in the zaaksysteem: the notification stops the case.
	zaak := c["zaakUrl"].(string)
	if _, err := w.sb.Client.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak, ResultaatType: cat.ResultaatType.URL, Toelichting: "elders afgehandeld"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.sb.Client.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak, StatusType: cat.EindStatus().URL,
		DatumStatusGezet: time.Now().UTC().Add(-time.Second).Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	closed := w.waitState(t, id, objection.StateClosedElsewhere)
	if !strings.Contains(fmt.Sprint(closed["closeReason"]), "in het zaaksysteem door een ander afgesloten") {
		t.Errorf("closed elsewhere: %v", closed)
	}
	_, _, m := w.metrics(t)
	for _, want := range []string{`connector_notifications_total{actie="create",kanaal="besluiten",outcome="besluit"} 2`,
		`connector_notifications_total{actie="create",kanaal="zaken",outcome="zaak"}`, `kanaal="zaken",outcome="ignored"`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s: %s", want, grepLines(m, "connector_notifications_total"))
		}
	}

	// Restarted: still one abonnement. Restarted at another address: the abonnement moves.
	w.restart(t)
	w.waitSubscribed(t)
	if list := abonnementen(); len(list) != 1 || list[0].URL != w.abonnementURL(t, list) {
		t.Fatalf("after a restart: %+v", list)
	}
	moved := freeAddr(t)
	for k, v := range subscribedEnv(moved) {
		t.Setenv(k, v)
	}
	w.restart(t)
	w.waitSubscribed(t)
	if list := abonnementen(); len(list) != 1 || list[0].CallbackURL != "http://"+moved+"/api/v1/notifications" {
		t.Fatalf("after the callback moved: %+v", list)
	}

	// Down while a besluit is made: it arrives once the connector is back, and only once.
	w.app.shutdown()
	w.app = nil
	w.besluit(t, cat, "B&W-NRC-2")
	deadline := time.Now().Add(10 * time.Second)
	for {
		log, _ := w.sb.Sandbox.Deliveries(ctx)
		if last := log[len(log)-1]; last.Attempts >= 2 && !last.Delivered {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sandbox did not retry: %+v", log[len(log)-1])
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.restart(t)
	second := w.caseOf(t, "B&W-NRC-2")
	w.waitState(t, second, objection.StateAwaitingConfirmation)
	if _, _, list := w.do(t, "GET", "/api/v1/cases", w.auditor(t), "", nil); list["count"] != float64(2) {
		t.Errorf("%v cases, want 2", list["count"])
	}
}

// abonnementURL is the URL of the one abonnement in the list (for a readable failure).
func (w *world) abonnementURL(t *testing.T, list []zgw.Abonnement) string {
	if len(list) != 1 {
		return ""
	}
	return list[0].URL
}

// metrics reads /metrics.
func (w *world) metrics(t *testing.T) (int, http.Header, string) {
	resp, err := http.Get(w.app.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
