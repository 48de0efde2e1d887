package workflow_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch/dutchtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/history"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/notify/notifytest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// clock is the injected time: tests move it across reminders, deadlines and waits.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func amsterdam(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, objection.Amsterdam)
	if err != nil {
		panic(err)
	}
	return t
}

// lifeHarness is an engine with an injected clock and notices to an in-process SMTP server.
func lifeHarness(t *testing.T) (*harness, *clock, *notifytest.Server) {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "connector.db"))
	if err != nil {
		t.Fatal(err)
	}
	smtp := notifytest.Start(t)
	templates, err := notify.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: amsterdam("2025-05-14 09:00")}
	h := harnessWith(t, sandboxtest.StartForConnector(t), st, 20*time.Millisecond, func(cfg *workflow.Config) {
		cfg.Now = clk.Now
		cfg.RemindBefore = 72 * time.Hour
		cfg.ConfirmationWait = 30 * 24 * time.Hour
		cfg.Catalogue.StatusTypeFiled = sandbox.StatusTypeFiled
		cfg.Catalogue.ResultaatTypeNotConfirmed = sandbox.ResultaatTypeNotConfirmed
		cfg.Notifier = &notify.Notifier{Templates: templates, PublicURL: "https://connector.voorbeeldstad.nl",
			Sender: &notify.SMTP{Addr: smtp.Addr, TLS: "none", From: "connector@voorbeeldstad.nl", To: []string{"privacy@voorbeeldstad.nl"}, Timeout: 5 * time.Second}}
	})
	return h, clk, smtp
}

func screenshot(t *testing.T) *objection.Upload {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return &objection.Upload{Name: "ontvangst.png", Data: b.Bytes()}
}

// allTold checks that the history tells every event of the case in words: the details the
// workflow records have the forms package history knows.
func allTold(t *testing.T, h *harness, id string) {
	t.Helper()
	events, err := h.engine.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range history.Lines(events) {
		if l.Untold {
			t.Errorf("the history cannot tell %q: %s", l.What, l.Note)
		}
	}
}

func eventTypes(t *testing.T, h *harness, id string) []string {
	t.Helper()
	events, err := h.engine.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Type)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// waitFor polls until ok, for work the engine's jobs do in the background.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLifeOfAnObjection: the letter for filing, a reminder before the deadline, a filing with
// Meta's receipt, the deadline passing with an account not filed, the second filing (the zaak's
// middle status, once), Meta's mail for one account only, and — the wait after the last filing
// run out — the zaak closed as not confirmed. The clock is moved; nothing sleeps for it. Each
// notice arrives once, however often the clock's work is looked for.
func TestLifeOfAnObjection(t *testing.T) {
	h, clk, smtp := lifeHarness(t)
	ctx := objection.WithPrincipal(context.Background(), objection.Principal{ID: "registrar-jan", Via: objection.ViaToken})
	d := decision("B&W-LIFE", objection.Facebook, objection.Instagram)
	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	c = h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	if want := amsterdam("2025-05-28 00:00"); c.DueAt == nil || !c.DueAt.Equal(want) {
		t.Errorf("dueAt %v, want the end of 27 May in Amsterdam", c.DueAt)
	}

	// The letter as stored in the zaaksysteem, byte for byte, with the form to paste it in.
	body, form, err := h.engine.Letter(ctx, c.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	letter, _ := io.ReadAll(body)
	body.Close()
	stored, _ := h.env.Client.Documenten.Download(ctx, c.Accounts[1].LetterURL)
	want, _ := io.ReadAll(stored)
	stored.Close()
	if !bytes.Equal(letter, want) || len(letter) == 0 || form != c.Accounts[1].FormURL {
		t.Errorf("letter %d bytes (stored %d), form %q", len(letter), len(want), form)
	}
	if _, _, err := h.engine.Letter(ctx, c.ID, 2); objection.CodeOf(err) != objection.CodeNotFound {
		t.Errorf("a third account's letter: %v", err)
	}

	sweep := func(at string) {
		t.Helper()
		clk.Set(amsterdam(at))
		for range 2 { // twice: what is due is done once
			if err := h.engine.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	sweep("2025-05-20 10:00")
	if n := count(eventTypes(t, h, c.ID), objection.EventReminder); n != 0 {
		t.Fatal("a reminder a week before the deadline")
	}
	sweep("2025-05-25 08:00")
	if n := count(eventTypes(t, h, c.ID), objection.EventReminder); n != 1 {
		t.Fatalf("%d reminders three days before the deadline, want 1", n)
	}

	// Filed through the web form, with a screenshot of Meta's receipt.
	clk.Set(amsterdam("2025-05-26 11:00"))
	if _, err := h.engine.File(ctx, c.ID, 0, objection.FilingRequest{Channel: "web-form", Note: "Formulier ingevuld", Evidence: screenshot(t)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.engine.File(ctx, c.ID, 0, objection.FilingRequest{Channel: "web-form"}); objection.CodeOf(err) != objection.CodeConflict {
		t.Errorf("filing the same account twice: %v", err)
	}
	if _, err := h.engine.File(ctx, c.ID, 1, objection.FilingRequest{Channel: "fax"}); objection.CodeOf(err) != objection.CodeInvalid {
		t.Errorf("an unknown channel: %v", err)
	}
	waitFor(t, "the receipt in the zaak", func() bool {
		c, _ := h.engine.Case(ctx, c.ID)
		return c.Accounts[0].Filing != nil && c.Accounts[0].Filing.EvidenceURL != ""
	})
	c, _ = h.engine.Case(ctx, c.ID)
	if f := c.Accounts[0].Filing; f.By != "registrar-jan" || f.Channel != "web-form" || !c.Accounts[0].FiledAt.Equal(amsterdam("2025-05-26 11:00")) {
		t.Errorf("filing recorded as %+v", f)
	}
	receipt, err := h.env.Client.Documenten.Get(ctx, c.Accounts[0].Filing.EvidenceURL)
	if err != nil || receipt.Formaat != "image/png" || !strings.Contains(receipt.Beschrijving, "registrar-jan") {
		t.Errorf("the receipt's document: %+v %v", receipt, err)
	}

	sweep("2025-05-28 01:00")
	if n := count(eventTypes(t, h, c.ID), objection.EventOverdue); n != 1 {
		t.Fatalf("%d overdue events, want 1", n)
	}
	yes := true
	if overdue, n, _ := h.engine.Cases(ctx, objection.CaseFilter{Overdue: &yes}, objection.Page{Number: 1, Size: 10}); n != 1 || len(overdue) != 1 || !overdue[0].Overdue {
		t.Errorf("overdue cases: %v", overdue)
	}
	reg := prometheus.NewRegistry()
	h.engine.RegisterGauges(reg)
	for name, want := range map[string]float64{"connector_filings_overdue": 1, "connector_accounts_not_filed": 1, "connector_confirmations_awaited_too_long": 0} {
		if got := testutil.ToFloat64(gaugeOf(t, reg, name)); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}

	clk.Set(amsterdam("2025-05-29 09:30"))
	if _, err := h.engine.File(ctx, c.ID, 1, objection.FilingRequest{Channel: "app", Note: "Alleen pop-up in de app, geen mail"}); err != nil {
		t.Fatal(err)
	}
	var statussen []zgw.Status
	waitFor(t, "the filed status", func() bool {
		statussen, _ = h.env.Client.Zaken.ListStatussen(ctx, c.ZaakURL)
		return len(statussen) == 2
	})
	// The zaaksysteem lists statussen newest first (as Open Zaak does): the filed one by its type.
	filed := slices.IndexFunc(statussen, func(s zgw.Status) bool { return s.StatusType == h.cat.StatusTypen[1].URL })
	if filed < 0 || !strings.Contains(statussen[filed].StatusToelichting, "2025-05-29") {
		t.Errorf("filed status: %+v", statussen)
	}
	if c, _ = h.engine.Case(ctx, c.ID); c.Overdue {
		t.Error("still overdue once every account is filed")
	}

	// Meta confirms the Facebook account only.
	if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured, Date: clk.Now()})); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the confirmation", func() bool {
		c, _ := h.engine.Case(ctx, c.ID)
		return c.Accounts[0].ConfirmedHow == objection.ConfirmedByMail
	})
	sweep("2025-06-20 09:00") // less than 30 days after the last filing
	if c, _ = h.engine.Case(ctx, c.ID); c.State() != objection.StateAwaitingConfirmation {
		t.Fatalf("closed before the wait ran out: %s", c.State())
	}
	sweep("2025-06-28 10:00")
	closed := h.waitState(t, c.ID, objection.StateClosed)
	if closed.Outcome != objection.OutcomeNotConfirmed || closed.ClosedBy != objection.System.Name || !strings.Contains(closed.CloseReason, "binnen 30 dagen na de laatste indiening") {
		t.Errorf("closed as %s by %s: %s", closed.Outcome, closed.ClosedBy, closed.CloseReason)
	}
	zaak, _ := h.env.Client.Zaken.GetZaak(ctx, c.ZaakURL)
	rs, _ := h.env.Client.Zaken.ListResultaten(ctx, c.ZaakURL)
	statussen, _ = h.env.Client.Zaken.ListStatussen(ctx, c.ZaakURL)
	if zaak.Einddatum == nil || len(rs) != 1 || rs[0].ResultaatType != h.cat.NotConfirmed.URL || len(statussen) != 3 {
		t.Errorf("zaak %+v, resultaten %+v, %d statussen", zaak, rs, len(statussen))
	}

	types := eventTypes(t, h, c.ID)
	for _, want := range []string{objection.EventRegistered, objection.EventZaakCreated, objection.EventBesluit, objection.EventDocumentStored,
		objection.EventReminder, objection.EventFiled, objection.EventOverdue, objection.EventMailAccepted, objection.EventClosing,
		objection.EventResultaat, objection.EventClosed} {
		if !slices.Contains(types, want) {
			t.Errorf("no %s event in %v", want, types)
		}
	}
	if count(types, objection.EventFiled) != 2 || count(types, objection.EventClosed) != 1 {
		t.Errorf("events %v", types)
	}
	allTold(t, h, c.ID)

	// Each notice once: registered, reminder, overdue, Meta's mail accepted, closed.
	waitFor(t, "five notices", func() bool { return len(smtp.Messages()) >= 5 })
	time.Sleep(200 * time.Millisecond) // a sixth would be a repeat
	subjects := smtp.Subjects()
	for _, prefix := range []string{"Bezwaar bij Meta geregistreerd", "Herinnering", "Termijn verstreken", "Bevestiging van Meta ontvangen", "Zaak afgesloten"} {
		if n := len(slices.DeleteFunc(slices.Clone(subjects), func(s string) bool { return !strings.HasPrefix(s, prefix) })); n != 1 {
			t.Errorf("%d notices %q, want 1 (all: %q)", n, prefix, subjects)
		}
	}
	// Every notice speaks Dutch to its reader (what it quotes in English is indented).
	for _, m := range smtp.Messages() {
		if english := dutchtest.InText(m.Subject + "\n" + m.Body); len(english) > 0 {
			t.Errorf("notice %q shows English: %q", m.Subject, english)
		}
	}
	registered := smtp.Messages()[slices.IndexFunc(smtp.Messages(), func(m notifytest.Message) bool { return strings.HasPrefix(m.Subject, "Bezwaar bij Meta geregistreerd") })]
	if !strings.Contains(registered.Body, c.Accounts[1].FormURL) || !strings.Contains(registered.Body, "Geachte") {
		t.Errorf("the registered notice lacks the forms or the letters:\n%s", registered.Body)
	}
}

// TestOtherOutcomes: an account confirmed by other evidence counts toward closing; a registrar
// closes a case as not confirmed with a reason; and a zaak closed in the zaaksysteem by someone
// else ends its case as closed_elsewhere, with what was found.
func TestOtherOutcomes(t *testing.T) {
	h, clk, _ := lifeHarness(t)
	ctx := objection.WithPrincipal(context.Background(), objection.Principal{ID: "registrar-jan", Via: objection.ViaToken})
	register := func(ref string, platforms ...objection.Platform) *objection.Case {
		c, _, err := h.engine.Register(ctx, decision(ref, platforms...), nil)
		if err != nil {
			t.Fatal(err)
		}
		return h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	}

	t.Run("confirmed by other evidence", func(t *testing.T) {
		c := register("B&W-EVIDENCE", objection.Instagram)
		if _, err := h.engine.ConfirmByEvidence(ctx, c.ID, 0, objection.EvidenceRequest{Evidence: screenshot(t)}); objection.CodeOf(err) != objection.CodeInvalid {
			t.Errorf("evidence without a reason: %v", err)
		}
		if _, err := h.engine.ConfirmByEvidence(ctx, c.ID, 0, objection.EvidenceRequest{Reason: "x", Evidence: &objection.Upload{Name: "a.exe", Data: []byte("MZ\x90\x00")}}); objection.CodeOf(err) != objection.CodeInvalid {
			t.Errorf("an executable as evidence: %v", err)
		}
		if _, err := h.engine.ConfirmByEvidence(ctx, c.ID, 0, objection.EvidenceRequest{Reason: "Meta bevestigde in de app; schermafdruk", Evidence: screenshot(t)}); err != nil {
			t.Fatal(err)
		}
		closed := h.waitState(t, c.ID, objection.StateClosed)
		allTold(t, h, c.ID)
		a := closed.Accounts[0]
		if closed.Outcome != objection.OutcomeConfirmed || a.ConfirmedHow != objection.ConfirmedByEvidence || a.ConfirmationURL == "" {
			t.Fatalf("case %+v", closed)
		}
		doc, err := h.env.Client.Documenten.Get(ctx, a.ConfirmationURL)
		if err != nil || !strings.Contains(doc.Beschrijving, "registrar-jan") || !strings.Contains(doc.Beschrijving, "schermafdruk") {
			t.Errorf("the evidence's document: %+v %v", doc, err)
		}
		rs, _ := h.env.Client.Zaken.ListResultaten(ctx, closed.ZaakURL)
		if len(rs) != 1 || rs[0].ResultaatType != h.cat.ResultaatType.URL {
			t.Errorf("resultaat %+v", rs)
		}
	})

	t.Run("closed as not confirmed by a registrar", func(t *testing.T) {
		c := register("B&W-GIVEUP", objection.Facebook)
		if _, err := h.engine.CloseNotConfirmed(ctx, c.ID, " "); objection.CodeOf(err) != objection.CodeInvalid {
			t.Errorf("without a reason: %v", err)
		}
		// Not before the objection was filed, while its deadline (27 May) is ahead.
		if _, err := h.engine.CloseNotConfirmed(ctx, c.ID, "Meta antwoordt niet"); objection.CodeOf(err) != objection.CodeConflict {
			t.Errorf("closing before anything was filed: %v", err)
		}
		if _, err := h.engine.File(ctx, c.ID, 0, objection.FilingRequest{Channel: "web-form"}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.engine.CloseNotConfirmed(ctx, c.ID, "Meta antwoordt niet; besloten in het teamoverleg"); err != nil {
			t.Fatal(err)
		}
		if _, err := h.engine.CloseNotConfirmed(ctx, c.ID, "nog eens"); objection.CodeOf(err) != objection.CodeConflict {
			t.Errorf("closing twice: %v", err)
		}
		closed := h.waitState(t, c.ID, objection.StateClosed)
		allTold(t, h, c.ID)
		rs, _ := h.env.Client.Zaken.ListResultaten(ctx, closed.ZaakURL)
		if closed.ClosedBy != "registrar-jan" || len(rs) != 1 || rs[0].ResultaatType != h.cat.NotConfirmed.URL || !strings.Contains(rs[0].Toelichting, "teamoverleg") {
			t.Errorf("case %+v, resultaat %+v", closed, rs)
		}
	})

	t.Run("the decision's document already in the zaaksysteem", func(t *testing.T) {
		content := []byte("%PDF-1.4\n% raadsvoorstel\n%%EOF\n")
		doc, err := h.env.Client.Documenten.Create(ctx, zgw.InformatieObject{Identificatie: "VOORSTEL-2025-1", Bronorganisatie: sandboxtest.RSIN,
			CreatieDatum: "2025-05-13", Titel: "Raadsvoorstel", Auteur: "Griffie", Taal: "dut", Formaat: "application/pdf", Bestandsnaam: "voorstel.pdf",
			Inhoud: ptrTo(base64.StdEncoding.EncodeToString(content)), Status: "definitief", Vertrouwelijkheid: "openbaar",
			IndicatieGebruiksrecht: ptrTo(false), InformatieObjectType: h.cat.InformatieObjectTypen[sandbox.IOTypeBesluit].URL})
		if err != nil {
			t.Fatal(err)
		}
		d := decision("B&W-DOCURL", objection.Facebook)
		d.DocumentURL = "http://elders.example/documenten/api/v1/enkelvoudiginformatieobjecten/1"
		if _, _, err := h.engine.Register(ctx, d, nil); objection.CodeOf(err) != objection.CodeInvalid {
			t.Errorf("a document of another zaaksysteem: %v", err)
		}
		d.DocumentURL = doc.URL
		c, _, err := h.engine.Register(ctx, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		c = h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
		bios, _ := h.env.Client.Besluiten.ListBesluitInformatieObjecten(ctx, c.BesluitURL)
		zios, _ := h.env.Client.Zaken.ListZaakInformatieObjecten(ctx, c.ZaakURL)
		if c.DecisionDocumentURL != doc.URL || len(bios) != 1 || bios[0].InformatieObject != doc.URL || len(zios) != 2 || zios[0].InformatieObject != doc.URL {
			t.Errorf("case %s, besluitinformatieobjecten %+v, zaakinformatieobjecten %+v", c.DecisionDocumentURL, bios, zios)
		}
	})

	t.Run("closed elsewhere", func(t *testing.T) {
		c := register("B&W-ELSEWHERE", objection.Facebook)
		other := h.env.Client // another client of the zaaksysteem closes the zaak
		if _, err := other.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: c.ZaakURL, ResultaatType: h.cat.ResultaatType.URL, Toelichting: "door de behandelaar"}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Zaken.CreateStatus(ctx, zgw.Status{Zaak: c.ZaakURL, StatusType: h.cat.EindStatus().URL, DatumStatusGezet: time.Now().UTC().Add(-time.Second).Format(time.RFC3339)}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, c.Decision.Accounts[0], meta.Sample{Kind: meta.KindHonoured, Date: clk.Now()})); err != nil {
			t.Fatal(err)
		}
		ended := h.waitState(t, c.ID, objection.StateClosedElsewhere)
		defer allTold(t, h, c.ID)
		if !strings.Contains(ended.CloseReason, "in het zaaksysteem door een ander afgesloten") || ended.LastError != "" {
			t.Errorf("case %+v", ended)
		}
		if rs, _ := h.env.Client.Zaken.ListResultaten(ctx, c.ZaakURL); len(rs) != 1 || rs[0].Toelichting != "door de behandelaar" {
			t.Errorf("the connector touched the closed zaak's resultaat: %+v", rs)
		}
		if !slices.Contains(eventTypes(t, h, c.ID), objection.EventClosedElsewhere) {
			t.Error("no closed_elsewhere event")
		}
	})
}

// TestNoticesWaitForABrokenSMTPServer: a refusing mail server delays the notice; the case goes
// on, and the notice arrives once the server takes mail again.
func TestNoticesWaitForABrokenSMTPServer(t *testing.T) {
	h, _, smtp := lifeHarness(t)
	smtp.Refuse(true)
	c, _, err := h.engine.Register(context.Background(), decision("B&W-SMTP", objection.Facebook), nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	time.Sleep(100 * time.Millisecond)
	if n := len(smtp.Messages()); n != 0 {
		t.Fatalf("%d messages through a refusing server", n)
	}
	smtp.Refuse(false)
	waitFor(t, "the notice after the server came back", func() bool { return len(smtp.Messages()) == 1 })
	if m := smtp.Messages()[0]; !strings.Contains(m.MessageID, "registered."+c.ID) || fmt.Sprint(m.To) != "[privacy@voorbeeldstad.nl]" {
		t.Errorf("message %+v", m)
	}
}

// gaugeOf picks one gauge of a registry, by name, as a collector testutil can read.
func gaugeOf(t *testing.T, reg *prometheus.Registry, name string) prometheus.Collector {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: "copy"}, func() float64 { return f.GetMetric()[0].GetGauge().GetValue() })
		}
	}
	t.Fatalf("no gauge %s", name)
	return nil
}
