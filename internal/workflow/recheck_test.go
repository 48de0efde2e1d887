package workflow_test

import (
	"context"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// A mail that came before its case was registered is refused and kept for review; checked again
// once the case exists, it is accepted, leaves the quarantine and confirms the account. A mail
// that still fails keeps its place, with the reason of the latest check.
func TestRecheckAcceptsWhatFitsNow(t *testing.T) {
	h := newHarness(t)
	ctx := objection.WithPrincipal(context.Background(), objection.Principal{ID: "registrar-jan", Via: objection.ViaToken})
	d := decision("B&W-2025-0030", objection.Facebook)
	d.Accounts[0].Email = "later@voorbeeldstad.nl"
	early := h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})
	_, _, err := h.engine.Confirm(ctx, "", early)
	if objection.CodeOf(err) != objection.CodeUnprocessable {
		t.Fatalf("a mail for no case yet: %v", err)
	}
	q, _, _ := h.engine.Quarantine(ctx, objection.Page{Number: 1, Size: 10})
	if len(q) != 1 {
		t.Fatalf("%d in quarantine, want the early mail", len(q))
	}
	id := q[0].ID
	if _, err := h.engine.Recheck(ctx, id); objection.CodeOf(err) != objection.CodeUnprocessable {
		t.Errorf("checked again while there is still no case: %v", err)
	}

	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	conf, err := h.engine.Recheck(ctx, id)
	if err != nil || conf.State != objection.ConfirmationAccepted || conf.CaseID != c.ID || !conf.Honoured {
		t.Fatalf("checked again with its case there: %+v %v", conf, err)
	}
	if q, n, _ := h.engine.Quarantine(ctx, objection.Page{Number: 1, Size: 10}); len(q) != 0 || n != 0 {
		t.Errorf("the accepted mail is still to review: %d", n)
	}
	closed := h.waitState(t, c.ID, objection.StateClosed)
	if closed.Accounts[0].ConfirmedAt == nil {
		t.Errorf("the account was not confirmed by the re-checked mail: %+v", closed.Accounts[0])
	}
	if _, err := h.engine.Recheck(ctx, id); objection.CodeOf(err) != objection.CodeConflict {
		t.Errorf("checking a mail no longer in quarantine: %v", err)
	}
}
