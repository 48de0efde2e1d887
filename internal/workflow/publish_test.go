package workflow_test

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/publicatiebank"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
)

const besluitenlijsten = "agenda's en besluitenlijsten bestuurscolleges"

// publishing configures publication on the sandbox's publicatiebank.
func publishing(env *sandboxtest.Env, change func(*workflow.Publishing)) func(*workflow.Config) {
	return func(cfg *workflow.Config) {
		client, err := woo.New(env.WooConfig())
		if err != nil {
			panic(err)
		}
		p := &workflow.Publishing{Client: client, Publisher: "Gemeente Voorbeeldstad", Category: besluitenlijsten, Municipality: "Gemeente Voorbeeldstad"}
		if change != nil {
			change(p)
		}
		cfg.Woo = p
	}
}

// publishingHarness runs the engine with publication on the sandbox's publicatiebank (its
// exchanges validated against GPP-publicatiebank's spec).
func publishingHarness(t *testing.T, change func(*workflow.Publishing), opts ...sandboxtest.Option) *harness {
	t.Helper()
	env := sandboxtest.StartForConnector(t, opts...)
	return harnessWith(t, env, sqliteStore(t), 20*time.Millisecond, publishing(env, change))
}

func sqliteStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "connector.db"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// waitFor waits until cond holds for the case, reading it at each of its writes.
func (h *harness) waitFor(t testing.TB, id, what string, cond func(*objection.Case) bool) *objection.Case {
	t.Helper()
	deadline := time.After(cmp.Or(h.patience, 20*time.Second))
	written, stop := h.changes.watch(id)
	defer stop()
	for {
		c, err := h.engine.Case(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if cond(c) {
			return c
		}
		select {
		case <-written:
		case <-deadline:
			t.Fatalf("case %s: waited in vain for %s; publication %+v, last error %q", id, what, c.Publication, c.LastError)
		}
	}
}

func publicationIs(state objection.PublicationState) func(*objection.Case) bool {
	return func(c *objection.Case) bool { return c.Publication != nil && c.Publication.State == state }
}

var decisionPDF = []byte("%PDF-1.4\n% het collegebesluit over Meta en AI-training\n%%EOF\n")

func TestADecisionIsPublished(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fetch bool
		parts int64
	}{{"uploaded in parts", false, 16}, {"fetched by the publicatiebank from the Documenten API", true, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			h := publishingHarness(t, func(p *workflow.Publishing) { p.Fetch = tc.fetch }, func(c *sandbox.Config) {
				if tc.parts > 0 {
					c.PartSize = tc.parts // the publicatiebank asks for several parts
				}
			})
			ctx := context.Background()
			d := decision("CB-2026-0101", objection.Facebook)
			c, _, err := h.engine.Register(objection.WithPrincipal(ctx, objection.Principal{ID: "a.adviseur", Name: "A. Adviseur", Via: objection.ViaSession}), d, &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
			if err != nil {
				t.Fatal(err)
			}
			c = h.waitFor(t, c.ID, "a concept publication", publicationIs(objection.PublicationConcept))
			pb := h.env.Woo(t)
			pub, err := pb.FindPublicatie(ctx, woo.Kenmerk{Kenmerk: d.Reference, Bron: "meta-bezwaar-connector"})
			if err != nil || pub == nil || pub.UUID != c.Publication.UUID {
				t.Fatalf("the publicatie by its kenmerk: %+v, %v (case: %+v)", pub, err, c.Publication)
			}
			cat, _ := pb.Categorie(ctx, besluitenlijsten)
			org, _ := pb.Organisatie(ctx, "Gemeente Voorbeeldstad")
			if pub.Publicatiestatus != woo.StatusConcept || len(pub.InformatieCategorieen) != 1 || pub.InformatieCategorieen[0] != cat ||
				pub.Publisher == nil || *pub.Publisher != org || !strings.Contains(pub.OfficieleTitel, d.Reference) {
				t.Errorf("the publicatie: %+v", pub)
			}
			if pub.Eigenaar.Identifier != "a.adviseur" {
				t.Errorf("the publicatiebank's audit names %+v, want the person who registered the decision", pub.Eigenaar)
			}
			docs, err := pb.Documenten(ctx, pub.UUID)
			if err != nil || len(docs) != 1 || !docs[0].UploadVoltooid {
				t.Fatalf("its documents: %+v, %v", docs, err)
			}
			if got, err := pb.Download(ctx, docs[0].UUID, 1<<20); err != nil || !bytes.Equal(got, decisionPDF) {
				t.Errorf("the published document is %q (%v), want the besluitdocument byte for byte", got, err)
			}

			// The communication advisor publishes it in the GPP app; the connector sees it on
			// its next look and gives the besluit its publicatiedatum, once.
			if _, err := pb.Publish(ctx, pub); err != nil {
				t.Fatal(err)
			}
			if err := h.engine.LookAtPublication(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			c = h.waitFor(t, c.ID, "the publicatiedatum", func(c *objection.Case) bool { return c.Publication.Publicatiedatum != "" })
			today := time.Now().In(objection.Amsterdam).Format(time.DateOnly)
			if c.Publication.State != objection.PublicationPublished || c.Publication.Publicatiedatum != today || !strings.Contains(c.Publication.PublicURL, publicatiebank.PublicRoot) {
				t.Errorf("the case's publication: %+v", c.Publication)
			}
			b, err := h.env.Client.Besluiten.GetBesluit(ctx, c.BesluitURL)
			if err != nil || b.Publicatiedatum == nil || *b.Publicatiedatum != today {
				t.Fatalf("the besluit: %+v, %v", b, err)
			}
			if err := h.engine.LookAtPublication(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			trail, err := h.env.Client.Besluiten.AuditTrail(ctx, c.BesluitURL)
			if err != nil {
				t.Fatal(err)
			}
			updates := 0
			for _, a := range trail {
				if a.Actie == "partial_update" || a.Actie == "update" {
					updates++
				}
			}
			if updates != 1 {
				t.Errorf("the besluit was changed %d times, want once (its publicatiedatum)", updates)
			}
			events, _ := h.engine.Events(ctx, c.ID)
			want := []string{objection.EventPublicationRegistered, objection.EventPublished, objection.EventPublicatiedatum}
			for _, typ := range want {
				if n := countEvents(events, typ); n != 1 {
					t.Errorf("%d events %s, want 1", n, typ)
				}
			}

			// The dossier shows it: the besluit with its publicatiedatum, the publication itself.
			var zipped bytes.Buffer
			m, err := (&dossier.Exporter{ZGW: h.env.Client, Now: time.Now, Records: h.engine}).Export(ctx, c.ZaakURL, &zipped, nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.Publication == nil || m.Publication.State != objection.PublicationPublished || len(m.Besluiten) != 1 ||
				!strings.Contains(string(m.Besluiten[0]), `"publicatiedatum":"`+today+`"`) {
				t.Errorf("the dossier's manifest: publication %+v, besluiten %s", m.Publication, m.Besluiten)
			}
			if index := zipFile(t, zipped.Bytes(), "index.html"); !strings.Contains(index, "Publicatie (Woo)") || !strings.Contains(index, c.Publication.PublicURL) {
				t.Errorf("the dossier's index.html does not show the publication")
			}

			// The rest of the case goes on as always.
			if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})); err != nil {
				t.Fatal(err)
			}
			h.waitState(t, c.ID, objection.StateClosed)
		})
	}
}

func TestPublishingDirectly(t *testing.T) {
	h := publishingHarness(t, func(p *workflow.Publishing) { p.Directly = true })
	ctx := context.Background()
	c, _, err := h.engine.Register(ctx, decision("CB-2026-0102", objection.Facebook), &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
	if err != nil {
		t.Fatal(err)
	}
	c = h.waitFor(t, c.ID, "the publicatiedatum", func(c *objection.Case) bool { return c.Publication != nil && c.Publication.Publicatiedatum != "" })
	if c.Publication.State != objection.PublicationPublished || c.Publication.PublishedAt == nil {
		t.Errorf("published directly: %+v", c.Publication)
	}
	pub, err := h.env.Woo(t).GetPublicatie(ctx, c.Publication.UUID)
	if err != nil || pub.Publicatiestatus != woo.StatusGepubliceerd {
		t.Fatalf("at the publicatiebank: %+v, %v", pub, err)
	}

	// Withdrawn in the GPP app: recorded on the next look, once.
	body, _ := json.Marshal(map[string]any{"publicatiestatus": woo.StatusIngetrokken, "officieleTitel": pub.OfficieleTitel,
		"publisher": pub.Publisher, "informatieCategorieen": pub.InformatieCategorieen})
	code, answer := sandboxtest.Send(t, http.MethodPatch, h.env.URL+"/publicatiebank/api/v2/publicaties/"+pub.UUID, "", string(body),
		map[string]string{"Authorization": "Token " + sandboxtest.WooToken, "Audit-User-ID": "c", "Audit-User-Representation": "Communicatie", "Audit-Remarks": "intrekken"})
	if code != http.StatusOK {
		t.Fatalf("withdrawing: %d %v", code, answer)
	}
	for range 2 {
		if err := h.engine.LookAtPublication(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	c, _ = h.engine.Case(ctx, c.ID)
	events, _ := h.engine.Events(ctx, c.ID)
	if c.Publication.State != objection.PublicationWithdrawn || c.Publication.WithdrawnAt == nil || countEvents(events, objection.EventPublicationWithdrawn) != 1 {
		t.Errorf("after the withdrawal: %+v, %d events", c.Publication, countEvents(events, objection.EventPublicationWithdrawn))
	}
}

// TestARefusedPublicationLeavesTheCaseAlone: what the publicatiebank refuses is said on the case
// in Dutch, and the letters, the filing, the confirmation and the closing go on unaffected.
func TestARefusedPublicationLeavesTheCaseAlone(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*workflow.Publishing)
		opts    []sandboxtest.Option
		problem string
	}{
		{"unknown category", func(p *workflow.Publishing) { p.Category = "bestaat niet" }, nil, "WOO_INFORMATIECATEGORIE"},
		{"publisher inactive", func(p *workflow.Publishing) { p.Publisher = publicatiebank.InactiveOrganisation }, nil, "actieve organisatie"},
		{"document too large", nil, []sandboxtest.Option{func(c *sandbox.Config) { c.WooMaxDocumentSize = 10 }}, "bestandsomvang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := publishingHarness(t, tc.change, tc.opts...)
			ctx := context.Background()
			d := decision("CB-2026-0103", objection.Facebook)
			c, _, err := h.engine.Register(ctx, d, &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
			if err != nil {
				t.Fatal(err)
			}
			c = h.waitFor(t, c.ID, "the refusal", publicationIs(objection.PublicationRefused))
			if !strings.Contains(c.Publication.Problem, tc.problem) || c.State() == objection.StateFailed {
				t.Errorf("refused: %+v (case %s)", c.Publication, c.State())
			}
			reg := prometheus.NewRegistry()
			h.engine.RegisterGauges(reg)
			if err := testutil.GatherAndCompare(reg, strings.NewReader(refusedGauge), "connector_publications"); err != nil {
				t.Error(err)
			}
			if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})); err != nil {
				t.Fatal(err)
			}
			h.waitState(t, c.ID, objection.StateClosed)
		})
	}
}

// TestPublishingAgainAfterARefusal: once the refusal is put right (the beheerder activates the
// organisation), a registrar asks again and the decision is published; asking again for a
// publication that was not refused is a conflict.
func TestPublishingAgainAfterARefusal(t *testing.T) {
	h := publishingHarness(t, func(p *workflow.Publishing) { p.Publisher = publicatiebank.InactiveOrganisation })
	ctx := context.Background()
	c, _, err := h.engine.Register(ctx, decision("CB-2026-0105", objection.Facebook), &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
	if err != nil {
		t.Fatal(err)
	}
	h.waitFor(t, c.ID, "the refusal", publicationIs(objection.PublicationRefused))
	if err := h.env.Sandbox.Publicatiebank().SetActive(ctx, publicatiebank.InactiveOrganisation, true); err != nil {
		t.Fatal(err)
	}
	if _, err := h.engine.PublishAgain(objection.WithPrincipal(ctx, objection.Principal{ID: "b.registrator", Via: objection.ViaToken}), c.ID); err != nil {
		t.Fatal(err)
	}
	c = h.waitFor(t, c.ID, "a concept publication", publicationIs(objection.PublicationConcept))
	if c.Publication.Problem != "" || c.Publication.Again != 1 {
		t.Errorf("after asking again: %+v", c.Publication)
	}
	pub, err := h.env.Woo(t).GetPublicatie(ctx, c.Publication.UUID)
	if err != nil || pub.Eigenaar.Identifier != "b.registrator" {
		t.Errorf("the publicatie: %+v, %v; want it registered for the one who asked again", pub, err)
	}
	var oe *objection.Error
	if _, err := h.engine.PublishAgain(ctx, c.ID); !errors.As(err, &oe) || oe.Code != objection.CodeConflict {
		t.Errorf("asking again for a concept: %v, want a conflict", err)
	}
}

// TestWithoutPublishingNothingIsPublished: without a publicatiebank configured no case has a
// publication and nothing reaches the publicatiebank.
func TestWithoutPublishingNothingIsPublished(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c, _, err := h.engine.Register(ctx, decision("CB-2026-0104", objection.Facebook), &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
	if err != nil {
		t.Fatal(err)
	}
	c = h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	if err := h.engine.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Publication != nil {
		t.Errorf("a publication without a publicatiebank: %+v", c.Publication)
	}
	if pub, err := h.env.Woo(t).FindPublicatie(ctx, woo.Kenmerk{Kenmerk: "CB-2026-0104", Bron: "meta-bezwaar-connector"}); err != nil || pub != nil {
		t.Errorf("at the publicatiebank: %+v, %v", pub, err)
	}
}

// zipFile reads one file of a zip.
func zipFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// refusedGauge is connector_publications with one refused publication.
const refusedGauge = `# HELP connector_publications Decisions' publications on the Woo platform, by state (refused ones need a person).
# TYPE connector_publications gauge
connector_publications{state="concept"} 0
connector_publications{state="pending"} 0
connector_publications{state="published"} 0
connector_publications{state="refused"} 1
connector_publications{state="withdrawn"} 0
`

func countEvents(events []objection.Event, typ string) int {
	n := 0
	for _, e := range events {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// TestAPublicatiebankThatIsDownOnlyDelays: the case goes its way while the publication waits,
// saying why; nothing is given up after the case's usual attempts.
func TestAPublicatiebankThatIsDownOnlyDelays(t *testing.T) {
	env := sandboxtest.StartForConnector(t)
	h := harnessWith(t, env, sqliteStore(t), 20*time.Millisecond, func(cfg *workflow.Config) {
		publishing(env, nil)(cfg)
		down := env.WooConfig()
		down.APIRoot = "http://127.0.0.1:1/publicatiebank/api/v2" // nobody listens there
		client, err := woo.New(down)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Woo.Client = client
		cfg.MaxAttempts = 2
	})
	ctx := context.Background()
	d := decision("CB-2026-0106", objection.Facebook)
	c, _, err := h.engine.Register(ctx, d, &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
	if err != nil {
		t.Fatal(err)
	}
	c = h.waitFor(t, c.ID, "the delay said", func(c *objection.Case) bool {
		return c.Publication != nil && strings.Contains(c.Publication.Problem, "niet bereikbaar") && c.State() == objection.StateAwaitingConfirmation
	})
	if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})); err != nil {
		t.Fatal(err)
	}
	c = h.waitState(t, c.ID, objection.StateClosed)
	if c.Publication.State != objection.PublicationPending {
		t.Errorf("the publication gave up: %+v", c.Publication)
	}
}

// failFirstPart answers the first upload of a part 503 without passing it on: the document is
// registered at the publicatiebank, its content is not.
type failFirstPart struct {
	failed atomic.Bool
	next   http.RoundTripper
}

func (f *failFirstPart) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/bestandsdelen/") && f.failed.CompareAndSwap(false, true) {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
	return f.next.RoundTrip(r)
}

// TestAnUploadThatFailsHalfwayLeavesOneDocument: a document registered whose upload failed (a
// 503 proves only that the part did not arrive) is looked up, removed and sent whole again — the
// publicatie ends with one complete document.
func TestAnUploadThatFailsHalfwayLeavesOneDocument(t *testing.T) {
	env := sandboxtest.StartForConnector(t, func(c *sandbox.Config) { c.PartSize = 16 })
	transport := &failFirstPart{next: http.DefaultTransport}
	h := harnessWith(t, env, sqliteStore(t), 20*time.Millisecond, func(cfg *workflow.Config) {
		publishing(env, nil)(cfg)
		wc := env.WooConfig()
		wc.Transport = transport
		client, err := woo.New(wc)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Woo.Client = client
		cfg.RequestTimeout = 100 * time.Millisecond // the retry looks the document up after twice this
	})
	ctx := context.Background()
	c, _, err := h.engine.Register(ctx, decision("CB-2026-0107", objection.Facebook), &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
	if err != nil {
		t.Fatal(err)
	}
	c = h.waitFor(t, c.ID, "a concept publication", publicationIs(objection.PublicationConcept))
	if !transport.failed.Load() {
		t.Fatal("no part upload failed")
	}
	docs, err := h.env.Woo(t).Documenten(ctx, c.Publication.UUID)
	if err != nil || len(docs) != 1 || !docs[0].UploadVoltooid {
		t.Fatalf("the publicatie's documents: %+v, %v; want one, complete", docs, err)
	}
	if got, err := h.env.Woo(t).Download(ctx, docs[0].UUID, 1<<20); err != nil || !bytes.Equal(got, decisionPDF) {
		t.Errorf("the document is %q (%v)", got, err)
	}
}
