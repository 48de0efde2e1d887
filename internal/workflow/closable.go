package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// NotClosableError is what the zaaksysteem would refuse at the eindstatus, found before the
// resultaat and eindstatus are sent: it names the document or the field, so that a person can
// put it right, instead of a bare 400 after the resultaat is already set.
type NotClosableError struct{ Reason string }

func (e *NotClosableError) Error() string { return "the zaak cannot be closed: " + e.Reason }

// checkClosable verifies what closing demands of the zaak's documents (zios) before the
// resultaat is set: every document unlocked and with indicatieGebruiksrecht set, rules of the
// standard that a person must put right in the zaaksysteem. The archive dates are the
// zaaksysteem's to derive: Open Zaak closes a zaak whose besluit has no vervaldatum yet and
// derives the date when it is recorded, so the connector does not second-guess it; a zaaksysteem
// that refuses the eindstatus fails the case with its own words.
func (e *Engine) checkClosable(ctx context.Context, zios []zgw.ZaakInformatieObject) error {
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
	return nil
}
