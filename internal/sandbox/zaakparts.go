package sandbox

import (
	"context"
	"net/http"
	"slices"
)

// detach takes a deleted part out of its zaak: a list field loses its URL, a single field
// (resultaat) is emptied.
func (s *Server) detach(ctx context.Context, zaakURL, field, url string) error {
	z, err := s.db.get(ctx, "zaak", lastSegment(zaakURL))
	if err != nil {
		return nil // the zaak is gone itself
	}
	if list, ok := z[field].([]any); ok {
		z[field] = slices.DeleteFunc(slices.Clone(list), func(u any) bool { return u == url })
	} else if str(z, field) == url {
		z[field] = nil
	}
	return s.db.update(ctx, str(z, "uuid"), z)
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
		old, ok := s.found(w, r, "resultaat")
		if !ok {
			return
		}
		in, ok := readJSON(w, r)
		if !ok {
			return
		}
		v := &validation{}
		if _, sent := in["zaak"]; sent && str(in, "zaak") != str(old, "zaak") {
			v.add("zaak", "wijzigen-niet-toegelaten", "Dit veld mag niet gewijzigd worden.")
		}
		if !partial {
			v.required(in, "zaak", "resultaattype")
		}
		v.maxLen(in, "toelichting", 1000)
		if _, sent := in["resultaattype"]; sent {
			rt := s.resource(r, v, in, "resultaattype", "resultaattype", catalogiRoot+"resultaattypen/")
			if z, err := s.db.get(ctx, "zaak", lastSegment(str(old, "zaak"))); err == nil && rt != nil && str(rt, "zaaktype") != str(z, "zaaktype") {
				v.add("nonFieldErrors", "zaaktype-mismatch", "Het resultaattype hoort niet bij het zaaktype van de zaak.")
			}
		}
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		d := doc{}
		for k, x := range old {
			d[k] = x
		}
		for _, f := range []string{"resultaattype", "toelichting"} {
			if x, sent := in[f]; sent {
				d[f] = x
			}
		}
		if err := s.db.update(ctx, str(old, "uuid"), d); err != nil {
			writeError(w, r, err)
			return
		}
		actie := "update"
		if partial {
			actie = "partial_update"
		}
		if err := s.audit(r, "zrc", str(d, "zaak"), "resultaat", str(d, "url"), actie, "", old, d); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, d)
	}
}
