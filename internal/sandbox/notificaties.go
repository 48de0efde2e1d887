package sandbox

import (
	"context"
	"net/http"
	"slices"
	"strings"
)

// kanaalPrefix begins the fixed uuids of the kanalen (+ four hex digits each).
const kanaalPrefix = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e"

func (s *Server) notificatiesRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+notificatiesRoot+"kanaal", s.listKanalen)
	mux.HandleFunc("POST "+notificatiesRoot+"abonnement", s.createAbonnement)
	mux.HandleFunc("GET "+notificatiesRoot+"abonnement", s.listBy("abonnement", "", false, ""))
	mux.HandleFunc("GET "+notificatiesRoot+"abonnement/{uuid}", s.getHandler("abonnement"))
	mux.HandleFunc("PUT "+notificatiesRoot+"abonnement/{uuid}", s.putAbonnement)
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
			"url":  notificatiesRoot + "kanaal/" + kanaalPrefix + "7" + string(rune('0'+i)) + "00",
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

// createAbonnement registers an abonnement once its callback answered Open Notificaties' test
// notification (checkCallback). The test is sent outside the write lock: a callback may read
// from the sandbox while it answers.
func (s *Server) createAbonnement(w http.ResponseWriter, r *http.Request) {
	d, ok := readJSON(w, r)
	if !ok || !s.validAbonnementWithCallback(w, r, d) {
		return
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	id := newUUID()
	d["url"] = notificatiesRoot + "abonnement/" + id
	if err := s.db.insert(r.Context(), "abonnement", id, "", "", d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(d, "url"))
	render(w, r, http.StatusCreated, withoutAuth(d))
}

// putAbonnement replaces an abonnement (its callback, auth and kanalen), its callback tested as
// on creation.
func (s *Server) putAbonnement(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.found(w, r, "abonnement"); !ok {
		return
	}
	d, ok := readJSON(w, r)
	if !ok || !s.validAbonnementWithCallback(w, r, d) {
		return
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	old, ok := s.found(w, r, "abonnement")
	if !ok {
		return
	}
	d["url"] = str(old, "url")
	if err := s.db.update(r.Context(), r.PathValue("uuid"), d); err != nil {
		writeError(w, r, err)
		return
	}
	render(w, r, http.StatusOK, withoutAuth(d))
}

// validAbonnementWithCallback checks an abonnement and then its callback, answering 400 itself
// when either fails.
func (s *Server) validAbonnementWithCallback(w http.ResponseWriter, r *http.Request, d doc) bool {
	v := validAbonnement(d)
	if !v.failed() {
		s.checkCallback(r.Context(), v, str(d, "callbackUrl"), str(d, "auth"))
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return false
	}
	return true
}

// testNotification is what Open Notificaties sends a callback before it accepts an abonnement.
const testNotification = `{"kanaal":"test","hoofdObject":"http://some.hoofdobject.nl/","resource":"some_resource",` +
	`"resourceUrl":"http://some.resource.nl/","actie":"create","aanmaakdatum":"2019-01-01T12:00:00Z","kenmerken":{}}`

// checkCallback sends the callback the test notification with the abonnement's auth, as Open
// Notificaties does on creating or changing an abonnement; anything but a 2xx answer refuses it.
func (s *Server) checkCallback(ctx context.Context, v *validation, callback, auth string) {
	if status, why := s.post(ctx, callback, auth, testNotification); status < 200 || status > 299 {
		v.add("callbackUrl", "invalid-callback-url", "De opgegeven callback URL kan geen notificaties ontvangen ("+why+").")
	}
}
