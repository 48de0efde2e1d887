package sandbox

import (
	"net/http"
	"slices"
)

func (s *Server) catalogiRoutes(mux *http.ServeMux) {
	for kind, rules := range catalogRules {
		root := catalogiRoot + rules.collection
		mux.HandleFunc("GET "+root, s.listCatalogi(kind))
		mux.HandleFunc("GET "+root+"/{uuid}", s.getCatalogType(kind))
		mux.HandleFunc("POST "+root, s.write(s.createCatalogType(kind)))
		if kind == "catalogus" {
			continue // the API has no changes or deletes of a catalogus
		}
		mux.HandleFunc("PUT "+root+"/{uuid}", s.write(s.updateCatalogType(kind, false)))
		mux.HandleFunc("PATCH "+root+"/{uuid}", s.write(s.updateCatalogType(kind, true)))
		mux.HandleFunc("DELETE "+root+"/{uuid}", s.write(s.deleteCatalogType(kind)))
		if rules.publishable {
			mux.HandleFunc("POST "+root+"/{uuid}/publish", s.write(s.publishCatalogType(kind)))
		}
	}
}

// getCatalogType serves GET of one catalogue resource with its derived fields.
func (s *Server) getCatalogType(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if d, ok := s.found(w, r, kind); ok {
			s.renderCatalogType(w, r, http.StatusOK, kind, d)
		}
	}
}

// listCatalogi serves the list endpoints of the Catalogi API with the filters of the spec that
// the sandbox's data can answer.
func (s *Server) listCatalogi(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		origin := base(r)
		all, err := s.db.query(r.Context(), kind, "", "")
		if err != nil {
			writeError(w, r, err)
			return
		}
		var out []doc
		for _, d := range all {
			if d, err = s.view(r.Context(), kind, d); err != nil {
				writeError(w, r, err)
				return
			}
			if matchesCatalogi(kind, d, q.Get, origin, s.published(r, kind, d)) {
				out = append(out, d)
			}
		}
		s.renderPage(w, r, out)
	}
}

// published reports whether a type counts as published: its own concept flag, or for types
// that hang under a zaaktype, that zaaktype's.
func (s *Server) published(r *http.Request, kind string, d doc) bool {
	switch kind {
	case "statustype", "resultaattype", "roltype", "eigenschap", "ziot":
		zt, err := s.db.get(r.Context(), "zaaktype", lastSegment(str(d, "zaaktype")))
		return err == nil && !boolean(zt, "concept")
	}
	return !boolean(d, "concept")
}

func matchesCatalogi(kind string, d doc, get func(string) string, origin string, published bool) bool {
	eq := func(param, field string) bool {
		want := get(param)
		return want == "" || local(want, origin) == str(d, field)
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
	if date := firstOf(get("datumGeldigheid"), get("datum_geldigheid")); date != "" {
		if str(d, "beginGeldigheid") > date || (str(d, "eindeGeldigheid") != "" && str(d, "eindeGeldigheid") < date) {
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
		return eq("catalogus", "catalogus") && eq("omschrijving", "omschrijving") && (zt == "" || slices.Contains(strs(d, "zaaktypen"), local(zt, origin)))
	}
	return true
}
