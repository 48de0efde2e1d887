package workflow

import (
	"context"
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
	if c.State != objection.StateClosing {
		return nil
	}
	// Every accepted e-mail goes into the zaak before it closes: a closed zaak takes no more
	// documents.
	confs, err := e.store.ListConfirmations(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, conf := range confs {
		if conf.State == objection.ConfirmationAccepted {
			return river.JobSnooze(time.Second)
		}
	}
	if err := e.close(ctx, c); err != nil {
		return e.fail(ctx, c.ID, err, job.Attempt)
	}
	return nil
}

func (e *Engine) close(ctx context.Context, c *objection.Case) error {
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, c.Decision.DecidedOn)
	if err != nil {
		return err
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
			r, err := e.zgw.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: c.ZaakURL, ResultaatType: cat.ResultaatType.URL,
				Toelichting: "Meta heeft het bezwaar voor alle accounts bevestigd."})
			if err != nil {
				return "", err
			}
			return r.URL, nil
		}); err != nil {
		return err
	}
	if _, err := e.step(ctx, c.ID, "status-eind",
		func(ctx context.Context) (string, bool, error) {
			return e.findStatus(ctx, c.ZaakURL, cat.EindStatus().URL)
		},
		func(ctx context.Context) (string, error) {
			st, err := e.zgw.Zaken.CreateStatus(ctx, zgw.Status{Zaak: c.ZaakURL, StatusType: cat.EindStatus().URL,
				DatumStatusGezet: statusTime(e.cfg.Now()), StatusToelichting: "Alle bezwaren door Meta bevestigd"})
			if err != nil {
				return "", err
			}
			return st.URL, nil
		}); err != nil {
		return err
	}
	now := e.cfg.Now().UTC()
	if _, err := e.store.UpdateCase(ctx, c.ID, func(c *objection.Case) error {
		c.State, c.ClosedAt = objection.StateClosed, &now
		return nil
	}); err != nil {
		return err
	}
	e.metrics.casesClosed.Inc()
	e.log.Info("zaak closed", "case", c.ID, "zaak", c.ZaakIdentificatie)
	return nil
}
