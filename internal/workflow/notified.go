package workflow

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// BesluitArgs is the job for a besluit the Notificaties API reported as created: when it is of
// the configured besluittype, it becomes a decision for the configured accounts, and the zaak
// the connector makes is linked to that besluit instead of getting a second one.
type BesluitArgs struct {
	URL string `json:"url"`
}

// Kind implements river.JobArgs.
func (BesluitArgs) Kind() string { return "besluit_notified" }

// Notification handles a message of the Notificaties API, answering fast and working afterwards:
// a created besluit is recorded durably (a job: the same besluit twice is one job); a change to
// the zaak of one of the connector's open cases is looked at (closed elsewhere?); anything else is
// acknowledged and ignored. Every message is counted by kanaal, actie and what became of it.
func (e *Engine) Notification(ctx context.Context, n zgw.Notificatie) error {
	if n.Kanaal == "test" {
		// Open Notificaties' check of the callback when an abonnement is made: nothing to record.
		e.metrics.notifications.WithLabelValues(n.Kanaal, n.Actie, "test").Inc()
		return nil
	}
	e.fault("received:notification")
	outcome, err := e.notification(ctx, n)
	if err == nil {
		e.metrics.notifications.WithLabelValues(n.Kanaal, n.Actie, outcome).Inc()
	}
	return err
}

func (e *Engine) notification(ctx context.Context, n zgw.Notificatie) (string, error) {
	switch {
	case n.Kanaal == "besluiten" && n.Resource == "besluit" && n.Actie == "create":
		if !e.zgw.Besluiten.IsBesluit(n.ResourceURL) {
			return "", objection.Errorf(objection.CodeInvalid, "the resource %s is not a besluit of the configured Besluiten API", n.ResourceURL)
		}
		return "besluit", e.store.InTx(ctx, func(tx *sql.Tx) error {
			return e.enqueue(ctx, tx, BesluitArgs{URL: n.ResourceURL}, unique)
		})
	case n.Kanaal == "zaken" && zaakChanges(n):
		c, err := e.caseOfZaak(ctx, n.HoofdObject)
		if err != nil {
			return "", err
		}
		if c == nil || !c.State().Open() {
			return "ignored", nil
		}
		return "zaak", e.store.InTx(ctx, func(tx *sql.Tx) error {
			return e.enqueue(ctx, tx, ZaakChangedArgs{CaseID: c.ID, Change: n.Actie + " " + n.ResourceURL}, whileNotDone)
		})
	}
	return "ignored", nil
}

// zaakChanges: the notifications that may mean a zaak was closed or its outcome changed.
func zaakChanges(n zgw.Notificatie) bool {
	switch n.Resource {
	case "zaak":
		return n.Actie != "create"
	case "status", "resultaat":
		return true
	}
	return false
}

// ZaakChangedArgs is the job that looks at a case's zaak after the zaaksysteem announced a change
// to it: closed by someone else, the case stops (closed_elsewhere).
type ZaakChangedArgs struct {
	CaseID string `json:"case_id"`
	// Change names the change told (actie and resource): each change gets its own look, so that
	// one arriving while an earlier look runs is not merged into it and missed; the same
	// notification delivered twice is one job.
	Change string `json:"change,omitempty"`
}

// Kind implements river.JobArgs.
func (ZaakChangedArgs) Kind() string { return "zaak_changed" }

type zaakChangedWorker struct {
	river.WorkerDefaults[ZaakChangedArgs]
	e *Engine
}

func (w *zaakChangedWorker) Work(ctx context.Context, job *river.Job[ZaakChangedArgs]) error {
	e := w.e
	return e.withCaseLock(ctx, job.Args.CaseID, func() error {
		c, err := e.store.GetCase(ctx, job.Args.CaseID)
		if err != nil {
			return err
		}
		if !c.State().Open() {
			return nil
		}
		_, err = e.endIfClosedElsewhere(ctx, c)
		return err
	})
}

type besluitWorker struct {
	river.WorkerDefaults[BesluitArgs]
	e *Engine
}

func (w *besluitWorker) Work(ctx context.Context, job *river.Job[BesluitArgs]) error {
	e := w.e
	// drop ends a notification that cannot become a decision, saying why: an expected outcome
	// (a besluit deleted since, refused by the zaaksysteem), so info, not an error.
	drop := func(err error) error {
		e.log.Info("besluit notification dropped", "besluit", job.Args.URL, "reason", err.Error())
		return river.JobCancel(err)
	}
	b, err := e.zgw.Besluiten.GetBesluit(ctx, job.Args.URL)
	if err != nil {
		if permanent(err) {
			return drop(err)
		}
		return err
	}
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, b.Datum)
	if err != nil {
		if permanent(err) {
			return drop(err)
		}
		return err
	}
	if cat.BesluitType == nil || b.BesluitType != cat.BesluitType.URL {
		return nil // another kind of besluit: not the connector's business
	}
	if len(e.cfg.Accounts) == 0 {
		e.log.Error("a besluit to object to Meta arrived, but CONNECTOR_ACCOUNTS is empty", "besluit", b.URL)
		return river.JobCancel(errors.New("no accounts configured (CONNECTOR_ACCOUNTS)"))
	}
	ref := b.Identificatie
	if len(ref) > 40 || ref == "" {
		sum := sha256.Sum256([]byte(b.URL))
		ref = "BESLUIT-" + hex.EncodeToString(sum[:])[:16]
	}
	title := b.Toelichting
	if title == "" {
		title = "Collegebesluit " + ref + ": bezwaar tegen AI-training door Meta"
	}
	d := objection.Decision{Reference: ref, Title: truncate(title, 200), DecidedOn: b.Datum, Accounts: e.cfg.Accounts}
	c, created, err := e.accept(ctx, d, b.URL, nil)
	if objection.CodeOf(err) == objection.CodeInvalid || objection.CodeOf(err) == objection.CodeConflict {
		return drop(fmt.Errorf("it cannot become a decision: %w", err))
	}
	if err != nil {
		return err
	}
	e.log.Info("decision registered from a besluit notification", "besluit", b.URL, "case", c.ID, "new", created)
	return nil
}

// linkBesluitEffect is the step that links an existing besluit (from a notification) to the
// zaak: a PATCH, idempotent.
func (e *Engine) linkBesluitEffect(c *objection.Case, zaakURL string) *effect {
	return &effect{name: "besluit",
		lookup: func(ctx context.Context) (string, bool, error) {
			b, err := e.zgw.Besluiten.GetBesluit(ctx, c.BesluitURL)
			if err != nil {
				return "", false, err
			}
			return b.URL, b.Zaak == zaakURL, nil
		},
		create: func(ctx context.Context) (string, error) {
			b, err := e.zgw.Besluiten.UpdateBesluit(ctx, c.BesluitURL, map[string]any{"zaak": zaakURL})
			if err != nil {
				return "", fmt.Errorf("linking besluit %s to the zaak: %w", c.BesluitURL, err)
			}
			return b.URL, nil
		}}
}
