package sandbox

import (
	"net/http"
)

// resultaatPart is the zaak's one resultaat: of a resultaattype of the zaak's zaaktype.
var resultaatPart = zaakPart{
	kind: "resultaat", collection: "resultaten", zaakField: "resultaat", single: true, required: []string{"zaak", "resultaattype"},
	defaults: func() doc { return doc{"toelichting": ""} },
	check: func(s *Server, r *http.Request, v *validation, d, zaak doc) {
		rt := s.resource(r, v, d, "resultaattype", "resultaattype", catalogiRoot+"resultaattypen/")
		if zaak != nil && rt != nil && str(rt, "zaaktype") != str(zaak, "zaaktype") {
			v.add("nonFieldErrors", "zaaktype-mismatch", "Het resultaattype hoort niet bij het zaaktype van de zaak.")
		}
		if zaak != nil && zaak["resultaat"] != nil {
			v.add("zaak", "unique", "Deze zaak heeft al een resultaat.")
		}
	},
}

// deleteZaakPart serves DELETE of a resultaat or rol: gone from the zaak too, in its audit trail.
func (s *Server) deleteZaakPart(kind, resource, field string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		p, ok := s.found(w, r, kind)
		if !ok {
			return
		}
		if err := s.db.remove(ctx, r.PathValue("uuid")); err != nil {
			writeError(w, r, err)
			return
		}
		if err := s.detach(ctx, str(p, "zaak"), field, str(p, "url")); err != nil {
			writeError(w, r, err)
			return
		}
		if err := s.audit(r, "zrc", str(p, "zaak"), resource, str(p, "url"), "destroy", "", p, nil); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// updateResultaat serves PUT and PATCH of a resultaat: its resultaattype (of the zaak's
// zaaktype) and toelichting change, its zaak does not.
func (s *Server) updateResultaat(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		old, in, ok := s.foundWithBody(w, r, "resultaat")
		if !ok {
			return
		}
		v := &validation{}
		fixed(v, in, old, "zaak")
		if !partial {
			v.required(in, "zaak", "resultaattype")
		}
		v.maxLen(in, "toelichting", 1000)
		zaak := s.zaakOf(ctx, old)
		if _, sent := in["resultaattype"]; sent {
			rt := s.resource(r, v, in, "resultaattype", "resultaattype", catalogiRoot+"resultaattypen/")
			if zaak != nil && rt != nil && str(rt, "zaaktype") != str(zaak, "zaaktype") {
				v.add("nonFieldErrors", "zaaktype-mismatch", "Het resultaattype hoort niet bij het zaaktype van de zaak.")
			}
		}
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if s.refusedOnClosed(w, r, zaak) {
			return
		}
		d := withChanges(old, in, "resultaattype", "toelichting")
		if err := s.storeUpdate(r, partial, "zrc", str(d, "zaak"), "resultaat", "", old, d); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, d)
	}
}

// storeUpdate stores an updated resource and records it in its hoofdobject's audit trail as an
// update (PUT) or partial_update (PATCH).
func (s *Server) storeUpdate(r *http.Request, partial bool, bron, hoofd, resource, weergave string, old, d doc) error {
	if err := s.db.update(r.Context(), lastSegment(str(old, "url")), d); err != nil {
		return err
	}
	actie := "update"
	if partial {
		actie = "partial_update"
	}
	return s.audit(r, bron, hoofd, resource, str(d, "url"), actie, weergave, old, d)
}
