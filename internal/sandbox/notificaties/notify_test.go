package notificaties_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// callback is a subscriber: it keeps what it receives, and can be down. Open Notificaties' test
// notification (kanaal test, sent when an abonnement is made or changed) is kept apart.
type callback struct {
	*httptest.Server
	down  atomic.Bool
	mu    sync.Mutex
	got   []received
	tests []received
}

type received struct {
	auth string
	msg  zgw.Notificatie
}

// newCallback starts a subscriber whose every received notification is also checked against the
// Notificaties API's Message schema (as the body of POST /notificaties).
func newCallback(t *testing.T, env *sandboxtest.Env) *callback {
	cb := &callback{}
	echo := env.Spec.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.Copy(w, r.Body)
	}))
	cb.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if cb.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		check := httptest.NewRequest("POST", env.URL+"/notificaties/api/v1/notificaties", bytes.NewReader(body))
		check.Header.Set("Content-Type", "application/json")
		echo.ServeHTTP(httptest.NewRecorder(), check)
		var m zgw.Notificatie
		if err := json.Unmarshal(body, &m); err != nil {
			t.Errorf("a notification that is not JSON: %s", body)
		}
		cb.mu.Lock()
		if m.Kanaal == "test" {
			cb.tests = append(cb.tests, received{r.Header.Get("Authorization"), m})
		} else {
			cb.got = append(cb.got, received{r.Header.Get("Authorization"), m})
		}
		cb.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(cb.Close)
	return cb
}

func (cb *callback) received() []received {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	return append([]received(nil), cb.got...)
}

// tested are the test notifications the callback received, with their Authorization.
func (cb *callback) tested() []string {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	var auth []string
	for _, r := range cb.tests {
		auth = append(auth, r.auth)
	}
	return auth
}

// waitFor waits until the subscriber has n notifications.
func (cb *callback) waitFor(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := cb.received()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d notifications, want %d: %+v", len(got), n, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fastDelivery(c *sandbox.Config) {
	c.NotifyRetryBase, c.NotifyRetryCap, c.NotifyPoll = 20*time.Millisecond, 100*time.Millisecond, 10*time.Millisecond
}

// notifying starts a sandbox that delivers fast, with its catalogue resolved.
func notifying(t *testing.T) (*sandboxtest.Env, *zgw.Catalogue) {
	t.Helper()
	env := sandboxtest.Start(t, fastDelivery)
	cat, err := env.Client.Catalogi.Resolve(context.Background(), sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	return env, cat
}

func TestNotificationsReachMatchingAbonnementen(t *testing.T) {
	env, cat := notifying(t)
	ctx := context.Background()
	c := env.Client
	zaken, besluiten := newCallback(t, env), newCallback(t, env)
	zakenAb, err := c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: zaken.URL + "/cb", Auth: "Bearer zaken",
		Kanalen: []zgw.FilterGroup{{Naam: "zaken", Filters: map[string]string{"zaaktype": cat.ZaakType.URL}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: besluiten.URL + "/cb", Auth: "Bearer besluiten",
		Kanalen: []zgw.FilterGroup{{Naam: "besluiten", Filters: map[string]string{"besluittype": cat.BesluitType.URL}}}}); err != nil {
		t.Fatal(err)
	}

	// A zaak: told on kanaal zaken with its kenmerken, with the abonnement's auth.
	zaak, err := c.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat))
	if err != nil {
		t.Fatal(err)
	}
	got := zaken.waitFor(t, 1)
	m := got[0].msg
	if got[0].auth != "Bearer zaken" || m.Kanaal != "zaken" || m.Resource != "zaak" || m.Actie != "create" || m.ResourceURL != zaak.URL ||
		m.HoofdObject != zaak.URL || m.Kenmerken["zaaktype"] != cat.ZaakType.URL || m.Kenmerken["bronorganisatie"] != sandboxtest.RSIN {
		t.Errorf("the zaak's notification: %+v", got[0])
	}

	// The callback down: the status is delivered once it is back, after retries.
	zaken.down.Store(true)
	status, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.FirstStatus().URL, DatumStatusGezet: sandboxtest.Now()})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for attempts := 0; attempts < 3; {
		log, _ := env.Sandbox.Deliveries(ctx)
		attempts = log[len(log)-1].Attempts
		if time.Now().After(deadline) {
			t.Fatalf("no retries: %+v", log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	zaken.down.Store(false)
	got = zaken.waitFor(t, 2)
	if m := got[1].msg; m.Resource != "status" || m.ResourceURL != status.URL || m.HoofdObject != zaak.URL || m.Kenmerken["zaaktype"] != cat.ZaakType.URL {
		t.Errorf("the status's notification: %+v", m)
	}
	// The callback has the notification before the sandbox has its answer: the log catches up.
	var log []sandbox.Delivery
	for deadline := time.Now().Add(10 * time.Second); ; {
		if log, err = env.Sandbox.Deliveries(ctx); err != nil {
			t.Fatal(err)
		}
		if log[len(log)-1].Delivered || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, d := range log {
		if !d.Delivered || d.GaveUp {
			t.Errorf("delivery %s: %d attempts, delivered %v, gave up %v, last %d %s", d.Abonnement, d.Attempts, d.Delivered, d.GaveUp, d.LastStatus, d.LastError)
		}
	}
	if last := log[len(log)-1]; last.Attempts < 4 || last.LastStatus != http.StatusNoContent {
		t.Errorf("the retried delivery: %d attempts, last %d", last.Attempts, last.LastStatus)
	}

	// A besluit of the type: told to the besluiten subscriber only.
	besluit, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	got = besluiten.waitFor(t, 1)
	if m := got[0].msg; got[0].auth != "Bearer besluiten" || m.Kanaal != "besluiten" || m.Resource != "besluit" || m.Actie != "create" ||
		m.ResourceURL != besluit.URL || m.Kenmerken["besluittype"] != cat.BesluitType.URL {
		t.Errorf("the besluit's notification: %+v", got[0])
	}

	// A notification from another client is published like the sandbox's own; one whose
	// kenmerken do not match the filter reaches nobody.
	other := zgw.Notificatie{Kanaal: "besluiten", HoofdObject: "https://elders.example/besluiten/1", Resource: "besluit",
		ResourceURL: "https://elders.example/besluiten/1", Actie: "create", AanmaakDatum: time.Now().UTC().Format(time.RFC3339),
		Kenmerken: map[string]string{"besluittype": cat.BesluitType.URL}}
	if err := c.Notificaties.Publish(ctx, other); err != nil {
		t.Fatal(err)
	}
	other.Kenmerken = map[string]string{"besluittype": "https://elders.example/besluittypen/2"}
	if err := c.Notificaties.Publish(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got = besluiten.waitFor(t, 2); got[1].msg.HoofdObject != "https://elders.example/besluiten/1" {
		t.Errorf("a published notification: %+v", got[1])
	}

	// Replaced: the abonnement's new callback gets what follows; deleted: nobody does.
	moved := newCallback(t, env)
	if _, err := c.Notificaties.UpdateAbonnement(ctx, zakenAb.URL, zgw.Abonnement{CallbackURL: moved.URL + "/cb", Auth: "Bearer moved",
		Kanalen: zakenAb.Kanalen}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak.URL, ResultaatType: cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	if got := moved.waitFor(t, 1); got[0].auth != "Bearer moved" || got[0].msg.Resource != "resultaat" {
		t.Errorf("after the abonnement moved: %+v", got)
	}
	// Each callback was tried with the test notification, with its auth, before it was accepted.
	for _, tc := range []struct {
		cb   *callback
		want string
	}{{zaken, "[Bearer zaken]"}, {besluiten, "[Bearer besluiten]"}, {moved, "[Bearer moved]"}} {
		if got := fmt.Sprint(tc.cb.tested()); got != tc.want {
			t.Errorf("test notifications %s, want %s", got, tc.want)
		}
	}
	if err := c.Notificaties.DeleteAbonnement(ctx, zakenAb.URL); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateZaak(ctx, sandboxtest.NewZaak(cat)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(moved.received()) + len(zaken.received()); n != 3 {
		t.Errorf("%d notifications on kanaal zaken after the abonnement was deleted, want 3", n)
	}
	if _, err := c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: moved.URL, Auth: "x",
		Kanalen: []zgw.FilterGroup{{Naam: "zaken", Filters: map[string]string{"nope": "1"}}}}); err == nil {
		t.Error("a filter the kanaal does not offer was accepted")
	}
}

// Deliveries survive a restart of the sandbox: what was not delivered is sent after it.
func TestUndeliveredNotificationsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	cfg := sandbox.Config{DataDir: dir, ClientID: sandboxtest.ClientID, Secret: sandboxtest.Secret}
	fastDelivery(&cfg)
	var hits atomic.Int32
	down := false // up while the abonnement is made (its callback is tried), down after
	var mu sync.Mutex
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		hits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer cb.Close()
	ctx := context.Background()
	sb, err := sandbox.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	c, _ := zgw.New(sandboxtest.ClientConfig(srv.URL))
	if _, err := c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: cb.URL, Auth: "a", Kanalen: []zgw.FilterGroup{{Naam: "besluiten"}}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	down = true
	hits.Store(0) // the test notification
	mu.Unlock()
	cat, err := c.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		BesluitType: cat.BesluitType.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	srv.Close()
	sb.Close()
	mu.Lock()
	down = false
	mu.Unlock()
	sb, err = sandbox.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for hits.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if n := hits.Load(); n != 1 {
		t.Errorf("%d deliveries after the restart, want 1", n)
	}
}

// TestDocumentNotificationsCarryKenmerken: a document's notification carries the kanaal
// documenten's kenmerken, so that an abonnement filtered on informatieobjecttype receives it
// (and one filtered on another type does not).
func TestDocumentNotificationsCarryKenmerken(t *testing.T) {
	env, cat := notifying(t)
	ctx := context.Background()
	c := env.Client
	letters, others := newCallback(t, env), newCallback(t, env)
	for cb, iot := range map[*callback]string{letters: sandbox.IOTypeLetter, others: sandbox.IOTypeEvidence} {
		if _, err := c.Notificaties.CreateAbonnement(ctx, zgw.Abonnement{CallbackURL: cb.URL, Auth: "Bearer d",
			Kanalen: []zgw.FilterGroup{{Naam: "documenten", Filters: map[string]string{"informatieobjecttype": cat.InformatieObjectTypen[iot].URL}}}}); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := c.Documenten.Create(ctx, sandboxtest.NewDoc(cat, sandbox.IOTypeLetter, nil))
	if err != nil {
		t.Fatal(err)
	}
	m := letters.waitFor(t, 1)[0].msg
	if m.Kanaal != "documenten" || m.Resource != "enkelvoudiginformatieobject" || m.ResourceURL != doc.URL ||
		m.Kenmerken["informatieobjecttype"] != cat.InformatieObjectTypen[sandbox.IOTypeLetter].URL ||
		m.Kenmerken["bronorganisatie"] != sandboxtest.RSIN || m.Kenmerken["vertrouwelijkheidaanduiding"] == "" {
		t.Errorf("the document's notification: %+v", m)
	}
	// Deliveries are made when the notification is published: none for the other abonnement.
	log, err := env.Sandbox.Deliveries(ctx)
	if err != nil || len(log) != 1 || len(others.received()) != 0 {
		t.Errorf("deliveries %+v (%v); the other abonnement got %+v", log, err, others.received())
	}
}
