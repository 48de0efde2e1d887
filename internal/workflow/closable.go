package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/archive"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// NotClosableError is what the zaaksysteem would refuse at the eindstatus, found before the
// resultaat and eindstatus are sent: it names the document or the field, so that a person can
// put it right, instead of a bare 400 after the resultaat is already set.
type NotClosableError struct{ Reason string }

func (e *NotClosableError) Error() string { return "the zaak cannot be closed: " + e.Reason }

// checkClosable verifies what closing demands of the zaak z and its documents (zios): every
// document unlocked and with indicatieGebruiksrecht set, and the archive dates derivable from the
// resultaattype with the zaak's data (zrc-021).
func (e *Engine) checkClosable(ctx context.Context, c *objection.Case, z *zgw.Zaak, zios []zgw.ZaakInformatieObject, rt zgw.ResultaatType) error {
	urls := make([]string, len(zios))
	for i, zio := range zios {
		urls[i] = zio.InformatieObject
	}
	// The documents are judged in the zaak's order.
	docs, errs := e.zgw.Documenten.GetAll(ctx, urls)
	for i := range zios {
		doc, err := docs[i], errs[i]
		var foreign *zgw.ForeignURLError
		if errors.As(err, &foreign) {
			continue // in another Documenten API: the connector may not look there
		}
		if err != nil {
			return err
		}
		switch {
		case doc.Locked:
			return &NotClosableError{fmt.Sprintf("document %q (%s) is locked: unlock it in the zaaksysteem, then close again", doc.Titel, doc.URL)}
		case doc.IndicatieGebruiksrecht == nil:
			return &NotClosableError{fmt.Sprintf("document %q (%s) has no indicatieGebruiksrecht: set it (true or false) in the zaaksysteem, then close again", doc.Titel, doc.URL)}
		}
	}
	var p archive.Procedure
	if raw, err := json.Marshal(rt.BrondatumArchiefproc); err == nil {
		_ = json.Unmarshal(raw, &p)
	}
	facts, err := e.archiveFacts(ctx, c, z, p, rt.ArchiefActieTermijn != "")
	if err != nil {
		return err
	}
	_, err = archive.Derive(rt.ArchiefNominatie, rt.ArchiefActieTermijn, p, facts)
	var missing *archive.MissingError
	if errors.As(err, &missing) {
		return &NotClosableError{fmt.Sprintf("%v — resultaattype %q", err, rt.Omschrijving)}
	}
	if err != nil {
		return &NotClosableError{fmt.Sprintf("resultaattype %q: %v", rt.Omschrijving, err)}
	}
	return nil
}

// archiveFacts gathers what the procedure needs of the zaak (only that: the common afleidingswijze
// afgehandeld needs no call at all): today as its einddatum, its hoofdzaak, its besluiten.
func (e *Engine) archiveFacts(ctx context.Context, c *objection.Case, z *zgw.Zaak, p archive.Procedure, derived bool) (archive.Facts, error) {
	today, _ := time.Parse(time.DateOnly, e.cfg.Now().In(objection.Amsterdam).Format(time.DateOnly))
	f := archive.Facts{Einddatum: today}
	if !derived {
		return f, nil // no archiefactietermijn: nothing is derived, nothing can be missing
	}
	switch p.Afleidingswijze {
	case "hoofdzaak":
		e.hoofdzaakFacts(ctx, z, &f)
		return f, nil
	case "ingangsdatum_besluit", "vervaldatum_besluit":
		return f, e.besluitFacts(ctx, c, &f)
	}
	return f, nil
}

// hoofdzaakFacts reads the einddatum of z's hoofdzaak, if it has one and it can be read.
func (e *Engine) hoofdzaakFacts(ctx context.Context, z *zgw.Zaak, f *archive.Facts) {
	if z.Hoofdzaak == nil || *z.Hoofdzaak == "" {
		return
	}
	if h, err := e.zgw.Zaken.GetZaak(ctx, *z.Hoofdzaak); err == nil && h.Einddatum != nil {
		if d, err := time.Parse(time.DateOnly, *h.Einddatum); err == nil {
			f.HoofdzaakEinddatum = &d
		}
	}
}

func (e *Engine) besluitFacts(ctx context.Context, c *objection.Case, f *archive.Facts) error {
	if e.zgw.Besluiten.Configured() {
		besluiten, err := e.zgw.Besluiten.ListBesluiten(ctx, c.ZaakURL, "")
		if err != nil {
			return err
		}
		for _, b := range besluiten {
			if d, err := time.Parse(time.DateOnly, b.IngangsDatum); err == nil {
				f.BesluitIngangsdata = append(f.BesluitIngangsdata, d)
			}
			if b.VervalDatum != nil {
				if d, err := time.Parse(time.DateOnly, *b.VervalDatum); err == nil {
					f.BesluitVervaldata = append(f.BesluitVervaldata, d)
				}
			}
		}
	}
	return nil
}
