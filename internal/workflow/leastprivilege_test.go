package workflow_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func withScopes(scopes []zgw.Scope) func(*sandbox.Config) {
	return func(c *sandbox.Config) { c.ClientScopes = zgw.ScopesByComponent(scopes) }
}

// TestLeastPrivilege: the whole flow runs when the connector's client has exactly the scopes
// zgw.ConnectorScopes lists, and every scope the flow needs is needed — without it the case
// fails, or the decision is refused, with a reason that names it.
func TestLeastPrivilege(t *testing.T) {
	all := zgw.ConnectorScopes()
	t.Run("exactly the connector's scopes", func(t *testing.T) {
		flowWithMinimumCalls(t, newHarness(t, withScopes(all)), []objection.Platform{objection.Facebook})
	})
	t.Run("the dossier with exactly the connector's scopes", func(t *testing.T) {
		h := newHarness(t, withScopes(all))
		text := exportText(t, h, closedCase(t, h))
		if text != "" {
			t.Errorf("the dossier: %s", text)
		}
	})
	t.Run("the publicatiedatum without besluiten.bijwerken", func(t *testing.T) {
		env := sandboxtest.StartForConnector(t, withScopes(slices.DeleteFunc(slices.Clone(all), func(s zgw.Scope) bool {
			return s.Component == "brc" && s.Scope == "besluiten.bijwerken"
		})))
		h := harnessWith(t, env, sqliteStore(t), 20*time.Millisecond, publishing(env, func(p *workflow.Publishing) { p.Directly = true }))
		c, _, err := h.engine.Register(context.Background(), decision("B&W-2025-0779", objection.Facebook), &objection.Upload{Name: "besluit.pdf", Data: decisionPDF})
		if err != nil {
			t.Fatal(err)
		}
		c = h.waitFor(t, c.ID, "a problem with the publication", func(c *objection.Case) bool { return c.Publication != nil && c.Publication.Problem != "" })
		if !strings.Contains(c.Publication.Problem, "besluiten.bijwerken") || c.Publication.Publicatiedatum != "" {
			t.Errorf("the publication: %+v", c.Publication)
		}
	})
	for _, missing := range all {
		if missing.Feature != "dossier" {
			continue
		}
		t.Run("the dossier without "+missing.Component+" "+missing.Scope, func(t *testing.T) {
			h := newHarness(t, withScopes(slices.DeleteFunc(slices.Clone(all), func(s zgw.Scope) bool { return s == missing })))
			if text := exportText(t, h, closedCase(t, h)); !strings.Contains(text, missing.Scope+" voor "+missing.Component) {
				t.Errorf("the dossier's export does not name the missing scope %s of %s: %q", missing.Scope, missing.Component, text)
			}
		})
	}
	for _, missing := range all {
		if missing.Feature != "flow" {
			continue
		}
		t.Run("without "+missing.Scope, func(t *testing.T) {
			h := newHarness(t, withScopes(slices.DeleteFunc(slices.Clone(all), func(s zgw.Scope) bool { return s == missing })))
			ctx := context.Background()
			d := decision("B&W-2025-0777", objection.Facebook)
			c, _, err := h.engine.Register(ctx, d, nil)
			if err != nil {
				// Refused at once (the catalogue is resolved before a decision is accepted).
				if !strings.Contains(err.Error(), missing.Scope) {
					t.Errorf("the refusal does not name the missing scope %s: %v", missing.Scope, err)
				}
				return
			}
			failed := h.waitEither(t, c.ID, objection.StateFailed, objection.StateAwaitingConfirmation)
			if failed.State() == objection.StateAwaitingConfirmation {
				if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})); err != nil {
					t.Fatal(err)
				}
				failed = h.waitState(t, c.ID, objection.StateFailed)
			}
			if !strings.Contains(failed.FailureReason, missing.Scope) {
				t.Errorf("the failure does not name the missing scope %s: %q", missing.Scope, failed.FailureReason)
			}
		})
	}
}

// closedCase runs one decision through to its closing.
func closedCase(t *testing.T, h *harness) *objection.Case {
	t.Helper()
	ctx := context.Background()
	d := decision("B&W-2025-0778", objection.Facebook)
	c, _, err := h.engine.Register(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
	if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})); err != nil {
		t.Fatal(err)
	}
	return h.waitState(t, c.ID, objection.StateClosed)
}

// exportText exports the dossier of c's zaak with the connector's own client, and says what went
// wrong: the error and the manifest's problems ("" when nothing did).
func exportText(t *testing.T, h *harness, c *objection.Case) string {
	t.Helper()
	client, err := zgw.New(h.env.ZGW)
	if err != nil {
		t.Fatal(err)
	}
	m, err := (&dossier.Exporter{ZGW: client, Now: time.Now}).Export(context.Background(), c.ZaakURL, io.Discard, nil)
	var text []string
	if err != nil {
		text = append(text, err.Error())
	}
	if m != nil {
		text = append(text, m.Problems...)
	}
	return strings.Join(text, "\n")
}
