package sandbox

import (
	"net/http"
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

func (s *Server) createAbonnement(w http.ResponseWriter, r *http.Request) {
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "callbackUrl", "auth", "kanalen")
	kl, _ := d["kanalen"].([]any)
	for _, k := range kl {
		km, _ := k.(map[string]any)
		known := false
		for _, kn := range kanalen {
			known = known || kn.naam == str(km, "naam")
		}
		if !known {
			v.add("kanalen", "kanaal-does-not-exist", "Kanaal "+str(km, "naam")+" bestaat niet.")
		}
	}
	if v.failed() {
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
