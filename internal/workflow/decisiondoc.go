package workflow

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// storeDecisionDocument puts the decision's own document (received with it, or already in the
// zaaksysteem) in the zaak: as an informatieobject of the decision type, linked to the besluit
// (besluitinformatieobject) and to the zaak — each exactly once.
func (e *Engine) storeDecisionDocument(ctx context.Context, c *objection.Case, cat *zgw.Catalogue, zaakURL, besluitURL string) error {
	d := c.Decision
	docURL := d.DocumentURL
	if c.DecisionDocument != nil {
		att, data, err := e.store.Attachment(ctx, c.DecisionDocument.ID)
		if err != nil {
			return err
		}
		typ, ok := cat.InformatieObjectTypen[e.cfg.DecisionType]
		if !ok {
			return fmt.Errorf("no informatieobjecttype %q for the decision's document (ZGW_INFORMATIEOBJECTTYPE_DECISION): %w", e.cfg.DecisionType, zgw.ErrCatalogue)
		}
		day := c.CreatedAt.In(objection.Amsterdam).Format(time.DateOnly)
		ext := strings.ToLower(path.Ext(att.Name))
		if len(ext) > 6 || strings.ContainsFunc(ext[min(len(ext), 1):], func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
			ext = ""
		}
		meta := zgw.InformatieObject{
			Identificatie: documents.Identificatie(d.Reference, "B"+att.SHA256[:12]), Bronorganisatie: e.cfg.RSIN, CreatieDatum: d.DecidedOn,
			Titel: truncate("Collegebesluit "+d.Reference+": "+d.Title, 200), Auteur: "College van burgemeester en wethouders",
			Taal: "dut", Formaat: att.ContentType, Bestandsnaam: documents.FileName("collegebesluit", d.Reference) + ext,
			Status: "definitief", Vertrouwelijkheid: e.cfg.Confidentiality[e.cfg.DecisionType], IndicatieGebruiksrecht: ptr(false),
			Integriteit: documents.Integriteit(data, day), InformatieObjectType: typ.URL,
			Beschrijving: truncate(fmt.Sprintf("Het besluit van het college, ontvangen met de registratie van %s.", d.Reference), 1000),
		}
		if docURL, err = e.storeDocument(ctx, c.ID, "decision-document", meta, data); err != nil {
			return err
		}
	}
	if docURL == "" {
		return nil
	}
	if besluitURL != "" {
		if _, err := e.step(ctx, c.ID, "decision-bio",
			func(ctx context.Context) (string, bool, error) {
				bios, err := e.zgw.Besluiten.ListBesluitInformatieObjecten(ctx, besluitURL)
				if err != nil {
					return "", false, err
				}
				i := slices.IndexFunc(bios, func(b zgw.BesluitInformatieObject) bool { return b.InformatieObject == docURL })
				if i < 0 {
					return "", false, nil
				}
				return bios[i].URL, true, nil
			},
			func(ctx context.Context) (string, error) {
				bio, err := e.zgw.Besluiten.CreateBesluitInformatieObject(ctx, zgw.BesluitInformatieObject{Besluit: besluitURL, InformatieObject: docURL})
				if err != nil {
					return "", err
				}
				return bio.URL, nil
			}); err != nil {
			return err
		}
	}
	if err := e.link(ctx, c.ID, "decision-zio", zaakURL, docURL, "Collegebesluit "+d.Reference); err != nil {
		return err
	}
	e.holdChange(c.ID, func(c *objection.Case) { c.DecisionDocumentURL = docURL })
	return nil
}
