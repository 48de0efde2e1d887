package workflow_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
)

// TestDocumentsTakeTheirTypesConfidentiality: every document the connector writes gets the
// vertrouwelijkheidaanduiding its informatieobjecttype has (the beheerder's choice, which the
// Documenten API derives), unless one is configured for that kind of document.
func TestDocumentsTakeTheirTypesConfidentiality(t *testing.T) {
	for _, tc := range []struct {
		name       string
		configured map[string]string
	}{
		{"from the types", nil},
		{"letters configured", map[string]string{sandbox.IOTypeLetter: "vertrouwelijk"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "connector.db"))
			if err != nil {
				t.Fatal(err)
			}
			h := harnessWith(t, sandboxtest.StartForConnector(t), st, 20*time.Millisecond, func(c *workflow.Config) { c.Confidentiality = tc.configured })
			ctx := context.Background()
			d := decision("B&W-2025-0901", objection.Facebook)
			c, _, err := h.engine.Register(ctx, d, &objection.Upload{Name: "besluit.pdf", Data: []byte("%PDF-1.4\n% collegebesluit\n%%EOF\n")})
			if err != nil {
				t.Fatal(err)
			}
			h.waitState(t, c.ID, objection.StateAwaitingConfirmation)
			if _, _, err := h.engine.Confirm(ctx, c.ID, h.mail(t, d.Accounts[0], meta.Sample{Kind: meta.KindHonoured})); err != nil {
				t.Fatal(err)
			}
			c = h.waitState(t, c.ID, objection.StateClosed)
			zios, err := h.env.Client.Zaken.ListZaakInformatieObjecten(ctx, c.ZaakURL)
			if err != nil || len(zios) != 3 {
				t.Fatalf("%d documents, %v", len(zios), err)
			}
			seen := map[string]bool{}
			for _, zio := range zios {
				doc, err := h.env.Client.Documenten.Get(ctx, zio.InformatieObject)
				if err != nil {
					t.Fatal(err)
				}
				var typ string
				for omschrijving, iot := range h.cat.InformatieObjectTypen {
					if iot.URL == doc.InformatieObjectType {
						typ = omschrijving
					}
				}
				want := h.cat.InformatieObjectTypen[typ].Vertrouwelijkheid
				if v := tc.configured[typ]; v != "" {
					want = v
				}
				if doc.Vertrouwelijkheid != want || want == "" {
					t.Errorf("%s (%s): %q, want %q", doc.Titel, typ, doc.Vertrouwelijkheid, want)
				}
				seen[typ] = true
			}
			if len(seen) != 3 {
				t.Errorf("document types %v, want a letter, a mail and the decision's document", seen)
			}
		})
	}
}
