package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The Autorisaties API: applicaties name client ids and what they may do. The sandbox's own
// client may do everything; any other client signed with the sandbox's secret may do what its
// applicatie says (heeftAlleAutorisaties, or per component the scopes), and nothing without one
// (403 permission_denied); grants.go says how an autorisatie narrows to a type and a
// vertrouwelijkheid.

func (s *Server) autorisatiesRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+autorisatiesRoot+"applicaties", s.write(s.createApplicatie))
	mux.HandleFunc("GET "+autorisatiesRoot+"applicaties", s.listBy("applicatie", "", true, ""))
	mux.HandleFunc("GET "+autorisatiesRoot+"applicaties/consumer", s.consumer)
	mux.HandleFunc("GET "+autorisatiesRoot+"applicaties/{uuid}", s.getHandler("applicatie"))
	mux.HandleFunc("PUT "+autorisatiesRoot+"applicaties/{uuid}", s.write(s.updateApplicatie(false)))
	mux.HandleFunc("PATCH "+autorisatiesRoot+"applicaties/{uuid}", s.write(s.updateApplicatie(true)))
	mux.HandleFunc("DELETE "+autorisatiesRoot+"applicaties/{uuid}", s.write(s.deleteFound("applicatie")))
}

func (s *Server) createApplicatie(w http.ResponseWriter, r *http.Request) {
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	if !s.validApplicatie(w, r, d, "") {
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

// updateApplicatie serves PUT and PATCH of an applicatie, with the rules of its creation.
func (s *Server) updateApplicatie(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.foundWithBody(w, r, "applicatie")
		if !ok {
			return
		}
		d := in
		if partial {
			d = withChanges(old, in, "clientIds", "label", "heeftAlleAutorisaties", "autorisaties")
		}
		d["url"] = old["url"]
		if !s.validApplicatie(w, r, d, str(old, "url")) {
			return
		}
		defaults(d, doc{"heeftAlleAutorisaties": false, "autorisaties": []any{}})
		if err := s.db.update(r.Context(), r.PathValue("uuid"), d); err != nil {
			writeError(w, r, err)
			return
		}
		render(w, r, http.StatusOK, d)
	}
}

// consumer serves GET applicaties/consumer?clientId=…: the applicatie of a client id.
func (s *Server) consumer(w http.ResponseWriter, r *http.Request) {
	a, err := s.applicatieOf(r.Context(), r.URL.Query().Get("clientId"))
	switch {
	case err != nil:
		writeError(w, r, err)
	case a == nil:
		writeNotFound(w, r)
	default:
		render(w, r, http.StatusOK, a)
	}
}

// validApplicatie checks an applicatie, answering 400 (or 500) itself when it is not valid.
func (s *Server) validApplicatie(w http.ResponseWriter, r *http.Request, d doc, self string) bool {
	v, err := s.checkApplicatie(r.Context(), d, self)
	switch {
	case err != nil:
		writeError(w, r, err)
	case v.failed():
		writeInvalid(w, r, v)
	default:
		return true
	}
	return false
}

// typedScopes are the scope prefixes whose autorisaties must name a type (and, for zaken and
// documenten, a maxVertrouwelijkheidaanduiding).
var typedScopes = map[string]string{"zrc": "zaken.", "drc": "documenten.", "brc": "besluiten."}

// checkApplicatie validates an applicatie (self: its own URL when it exists): client ids that
// no other applicatie has, either heeftAlleAutorisaties or autorisaties, and autorisaties for
// zaken, documenten and besluiten narrowed to a type.
func (s *Server) checkApplicatie(ctx context.Context, d doc, self string) (*validation, error) {
	v := &validation{}
	v.required(d, "clientIds", "label")
	ids := strs(d, "clientIds")
	if _, sent := d["clientIds"]; sent && len(ids) == 0 {
		v.add("clientIds", "required", "Dit veld is vereist.")
	}
	for _, id := range ids {
		a, err := s.applicatieOf(ctx, id)
		if err != nil {
			return nil, err
		}
		if a != nil && str(a, "url") != self || id == s.cfg.ClientID {
			v.add("clientIds", "clientId-exists", "Client ID "+id+" hoort al bij een applicatie.")
		}
	}
	all, _ := d["heeftAlleAutorisaties"].(bool)
	list := anyList(d["autorisaties"])
	if all && len(list) > 0 {
		v.add("nonFieldErrors", "ambiguous-authorizations-specified", "Geef heeftAlleAutorisaties of autorisaties, niet beide.")
	}
	if !all && len(list) == 0 {
		v.add("nonFieldErrors", "missing-authorizations", "Geef heeftAlleAutorisaties of autorisaties.")
	}
	for i, x := range list {
		au, _ := x.(map[string]any)
		component := str(au, "component")
		prefix, typed := typedScopes[component]
		if !typed || !slices.ContainsFunc(strs(au, "scopes"), func(sc string) bool { return strings.HasPrefix(sc, prefix) }) {
			continue
		}
		name := func(f string) string { return fmt.Sprintf("autorisaties.%d.%s", i, f) }
		if str(au, typeField[component]) == "" {
			v.add(name(typeField[component]), "required", "Dit veld is vereist voor scopes van "+prefix+"*.")
		}
		if component != "brc" && str(au, "maxVertrouwelijkheidaanduiding") == "" {
			v.add(name("maxVertrouwelijkheidaanduiding"), "required", "Dit veld is vereist voor scopes van "+prefix+"*.")
		}
	}
	return v, nil
}

// GrantAll registers an applicatie with every right for a client id (another system in tests and
// tools, next to a client with least privilege). A client id that has an applicatie already is
// left as it is.
func (s *Server) GrantAll(ctx context.Context, clientID, label string) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	if a, err := s.applicatieOf(ctx, clientID); err != nil || a != nil {
		return err
	}
	id := newUUID()
	return s.db.insert(ctx, "applicatie", id, "", "", doc{"url": autorisatiesRoot + "applicaties/" + id,
		"clientIds": []any{clientID}, "label": label, "heeftAlleAutorisaties": true, "autorisaties": []any{}})
}
