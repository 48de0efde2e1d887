package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

// What becomes of a publication is read back from the publicatiebank (it sends no
// notifications): every sweep, a publication in concept or published that was not looked at
// for LookEvery gets a look job. Published, the besluit gets its publicatiedatum (once, a
// recorded step) and the case's history and page say where the public reads it; withdrawn, that
// is recorded too.

// LookArgs is the job that asks the publicatiebank what became of a case's publication.
type LookArgs struct {
	CaseID string `json:"case_id"`
}

// Kind implements river.JobArgs.
func (LookArgs) Kind() string { return "look_at_publication" }

type lookWorker struct {
	river.WorkerDefaults[LookArgs]
	e *Engine
}

func (w *lookWorker) Work(ctx context.Context, job *river.Job[LookArgs]) error {
	e := w.e
	if e.cfg.Woo == nil {
		return nil
	}
	return e.withCaseLock(ctx, job.Args.CaseID, func() error { return e.LookAtPublication(ctx, job.Args.CaseID) })
}

// lookEvery is how often a watched publication is looked at.
func (e *Engine) lookEvery() time.Duration {
	if e.cfg.Woo.LookEvery > 0 {
		return e.cfg.Woo.LookEvery
	}
	return 15 * time.Minute
}

// lookAtPublications makes a look job for every watched publication not looked at for a while.
func (e *Engine) lookAtPublications(ctx context.Context, cases []*objection.Case) error {
	if e.cfg.Woo == nil {
		return nil
	}
	now := e.cfg.Now()
	for _, c := range cases {
		p := c.Publication
		// A published decision whose besluit still lacks its publicatiedatum is not left waiting.
		undated := p != nil && p.State == objection.PublicationPublished && p.Publicatiedatum == ""
		if !p.Watched() || !undated && p.LookedAt != nil && now.Sub(*p.LookedAt) < e.lookEvery() {
			continue
		}
		if _, err := e.river.Insert(ctx, LookArgs{CaseID: c.ID}, whileNotDone); err != nil {
			return fmt.Errorf("looking at publications: %w", err)
		}
	}
	return nil
}

// LookAtPublication asks the publicatiebank what became of a case's publication and records it.
func (e *Engine) LookAtPublication(ctx context.Context, caseID string) error {
	c, err := e.store.GetCase(ctx, caseID)
	if err != nil {
		return err
	}
	if !c.Publication.Watched() {
		return nil
	}
	pub, err := e.wooAs(objection.System).GetPublicatie(ctx, c.Publication.UUID)
	var p *woo.Problem
	if errors.As(err, &p) && p.Status == http.StatusNotFound {
		// Removed at the publicatiebank: nothing is published any more.
		pub, err = &woo.Publicatie{UUID: c.Publication.UUID, Publicatiestatus: woo.StatusIngetrokken}, nil
	}
	if err != nil {
		return err
	}
	if c, err = e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error { return e.followPublication(ctx, tx, c, pub) }); err != nil {
		return err
	}
	if err := e.recordPublicatiedatum(ctx, c); err != nil {
		return e.noteProblem(ctx, caseID, "De publicatiedatum kon niet in het zaaksysteem worden vastgelegd; de connector probeert het later opnieuw: "+err.Error())
	}
	return nil
}

// followPublication records, in tx, what the publicatiebank says of c's publication: published
// or withdrawn, with its event, once.
func (e *Engine) followPublication(ctx context.Context, tx *sql.Tx, c *objection.Case, pub *woo.Publicatie) error {
	p := c.Publication
	now := e.cfg.Now().UTC()
	p.LookedAt = &now
	ctx = objection.WithPrincipal(ctx, objection.System)
	switch {
	case pub.Publicatiestatus == woo.StatusGepubliceerd && p.State == objection.PublicationConcept:
		p.State, p.PublicURL, p.PublishedAt = objection.PublicationPublished, pub.URLPublicatieExtern, pub.GepubliceerdOp
		if p.PublishedAt == nil {
			p.PublishedAt = &now
		}
		detail := "published on " + p.PublishedAt.In(objection.Amsterdam).Format(time.DateOnly)
		if p.PublicURL != "" {
			detail += ": " + p.PublicURL
		}
		return e.record(ctx, tx, c.ID, "publication:published", objection.EventPublished, detail)
	case pub.Publicatiestatus == woo.StatusIngetrokken && p.State != objection.PublicationWithdrawn:
		p.State, p.WithdrawnAt = objection.PublicationWithdrawn, pub.IngetrokkenOp
		if p.WithdrawnAt == nil {
			p.WithdrawnAt = &now
		}
		return e.record(ctx, tx, c.ID, "publication:withdrawn", objection.EventPublicationWithdrawn,
			"withdrawn on "+p.WithdrawnAt.In(objection.Amsterdam).Format(time.DateOnly))
	}
	return nil
}

// recordPublicatiedatum gives the besluit of a published decision its publicatiedatum: the day
// it was published, once.
func (e *Engine) recordPublicatiedatum(ctx context.Context, c *objection.Case) error {
	p := c.Publication
	if p == nil || p.State != objection.PublicationPublished || p.Publicatiedatum != "" || c.BesluitURL == "" || p.PublishedAt == nil {
		return nil
	}
	day := p.PublishedAt.In(objection.Amsterdam).Format(time.DateOnly)
	// Shared: every look at the publication (a job, or a person asking) may set it.
	if err := e.steps(ctx, c.ID, shared(&effect{name: "besluit-publicatiedatum",
		lookup: func(ctx context.Context) (string, bool, error) {
			b, err := e.zgw.Besluiten.GetBesluit(ctx, c.BesluitURL)
			if err != nil || b.Publicatiedatum == nil || *b.Publicatiedatum != day {
				return "", false, err
			}
			return day, true, nil
		},
		create: func(ctx context.Context) (string, error) {
			if _, err := e.zgw.Besluiten.UpdateBesluit(ctx, c.BesluitURL, map[string]any{"publicatiedatum": day}); err != nil {
				return "", err
			}
			return day, nil
		}})); err != nil {
		return err
	}
	_, err := e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
		c.Publication.Publicatiedatum, c.Publication.Problem = day, ""
		return e.record(objection.WithPrincipal(ctx, objection.System), tx, c.ID, "publication:publicatiedatum", objection.EventPublicatiedatum,
			"besluit publicatiedatum set to "+day+": "+c.BesluitURL)
	})
	return err
}

// noteProblem records, in Dutch, what keeps a publication from going on.
func (e *Engine) noteProblem(ctx context.Context, caseID, problem string) error {
	_, err := e.updateCase(ctx, caseID, func(_ *sql.Tx, c *objection.Case) error {
		if c.Publication != nil {
			c.Publication.Problem = problem
		}
		return nil
	})
	return err
}
