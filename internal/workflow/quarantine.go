package workflow

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
)

// Confirmation is one received e-mail's record (without its bytes).
func (e *Engine) Confirmation(ctx context.Context, id string) (*objection.Confirmation, error) {
	conf, err := e.store.GetConfirmation(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, objection.Errorf(objection.CodeNotFound, "no e-mail %q", id)
	}
	return conf, err
}

// Dismiss sets a quarantined e-mail aside on a registrar's review, with the reason: it leaves the
// quarantine list but is kept as it came (the dismissal can be read back, the bytes downloaded).
func (e *Engine) Dismiss(ctx context.Context, id, reason string) (*objection.Confirmation, error) {
	reason = strings.TrimSpace(reason)
	if err := objection.ValidReason(reason); err != nil {
		return nil, err
	}
	var out *objection.Confirmation
	err := e.store.InTx(ctx, func(tx *sql.Tx) error {
		conf, err := e.quarantinedTx(ctx, tx, id)
		if err != nil {
			return err
		}
		conf.State, conf.AssignedBy, conf.Note = objection.ConfirmationDismissed, objection.ActorOf(ctx), reason
		out = conf
		return e.store.SaveConfirmationTx(ctx, tx, conf)
	})
	if err != nil {
		return nil, err
	}
	e.log.Info("quarantined e-mail dismissed", "confirmation", id, "by", out.AssignedBy)
	return out, nil
}

// quarantinedTx reads an e-mail that is to be decided over: it must be in quarantine.
func (e *Engine) quarantinedTx(ctx context.Context, tx *sql.Tx, id string) (*objection.Confirmation, error) {
	conf, err := e.store.GetConfirmationTx(ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, objection.Errorf(objection.CodeNotFound, "no e-mail %q", id)
	}
	if err != nil {
		return nil, err
	}
	if conf.State != objection.ConfirmationQuarantined {
		return nil, objection.Errorf(objection.CodeConflict, "e-mail %s is %s, not in quarantine", id, conf.State)
	}
	return conf, nil
}
