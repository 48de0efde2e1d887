package sandbox

import (
	"net/http"
	"slices"
	"strings"
)

const notificatiesRoot = "/notificaties/api/v1/"

// kanalen are the channels the sandbox offers, as an NRC next to Open Zaak would.
var kanalen = []struct{ naam, filters string }{
	{"zaken", "bronorganisatie,zaaktype,vertrouwelijkheidaanduiding"},
	{"documenten", "bronorganisatie,informatieobjecttype,vertrouwelijkheidaanduiding"},
	{"besluiten", "verantwoordelijkeOrganisatie,besluittype"},
}

func (s *Server) notificatiesRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+notificatiesRoot+"kanaal", s.listKanalen)
	mux.HandleFunc("POST "+notificatiesRoot+"abonnement", s.write(s.createAbonnement))
	mux.HandleFunc("GET "+notificatiesRoot+"abonnement", s.listBy("abonnement", "", false, ""))
	mux.HandleFunc("GET "+notificatiesRoot+"abonnement/{uuid}", s.getHandler("abonnement"))
	mux.HandleFunc("PUT "+notificatiesRoot+"abonnement/{uuid}", s.write(s.putAbonnement))
	mux.HandleFunc("DELETE "+notificatiesRoot+"abonnement/{uuid}", s.write(s.deleteFound("abonnement")))
	mux.HandleFunc("POST "+notificatiesRoot+"notificaties", s.postNotificatie)
}

func (s *Server) listKanalen(w http.ResponseWriter, r *http.Request) {
	naam := r.URL.Query().Get("naam")
	var out []doc
	for i, k := range kanalen {
		if naam != "" && naam != k.naam {
			continue
		}
		filters := []any{}
		for _, f := range strings.Split(k.filters, ",") {
			filters = append(filters, f)
		}
		out = append(out, doc{
			"url":  notificatiesRoot + "kanaal/" + seedPrefix + "7" + string(rune('0'+i)) + "00",
			"naam": k.naam, "documentatieLink": "", "filters": filters,
		})
	}
	renderList(w, r, out)
}

// validAbonnement checks an abonnement as the Notificaties API does: callback, auth and kanalen
// that exist, with only the filters a kanaal offers.
func validAbonnement(d doc) *validation {
	v := &validation{}
	v.required(d, "callbackUrl", "auth", "kanalen")
	if cb := str(d, "callbackUrl"); cb != "" && !strings.HasPrefix(cb, "http://") && !strings.HasPrefix(cb, "https://") {
		v.add("callbackUrl", "invalid", "Voer een geldige URL in.")
	}
	kl, _ := d["kanalen"].([]any)
	for _, k := range kl {
		km, _ := k.(map[string]any)
		offered := kanaalFilters(str(km, "naam"))
		if offered == nil {
			v.add("kanalen", "kanaal-does-not-exist", "Kanaal "+str(km, "naam")+" bestaat niet.")
			continue
		}
		filters, _ := km["filters"].(map[string]any)
		for f := range filters {
			if !slices.Contains(offered, f) {
				v.add("filters", "kanaal-filters-not-allowed", "Filter "+f+" bestaat niet op kanaal "+str(km, "naam")+".")
			}
		}
	}
	return v
}

func (s *Server) createAbonnement(w http.ResponseWriter, r *http.Request) {
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	if v := validAbonnement(d); v.failed() {
		writeInvalid(w, r, v)
		return
	}
	id := newUUID()
	d["url"] = notificatiesRoot + "abonnement/" + id
	if err := s.db.insert(r.Context(), "abonnement", id, "", "", d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(d, "url"))
	render(w, r, http.StatusCreated, d)
}

// putAbonnement replaces an abonnement (its callback, auth and kanalen).
func (s *Server) putAbonnement(w http.ResponseWriter, r *http.Request) {
	old, ok := s.found(w, r, "abonnement")
	if !ok {
		return
	}
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	if v := validAbonnement(d); v.failed() {
		writeInvalid(w, r, v)
		return
	}
	d["url"] = str(old, "url")
	if err := s.db.update(r.Context(), r.PathValue("uuid"), d); err != nil {
		writeError(w, r, err)
		return
	}
	render(w, r, http.StatusOK, d)
}
