package documenten

import (
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// Gebruiksrechten say under which conditions a document may be used. A document has
// indicatieGebruiksrecht true exactly while it has some: the first sets it, the last one deleted
// unsets it (drc-006, drc-007).

func (s *API) createGebruiksrecht(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "informatieobject", "startdatum", "omschrijvingVoorwaarden")
	v.DateTimes(d, "startdatum", "einddatum")
	eio := s.Resource(r, v, d, "informatieobject", "eio", core.DocumentenRoot+"enkelvoudiginformatieobjecten/")
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	id := core.NewUUID()
	d["url"] = core.DocumentenRoot + "gebruiksrechten/" + id
	core.Defaults(d, core.Doc{"einddatum": nil})
	if err := s.DB.Insert(ctx, "gebruiksrecht", id, core.Str(eio, "url"), "", d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if eio["indicatieGebruiksrecht"] != true {
		eio["indicatieGebruiksrecht"] = true
		if err := s.DB.Update(ctx, core.LastSegment(core.Str(eio, "url")), eio); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if err := s.Audit(r, "drc", core.Str(eio, "url"), "gebruiksrechten", core.Str(d, "url"), "create", "", nil, d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+core.Str(d, "url"))
	core.Render(w, r, http.StatusCreated, d)
}

func (s *API) deleteGebruiksrecht(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, ok := s.Found(w, r, "gebruiksrecht")
	if !ok {
		return
	}
	if err := s.DB.Remove(ctx, r.PathValue("uuid")); err != nil {
		core.WriteError(w, r, err)
		return
	}
	rest, err := s.DB.Query(ctx, "gebruiksrecht", core.Str(g, "informatieobject"), "")
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	if eio, err := s.DB.Get(ctx, "eio", core.LastSegment(core.Str(g, "informatieobject"))); err == nil && len(rest) == 0 {
		eio["indicatieGebruiksrecht"] = nil
		if err := s.DB.Update(ctx, core.LastSegment(core.Str(eio, "url")), eio); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if err := s.Audit(r, "drc", core.Str(g, "informatieobject"), "gebruiksrechten", core.Str(g, "url"), "destroy", "", g, nil); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteEIO deletes a document with its gebruiksrechten and audit trail; a document still linked
// to a zaak or besluit is refused (409, as the spec has it): unlink it there first.
func (s *API) deleteEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := s.Found(w, r, "eio")
	if !ok {
		return
	}
	if links, err := s.DB.Query(ctx, "oio", core.Str(d, "url"), ""); err != nil {
		core.WriteError(w, r, err)
		return
	} else if len(links) > 0 {
		core.WriteProblem(w, r, http.StatusConflict, "pending-relations", "Conflict",
			"Het informatieobject is nog aan een zaak of besluit gekoppeld.", nil)
		return
	}
	if err := s.DB.DeleteWith(ctx, r.PathValue("uuid"), core.Str(d, "url"), []string{"gebruiksrecht", "deel"}); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.PublishChange(r, "drc", core.Str(d, "url"), "enkelvoudiginformatieobject", core.Str(d, "url"), "destroy", d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
