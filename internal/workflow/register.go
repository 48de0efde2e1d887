package workflow

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// kenmerkBron names the connector in the zaak's kenmerken; with the decision reference it
// identifies the zaak of a decision.
const kenmerkBron = "meta-bezwaar-connector"

// RegisterArgs is the job that registers a decision: zaak, first status, besluit, letters.
type RegisterArgs struct {
	CaseID string `json:"case_id"`
	// By and ByName are who registered the decision (the principal's ID and name): the
	// zaaksysteem's audit trail names them.
	By     string `json:"by,omitempty"`
	ByName string `json:"by_name,omitempty"`
}

// Kind implements river.JobArgs.
func (RegisterArgs) Kind() string { return "register_case" }

// registerArgs is the registration job of a case, made for by.
func registerArgs(caseID string, by objection.Principal) RegisterArgs {
	return RegisterArgs{CaseID: caseID, By: by.ID, ByName: by.Name}
}

type registerWorker struct {
	river.WorkerDefaults[RegisterArgs]
	e *Engine
}

func (w *registerWorker) Work(ctx context.Context, job *river.Job[RegisterArgs]) error {
	ctx = actingFor(ctx, byOf(job.Args.By, job.Args.ByName))
	return w.e.withCaseLock(ctx, job.Args.CaseID, func() error { return w.work(ctx, job) })
}

func (w *registerWorker) work(ctx context.Context, job *river.Job[RegisterArgs]) error {
	e := w.e
	id := job.Args.CaseID
	c, err := e.store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	if c.State() != objection.StateReceived && c.State() != objection.StateRegistering {
		return nil // done before, or failed
	}
	if c.State() == objection.StateReceived {
		// Written with the case's next update (when the job ends, at the latest), not in a
		// commit of its own.
		e.holdChange(id, heldTransition(objection.Register))
		heldTransition(objection.Register)(c)
	}
	if err := e.register(ctx, c, byOf(job.Args.By, job.Args.ByName)); err != nil {
		return e.fail(ctx, id, err, job.Attempt)
	}
	return nil
}

func (e *Engine) register(ctx context.Context, c *objection.Case, by objection.Principal) error {
	d := c.Decision
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, d.DecidedOn)
	if err != nil {
		return err
	}

	var created *zgw.Zaak
	zaakURL, err := e.step(ctx, c.ID, "zaak",
		func(ctx context.Context) (string, bool, error) {
			z, err := e.findZaak(ctx, cat, d)
			if z == nil || err != nil {
				return "", false, err
			}
			created = z
			return z.URL, true, nil
		},
		func(ctx context.Context) (string, error) {
			z, err := e.zgw.Zaken.CreateZaak(ctx, zgw.Zaak{
				Bronorganisatie: e.cfg.RSIN, VerantwoordelijkeOrganisatie: e.cfg.RSIN, ZaakType: cat.ZaakType.URL,
				Startdatum: d.DecidedOn, UiterlijkeEinddatumAfdoening: optional(d.Deadline),
				Omschrijving: truncate(d.Title, 80), Toelichting: truncate(fmt.Sprintf("Collegebesluit %s van %s: %s", d.Reference, d.DecidedOn, d.Title), 1000),
				Kenmerken: []zgw.Kenmerk{{Kenmerk: d.Reference, Bron: kenmerkBron}},
			})
			if err != nil {
				return "", err
			}
			created = z
			return z.URL, nil
		})
	if err != nil {
		return err
	}
	if created == nil && c.ZaakURL != zaakURL {
		// Recorded by an attempt that stopped before it noted the zaak on the case.
		if created, err = e.zgw.Zaken.GetZaak(ctx, zaakURL); err != nil {
			return err
		}
	}
	if created != nil {
		e.holdChange(c.ID, func(c *objection.Case) { c.ZaakURL, c.ZaakIdentificatie = created.URL, created.Identificatie })
		// Some zaaksystemen set the first status themselves (Open Zaak does not): then it is
		// recorded as this case's first status rather than set a second time.
		if created.Status != nil && *created.Status != "" {
			e.hold(c.ID, "status-first", *created.Status)
		}
	}

	// The first status, the besluit and the letters need only the zaak: their requests go out
	// at once. The zaak's documents are linked after, one by one, so that their order does not
	// depend on which answer comes first.
	first := e.statusEffect("status-first", zaakURL, cat.FirstStatus().URL, "Collegebesluit "+d.Reference+" geregistreerd")
	together := []*effect{first}
	besluit := e.besluitEffect(c, cat, zaakURL)
	if besluit != nil {
		together = append(together, besluit)
	}
	letters := make([]*effect, len(d.Accounts))
	for i, a := range d.Accounts {
		content, err := e.letters.Render(d, a, c.CreatedAt)
		if err != nil {
			return err
		}
		letters[i] = e.letterEffect(c, cat, i, a, content)
		together = append(together, letters[i])
	}
	if err := e.steps(ctx, c.ID, together...); err != nil {
		return err
	}
	besluitURL := c.BesluitURL
	if besluit != nil && besluitURL == "" {
		besluitURL = besluit.result
		e.holdChange(c.ID, func(c *objection.Case) { c.BesluitURL = besluitURL })
	}
	// The decision's own document comes first: before the letters, so that it is the first
	// document of the zaak (and of its dossier).
	if err := e.storeDecisionDocument(ctx, c, cat, zaakURL, besluitURL); err != nil {
		return err
	}
	for i, a := range d.Accounts {
		letterURL := letters[i].result
		if err := e.link(ctx, c.ID, "letter-zio:"+strconv.Itoa(i), zaakURL, letterURL, "Bezwaarschrift "+platformTitle(a.Platform)+" "+a.Name); err != nil {
			return err
		}
		e.holdChange(c.ID, func(c *objection.Case) { c.Accounts[i].LetterURL = letterURL })
	}

	// Confirmations may have arrived while the case was registering: their jobs wait (snooze)
	// for the zaak, so nothing else is needed here.
	_, err = e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
		if err := e.endJobHere(ctx, tx); err != nil {
			return err
		}
		if err := e.transition(objection.WithPrincipal(ctx, objection.System), tx, c, objection.LettersReady,
			"zaak, besluit and letters are in the zaaksysteem: the objections can be filed at Meta"); err != nil {
			return err
		}
		return e.publicationTo(ctx, tx, c, by)
	})
	return err
}

// link creates the zaakinformatieobject of a document exactly once.
func (e *Engine) link(ctx context.Context, caseID, name, zaakURL, docURL, titel string) error {
	_, err := e.step(ctx, caseID, name,
		func(ctx context.Context) (string, bool, error) {
			zios, err := e.zgw.Zaken.ListZaakInformatieObjecten(ctx, zaakURL)
			if err != nil {
				return "", false, err
			}
			i := slices.IndexFunc(zios, func(z zgw.ZaakInformatieObject) bool { return z.InformatieObject == docURL })
			if i < 0 {
				return "", false, nil
			}
			return zios[i].URL, true, nil
		},
		func(ctx context.Context) (string, error) {
			zio, err := e.zgw.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaakURL, InformatieObject: docURL, Titel: truncate(titel, 200)})
			if err != nil {
				return "", err
			}
			return zio.URL, nil
		})
	return err
}

// findZaak looks for the zaak of a decision: the standard has no kenmerk filter, so zaken of
// the zaaktype that started on the decision date are narrowed by the kenmerk client-side.
func (e *Engine) findZaak(ctx context.Context, cat *zgw.Catalogue, d objection.Decision) (*zgw.Zaak, error) {
	for z, err := range e.zgw.Zaken.ListZaken(ctx, zgw.ZaakFilter{ZaakType: cat.ZaakType.URL, Startdatum: d.DecidedOn, Bronorganisatie: e.cfg.RSIN}) {
		if err != nil {
			return nil, err
		}
		if z.HasKenmerk(kenmerkBron, d.Reference) {
			return &z, nil
		}
	}
	return nil, nil
}

// setStatus gives the zaak a status of statusType exactly once (a recorded step).
func (e *Engine) setStatus(ctx context.Context, caseID, step, zaakURL, statusType, toelichting string) error {
	return e.steps(ctx, caseID, e.statusEffect(step, zaakURL, statusType, toelichting))
}

// statusEffect is setStatus's step: its status found again by its statustype when an earlier
// attempt's answer was lost.
func (e *Engine) statusEffect(step, zaakURL, statusType, toelichting string) *effect {
	return &effect{name: step,
		lookup: func(ctx context.Context) (string, bool, error) {
			sts, err := e.zgw.Zaken.ListStatussen(ctx, zaakURL)
			if err != nil {
				return "", false, err
			}
			i := slices.IndexFunc(sts, func(s zgw.Status) bool { return s.StatusType == statusType })
			if i < 0 {
				return "", false, nil
			}
			return sts[i].URL, true, nil
		},
		create: func(ctx context.Context) (string, error) {
			st, err := e.zgw.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaakURL, StatusType: statusType,
				DatumStatusGezet: statusTime(e.cfg.Now()), StatusToelichting: truncate(toelichting, 1000)})
			if err != nil {
				return "", err
			}
			return st.URL, nil
		}}
}

// besluitEffect is the step that gives the zaak its besluit: the besluit a notification told
// of linked to it, else one made of the decision (none when the catalogue has no besluittype).
func (e *Engine) besluitEffect(c *objection.Case, cat *zgw.Catalogue, zaakURL string) *effect {
	if c.BesluitURL != "" {
		return e.linkBesluitEffect(c, zaakURL)
	}
	if cat.BesluitType == nil {
		return nil
	}
	d := c.Decision
	return &effect{name: "besluit",
		lookup: func(ctx context.Context) (string, bool, error) {
			bs, err := e.zgw.Besluiten.ListBesluiten(ctx, zaakURL, "")
			if err != nil {
				return "", false, err
			}
			i := slices.IndexFunc(bs, func(b zgw.Besluit) bool { return b.BesluitType == cat.BesluitType.URL })
			if i < 0 {
				return "", false, nil
			}
			return bs[i].URL, true, nil
		},
		create: func(ctx context.Context) (string, error) {
			b, err := e.zgw.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: e.cfg.RSIN,
				BesluitType: cat.BesluitType.URL, Zaak: zaakURL, Datum: d.DecidedOn, IngangsDatum: d.DecidedOn,
				BestuursOrgaan: "college van burgemeester en wethouders", Toelichting: truncate(d.Title, 1000)})
			if err != nil {
				return "", err
			}
			return b.URL, nil
		}}
}

// letterEffect is the step that puts the objection letter of the decision's i-th account in
// the Documenten API, found again by its identificatie.
func (e *Engine) letterEffect(c *objection.Case, cat *zgw.Catalogue, i int, a objection.Account, content []byte) *effect {
	ident := documents.Identificatie(c.Decision.Reference, "L"+strconv.Itoa(i+1))
	day := c.CreatedAt.Format(time.DateOnly)
	letterType := cat.InformatieObjectTypen[e.cfg.LetterType]
	return &effect{name: "letter:" + strconv.Itoa(i),
		lookup: func(ctx context.Context) (string, bool, error) { return e.findDocument(ctx, ident) },
		create: func(ctx context.Context) (string, error) {
			doc, err := e.zgw.Documenten.Create(ctx, zgw.InformatieObject{
				Identificatie: ident, Bronorganisatie: e.cfg.RSIN, CreatieDatum: day,
				Titel:  truncate(fmt.Sprintf("Bezwaar AI-training %s %s", platformTitle(a.Platform), a.Name), 200),
				Auteur: "College van burgemeester en wethouders", Taal: "dut", Formaat: "text/plain",
				Bestandsnaam: documents.FileName("bezwaar", string(a.Platform), a.Name) + ".txt",
				Inhoud:       ptr(base64.StdEncoding.EncodeToString(content)), Status: "definitief",
				Vertrouwelijkheid: e.cfg.Confidentiality[e.cfg.LetterType], IndicatieGebruiksrecht: ptr(false),
				Integriteit:          documents.Integriteit(content, day),
				InformatieObjectType: letterType.URL,
			})
			if err != nil {
				return "", err
			}
			return doc.URL, nil
		}}
}

func (e *Engine) findDocument(ctx context.Context, identificatie string) (string, bool, error) {
	docs, err := e.zgw.Documenten.FindByIdentificatie(ctx, e.cfg.RSIN, identificatie)
	if err != nil || len(docs) == 0 {
		return "", false, err
	}
	return docs[0].URL, true, nil
}

// statusTime is backdated a few seconds: zaaksystemen refuse a datumStatusGezet in their future,
// and clocks differ.
func statusTime(now time.Time) string {
	return now.UTC().Add(-5 * time.Second).Format(time.RFC3339)
}

func platformTitle(p objection.Platform) string {
	if p == objection.Instagram {
		return "Instagram"
	}
	return "Facebook"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ptr[T any](v T) *T { return &v }
