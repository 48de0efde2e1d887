package workflow

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// The life of an objection between the letters and the close: a person files each letter in
// Meta's form and records it here (with Meta's receipt as evidence, when there is one); when
// every account is filed the zaak gets its middle status. An account may also be confirmed by
// other evidence than Meta's mail, and a registrar may close the case as not confirmed.

// account returns the n-th account of a case, or a 404.
func account(c *objection.Case, n int) (*objection.AccountState, error) {
	if n < 0 || n >= len(c.Accounts) {
		return nil, objection.Errorf(objection.CodeNotFound, "case %s has accounts 0 to %d", c.ID, len(c.Accounts)-1)
	}
	return &c.Accounts[n], nil
}

// Letter opens the letter of an account as stored in the zaaksysteem, with Meta's form for it.
func (e *Engine) Letter(ctx context.Context, caseID string, n int) (io.ReadCloser, string, error) {
	c, err := e.Case(ctx, caseID)
	if err != nil {
		return nil, "", err
	}
	a, err := account(c, n)
	if err != nil {
		return nil, "", err
	}
	if a.LetterURL == "" {
		return nil, "", objection.Errorf(objection.CodeConflict, "the letter of account %d is not in the zaaksysteem yet (case %s)", n, c.State())
	}
	body, err := e.zgw.Documenten.Download(ctx, a.LetterURL)
	return body, a.FormURL, err
}

// File records that account n's objection was filed at Meta, with the evidence kept durably and
// the job that stores it in the zaak — all before this returns.
func (e *Engine) File(ctx context.Context, caseID string, n int, f objection.FilingRequest) (*objection.Case, error) {
	by := objection.ActorOf(ctx)
	c, err := e.onOpenAccount(ctx, caseID, n, func(tx *sql.Tx, c *objection.Case, a *objection.AccountState) error {
		if a.FiledAt != nil {
			return objection.Errorf(objection.CodeConflict, "account %d was filed before, at %s by %s", n, a.FiledAt.Format(time.RFC3339), a.Filing.By)
		}
		if err := f.Validate(c, e.cfg.Now(), e.cfg.MaxEvidence); err != nil {
			return err
		}
		at := f.At.UTC()
		a.FiledAt = &at
		a.Filing = &objection.Filing{At: at, Channel: f.Channel, Note: strings.TrimSpace(f.Note), By: by}
		if f.Evidence != nil {
			var err error
			if a.Filing.Evidence, err = e.keepEvidence(ctx, tx, c.ID, f.Evidence); err != nil {
				return err
			}
			if err := e.enqueue(ctx, tx, EvidenceArgs{CaseID: c.ID, Account: n, Attachment: a.Filing.Evidence, Purpose: purposeFiling}, unique); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s account %q filed at Meta on %s via %s", a.Platform, a.Name, at.In(objection.Amsterdam).Format("2006-01-02 15:04"), f.Channel)
		if a.Filing.Note != "" {
			detail += ": " + a.Filing.Note
		}
		if err := e.record(ctx, tx, c.ID, "", objection.EventFiled, detail); err != nil {
			return err
		}
		if c.AllFiled() {
			return e.enqueue(ctx, tx, FiledArgs{CaseID: c.ID}, unique)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.log.Info("filing recorded", "case", caseID, "account", n, "by", by, "channel", f.Channel)
	return c, nil
}

// ConfirmByEvidence confirms account n on other evidence than Meta's mail (a screenshot, a PDF,
// a mail a person checked): kept durably with the job that stores it in the zaak, whose
// description says who decided and why. It counts toward closing once it is in the zaak.
func (e *Engine) ConfirmByEvidence(ctx context.Context, caseID string, n int, r objection.EvidenceRequest) (*objection.Case, error) {
	return e.onOpenAccount(ctx, caseID, n, func(tx *sql.Tx, c *objection.Case, a *objection.AccountState) error {
		if a.ConfirmedBy != "" || a.PendingEvidence != "" {
			return objection.Errorf(objection.CodeConflict, "account %d is confirmed already (%s)", n, a.ConfirmedHow+a.PendingEvidence)
		}
		if err := r.Validate(e.cfg.MaxEvidence); err != nil {
			return err
		}
		id, err := e.keepEvidence(ctx, tx, c.ID, r.Evidence)
		if err != nil {
			return err
		}
		args := EvidenceArgs{CaseID: c.ID, Account: n, Attachment: id, Purpose: purposeConfirmation, By: objection.ActorOf(ctx), Reason: strings.TrimSpace(r.Reason)}
		if err := e.enqueue(ctx, tx, args, unique); err != nil {
			return err
		}
		a.PendingEvidence = id
		return e.record(ctx, tx, c.ID, "", objection.EventConfirmed, fmt.Sprintf("%s account %q confirmed on other evidence by %s: %s", a.Platform, a.Name, args.By, args.Reason))
	})
}

// onOpenAccount changes account n of an open case in one transaction (what fn adds to tx
// commits with it), refusing a case that has ended or is closing.
func (e *Engine) onOpenAccount(ctx context.Context, caseID string, n int, fn func(tx *sql.Tx, c *objection.Case, a *objection.AccountState) error) (*objection.Case, error) {
	c, err := e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		a, err := account(c, n)
		if err != nil {
			return err
		}
		if !c.State().Open() || c.State() == objection.StateClosing {
			return objection.Errorf(objection.CodeConflict, "case %s is %s: nothing more can be recorded", c.ID, c.State())
		}
		return fn(tx, c, a)
	})
	return c, e.notFound(err, caseID)
}

// CloseNotConfirmed closes a case whose objections Meta did not (all) confirm, on a registrar's
// word: resultaat "not confirmed" with the reason, then the eindstatus. It may once every
// account is filed or the deadline has passed (objection.Case.MayCloseUnconfirmed).
func (e *Engine) CloseNotConfirmed(ctx context.Context, caseID, reason string) (*objection.Case, error) {
	if err := objection.ValidReason(reason); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	c, err := e.updateCase(ctx, caseID, func(tx *sql.Tx, c *objection.Case) error {
		if c.State() != objection.StateAwaitingConfirmation {
			return objection.Errorf(objection.CodeConflict, "case %s is %s: only a case awaiting confirmation can be closed this way", c.ID, c.State())
		}
		if !c.MayCloseUnconfirmed(e.cfg.Now()) {
			return objection.Errorf(objection.CodeConflict, "case %s can be closed as not confirmed once every account is filed at Meta or its deadline has passed", c.ID)
		}
		return e.startClosing(ctx, tx, c, objection.OutcomeNotConfirmed, reason, false)
	})
	if err != nil {
		return nil, e.notFound(err, caseID)
	}
	return c, nil
}

// notFound turns the store's missing case into the caller's 404.
func (e *Engine) notFound(err error, caseID string) error {
	if errors.Is(err, store.ErrNotFound) {
		return objection.Errorf(objection.CodeNotFound, "no case %q", caseID)
	}
	return err
}

// attachment describes a received file of a case, of the media type its content shows.
func attachment(caseID string, u *objection.Upload, mediaType string) objection.Attachment {
	sum := sha256.Sum256(u.Data)
	return objection.Attachment{ID: newID(), CaseID: caseID, Name: u.Name, ContentType: mediaType, Size: int64(len(u.Data)), SHA256: hex.EncodeToString(sum[:])}
}

// keepEvidence stores a piece of evidence in tx until it is in the zaaksysteem.
func (e *Engine) keepEvidence(ctx context.Context, tx *sql.Tx, caseID string, u *objection.Upload) (string, error) {
	mt, _, _ := objection.EvidenceType(u.Data)
	a := attachment(caseID, u, mt)
	return a.ID, e.store.InsertAttachment(ctx, tx, a, u.Data)
}

// The purposes of evidence.
const (
	purposeFiling       = "filing"       // Meta's receipt of a filing
	purposeConfirmation = "confirmation" // confirms the account
)

// EvidenceArgs is the job that stores a piece of evidence in the zaak.
type EvidenceArgs struct {
	CaseID     string `json:"case_id"`
	Account    int    `json:"account"`
	Attachment string `json:"attachment"`
	Purpose    string `json:"purpose"`
	By         string `json:"by,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// Kind implements river.JobArgs.
func (EvidenceArgs) Kind() string { return "store_evidence" }

type evidenceWorker struct {
	river.WorkerDefaults[EvidenceArgs]
	e *Engine
}

func (w *evidenceWorker) Work(ctx context.Context, job *river.Job[EvidenceArgs]) error {
	e, args := w.e, job.Args
	ctx = actingFor(ctx, named(args.By))
	return e.withCaseLock(ctx, args.CaseID, func() error {
		c, err := e.store.GetCase(ctx, args.CaseID)
		if err != nil {
			return err
		}
		if err := zaakReady(c); err != nil {
			return err
		}
		if err := e.storeEvidence(ctx, c, args); err != nil {
			return e.fail(ctx, c.ID, err, job.Attempt)
		}
		e.closeHere(ctx, c.ID)
		return nil
	})
}

func (e *Engine) storeEvidence(ctx context.Context, c *objection.Case, args EvidenceArgs) error {
	att, data, err := e.store.Attachment(ctx, args.Attachment)
	if err != nil {
		return err
	}
	a := c.Accounts[args.Account]
	cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, c.Decision.DecidedOn)
	if err != nil {
		return err
	}
	typ, ok := cat.InformatieObjectTypen[e.cfg.EvidenceType]
	if !ok {
		return fmt.Errorf("no informatieobjecttype %q for evidence (ZGW_INFORMATIEOBJECTTYPE_EVIDENCE): %w", e.cfg.EvidenceType, zgw.ErrCatalogue)
	}
	_, ext, _ := objection.EvidenceType(data)
	day := e.cfg.Now().In(objection.Amsterdam).Format(time.DateOnly)
	titel := fmt.Sprintf("Bewijs van indiening bij Meta: %s %s", platformTitle(a.Platform), a.Name)
	beschrijving := ""
	if args.Purpose == purposeFiling && a.Filing != nil {
		beschrijving = fmt.Sprintf("Ontvangstbewijs van Meta bij de indiening op %s via %s, vastgelegd door %s. %s",
			a.Filing.At.In(objection.Amsterdam).Format("2006-01-02 15:04"), a.Filing.Channel, a.Filing.By, a.Filing.Note)
	} else {
		titel = fmt.Sprintf("Bevestiging van het bezwaar op ander bewijs: %s %s", platformTitle(a.Platform), a.Name)
		beschrijving = fmt.Sprintf("Het bezwaar voor dit account is bevestigd op dit bewijs, besloten door %s: %s", args.By, args.Reason)
	}
	meta := zgw.InformatieObject{
		// One document per piece of evidence, even when two carry the same bytes.
		Identificatie: documents.Identificatie(c.Decision.Reference, "E"+strings.ReplaceAll(att.ID, "-", "")[:16]), Bronorganisatie: e.cfg.RSIN,
		CreatieDatum: day, Titel: truncate(titel, 200), Auteur: truncate(objection.ActorOf(ctx), 200), Taal: "dut",
		Formaat: att.ContentType, Bestandsnaam: documents.FileName("bewijs", string(a.Platform), day, att.SHA256[:8]) + ext,
		Status: "definitief", Vertrouwelijkheid: e.cfg.Confidentiality[e.cfg.EvidenceType], IndicatieGebruiksrecht: ptr(false),
		Integriteit: documents.Integriteit(data, day), InformatieObjectType: typ.URL, Beschrijving: truncate(beschrijving, 1000),
	}
	if args.By != "" {
		meta.Auteur = truncate(args.By, 200)
	} else if a.Filing != nil {
		meta.Auteur = truncate(a.Filing.By, 200)
	}
	docURL, err := e.storeDocument(ctx, c.ID, "evidence:"+att.ID, meta, data)
	if err != nil {
		return err
	}
	if err := e.link(ctx, c.ID, "evidence-zio:"+att.ID, c.ZaakURL, docURL, meta.Titel); err != nil {
		return err
	}
	if args.Purpose == purposeConfirmation {
		return e.confirmAccounts(ctx, c.ID, []int{args.Account}, att.ID, docURL, objection.ConfirmedByEvidence, e.cfg.Now().UTC())
	}
	_, err = e.updateCase(ctx, c.ID, func(_ *sql.Tx, c *objection.Case) error {
		if f := c.Accounts[args.Account].Filing; f != nil {
			f.EvidenceURL = docURL
		}
		return nil
	})
	return err
}

// FiledArgs is the job that sets the middle status once every account is filed.
type FiledArgs struct {
	CaseID string `json:"case_id"`
}

// Kind implements river.JobArgs.
func (FiledArgs) Kind() string { return "set_filed_status" }

type filedWorker struct {
	river.WorkerDefaults[FiledArgs]
	e *Engine
}

func (w *filedWorker) Work(ctx context.Context, job *river.Job[FiledArgs]) error {
	e := w.e
	return e.withCaseLock(ctx, job.Args.CaseID, func() error {
		c, err := e.store.GetCase(ctx, job.Args.CaseID)
		if err != nil {
			return err
		}
		switch c.State() {
		case objection.StateReceived, objection.StateRegistering:
			return river.JobSnooze(time.Second)
		case objection.StateAwaitingConfirmation:
		default:
			return nil // closing sets it itself, before the eindstatus; or the case ended
		}
		cat, err := e.zgw.Catalogi.Resolve(ctx, e.cfg.Catalogue, c.Decision.DecidedOn)
		if err == nil {
			err = e.setFiledStatus(ctx, c, cat)
		}
		if err != nil {
			return e.fail(ctx, c.ID, err, job.Attempt)
		}
		return nil
	})
}

// setFiledStatus sets the status "filed at Meta" exactly once, the filing dates in its
// toelichting; nothing when the catalogue names no such status.
func (e *Engine) setFiledStatus(ctx context.Context, c *objection.Case, cat *zgw.Catalogue) error {
	if cat.FiledStatus == nil {
		return nil
	}
	var dates []string
	for _, a := range c.Accounts {
		dates = append(dates, fmt.Sprintf("%s %s: %s", platformTitle(a.Platform), a.Name, a.FiledAt.In(objection.Amsterdam).Format("2006-01-02")))
	}
	// Shared: the filing's job sets it, or the closing when that job has not.
	return e.steps(ctx, c.ID, shared(e.statusEffect("status-filed", c.ZaakURL, cat.FiledStatus.URL, "Ingediend bij Meta: "+strings.Join(dates, "; "))))
}
