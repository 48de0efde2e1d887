package sandbox

import (
	"net/http"
	"slices"
)

func (s *Server) catalogiRoutes(mux *http.ServeMux) {
	for kind, collection := range collectionOf {
		mux.HandleFunc("GET "+catalogiRoot+collection, s.listCatalogi(kind))
		mux.HandleFunc("GET "+catalogiRoot+collection+"/{uuid}", s.getHandler(kind))
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
	case "statustype", "resultaattype", "roltype":
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
	case "statustype", "resultaattype", "roltype":
		return eq("zaaktype", "zaaktype")
	case "informatieobjecttype":
		return eq("catalogus", "catalogus") && eq("omschrijving", "omschrijving")
	case "besluittype":
		zt := get("zaaktypen")
		return eq("catalogus", "catalogus") && eq("omschrijving", "omschrijving") && (zt == "" || slices.Contains(strs(d, "zaaktypen"), local(zt, origin)))
	}
	return true
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
