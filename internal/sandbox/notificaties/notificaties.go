package notificaties

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// kanaalPrefix begins the fixed uuids of the kanalen (+ four hex digits each).
const kanaalPrefix = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e"

// Routes mounts the API's operations on mux.
func (s *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+core.NotificatiesRoot+"kanaal", s.listKanalen)
	mux.HandleFunc("POST "+core.NotificatiesRoot+"abonnement", s.createAbonnement)
	mux.HandleFunc("GET "+core.NotificatiesRoot+"abonnement", s.ListBy("abonnement", "", false, ""))
	mux.HandleFunc("GET "+core.NotificatiesRoot+"abonnement/{uuid}", s.GetHandler("abonnement"))
	mux.HandleFunc("PUT "+core.NotificatiesRoot+"abonnement/{uuid}", s.putAbonnement)
	mux.HandleFunc("DELETE "+core.NotificatiesRoot+"abonnement/{uuid}", s.Write(s.DeleteFound("abonnement")))
	mux.HandleFunc("POST "+core.NotificatiesRoot+"notificaties", s.PostNotificatie)
}

func (s *API) listKanalen(w http.ResponseWriter, r *http.Request) {
	naam := r.URL.Query().Get("naam")
	out := []Kanaal{}
	for i, k := range core.Kanalen {
		if naam != "" && naam != k.Naam {
			continue
		}
		out = append(out, Kanaal{URL: core.NotificatiesRoot + "kanaal/" + kanaalPrefix + "7" + string(rune('0'+i)) + "00",
			Naam: k.Naam, Filters: strings.Split(k.Filters, ",")})
	}
	core.RenderListOf(w, r, out)
}

// validAbonnement checks an abonnement as the Notificaties API does: callback, auth and kanalen
// that exist, with only the filters a kanaal offers.
func validAbonnement(d core.Doc) *core.Validation {
	v := &core.Validation{}
	v.Required(d, "callbackUrl", "auth", "kanalen")
	core.Fits[Abonnement](v, d)
	if cb := core.Str(d, "callbackUrl"); cb != "" && !strings.HasPrefix(cb, "http://") && !strings.HasPrefix(cb, "https://") {
		v.Add("callbackUrl", "invalid", "Voer een geldige URL in.")
	}
	kl, _ := d["kanalen"].([]any)
	for _, k := range kl {
		km, _ := k.(map[string]any)
		offered := core.KanaalFilters(core.Str(km, "naam"))
		if offered == nil {
			v.Add("kanalen", "kanaal-does-not-exist", "Kanaal "+core.Str(km, "naam")+" bestaat niet.")
			continue
		}
		filters, _ := km["filters"].(map[string]any)
		for f := range filters {
			if !slices.Contains(offered, f) {
				v.Add("filters", "kanaal-filters-not-allowed", "Filter "+f+" bestaat niet op kanaal "+core.Str(km, "naam")+".")
			}
		}
	}
	return v
}

// createAbonnement registers an abonnement once its callback answered Open Notificaties' test
// notification (checkCallback). The test is sent outside the write lock: a callback may read
// from the sandbox while it answers.
func (s *API) createAbonnement(w http.ResponseWriter, r *http.Request) {
	d, ok := core.ReadJSON(w, r)
	if !ok || !s.validAbonnementWithCallback(w, r, d) {
		return
	}
	s.Writes.Lock()
	defer s.Writes.Unlock()
	id := core.NewUUID()
	a, err := abonnementOf(d, core.NotificatiesRoot+"abonnement/"+id)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.DB.Insert(r.Context(), "abonnement", id, "", "", a); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+a.URL)
	core.Render(w, r, http.StatusCreated, core.WithoutAuth(core.DocOf(a)))
}

// putAbonnement replaces an abonnement (its callback, auth and kanalen), its callback tested as
// on creation.
func (s *API) putAbonnement(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.Found(w, r, "abonnement"); !ok {
		return
	}
	d, ok := core.ReadJSON(w, r)
	if !ok || !s.validAbonnementWithCallback(w, r, d) {
		return
	}
	s.Writes.Lock()
	defer s.Writes.Unlock()
	old, ok := s.Found(w, r, "abonnement")
	if !ok {
		return
	}
	a, err := abonnementOf(d, core.Str(old, "url"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.DB.Update(r.Context(), r.PathValue("uuid"), a); err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.Render(w, r, http.StatusOK, core.WithoutAuth(core.DocOf(a)))
}

// abonnementOf is a checked request as the abonnement at self; a kanaal without filters has
// none ({}), as Open Notificaties answers it.
func abonnementOf(d core.Doc, self string) (Abonnement, error) {
	a, err := core.As[Abonnement](d)
	a.URL = self
	for i := range a.Kanalen {
		if a.Kanalen[i].Filters == nil {
			a.Kanalen[i].Filters = map[string]string{}
		}
	}
	return a, err
}

// validAbonnementWithCallback checks an abonnement and then its callback, answering 400 itself
// when either fails.
func (s *API) validAbonnementWithCallback(w http.ResponseWriter, r *http.Request, d core.Doc) bool {
	v := validAbonnement(d)
	if !v.Failed() {
		s.checkCallback(r.Context(), v, core.Str(d, "callbackUrl"), core.Str(d, "auth"))
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return false
	}
	return true
}

// testNotification is what Open Notificaties sends a callback before it accepts an abonnement.
const testNotification = `{"kanaal":"test","hoofdObject":"http://some.hoofdobject.nl/","resource":"some_resource",` +
	`"resourceUrl":"http://some.resource.nl/","actie":"create","aanmaakdatum":"2019-01-01T12:00:00Z","kenmerken":{}}`

// checkCallback sends the callback the test notification with the abonnement's auth, as Open
// Notificaties does on creating or changing an abonnement; anything but a 2xx answer refuses it.
func (s *API) checkCallback(ctx context.Context, v *core.Validation, callback, auth string) {
	if status, why := s.Post(ctx, callback, auth, testNotification); status < 200 || status > 299 {
		v.Add("callbackUrl", "invalid-callback-url", "De opgegeven callback URL kan geen notificaties ontvangen ("+why+").")
	}
}
