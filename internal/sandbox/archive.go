package sandbox

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/archive"
)

// archiveOf derives a closing zaak's archive fields from its resultaat's resultaattype, with the
// facts this sandbox holds: the einddatum, the hoofdzaak, the besluiten of the zaak. (It keeps no
// zaakeigenschappen, zaakobjecten or related zaken, so derivations from those find nothing.)
func (s *Server) archiveOf(ctx context.Context, zaak doc, einddatum time.Time) (archive.Dates, error) {
	res, err := s.db.get(ctx, "resultaat", lastSegment(str(zaak, "resultaat")))
	if err != nil {
		return archive.Dates{}, nil // checked before: no resultaat, no derivation
	}
	rt, err := s.db.get(ctx, "resultaattype", lastSegment(str(res, "resultaattype")))
	if err != nil {
		return archive.Dates{}, nil
	}
	var p archive.Procedure
	if raw, err := json.Marshal(rt["brondatumArchiefprocedure"]); err == nil {
		_ = json.Unmarshal(raw, &p)
	}
	f := archive.Facts{Einddatum: einddatum}
	if h := str(zaak, "hoofdzaak"); h != "" {
		if hz, err := s.db.get(ctx, "zaak", lastSegment(h)); err == nil {
			if end, err := time.Parse(time.DateOnly, str(hz, "einddatum")); err == nil {
				f.HoofdzaakEinddatum = &end
			}
		}
	}
	besluiten, err := s.db.query(ctx, "besluit", str(zaak, "url"), "")
	if err != nil {
		return archive.Dates{}, err
	}
	for _, b := range besluiten {
		if d, err := time.Parse(time.DateOnly, str(b, "ingangsdatum")); err == nil {
			f.BesluitIngangsdata = append(f.BesluitIngangsdata, d)
		}
		if d, err := time.Parse(time.DateOnly, str(b, "vervaldatum")); err == nil {
			f.BesluitVervaldata = append(f.BesluitVervaldata, d)
		}
	}
	return archive.Derive(str(rt, "archiefnominatie"), str(rt, "archiefactietermijn"), p, f)
}
