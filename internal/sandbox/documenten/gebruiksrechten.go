package documenten

import (
	"context"
	"errors"
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
	core.Fits[Gebruiksrechten](v, d)
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	g, err := core.As[Gebruiksrechten](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	id := core.NewUUID()
	g.URL = core.DocumentenRoot + "gebruiksrechten/" + id
	if err := s.DB.Insert(ctx, "gebruiksrecht", id, g.Informatieobject, "", g); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if eio["indicatieGebruiksrecht"] != true {
		if err := s.indicateGebruiksrecht(ctx, g.Informatieobject, true); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if err := s.Audit(r, "drc", g.Informatieobject, "gebruiksrechten", g.URL, "create", "", nil, core.DocOf(g)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+g.URL)
	core.Render(w, r, http.StatusCreated, g)
}

// indicateGebruiksrecht sets a document's indicatieGebruiksrecht: true, or null (unknown) once it
// has none left.
func (s *API) indicateGebruiksrecht(ctx context.Context, eioURL string, has bool) error {
	e, err := core.GetAs[EnkelvoudigInformatieObject](ctx, s.DB, "eio", core.LastSegment(eioURL))
	if errors.Is(err, core.ErrNotFound) {
		return nil // the document is gone
	}
	if err != nil {
		return err
	}
	e.IndicatieGebruiksrecht = nil
	if has {
		e.IndicatieGebruiksrecht = &has
	}
	return s.DB.Update(ctx, core.LastSegment(eioURL), e)
}

func (s *API) deleteGebruiksrecht(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, ok := core.FoundAs[Gebruiksrechten](s.Server, w, r, "gebruiksrecht")
	if !ok {
		return
	}
	if err := s.DB.Remove(ctx, r.PathValue("uuid")); err != nil {
		core.WriteError(w, r, err)
		return
	}
	rest, err := s.DB.Query(ctx, "gebruiksrecht", g.Informatieobject, "")
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	if len(rest) == 0 {
		if err := s.indicateGebruiksrecht(ctx, g.Informatieobject, false); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if err := s.Audit(r, "drc", g.Informatieobject, "gebruiksrechten", g.URL, "destroy", "", core.DocOf(g), nil); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteEIO deletes a document with its gebruiksrechten and audit trail; a document still linked
// to a zaak or besluit is refused (409, as the spec has it): unlink it there first.
func (s *API) deleteEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, ok := core.FoundAs[EnkelvoudigInformatieObject](s.Server, w, r, "eio")
	if !ok {
		return
	}
	if links, err := s.DB.Query(ctx, "oio", e.URL, ""); err != nil {
		core.WriteError(w, r, err)
		return
	} else if len(links) > 0 {
		core.WriteProblem(w, r, http.StatusConflict, "pending-relations", "Conflict",
			"Het informatieobject is nog aan een zaak of besluit gekoppeld.", nil)
		return
	}
	if err := s.DB.DeleteWith(ctx, r.PathValue("uuid"), e.URL, []string{"gebruiksrecht", "deel"}); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.PublishChange(r, "drc", e.URL, "enkelvoudiginformatieobject", e.URL, "destroy", core.DocOf(e)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
