package catalogi

import (
	"net/http"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// Routes mounts the API's operations on mux.
func (s *API) Routes(mux *http.ServeMux) {
	for kind, rules := range CatalogRules {
		root := core.CatalogiRoot + rules.Collection
		mux.HandleFunc("GET "+root, s.listCatalogi(kind))
		mux.HandleFunc("GET "+root+"/{uuid}", s.getCatalogType(kind))
		mux.HandleFunc("POST "+root, s.Write(s.createCatalogType(kind)))
		if kind == "catalogus" {
			continue // the API has no changes or deletes of a catalogus
		}
		mux.HandleFunc("PUT "+root+"/{uuid}", s.Write(s.updateCatalogType(kind, false)))
		mux.HandleFunc("PATCH "+root+"/{uuid}", s.Write(s.updateCatalogType(kind, true)))
		mux.HandleFunc("DELETE "+root+"/{uuid}", s.Write(s.deleteCatalogType(kind)))
		if rules.Publishable {
			mux.HandleFunc("POST "+root+"/{uuid}/publish", s.Write(s.publishCatalogType(kind)))
		}
	}
}

// getCatalogType serves GET of one catalogue resource with its derived fields.
func (s *API) getCatalogType(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if d, ok := s.Found(w, r, kind); ok {
			s.renderCatalogType(w, r, http.StatusOK, kind, d)
		}
	}
}

// listCatalogi serves the list endpoints of the Catalogi API with the filters of the spec that
// the sandbox's data can answer.
func (s *API) listCatalogi(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		origin := core.Base(r)
		all, err := s.DB.Query(r.Context(), kind, "", "")
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		var out []core.Doc
		for _, d := range all {
			if d, err = s.View(r.Context(), kind, d); err != nil {
				core.WriteError(w, r, err)
				return
			}
			if matchesCatalogi(kind, d, q.Get, origin, s.published(r, kind, d)) {
				out = append(out, d)
			}
		}
		s.RenderPage(w, r, out)
	}
}

// published reports whether a type counts as published: its own concept flag, or for types
// that hang under a zaaktype, that zaaktype's.
func (s *API) published(r *http.Request, kind string, d core.Doc) bool {
	switch kind {
	case "statustype", "resultaattype", "roltype", "eigenschap", "ziot":
		zt, err := s.DB.Get(r.Context(), "zaaktype", core.LastSegment(core.Str(d, "zaaktype")))
		return err == nil && !core.Boolean(zt, "concept")
	}
	return !core.Boolean(d, "concept")
}

func matchesCatalogi(kind string, d core.Doc, get func(string) string, origin string, published bool) bool {
	eq := func(param, field string) bool {
		want := get(param)
		return want == "" || core.Local(want, origin) == core.Str(d, field)
	}
	switch get("status") {
	case "", "definitief":
		if !published {
			return false
		}
	case "concept":
		if published {
			return false
		}
	}
	if date := core.FirstOf(get("datumGeldigheid"), get("datum_geldigheid")); date != "" {
		if core.Str(d, "beginGeldigheid") > date || (core.Str(d, "eindeGeldigheid") != "" && core.Str(d, "eindeGeldigheid") < date) {
			return false
		}
	}
	switch kind {
	case "catalogus":
		return eq("domein", "domein") && eq("rsin", "rsin")
	case "zaaktype":
		return eq("catalogus", "catalogus") && eq("identificatie", "identificatie")
	case "roltype":
		return eq("zaaktype", "zaaktype") && eq("omschrijvingGeneriek", "omschrijvingGeneriek")
	case "statustype", "resultaattype", "eigenschap":
		return eq("zaaktype", "zaaktype")
	case "ziot":
		return eq("zaaktype", "zaaktype") && eq("informatieobjecttype", "informatieobjecttype") && eq("richting", "richting")
	case "informatieobjecttype":
		return eq("catalogus", "catalogus") && eq("omschrijving", "omschrijving")
	case "besluittype":
		zt := get("zaaktypen")
		return eq("catalogus", "catalogus") && eq("omschrijving", "omschrijving") && (zt == "" || slices.Contains(core.Strs(d, "zaaktypen"), core.Local(zt, origin)))
	}
	return true
}
