package zaken

import (
	"context"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// A zaak is written in one place after its creation: changeZaak. Its parts (statussen, rollen,
// documents, …) are attached to and detached from it there.

// zaakAt reads the zaak at a path.
func (s *API) zaakAt(ctx context.Context, ref string) (Zaak, error) {
	return core.GetAs[Zaak](ctx, s.DB, "zaak", core.LastSegment(ref))
}

// changeZaak reads the zaak at ref, lets change alter it and stores it.
func (s *API) changeZaak(ctx context.Context, ref string, change func(z *Zaak)) (Zaak, error) {
	z, err := s.zaakAt(ctx, ref)
	if err != nil {
		return z, err
	}
	change(&z)
	return z, s.DB.Update(ctx, z.UUID, z)
}

// parts is the zaak's list of its parts of a field (nil: a field that lists none).
func (z *Zaak) parts(field string) *[]string {
	switch field {
	case "rollen":
		return &z.Rollen
	case "zaakinformatieobjecten":
		return &z.Zaakinformatieobjecten
	case "zaakobjecten":
		return &z.Zaakobjecten
	case "eigenschappen":
		return &z.Eigenschappen
	}
	return nil
}

// attach records a new part in the zaak's field: its one resultaat, or one more in a list.
func (z *Zaak) attach(field, url string) {
	if field == "resultaat" {
		z.Resultaat = &url
	} else if list := z.parts(field); list != nil {
		*list = append(*list, url)
	}
}

// detach takes a deleted part out of the zaak's field.
func (z *Zaak) detach(field, url string) {
	if field == "resultaat" && z.Resultaat != nil && *z.Resultaat == url {
		z.Resultaat = nil
	} else if list := z.parts(field); list != nil {
		*list = slices.DeleteFunc(*list, func(u string) bool { return u == url })
	}
}

// detachPart takes a deleted part out of its zaak; a zaak that is gone itself has nothing to lose.
func (s *API) detachPart(ctx context.Context, zaakRef, field, url string) error {
	_, err := s.changeZaak(ctx, zaakRef, func(z *Zaak) { z.detach(field, url) })
	if err == core.ErrNotFound {
		return nil
	}
	return err
}
