package workflow

import (
	"context"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// lookAhead is the zaak as its closing will judge it — closed by someone else? its documents
// closable? — read while the e-mail that confirms the last account is being stored, so that the
// closing right after costs no round trip of its own for it (two, at 5 ms a request, were most
// of the connector's time beyond the bare calls). The documents linked meanwhile are the
// connector's own, made closable (definitief, indicatieGebruiksrecht set, never locked).
type lookAhead struct {
	done chan struct{}
	zaak *zgw.Zaak
	// closable is checkClosable's verdict on the documents linked when the zaak was read.
	closable error
	err      error
}

// lookAheadTo starts reading the zaak for its closing when storing conf will confirm every
// account of c and no other document is still to come (then the closing follows at once); nil
// when it will not.
func (e *Engine) lookAheadTo(ctx context.Context, c *objection.Case, conf *objection.Confirmation) *lookAhead {
	if !conf.Honoured || c.State() != objection.StateAwaitingConfirmation || c.ZaakURL == "" {
		return nil
	}
	for i, a := range c.Accounts {
		if a.ConfirmedBy == "" && !slices.Contains(conf.Accounts, i) {
			return nil
		}
	}
	if toCome, err := e.documentsToCome(ctx, c, conf.ID); err != nil || toCome {
		return nil
	}
	la := &lookAhead{done: make(chan struct{})}
	go func() {
		defer close(la.done)
		var zios []zgw.ZaakInformatieObject
		if la.zaak, zios, la.err = e.zgw.Zaken.GetZaakWithDocuments(ctx, c.ZaakURL); la.err == nil && la.zaak.Einddatum == nil {
			la.closable = e.checkClosable(ctx, zios)
		}
	}()
	return la
}

// seen is the zaak and the verdict on its documents (closable), once read; err when they could
// not be read.
func (la *lookAhead) seen(ctx context.Context) (zaak *zgw.Zaak, closable, err error) {
	select {
	case <-la.done:
		return la.zaak, la.closable, la.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}
