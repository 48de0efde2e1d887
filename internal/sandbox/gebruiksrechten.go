package sandbox

import (
	"net/http"
)

// Gebruiksrechten say under which conditions a document may be used. A document has
// indicatieGebruiksrecht true exactly while it has some: the first sets it, the last one deleted
// unsets it (drc-006, drc-007).

func (s *Server) createGebruiksrecht(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "informatieobject", "startdatum", "omschrijvingVoorwaarden")
	v.dateTimes(d, "startdatum", "einddatum")
	eio := s.resource(r, v, d, "informatieobject", "eio", documentenRoot+"enkelvoudiginformatieobjecten/")
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	id := newUUID()
	d["url"] = documentenRoot + "gebruiksrechten/" + id
	defaults(d, doc{"einddatum": nil})
	if err := s.db.insert(ctx, "gebruiksrecht", id, str(eio, "url"), "", d); err != nil {
		writeError(w, r, err)
		return
	}
	if eio["indicatieGebruiksrecht"] != true {
		eio["indicatieGebruiksrecht"] = true
		if err := s.db.update(ctx, lastSegment(str(eio, "url")), eio); err != nil {
			writeError(w, r, err)
			return
		}
	}
	if err := s.audit(r, "drc", str(eio, "url"), "gebruiksrechten", str(d, "url"), "create", "", nil, d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(d, "url"))
	render(w, r, http.StatusCreated, d)
}

func (s *Server) deleteGebruiksrecht(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, ok := s.found(w, r, "gebruiksrecht")
	if !ok {
		return
	}
	if err := s.db.remove(ctx, r.PathValue("uuid")); err != nil {
		writeError(w, r, err)
		return
	}
	rest, err := s.db.query(ctx, "gebruiksrecht", str(g, "informatieobject"), "")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if eio, err := s.db.get(ctx, "eio", lastSegment(str(g, "informatieobject"))); err == nil && len(rest) == 0 {
		eio["indicatieGebruiksrecht"] = nil
		if err := s.db.update(ctx, lastSegment(str(eio, "url")), eio); err != nil {
			writeError(w, r, err)
			return
		}
	}
	if err := s.audit(r, "drc", str(g, "informatieobject"), "gebruiksrechten", str(g, "url"), "destroy", "", g, nil); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteEIO deletes a document with its gebruiksrechten and audit trail; a document still linked
// to a zaak or besluit is refused (409, as the spec has it): unlink it there first.
func (s *Server) deleteEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := s.found(w, r, "eio")
	if !ok {
		return
	}
	if links, err := s.db.query(ctx, "oio", str(d, "url"), ""); err != nil {
		writeError(w, r, err)
		return
	} else if len(links) > 0 {
		writeProblem(w, r, http.StatusConflict, "pending-relations", "Conflict",
			"Het informatieobject is nog aan een zaak of besluit gekoppeld.", nil)
		return
	}
	if err := s.db.deleteWith(ctx, r.PathValue("uuid"), str(d, "url"), []string{"gebruiksrecht", "deel"}); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.publishChange(r, "drc", str(d, "url"), "enkelvoudiginformatieobject", str(d, "url"), "destroy", d); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
