package sandbox

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

const autorisatiesRoot = "/autorisaties/api/v1/"

// The Autorisaties API: applicaties name client ids and what they may do. The sandbox's own
// client may do everything; any other client signed with the sandbox's secret may do what its
// applicatie says (heeftAlleAutorisaties, or per component the scopes), and nothing without one
// (403 permission_denied). Restrictions to zaaktypen and vertrouwelijkheid are not enforced yet.

func (s *Server) autorisatiesRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+autorisatiesRoot+"applicaties", s.write(s.createApplicatie))
	mux.HandleFunc("GET "+autorisatiesRoot+"applicaties", s.listBy("applicatie", "", true, ""))
	mux.HandleFunc("GET "+autorisatiesRoot+"applicaties/{uuid}", s.getHandler("applicatie"))
}

func (s *Server) createApplicatie(w http.ResponseWriter, r *http.Request) {
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "clientIds", "label")
	ids := strs(d, "clientIds")
	if _, sent := d["clientIds"]; sent && len(ids) == 0 {
		v.add("clientIds", "required", "Dit veld is vereist.")
	}
	for _, id := range ids {
		if a, err := s.applicatieOf(r.Context(), id); err != nil {
			writeError(w, r, err)
			return
		} else if a != nil || id == s.cfg.ClientID {
			v.add("clientIds", "clientId-exists", "Client ID "+id+" hoort al bij een applicatie.")
		}
	}
	all, _ := d["heeftAlleAutorisaties"].(bool)
	list, _ := d["autorisaties"].([]any)
	if all && len(list) > 0 {
		v.add("nonFieldErrors", "ambiguous-authorizations-specified", "Geef heeftAlleAutorisaties of autorisaties, niet beide.")
	}
	if !all && len(list) == 0 {
		v.add("nonFieldErrors", "missing-authorizations", "Geef heeftAlleAutorisaties of autorisaties.")
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	id := newUUID()
	d["url"] = autorisatiesRoot + "applicaties/" + id
	defaults(d, doc{"heeftAlleAutorisaties": false, "autorisaties": []any{}})
	if err := s.db.insert(r.Context(), "applicatie", id, "", "", d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(d, "url"))
	render(w, r, http.StatusCreated, d)
}

// applicatieOf is the applicatie of a client id (nil: none).
func (s *Server) applicatieOf(ctx context.Context, clientID string) (doc, error) {
	all, err := s.db.query(ctx, "applicatie", "", "")
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		if slices.Contains(strs(a, "clientIds"), clientID) {
			return a, nil
		}
	}
	return nil, nil
}

// authorised reports whether the client of claims may make the request.
func (s *Server) authorised(r *http.Request, claims jwt.MapClaims) (bool, error) {
	id, _ := claims["client_id"].(string)
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) == 1 {
		return true, nil
	}
	a, err := s.applicatieOf(r.Context(), id)
	if err != nil || a == nil {
		return false, err
	}
	if boolean(a, "heeftAlleAutorisaties") {
		return true, nil
	}
	component, scopes := scopesFor(r)
	list, _ := a["autorisaties"].([]any)
	for _, x := range list {
		au, _ := x.(map[string]any)
		if str(au, "component") != component {
			continue
		}
		for _, sc := range strs(au, "scopes") {
			if slices.Contains(scopes, sc) {
				return true, nil
			}
		}
	}
	return false, nil
}

// components maps an API root to its component and scope prefix.
var components = []struct{ root, component, prefix string }{
	{zakenRoot, "zrc", "zaken"}, {documentenRoot, "drc", "documenten"}, {besluitenRoot, "brc", "besluiten"},
	{catalogiRoot, "ztc", "catalogi"}, {notificatiesRoot, "nrc", "notificaties"}, {autorisatiesRoot, "ac", "autorisaties"},
}

// scopesFor is the component of a request and the scopes any one of which allows it, after the
// standard's scope names: lezen to read, aanmaken to create, bijwerken to change, verwijderen to
// delete (and their special cases).
func scopesFor(r *http.Request) (string, []string) {
	for _, c := range components {
		rest, ok := strings.CutPrefix(r.URL.Path, c.root)
		if !ok {
			continue
		}
		p := c.prefix
		switch {
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			return c.component, []string{p + ".lezen"}
		case c.component == "ztc":
			return c.component, []string{"catalogi.schrijven"}
		case c.component == "nrc" && strings.HasPrefix(rest, "notificaties"):
			return c.component, []string{"notificaties.publiceren"}
		case c.component == "nrc":
			return c.component, []string{"notificaties.consumeren"}
		case c.component == "drc" && (strings.HasSuffix(rest, "/lock") || strings.HasSuffix(rest, "/unlock")):
			return c.component, []string{"documenten.lock", "documenten.bijwerken"}
		case r.Method == http.MethodDelete:
			return c.component, []string{p + ".verwijderen"}
		case r.Method == http.MethodPost && !strings.Contains(rest, "/"):
			// a new zaak, document or besluit: aanmaken; its parts (statussen, links) also bijwerken
			return c.component, []string{p + ".aanmaken", p + ".bijwerken", p + ".statussen.toevoegen"}
		default:
			return c.component, []string{p + ".bijwerken", p + ".geforceerd-bijwerken"}
		}
	}
	return "", nil
}
