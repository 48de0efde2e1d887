package sandbox

import (
	"maps"
	"net/http"
)

// zaakDerived are the fields of a zaak the Zaken API works out itself: an update never sets them.
var zaakDerived = []string{"url", "uuid", "identificatie", "einddatum", "status", "resultaat", "deelzaken", "eigenschappen",
	"rollen", "zaakinformatieobjecten", "zaakobjecten", "betalingsindicatieWeergave", "laatstGemuteerd"}

// updateZaak serves PUT (the whole zaak) and PATCH (some fields). The zaaktype, bronorganisatie
// and identificatie of a zaak do not change; what is left is checked as on creation.
func (s *Server) updateZaak(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.foundWithBody(w, r, "zaak")
		if !ok {
			return
		}
		d := doc{}
		if partial {
			d = maps.Clone(old)
		}
		maps.Copy(d, in)
		for _, k := range zaakDerived {
			d[k] = old[k]
		}
		d["url"] = old["url"]
		if _, sent := in["laatsteBetaaldatum"]; !sent && str(in, "betalingsindicatie") == "nvt" {
			d["laatsteBetaaldatum"] = nil // nothing to pay: no date of the last payment (zrc-014)
		}
		v, _ := s.validZaak(r, d)
		fixed(v, in, old, "zaaktype", "bronorganisatie", "identificatie")
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if s.refusedOnClosed(w, r, old) {
			return
		}
		if !partial {
			defaults(d, old) // what a PUT leaves out keeps its derived or default value
		}
		d["betalingsindicatieWeergave"] = betalingsindicatieWeergave(str(d, "betalingsindicatie"))
		d["laatstGemuteerd"] = timestamp(s.now())
		if err := s.storeUpdate(r, partial, "zrc", str(d, "url"), "zaak", str(d, "identificatie"), old, d); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, s.decorate(r, "zaak", d))
	}
}

// zaakChildren are the resources deleted with their zaak (zrc-023).
var zaakChildren = []string{"status", "resultaat", "rol", "zio", "zaakobject", "klantcontact", "zaakeigenschap"}

// deleteZaak removes a zaak and what belongs to it, audit trail included (zrc-023: no soft
// deletes). A zaak with besluiten is refused: the besluit would point at nothing.
func (s *Server) deleteZaak(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	z, ok := s.found(w, r, "zaak")
	if !ok {
		return
	}
	self := str(z, "url")
	if besluiten, err := s.db.query(ctx, "besluit", self, ""); err != nil {
		writeError(w, r, err)
		return
	} else if len(besluiten) > 0 {
		v := &validation{}
		v.add("nonFieldErrors", "pending-relations", "Deze zaak heeft besluiten; verwijder of ontkoppel die eerst.")
		writeInvalid(w, r, v)
		return
	}
	zios, err := s.db.query(ctx, "zio", self, "")
	if err != nil {
		writeError(w, r, err)
		return
	}
	for _, l := range zios { // their mirrors in the Documenten API go too
		if err := s.unmirrorLink(ctx, self, str(l, "informatieobject")); err != nil {
			writeError(w, r, err)
			return
		}
	}
	if err := s.db.deleteWith(ctx, str(z, "uuid"), self, zaakChildren); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.publishChange(r, "zrc", self, "zaak", self, "destroy", z); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateZIO serves PUT and PATCH of a zaakinformatieobject: its titel and beschrijving change,
// the zaak and informatieobject it links do not.
func (s *Server) updateZIO(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.foundWithBody(w, r, "zio")
		if !ok {
			return
		}
		v := &validation{}
		fixed(v, in, old, "zaak", "informatieobject")
		if !partial {
			v.required(in, "zaak", "informatieobject")
		}
		v.maxLen(in, "titel", 200)
		if v.failed() {
			writeInvalid(w, r, v)
			return
		}
		if s.refusedOnClosed(w, r, s.zaakOf(r.Context(), old)) {
			return
		}
		d := withChanges(old, in, "titel", "beschrijving")
		if !partial { // a PUT that leaves them out empties them
			for _, f := range []string{"titel", "beschrijving"} {
				if _, sent := in[f]; !sent {
					d[f] = ""
				}
			}
		}
		if err := s.storeUpdate(r, partial, "zrc", str(d, "zaak"), "zaakinformatieobject", str(d, "titel"), old, d); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, d)
	}
}
