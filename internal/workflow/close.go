package workflow

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// CloseArgs is the job that closes a zaak once every account is confirmed: resultaat, then
// eindstatus.
type CloseArgs struct {
	CaseID string `json:"case_id"`
}

// Kind implements river.JobArgs.
func (CloseArgs) Kind() string { return "close_case" }

type closeWorker struct {
	river.WorkerDefaults[CloseArgs]
	e *Engine
}

func (w *closeWorker) Work(ctx context.Context, job *river.Job[CloseArgs]) error {
	return w.e.withCaseLock(ctx, job.Args.CaseID, func() error { return w.work(ctx, job) })
}

func (w *closeWorker) work(ctx context.Context, job *river.Job[CloseArgs]) error {
	e := w.e
	c, err := e.store.GetCase(ctx, job.Args.CaseID)
	if err != nil {
		return err
	}
	if c.State() != objection.StateClosing {
		return nil
	}
	if wait, err := e.documentsToCome(ctx, c, ""); err != nil || wait {
		if err != nil {
			return err
		}
		return river.JobSnooze(time.Second)
	}
	if err := e.close(actingFor(ctx, named(c.ClosedBy)), c); err != nil {
		return e.fail(ctx, c.ID, err, job.Attempt)
	}
	return nil
}

// documentsToCome reports whether the zaak still has documents to take before it closes: every
// accepted e-mail and every piece of evidence goes in first, as a closed zaak takes no more. The
// e-mail being stored (besides, its ID; "" for none) is not counted.
func (e *Engine) documentsToCome(ctx context.Context, c *objection.Case, besides string) (bool, error) {
	if c.Storing() {
		return true, nil
	}
	confs, err := e.store.ListConfirmations(ctx, c.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(confs, func(conf *objection.Confirmation) bool {
		return conf.ID != besides && conf.State == objection.ConfirmationAccepted
	}), nil
}

// closeHere closes the zaak in the job that confirmed its last account — it holds the case's
// lock — so that closing does not wait for a worker to take the close job. That job, made with
// the closing (startClosing), is the durable record until then, and this its fresh attempt: the
// closing's last write ends it (endJobHere); when this attempt cannot finish (documents still to
// come, an error) its results are recorded and the job is left to River (leaveToRiver); after a
// crash it comes due. Without the close job made here (another's record) it does nothing: that
// job closes the zaak.
func (e *Engine) closeHere(ctx context.Context, caseID string) {
	fallback, ok := e.closeFallbacks.LoadAndDelete(caseID)
	if !ok {
		return
	}
	a := &attempt{fresh: true, jobID: fallback.(int64), ahead: attemptOf(ctx).ahead}
	ctx = withAttempt(ctx, a)
	err := e.closeNow(ctx, caseID)
	if a.ended.Load() {
		return
	}
	if ferr := e.flushSteps(context.WithoutCancel(ctx), caseID); ferr != nil {
		err = ferr
	}
	if err != nil {
		e.log.Info("closing right after the last confirmation did not finish; the close job goes on", "case", caseID, "error", err)
	}
	e.leaveToRiver(context.WithoutCancel(ctx), a.jobID, err)
}

// closeNow closes the case's zaak when the case is closing and every document is in.
func (e *Engine) closeNow(ctx context.Context, caseID string) error {
	c, err := e.store.GetCase(ctx, caseID)
	if err != nil || c.State() != objection.StateClosing {
		return err
	}
	if wait, err := e.documentsToCome(ctx, c, ""); err != nil || wait {
		return err
	}
	return e.close(actingFor(ctx, named(c.ClosedBy)), c)
}

func (e *Engine) close(ctx context.Context, c *objection.Case) error {
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, c.Decision.DecidedOn)
	if err != nil {
		return err
	}
	// Before anything of the closing is sent, the zaak is read as it is now, with its documents
	// (in one request where the Zaken API can expand): someone may have closed it meanwhile —
	// then stop, and say what was found, rather than add a resultaat to a closed zaak — and what
	// the zaaksysteem demands at the eindstatus is checked before the resultaat is set, so that a
	// person learns what to put right. When an earlier attempt of the closing may have sent the
	// eindstatus (this one is not fresh, or an older release recorded its intent), an einddatum
	// may be the closing's own: then neither, and the steps below look the eindstatus up.
	st, err := e.store.GetStep(ctx, c.ID, "status-eind")
	if err != nil {
		return err
	}
	var closable error // what the zaaksysteem would refuse at the eindstatus (none for a closed zaak)
	if !st.Done && c.ZaakURL != "" {
		var zaak *zgw.Zaak
		if zaak, closable, err = e.judgeZaak(ctx, c); err != nil {
			return err
		}
		if freshAttempt(ctx) && !st.Intended {
			if ended, err := e.endIfFoundClosed(ctx, c, zaak); err != nil || ended {
				return err
			}
		}
	}
	resultaatType, toelichting, statusText := cat.ResultaatType, "Meta heeft het bezwaar voor alle accounts bevestigd.", "Alle bezwaren bevestigd"
	if c.Outcome == objection.OutcomeNotConfirmed {
		if cat.NotConfirmed == nil {
			return fmt.Errorf("closing as not confirmed needs a resultaattype for it (ZGW_RESULTAATTYPE_NOT_CONFIRMED): %w", zgw.ErrCatalogue)
		}
		resultaatType, toelichting, statusText = *cat.NotConfirmed, "Niet door Meta bevestigd: "+c.CloseReason, "Afgesloten zonder bevestiging: "+c.CloseReason
	}
	if closable != nil {
		return closable
	}
	// The middle status comes before the eindstatus, when every account was filed.
	if c.AllFiled() {
		if err := e.setFiledStatus(ctx, c, cat); err != nil {
			return err
		}
	}
	if _, err := e.step(ctx, c.ID, "resultaat",
		func(ctx context.Context) (string, bool, error) {
			rs, err := e.zgw.Zaken.ListResultaten(ctx, c.ZaakURL)
			if err != nil || len(rs) == 0 {
				return "", false, err
			}
			return rs[0].URL, true, nil
		},
		func(ctx context.Context) (string, error) {
			r, err := e.zgw.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: c.ZaakURL, ResultaatType: resultaatType.URL, Toelichting: truncate(toelichting, 1000)})
			if err != nil {
				return "", err
			}
			return r.URL, nil
		}); err != nil {
		return err
	}
	if err := e.setStatus(ctx, c.ID, "status-eind", c.ZaakURL, cat.EindStatus().URL, statusText); err != nil {
		return err
	}
	now := e.cfg.Now().UTC()
	if _, err := e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
		c.ClosedAt = &now
		if err := e.endJobHere(ctx, tx); err != nil {
			return err
		}
		return e.transition(objection.WithPrincipal(ctx, objection.System), tx, c, objection.Close,
			fmt.Sprintf("zaak %s closed (%s)", c.ZaakIdentificatie, c.Outcome))
	}); err != nil {
		return err
	}
	e.metrics.casesClosed.Inc()
	e.log.Info("zaak closed", "case", c.ID, "zaak", c.ZaakIdentificatie, "outcome", c.Outcome)
	return nil
}

// judgeZaak reads the zaak as the closing judges it, and checkClosable's verdict on its documents
// (none for a zaak with an einddatum): read ahead while the last e-mail was stored (a fresh
// attempt's lookAhead), else now.
func (e *Engine) judgeZaak(ctx context.Context, c *objection.Case) (zaak *zgw.Zaak, closable, err error) {
	if a := attemptOf(ctx); a.fresh && a.ahead != nil {
		if zaak, closable, err = a.ahead.seen(ctx); err == nil {
			return zaak, closable, nil
		}
	}
	zaak, zios, err := e.zgw.Zaken.GetZaakWithDocuments(ctx, c.ZaakURL)
	if err != nil || zaak.Einddatum != nil {
		return zaak, nil, err
	}
	return zaak, e.checkClosable(ctx, zios), nil
}

// endIfClosedElsewhere ends the case as closed_elsewhere, saying what was found, when someone
// else closed its zaak: it has an einddatum while this case is not closing. (A closing may have
// set the eindstatus itself, its answer lost: the close job decides, as close does.) It reports
// whether the case ended.
func (e *Engine) endIfClosedElsewhere(ctx context.Context, c *objection.Case) (bool, error) {
	if c.ZaakURL == "" || c.State() == objection.StateClosing {
		return false, nil
	}
	z, err := e.zgw.Zaken.GetZaak(ctx, c.ZaakURL)
	if err != nil {
		return false, err
	}
	return e.endIfFoundClosed(ctx, c, z)
}

// endIfFoundClosed is endIfClosedElsewhere on the zaak z as just read.
func (e *Engine) endIfFoundClosed(ctx context.Context, c *objection.Case, z *zgw.Zaak) (bool, error) {
	if z.Einddatum == nil {
		return false, nil
	}
	// What was found goes into the case and its notices: said in Dutch.
	found := fmt.Sprintf("de zaak is in het zaaksysteem door een ander afgesloten: einddatum %s", *z.Einddatum)
	if z.Resultaat != nil {
		found += ", resultaat " + *z.Resultaat
	}
	if z.Status != nil {
		found += ", status " + *z.Status
	}
	now := e.cfg.Now().UTC()
	if _, err := e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
		c.CloseReason, c.ClosedAt = found, &now
		return e.transition(objection.WithPrincipal(ctx, objection.System), tx, c, objection.CloseElsewhere, found)
	}); err != nil {
		return false, err
	}
	e.log.Warn("the zaak was closed elsewhere; the case stops", "case", c.ID, "found", found)
	return true, nil
}
