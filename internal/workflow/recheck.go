package workflow

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// Recheck checks a quarantined e-mail again, exactly as Confirm checks a new one, against the
// cases as they are now: a mail that came before its case was registered, or before the filing
// it confirms was recorded, can be accepted then. Accepted, it leaves the quarantine (kept, now
// accepted) and is stored in the zaak; still refused, it stays, with the reason of this check
// (CodeUnprocessable, the record as Data).
func (e *Engine) Recheck(ctx context.Context, id string) (*objection.Confirmation, error) {
	conf, err := e.Confirmation(ctx, id)
	if err != nil {
		return nil, err
	}
	if conf.State != objection.ConfirmationQuarantined {
		return nil, objection.Errorf(objection.CodeConflict, "e-mail %s is %s, not in quarantine", id, conf.State)
	}
	raw, err := e.store.ConfirmationEML(ctx, id)
	if err != nil {
		return nil, err
	}
	msg, v, err := e.checker.Check(raw)
	if err != nil {
		return nil, e.stillRefused(ctx, conf, v, err.Error())
	}
	c, refusal, err := e.judged(ctx, conf.CaseID, msg, &v)
	if err != nil {
		return nil, err
	}
	if refusal != "" {
		return nil, e.stillRefused(ctx, conf, v, refusal)
	}
	verdict, _ := json.Marshal(v)
	var out *objection.Confirmation
	err = e.store.InTx(ctx, func(tx *sql.Tx) error {
		q, err := e.quarantinedTx(ctx, tx, id) // still in quarantine: not assigned meanwhile
		if err != nil {
			return err
		}
		q.CaseID, q.State, q.Reason, q.Verdict = c.ID, objection.ConfirmationAccepted, "", verdict
		q.Honoured, q.Accounts = v.Kind == meta.KindHonoured, v.Match.Accounts
		if err := e.store.SaveConfirmationTx(ctx, tx, q); err != nil {
			return err
		}
		if err := e.record(ctx, tx, c.ID, "", objection.EventMailAccepted,
			fmt.Sprintf("e-mail %s from Meta accepted (honoured: %v) for accounts %v", q.ID, q.Honoured, q.Accounts)); err != nil {
			return err
		}
		out = q
		return e.enqueue(ctx, tx, AttachArgs{ConfirmationID: q.ID}, unique)
	})
	if err != nil {
		return nil, err
	}
	e.metrics.confirmations.WithLabelValues("accepted").Inc()
	e.log.Info("quarantined e-mail accepted on a second check", "confirmation", id, "case", c.ID)
	return out, nil
}

// stillRefused keeps the mail in quarantine with the reason of the latest check, and says so. It
// writes only while the mail is still in quarantine: a decision taken meanwhile stands.
func (e *Engine) stillRefused(ctx context.Context, conf *objection.Confirmation, v meta.Verdict, reason string) error {
	err := e.store.InTx(ctx, func(tx *sql.Tx) error {
		q, err := e.quarantinedTx(ctx, tx, conf.ID)
		if err != nil {
			return err
		}
		q.Reason = reason
		if v.SHA256 != "" {
			q.Verdict, _ = json.Marshal(v)
		}
		conf = q
		return e.store.SaveConfirmationTx(ctx, tx, q)
	})
	if err != nil {
		return err
	}
	return &objection.Error{Code: objection.CodeUnprocessable, Message: "still not accepted: " + reason, Data: conf}
}
