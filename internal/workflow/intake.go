package workflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// Register accepts a decision, with its document when one came along (nil: none): validated,
// stored together with its registration job in one transaction before this returns. The
// reference is the idempotency key: the same decision (and document) again returns the existing
// case (created false); another decision under the same reference is a conflict.
func (e *Engine) Register(ctx context.Context, d objection.Decision, document *objection.Upload) (*objection.Case, bool, error) {
	return e.accept(ctx, d, "", document)
}

// accept takes a decision in; besluitURL is a besluit that already exists in the zaaksysteem
// (from a notification), to be linked to the zaak rather than registered again.
func (e *Engine) accept(ctx context.Context, d objection.Decision, besluitURL string, document *objection.Upload) (*objection.Case, bool, error) {
	if err := d.Validate(); err != nil {
		return nil, false, err
	}
	if err := e.checkDocument(d, document); err != nil {
		return nil, false, err
	}
	now := e.cfg.Now().UTC()
	c := objection.NewCase(newID(), d, now)
	c.BesluitURL = besluitURL
	for _, a := range d.Accounts {
		c.Accounts = append(c.Accounts, objection.AccountState{Account: a, FormURL: e.cfg.Forms[a.Platform]})
	}
	docSum := ""
	if document != nil {
		// Described (and hashed) once: the hash is part of the fingerprint, and what is kept.
		att := attachment(c.ID, document, objection.DocumentType(document.Data))
		c.DecisionDocument, docSum = &att, att.SHA256
	}
	fingerprint := d.Fingerprint(docSum)
	var existing *objection.Case
	register := func(tx *sql.Tx) error {
		prev, fp, err := e.store.CaseByReference(ctx, tx, d.Reference)
		switch {
		case err == nil && fp == fingerprint:
			existing = prev
			return nil
		case err == nil:
			return objection.Errorf(objection.CodeConflict, "decision %q was registered before with other content (case %s)", d.Reference, prev.ID)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := d.CheckDates(now); err != nil {
			return err
		}
		if document != nil {
			if err := e.store.InsertAttachment(ctx, tx, *c.DecisionDocument, document.Data); err != nil {
				return err
			}
		}
		if err := e.store.InsertCase(ctx, tx, c, fingerprint); err != nil {
			return err
		}
		what := fmt.Sprintf("decision %s registered with %d accounts", d.Reference, len(d.Accounts))
		if d.AcceptPastDeadline && d.Deadline != "" && d.Deadline < now.In(objection.Amsterdam).Format(time.DateOnly) {
			what += fmt.Sprintf("; its deadline %s had passed, registered on purpose", d.Deadline)
		}
		if err := e.record(ctx, tx, c.ID, "registered", objection.EventRegistered, what); err != nil {
			return err
		}
		err = e.enqueue(ctx, tx, registerArgs(c.ID, objection.PrincipalOf(ctx)), unique)
		return err
	}
	err := e.store.InTx(store.Urgent(ctx), register)
	if store.IsUniqueViolation(err) {
		// Another replica registered the same reference at the same moment: look again.
		err = e.store.InTx(ctx, register)
	}
	if err != nil {
		return nil, false, err
	}
	if existing != nil {
		e.metrics.decisions.WithLabelValues("repeated").Inc()
		return existing, false, nil
	}
	e.fault("accepted:decision")
	e.metrics.decisions.WithLabelValues("created").Inc()
	e.log.Info("decision registered", "case", c.ID, "reference", d.Reference, "accounts", len(d.Accounts))
	return c, true, nil
}

// checkDocument refuses a decision document that cannot be stored: too large, empty, or an
// informatieobject URL outside the configured Documenten API.
func (e *Engine) checkDocument(d objection.Decision, document *objection.Upload) error {
	var v objection.Invalid
	if d.DocumentURL != "" && !e.zgw.Documenten.IsDocument(d.DocumentURL) {
		v.Add("documentUrl", "foreign", "not an informatieobject of the configured Documenten API")
	}
	if document != nil {
		switch {
		case d.DocumentURL != "":
			v.Add("document", "ambiguous", "send the document or its documentUrl, not both")
		case len(document.Data) == 0:
			v.Add("document", "empty", "the file is empty")
		case int64(len(document.Data)) > e.cfg.MaxDocument:
			v.Add("document", "too_large", fmt.Sprintf("at most %d bytes", e.cfg.MaxDocument))
		}
	}
	return v.Err()
}

// Case reads a case.
func (e *Engine) Case(ctx context.Context, id string) (*objection.Case, error) {
	c, err := e.store.GetCase(ctx, id)
	if err != nil {
		return nil, e.notFound(err, id)
	}
	c.UpdateOverdue(e.cfg.Now())
	return c, nil
}

// Cases is one page of the cases that pass the filter, newest first, with the number of all that
// pass it (a page of size 0: all of them).
func (e *Engine) Cases(ctx context.Context, f objection.CaseFilter, p objection.Page) ([]*objection.Case, int, error) {
	return e.store.CasesPage(ctx, f, e.cfg.Now(), p)
}

func newID() string { return uuid.NewString() }
