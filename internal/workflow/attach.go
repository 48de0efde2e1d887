package workflow

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// AttachArgs is the job that stores one accepted e-mail in the zaak.
type AttachArgs struct {
	ConfirmationID string `json:"confirmation_id"`
}

// Kind implements river.JobArgs.
func (AttachArgs) Kind() string { return "attach_confirmation" }

type attachWorker struct {
	river.WorkerDefaults[AttachArgs]
	e *Engine
}

func (w *attachWorker) Work(ctx context.Context, job *river.Job[AttachArgs]) error {
	e := w.e
	conf, err := e.store.GetConfirmation(ctx, job.Args.ConfirmationID)
	if err != nil {
		return err
	}
	if conf.State != objection.ConfirmationAccepted {
		return nil
	}
	ctx = actingFor(ctx, named(conf.AssignedBy))
	return e.withCaseLock(ctx, conf.CaseID, func() error { return w.work(ctx, job, conf) })
}

func (w *attachWorker) work(ctx context.Context, job *river.Job[AttachArgs], conf *objection.Confirmation) error {
	e := w.e
	c, err := e.store.GetCase(ctx, conf.CaseID)
	if err != nil {
		return err
	}
	if err := zaakReady(c); err != nil {
		return err
	}
	if err := e.attach(ctx, c, conf); err != nil {
		return e.fail(ctx, c.ID, err, job.Attempt)
	}
	e.closeHere(ctx, c.ID)
	return nil
}

func (e *Engine) attach(ctx context.Context, c *objection.Case, conf *objection.Confirmation) error {
	var v meta.Verdict
	if err := json.Unmarshal(conf.Verdict, &v); err != nil {
		return err
	}
	eml, err := e.store.ConfirmationEML(ctx, conf.ID)
	if err != nil {
		return err
	}
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, c.Decision.DecidedOn)
	if err != nil {
		return err
	}
	received := v.ReceivedAt
	if received.IsZero() {
		received = conf.CreatedAt
	}
	day := received.UTC().Format(time.DateOnly)
	names := accountNames(c, conf.Accounts)
	ident := documents.Identificatie(c.Decision.Reference, "C"+v.SHA256[:12])
	auteur, beschrijving := v.From, v.Summary()+" Gekoppeld: "+strings.Join(v.Match.Reasons, "; ")+"."
	if auteur == "" {
		auteur = "onbekend"
	}
	if conf.AssignedBy != "" {
		beschrijving = fmt.Sprintf("Handmatig aan de zaak toegewezen door %s: %s. Oorspronkelijk in quarantaine: %s", conf.AssignedBy, conf.Note, conf.Reason)
		if v.Authentic {
			beschrijving += " " + v.Summary()
		}
	}
	meta := zgw.InformatieObject{
		Identificatie: ident, Bronorganisatie: e.cfg.RSIN, CreatieDatum: day,
		Titel:  truncate(fmt.Sprintf("E-mail van Meta (%s): %s", kindTitle(v.Kind), names), 200),
		Auteur: truncate(auteur, 200), Taal: language(v.Subject), Formaat: "message/rfc822",
		Bestandsnaam:   documents.FileName("meta", string(v.Platform), day, v.SHA256[:8]) + ".eml",
		OntvangstDatum: ptr(day), Status: "definitief", Vertrouwelijkheid: e.cfg.Confidentiality[e.cfg.ConfirmationType], IndicatieGebruiksrecht: ptr(false),
		Integriteit:          documents.Integriteit(eml, day),
		InformatieObjectType: cat.InformatieObjectTypen[e.cfg.ConfirmationType].URL,
		Beschrijving:         truncate(beschrijving, 1000),
	}
	// When this e-mail confirms the last account, the zaak is read for the closing meanwhile.
	attemptOf(ctx).ahead = e.lookAheadTo(ctx, c, conf)
	docURL, err := e.storeDocument(ctx, c.ID, "confirmation:"+conf.ID, meta, eml)
	if err != nil {
		return err
	}
	if err := e.link(ctx, c.ID, "confirmation-zio:"+conf.ID, c.ZaakURL, docURL, meta.Titel); err != nil {
		return err
	}

	// The e-mail attached and what it confirms are recorded in one transaction: a job that found
	// its e-mail attached has nothing left to do, so the accounts must not be confirmed apart.
	conf.State, conf.DocumentURL = objection.ConfirmationAttached, docURL
	_, err = e.updateCase(ctx, c.ID, func(tx *sql.Tx, c *objection.Case) error {
		if err := e.endJobHere(ctx, tx); err != nil {
			return err
		}
		if err := e.store.SaveConfirmationTx(ctx, tx, conf); err != nil || !conf.Honoured {
			return err
		}
		return e.confirmAccountsTx(ctx, tx, c, conf.Accounts, conf.ID, docURL, objection.ConfirmedByMail, received)
	})
	return err
}

// zaakReady lets a job that adds to the zaak wait until the zaak is there (a snooze), and ends it
// when the case ended without it (a cancel); nil when it may go on.
func zaakReady(c *objection.Case) error {
	switch c.State() {
	case objection.StateReceived, objection.StateRegistering:
		return river.JobSnooze(time.Second)
	case objection.StateFailed, objection.StateClosedElsewhere:
		return river.JobCancel(fmt.Errorf("case %s is %s: %s", c.ID, c.State(), c.FailureReason+c.CloseReason))
	}
	return nil
}

// confirmAccounts marks accounts confirmed (by Meta's mail or other evidence) and, once every
// account is, starts closing the zaak — in one transaction with the close job.
func (e *Engine) confirmAccounts(ctx context.Context, caseID string, accounts []int, by, docURL, how string, at time.Time) error {
	_, err := e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		return e.confirmAccountsTx(ctx, tx, c, accounts, by, docURL, how, at)
	})
	return err
}

// confirmAccountsTx is confirmAccounts on a case being changed in tx.
func (e *Engine) confirmAccountsTx(ctx context.Context, tx *sql.Tx, c *objection.Case, accounts []int, by, docURL, how string, at time.Time) error {
	for _, i := range accounts {
		if i < len(c.Accounts) && c.Accounts[i].ConfirmedBy == "" {
			a := &c.Accounts[i]
			a.ConfirmedBy, a.ConfirmationURL, a.ConfirmedHow, a.ConfirmedAt = by, docURL, how, &at
		}
		if i < len(c.Accounts) && c.Accounts[i].PendingEvidence == by {
			c.Accounts[i].PendingEvidence = ""
		}
	}
	if c.AllConfirmed() && c.State() == objection.StateAwaitingConfirmation {
		return e.startClosing(ctx, tx, c, objection.OutcomeConfirmed, "alle accounts zijn door Meta bevestigd", true)
	}
	return nil
}

// startClosing moves a case to closing with its outcome, with the close job and the event. When
// the job at hand goes on to close the zaak itself (closeHere), the close job is the record of
// that run here (insertDueLater): ended by the closing when it does, else left to River.
func (e *Engine) startClosing(ctx context.Context, tx *sql.Tx, c *objection.Case, outcome objection.Outcome, reason string, closingHere bool) error {
	c.Outcome, c.CloseReason, c.ClosedBy = outcome, reason, objection.ActorOf(ctx)
	if err := e.transition(ctx, tx, c, objection.StartClosing, fmt.Sprintf("closing the zaak (%s): %s", outcome, reason)); err != nil {
		return err
	}
	if closingHere {
		jobID, err := e.insertDueLater(ctx, tx, CloseArgs{CaseID: c.ID})
		if err != nil {
			return err
		}
		// closeHere ends it when it closes the zaak (a fallback found earlier is not ours to end).
		if jobID != 0 {
			caseID := c.ID
			e.store.AfterCommit(tx, func() { e.closeFallbacks.Store(caseID, jobID) })
		}
		return nil
	}
	return e.enqueue(ctx, tx, CloseArgs{CaseID: c.ID}, unique)
}

// storeDocument creates an informatieobject exactly once (a recorded step found again by its
// identificatie): inline when small, else streamed in bestandsdelen — and an upload cut off
// half-way is finished rather than begun again.
func (e *Engine) storeDocument(ctx context.Context, caseID, step string, meta zgw.InformatieObject, content []byte) (string, error) {
	return e.step(ctx, caseID, step,
		func(ctx context.Context) (string, bool, error) { return e.findDocument(ctx, meta.Identificatie) },
		func(ctx context.Context) (string, error) {
			if len(content) <= e.cfg.InlineLimit {
				meta.Inhoud = ptr(base64.StdEncoding.EncodeToString(content))
				doc, err := e.zgw.Documenten.Create(ctx, meta)
				if err != nil {
					return "", err
				}
				return doc.URL, nil
			}
			doc, err := e.zgw.Documenten.Upload(ctx, meta, int64(len(content)), bytes.NewReader(content))
			var ue *zgw.UploadError
			if errors.As(err, &ue) {
				if _, rerr := e.zgw.Documenten.ResumeUpload(ctx, ue.URL, ue.Lock, bytes.NewReader(content)); rerr == nil {
					return ue.URL, nil
				}
			}
			if err != nil {
				return "", err
			}
			return doc.URL, nil
		})
}

func accountNames(c *objection.Case, idx []int) string {
	var b bytes.Buffer
	for n, i := range idx {
		if i >= len(c.Accounts) {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", platformTitle(c.Accounts[i].Platform), c.Accounts[i].Name)
	}
	return b.String()
}

func kindTitle(k meta.Kind) string {
	switch k {
	case meta.KindHonoured:
		return "bezwaar gehonoreerd"
	case meta.KindReceived:
		return "bezwaar ontvangen"
	}
	return string(k)
}

// language guesses dut or eng from the subject, for the document's taal.
func language(subject string) string {
	for _, w := range []string{"bezwaar", "je ", "uw ", "ontvangen"} {
		if bytes.Contains(bytes.ToLower([]byte(subject)), []byte(w)) {
			return "dut"
		}
	}
	return "eng"
}
