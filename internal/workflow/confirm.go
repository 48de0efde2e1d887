package workflow

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// Confirmations lists the e-mails received for a case.
func (e *Engine) Confirmations(ctx context.Context, caseID string) ([]*objection.Confirmation, error) {
	return e.store.ListConfirmations(ctx, caseID)
}

// Confirm accepts an e-mail for a case. It is checked (authentic, which accounts) and stored —
// with the job that attaches it, in one transaction — before this returns. The same e-mail again
// returns the earlier record (duplicate true) and attaches nothing. An e-mail that is not from
// Meta, matches no account or cannot be read is kept in quarantine and refused (CodeUnprocessable,
// with the record as Data). caseID "" matches the e-mail to an open case by its recipients.
func (e *Engine) Confirm(ctx context.Context, caseID string, raw []byte) (*objection.Confirmation, bool, error) {
	if kind := meta.NotAMail(raw); kind != "" {
		return nil, false, notAMail(kind)
	}
	msg, v, err := e.checker.Check(raw)
	switch {
	case errors.Is(err, meta.ErrTooLarge):
		return nil, false, objection.Errorf(objection.CodeTooLarge, "the e-mail is larger than %d bytes", e.checker.Limits.MaxSize)
	case err != nil:
		sum := sha256.Sum256(raw)
		v = meta.Verdict{SHA256: hex.EncodeToString(sum[:]), Authenticity: meta.Authenticity{Reason: err.Error()}}
		return e.quarantine(ctx, caseID, v, raw, nil, err.Error())
	}

	c, refusal, err := e.judged(ctx, caseID, msg, &v)
	if err != nil {
		return nil, false, err
	}
	if refusal != "" {
		if !v.Authentic && e.cfg.RejectUnverified {
			e.metrics.confirmations.WithLabelValues("rejected").Inc()
			return nil, false, objection.Errorf(objection.CodeUnprocessable, "%s", refusal)
		}
		return e.quarantine(ctx, idOf(c), v, msg.Raw, msg.Forward, refusal)
	}
	conf := e.newConfirmation(c.ID, v, len(msg.Raw), objection.ConfirmationAccepted, "")
	conf.Honoured, conf.Accounts = v.Kind == meta.KindHonoured, v.Match.Accounts
	prev, err := e.insertConfirmation(ctx, conf, msg.Raw, msg.Forward, true)
	if err != nil || prev != nil {
		return prev, prev != nil, err
	}
	e.metrics.confirmations.WithLabelValues("accepted").Inc()
	e.log.Info("confirmation accepted", "case", c.ID, "confirmation", conf.ID, "kind", v.Kind, "accounts", v.Match.Accounts)
	return conf, false, nil
}

// notAMail refuses a file that is plainly no e-mail (meta.NotAMail) at once, keeping nothing: it
// says what the file is and what is expected, the parameter's code telling an Outlook .msg
// ("outlook_msg": its owner needs to know how to get the mail out of Outlook) from the rest.
func notAMail(kind string) error {
	code, reason := "not_an_email", "the file is "+kind+", not an e-mail as received: upload Meta's mail as a .eml file (message/rfc822)"
	if kind == meta.FileOutlookMsg {
		code = "outlook_msg"
		reason = "the file is an Outlook .msg, which does not keep the mail as Meta signed it: forward Meta's mail to the connector's mailbox, or save it as .eml (Outlook on the web: Download)"
	}
	return &objection.Error{Code: objection.CodeUnprocessable, Message: reason, Params: []objection.Param{{Name: "file", Code: code, Reason: reason}}}
}

// judged applies the rules a readable mail must meet to be accepted, against the cases as they
// are now: authentic (from Meta), for one case (caseID, or the open case its signed recipient and
// text name), about that objection and its accounts (Judge), and the case still taking documents.
// It returns the case the mail is for (nil when none) and why it is refused ("" when it is
// accepted). Confirm and Recheck both decide by it.
func (e *Engine) judged(ctx context.Context, caseID string, msg *meta.Message, v *meta.Verdict) (*objection.Case, string, error) {
	var c *objection.Case
	if caseID != "" {
		var err error
		if c, err = e.Case(ctx, caseID); err != nil {
			return nil, "", err
		}
	}
	if !v.Authentic {
		return c, "not accepted as from Meta: " + v.Reason, nil
	}
	if c == nil {
		found, review, err := e.matchCase(ctx, msg, *v)
		if err != nil {
			return nil, "", err
		}
		if found == nil {
			return nil, review, nil
		}
		c = found
	}
	if review := e.checker.Judge(msg, v, meta.AboutCase(c), e.cfg.Now()); review != "" {
		return c, review, nil
	}
	if c.State() == objection.StateClosed || c.State() == objection.StateFailed {
		return c, "the case is " + string(c.State()) + ": no more documents can be added to its zaak", nil
	}
	return c, "", nil
}

// idOf is a case's id, "" for none.
func idOf(c *objection.Case) string {
	if c == nil {
		return ""
	}
	return c.ID
}

// matchCase finds the one open case whose account address is the e-mail's signed recipient.
// Where accounts of several cases share that address, the case whose account the signed text
// names is the one. When there is not exactly one, it says why for the quarantine, listing the
// cases that match by address or, failing that, only by an account name in the text
// (candidates for a person).
func (e *Engine) matchCase(ctx context.Context, msg *meta.Message, v meta.Verdict) (*objection.Case, string, error) {
	open, err := e.store.ListCases(ctx, objection.OpenStates...)
	if err != nil {
		return nil, "", err
	}
	var hits, named []*objection.Case
	// The accounts at the signed recipient across the cases, and the case of each: where they
	// are several, the one the signed text names decides.
	var atRecipient []objection.Account
	var caseOf []*objection.Case
	// What the mail says is the same for every case: without a case's names to take out, it
	// is read once.
	reading := meta.Classify(msg, e.checker.Phrases)
	for _, c := range open {
		m := meta.MatchAccounts(msg, reading, v.Platform, c.Decision.Accounts)
		switch {
		case len(m.Accounts) > 0 || len(m.Shared) > 0:
			hits = append(hits, c)
			for _, i := range append(m.Accounts, m.Shared...) {
				atRecipient, caseOf = append(atRecipient, c.Decision.Accounts[i]), append(caseOf, c)
			}
		case len(m.Named) > 0:
			named = append(named, c)
		}
	}
	var namedCases []*objection.Case
	for _, i := range meta.NamedAccounts(msg, atRecipient, indexes(len(atRecipient))) {
		if !slices.Contains(namedCases, caseOf[i]) {
			namedCases = append(namedCases, caseOf[i])
		}
	}
	switch {
	case len(hits) == 1:
		return hits[0], "", nil
	case len(hits) > 1 && len(namedCases) == 1:
		return namedCases[0], "", nil
	case len(hits) > 1:
		return nil, "needs review: more than one open case has an account at the signed recipient " + v.SignedTo() + "; candidates: " + caseList(hits), nil
	case len(named) > 0:
		return nil, "needs review: no open case has an account at the signed recipient " + v.SignedTo() +
			"; the text names an account of " + caseList(named) + ", but a page name is no proof — a registrar can assign it", nil
	}
	return nil, "no open case has an account at the signed recipient " + v.SignedTo(), nil
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func caseList(cases []*objection.Case) string {
	var refs []string
	for _, c := range cases {
		refs = append(refs, fmt.Sprintf("case %s (%s)", c.ID, c.Decision.Reference))
	}
	return strings.Join(refs, ", ")
}

func (e *Engine) newConfirmation(caseID string, v meta.Verdict, size int, state objection.ConfirmationState, reason string) *objection.Confirmation {
	verdict, _ := json.Marshal(v)
	return &objection.Confirmation{ID: newID(), CaseID: caseID, Key: v.Key(), State: state, Reason: reason,
		Verdict: verdict, Size: size, ReceivedAt: v.ReceivedAt, CreatedAt: e.cfg.Now().UTC(), Accounts: []int{}}
}

// quarantine keeps a refused e-mail with the reason and refuses it; a repeat returns the earlier
// record.
func (e *Engine) quarantine(ctx context.Context, caseID string, v meta.Verdict, eml, forward []byte, reason string) (*objection.Confirmation, bool, error) {
	conf := e.newConfirmation(caseID, v, len(eml), objection.ConfirmationQuarantined, reason)
	prev, err := e.insertConfirmation(ctx, conf, eml, forward, false)
	if err != nil {
		return nil, false, err
	}
	if prev != nil {
		return prev, true, nil
	}
	e.metrics.confirmations.WithLabelValues("quarantined").Inc()
	e.log.Warn("e-mail quarantined", "case", caseID, "confirmation", conf.ID, "reason", reason)
	return conf, false, &objection.Error{Code: objection.CodeUnprocessable, Message: reason, Data: conf}
}

// insertConfirmation stores the record and e-mail (and the attach job when accepted) in one
// transaction, unless the same e-mail was received before: then the earlier record is returned.
func (e *Engine) insertConfirmation(ctx context.Context, conf *objection.Confirmation, eml, forward []byte, attach bool) (*objection.Confirmation, error) {
	var prev *objection.Confirmation
	insert := func(tx *sql.Tx) error {
		p, err := e.store.ConfirmationByKey(ctx, tx, conf.Key)
		if err == nil {
			prev = p
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := e.store.InsertConfirmation(ctx, tx, conf, eml, forward); err != nil {
			return err
		}
		typ, detail, event := objection.EventMailQuarantined, "e-mail "+conf.ID+" kept in quarantine: "+conf.Reason, objection.NoticeQuarantined
		if attach {
			typ, event = objection.EventMailAccepted, objection.NoticeAccepted
			detail = fmt.Sprintf("e-mail %s from Meta accepted (honoured: %v) for accounts %v", conf.ID, conf.Honoured, conf.Accounts)
		}
		if conf.CaseID != "" {
			if err := e.record(ctx, tx, conf.CaseID, "", typ, detail); err != nil {
				return err
			}
		}
		if err := e.notifyTx(ctx, tx, NotifyArgs{Event: event, CaseID: conf.CaseID, ConfirmationID: conf.ID, Key: conf.ID}); err != nil {
			return err
		}
		if !attach {
			return nil
		}
		err = e.enqueue(ctx, tx, AttachArgs{ConfirmationID: conf.ID}, unique)
		return err
	}
	err := e.store.InTx(store.Urgent(ctx), insert)
	if store.IsUniqueViolation(err) {
		err = e.store.InTx(ctx, insert) // the same e-mail arrived at another replica at once
	}
	if prev != nil {
		e.metrics.confirmations.WithLabelValues("duplicate").Inc()
	}
	if err == nil && prev == nil {
		e.fault("accepted:mail")
	}
	return prev, err
}

// Quarantine lists a page of the refused e-mails kept for review, and how many there are.
func (e *Engine) Quarantine(ctx context.Context, p objection.Page) ([]*objection.Confirmation, int, error) {
	return e.store.QuarantinedConfirmations(ctx, p)
}

// EML returns a received e-mail's bytes, unchanged.
func (e *Engine) EML(ctx context.Context, id string) ([]byte, error) {
	b, err := e.store.ConfirmationEML(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, objection.Errorf(objection.CodeNotFound, "no e-mail %q", id)
	}
	return b, err
}

// Assign attaches a quarantined e-mail to a case on a registrar's decision, recording who
// decided and why; it is then stored in the zaak like an accepted one.
func (e *Engine) Assign(ctx context.Context, id string, a objection.Assignment, by string) (*objection.Confirmation, error) {
	var v objection.Invalid
	if strings.TrimSpace(a.Note) == "" {
		v.Add("note", "required", "say why this e-mail belongs to the case; it is recorded with the document")
	}
	if len([]rune(a.Note)) > 500 {
		v.Add("note", "max_length", "at most 500 characters")
	}
	c, err := e.Case(ctx, a.CaseID)
	if err != nil {
		if objection.CodeOf(err) == objection.CodeNotFound {
			v.Add("caseId", "not_found", "no such case")
			return nil, v.Err()
		}
		return nil, err
	}
	if len(a.Accounts) == 0 {
		v.Add("accounts", "required", "name the accounts (indexes) the e-mail concerns")
	}
	for _, i := range a.Accounts {
		if i < 0 || i >= len(c.Accounts) {
			v.Add("accounts", "invalid", fmt.Sprintf("the case has accounts 0 to %d", len(c.Accounts)-1))
			break
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if c.State() == objection.StateClosed || c.State() == objection.StateFailed {
		return nil, objection.Errorf(objection.CodeConflict, "case %s is %s: its zaak takes no more documents", c.ID, c.State())
	}
	var out *objection.Confirmation
	err = e.store.InTx(ctx, func(tx *sql.Tx) error {
		// Inside the transaction only tx may be used: SQLite has a single connection.
		conf, err := e.quarantinedTx(ctx, tx, id)
		if err != nil {
			return err
		}
		conf.CaseID, conf.State, conf.Accounts, conf.Honoured = c.ID, objection.ConfirmationAccepted, a.Accounts, a.Confirms
		conf.AssignedBy, conf.Note = by, strings.TrimSpace(a.Note)
		if err := e.store.SaveConfirmationTx(ctx, tx, conf); err != nil {
			return err
		}
		if err := e.record(ctx, tx, c.ID, "", objection.EventMailAssigned, fmt.Sprintf("e-mail %s assigned to accounts %v (counts as confirmation: %v) by %s: %s", conf.ID, conf.Accounts, conf.Honoured, by, conf.Note)); err != nil {
			return err
		}
		err = e.enqueue(ctx, tx, AttachArgs{ConfirmationID: conf.ID}, unique)
		out = conf
		return err
	})
	if err != nil {
		return nil, err
	}
	e.log.Info("quarantined e-mail assigned", "confirmation", id, "case", c.ID, "by", by, "confirms", a.Confirms)
	return out, nil
}

// Evidence gives, for the zaak of a case, the connector's record of each e-mail it stored there
// (the verdict: signature, key, signed fields and values, matching; who assigned it and why), by
// document URL: what the dossier's manifest shows beside the documents.
func (e *Engine) Evidence(ctx context.Context, zaakURL string) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	c, err := e.caseOfZaak(ctx, zaakURL)
	if err != nil || c == nil {
		return out, err
	}
	confs, err := e.store.ListConfirmations(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, conf := range confs {
		if conf.DocumentURL == "" {
			continue
		}
		if out[conf.DocumentURL], err = json.Marshal(conf); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ZaakEvents is the history of the case of a zaak (none when the connector has no case for it).
func (e *Engine) ZaakEvents(ctx context.Context, zaakURL string) ([]objection.Event, error) {
	c, err := e.caseOfZaak(ctx, zaakURL)
	if err != nil || c == nil {
		return []objection.Event{}, err
	}
	return e.store.Events(ctx, c.ID)
}

// caseOfZaak finds the case of a zaak; nil when there is none.
func (e *Engine) caseOfZaak(ctx context.Context, zaakURL string) (*objection.Case, error) {
	cases, err := e.store.ListCases(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		if c.ZaakURL == zaakURL {
			return c, nil
		}
	}
	return nil, nil
}

// ZaakPublication is the publication of the zaak's decision on the Woo platform (nil: none).
func (e *Engine) ZaakPublication(ctx context.Context, zaakURL string) (*objection.Publication, error) {
	c, err := e.caseOfZaak(ctx, zaakURL)
	if err != nil || c == nil {
		return nil, err
	}
	return c.Publication, nil
}
