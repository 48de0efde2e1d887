package zaken

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/archive"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// archiveOf derives a closing zaak's archive fields from its resultaat's resultaattype, with the
// facts this sandbox holds: the einddatum, the hoofdzaak, the besluiten, the zaakeigenschappen
// and zaakobjecten of the zaak. (Related zaken are not followed.)
func (s *API) archiveOf(ctx context.Context, zaak core.Doc, einddatum time.Time) (archive.Dates, error) {
	rt, p, ok := s.procedureOf(ctx, zaak)
	if !ok {
		return archive.Dates{}, nil // checked before: no resultaat, no derivation
	}
	return s.derive(ctx, zaak, rt, p, einddatum)
}

// derive is archiveOf with the zaak's resultaattype and its procedure already read.
func (s *API) derive(ctx context.Context, zaak, rt core.Doc, p archive.Procedure, einddatum time.Time) (archive.Dates, error) {
	f := archive.Facts{Einddatum: einddatum}
	if h := core.Str(zaak, "hoofdzaak"); h != "" {
		if hz, err := s.DB.Get(ctx, "zaak", core.LastSegment(h)); err == nil {
			if end, err := time.Parse(time.DateOnly, core.Str(hz, "einddatum")); err == nil {
				f.HoofdzaakEinddatum = &end
			}
		}
	}
	besluiten, err := s.DB.Query(ctx, "besluit", core.Str(zaak, "url"), "")
	if err != nil {
		return archive.Dates{}, err
	}
	for _, b := range besluiten {
		if d, err := time.Parse(time.DateOnly, core.Str(b, "ingangsdatum")); err == nil {
			f.BesluitIngangsdata = append(f.BesluitIngangsdata, d)
		}
		if d, err := time.Parse(time.DateOnly, core.Str(b, "vervaldatum")); err == nil {
			f.BesluitVervaldata = append(f.BesluitVervaldata, d)
		}
	}
	if f.Eigenschappen, f.ZaakobjectData, err = s.datedParts(ctx, zaak, p); err != nil {
		return archive.Dates{}, err
	}
	return archive.Derive(core.Str(rt, "archiefnominatie"), core.Str(rt, "archiefactietermijn"), p, f)
}

// procedureOf reads the resultaattype of the zaak's resultaat and its archive procedure.
func (s *API) procedureOf(ctx context.Context, zaak core.Doc) (core.Doc, archive.Procedure, bool) {
	var p archive.Procedure
	res, err := s.DB.Get(ctx, "resultaat", core.LastSegment(core.Str(zaak, "resultaat")))
	if err != nil {
		return nil, p, false
	}
	rt, err := s.DB.Get(ctx, "resultaattype", core.LastSegment(core.Str(res, "resultaattype")))
	if err != nil {
		return nil, p, false
	}
	if raw, err := json.Marshal(rt["brondatumArchiefprocedure"]); err == nil {
		_ = json.Unmarshal(raw, &p)
	}
	return rt, p, true
}

// RederiveArchive derives the archiefactiedatum of a closed zaak again after a fact was recorded
// that its procedure derives from (the afleidingswijze named by fact): as Open Zaak does since
// 1.24, a zaak closed before its besluit had a vervaldatum (or its eigenschap, its zaakobject a
// date) gets its archiefactiedatum then, and a change of a besluit's dates moves it. A date the
// procedure does not take from that fact stays as it is, whoever set it.
func (s *API) RederiveArchive(ctx context.Context, zaakRef string, fact ...string) error {
	if !core.IsLocalPath(zaakRef) {
		return nil
	}
	zaak, err := s.DB.Get(ctx, "zaak", core.LastSegment(zaakRef))
	if err != nil {
		return nil // not a zaak of this sandbox (any more)
	}
	end, err := time.Parse(time.DateOnly, core.Str(zaak, "einddatum"))
	if err != nil {
		return nil // open: derived when it closes
	}
	rt, p, ok := s.procedureOf(ctx, zaak)
	if !ok || (core.Str(zaak, "archiefactiedatum") != "" && !slices.Contains(fact, p.Afleidingswijze)) {
		return nil
	}
	dates, err := s.derive(ctx, zaak, rt, p, end)
	if err != nil || dates.ActieDatum == nil {
		return nil // still not derivable: it stays open
	}
	at := dates.ActieDatum.Format(time.DateOnly)
	if core.Str(zaak, "archiefactiedatum") == at {
		return nil
	}
	_, err = s.changeZaak(ctx, zaakRef, func(z *Zaak) { z.Archiefactiedatum = &at })
	return err
}

// datedParts reads the dates a derivation may take from the zaak's parts: each zaakeigenschap
// whose waarde is a date, by the eigenschap's naam, and the procedure's datumkenmerk of each
// zaakobject of its objecttype — from the object's identificatie, or from the object itself when
// it is a resource of this sandbox (a besluit).
func (s *API) datedParts(ctx context.Context, zaak core.Doc, p archive.Procedure) (map[string]time.Time, []time.Time, error) {
	eigenschappen := map[string]time.Time{}
	eigs, err := s.DB.Query(ctx, "zaakeigenschap", core.Str(zaak, "url"), "")
	if err != nil {
		return nil, nil, err
	}
	for _, e := range eigs {
		if d, ok := lenientDate(e["waarde"]); ok {
			eigenschappen[core.Str(e, "naam")] = d
		}
	}
	objecten, err := s.DB.Query(ctx, "zaakobject", core.Str(zaak, "url"), "")
	if err != nil {
		return nil, nil, err
	}
	var dates []time.Time
	for _, o := range objecten {
		if core.Str(o, "objectType") != p.Objecttype || p.Datumkenmerk == "" {
			continue
		}
		source, _ := o["objectIdentificatie"].(map[string]any)
		if ref := core.Str(o, "object"); core.IsLocalPath(ref) {
			source, _ = s.DB.GetAny(ctx, core.LastSegment(ref))
		}
		if d, ok := lenientDate(source[p.Datumkenmerk]); ok {
			dates = append(dates, d)
		}
	}
	return eigenschappen, dates, nil
}

// lenientDate reads a date as registrations write it: 2025-05-13, 2025-5-13 or a timestamp.
func lenientDate(v any) (time.Time, bool) {
	s, _ := v.(string)
	for _, layout := range []string{time.DateOnly, "2006-1-2", time.RFC3339} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}
