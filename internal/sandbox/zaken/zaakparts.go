package zaken

import (
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// resultaatPart is the zaak's one resultaat: of a resultaattype of the zaak's zaaktype.
var resultaatPart = zaakPart{
	kind: "resultaat", collection: "resultaten", zaakField: "resultaat", required: []string{"zaak", "resultaattype"},
	typed: core.ShapeOf[Resultaat](),
	check: func(s *API, r *http.Request, v *core.Validation, d, zaak core.Doc) {
		rt := s.Resource(r, v, d, "resultaattype", "resultaattype", core.CatalogiRoot+"resultaattypen/")
		if zaak != nil && rt != nil && core.Str(rt, "zaaktype") != core.Str(zaak, "zaaktype") {
			v.Add("nonFieldErrors", "zaaktype-mismatch", "Het resultaattype hoort niet bij het zaaktype van de zaak.")
		}
		if zaak != nil && zaak["resultaat"] != nil {
			v.Add("zaak", "unique", "Deze zaak heeft al een resultaat.")
		}
	},
}

// deleteZaakPart serves DELETE of a resultaat or rol: gone from the zaak too, in its audit trail.
func (s *API) deleteZaakPart(kind, resource, field string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		p, ok := s.Found(w, r, kind)
		if !ok {
			return
		}
		if err := s.DB.Remove(ctx, r.PathValue("uuid")); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.detachPart(ctx, core.Str(p, "zaak"), field, core.Str(p, "url")); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.Audit(r, "zrc", core.Str(p, "zaak"), resource, core.Str(p, "url"), "destroy", "", p, nil); err != nil {
			core.WriteError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// updateResultaat serves PUT and PATCH of a resultaat: its resultaattype (of the zaak's
// zaaktype) and toelichting change, its zaak does not.
func (s *API) updateResultaat(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		old, in, ok := s.FoundWithBody(w, r, "resultaat")
		if !ok {
			return
		}
		v := &core.Validation{}
		core.Fixed(v, in, old, "zaak")
		if !partial {
			v.Required(in, "zaak", "resultaattype")
		}
		v.MaxLen(in, "toelichting", 1000)
		core.Fits[Resultaat](v, in)
		zaak := s.ZaakOf(ctx, old)
		if _, sent := in["resultaattype"]; sent {
			rt := s.Resource(r, v, in, "resultaattype", "resultaattype", core.CatalogiRoot+"resultaattypen/")
			if zaak != nil && rt != nil && core.Str(rt, "zaaktype") != core.Str(zaak, "zaaktype") {
				v.Add("nonFieldErrors", "zaaktype-mismatch", "Het resultaattype hoort niet bij het zaaktype van de zaak.")
			}
		}
		if v.Failed() {
			core.WriteInvalid(w, r, v)
			return
		}
		if s.RefusedOnClosed(w, r, zaak) {
			return
		}
		res, err := core.As[Resultaat](core.WithChanges(old, in, "resultaattype", "toelichting"))
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.storeUpdate(r, partial, "zrc", res.Zaak, "resultaat", "", old, res); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, res)
	}
}

// storeUpdate stores an updated resource (a typed one, or a Doc) and records it in its
// hoofdobject's audit trail as an update (PUT) or partial_update (PATCH).
func (s *API) storeUpdate(r *http.Request, partial bool, bron, hoofd, resource, weergave string, old core.Doc, updated any) error {
	if err := s.DB.Update(r.Context(), core.LastSegment(core.Str(old, "url")), updated); err != nil {
		return err
	}
	actie := "update"
	if partial {
		actie = "partial_update"
	}
	return s.Audit(r, bron, hoofd, resource, core.Str(old, "url"), actie, weergave, old, core.DocOf(updated))
}
