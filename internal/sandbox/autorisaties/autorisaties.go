package autorisaties

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// The Autorisaties API: applicaties name client ids and what they may do. The sandbox's own
// client may do everything; any other client signed with the sandbox's secret may do what its
// applicatie says (heeftAlleAutorisaties, or per component the scopes), and nothing without one
// (403 permission_denied); grants.go says how an autorisatie narrows to a type and a
// vertrouwelijkheid.

// Routes mounts the API's operations on mux.
func (s *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+core.AutorisatiesRoot+"applicaties", s.Write(s.createApplicatie))
	mux.HandleFunc("GET "+core.AutorisatiesRoot+"applicaties", s.ListBy("applicatie", "", true, ""))
	mux.HandleFunc("GET "+core.AutorisatiesRoot+"applicaties/consumer", s.consumer)
	mux.HandleFunc("GET "+core.AutorisatiesRoot+"applicaties/{uuid}", s.GetHandler("applicatie"))
	mux.HandleFunc("PUT "+core.AutorisatiesRoot+"applicaties/{uuid}", s.Write(s.updateApplicatie(false)))
	mux.HandleFunc("PATCH "+core.AutorisatiesRoot+"applicaties/{uuid}", s.Write(s.updateApplicatie(true)))
	mux.HandleFunc("DELETE "+core.AutorisatiesRoot+"applicaties/{uuid}", s.Write(s.DeleteFound("applicatie")))
}

func (s *API) createApplicatie(w http.ResponseWriter, r *http.Request) {
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	if !s.validApplicatie(w, r, d, "") {
		return
	}
	id := core.NewUUID()
	a, err := applicatieOf(d, core.AutorisatiesRoot+"applicaties/"+id)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.DB.Insert(r.Context(), "applicatie", id, "", "", a); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+a.URL)
	core.Render(w, r, http.StatusCreated, a)
}

// updateApplicatie serves PUT and PATCH of an applicatie, with the rules of its creation.
func (s *API) updateApplicatie(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		old, in, ok := s.FoundWithBody(w, r, "applicatie")
		if !ok {
			return
		}
		d := in
		if partial {
			d = core.WithChanges(old, in, "clientIds", "label", "heeftAlleAutorisaties", "autorisaties")
		}
		if !s.validApplicatie(w, r, d, core.Str(old, "url")) {
			return
		}
		a, err := applicatieOf(d, core.Str(old, "url"))
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		if err := s.DB.Update(r.Context(), r.PathValue("uuid"), a); err != nil {
			core.WriteError(w, r, err)
			return
		}
		core.Render(w, r, http.StatusOK, a)
	}
}

// applicatieOf is a checked request as the applicatie at self.
func applicatieOf(d core.Doc, self string) (Applicatie, error) {
	a, err := core.As[Applicatie](d)
	a.URL = self
	return a, err
}

// consumer serves GET applicaties/consumer?clientId=…: the applicatie of a client id.
func (s *API) consumer(w http.ResponseWriter, r *http.Request) {
	a, err := s.ApplicatieOf(r.Context(), r.URL.Query().Get("clientId"))
	switch {
	case err != nil:
		core.WriteError(w, r, err)
	case a == nil:
		core.WriteNotFound(w, r)
	default:
		core.Render(w, r, http.StatusOK, a)
	}
}

// validApplicatie checks an applicatie, answering 400 (or 500) itself when it is not valid.
func (s *API) validApplicatie(w http.ResponseWriter, r *http.Request, d core.Doc, self string) bool {
	v, err := s.checkApplicatie(r.Context(), d, self)
	switch {
	case err != nil:
		core.WriteError(w, r, err)
	case v.Failed():
		core.WriteInvalid(w, r, v)
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
func (s *API) checkApplicatie(ctx context.Context, d core.Doc, self string) (*core.Validation, error) {
	v := &core.Validation{}
	v.Required(d, "clientIds", "label")
	core.Fits[Applicatie](v, d)
	ids := core.Strs(d, "clientIds")
	if _, sent := d["clientIds"]; sent && len(ids) == 0 {
		v.Add("clientIds", "required", "Dit veld is vereist.")
	}
	for _, id := range ids {
		a, err := s.ApplicatieOf(ctx, id)
		if err != nil {
			return nil, err
		}
		if a != nil && core.Str(a, "url") != self || id == s.Cfg.ClientID {
			v.Add("clientIds", "clientId-exists", "Client ID "+id+" hoort al bij een applicatie.")
		}
	}
	all, _ := d["heeftAlleAutorisaties"].(bool)
	list := core.AnyList(d["autorisaties"])
	if all && len(list) > 0 {
		v.Add("nonFieldErrors", "ambiguous-authorizations-specified", "Geef heeftAlleAutorisaties of autorisaties, niet beide.")
	}
	if !all && len(list) == 0 {
		v.Add("nonFieldErrors", "missing-authorizations", "Geef heeftAlleAutorisaties of autorisaties.")
	}
	for i, x := range list {
		au, _ := x.(map[string]any)
		component := core.Str(au, "component")
		prefix, typed := typedScopes[component]
		if !typed || !slices.ContainsFunc(core.Strs(au, "scopes"), func(sc string) bool { return strings.HasPrefix(sc, prefix) }) {
			continue
		}
		name := func(f string) string { return fmt.Sprintf("autorisaties.%d.%s", i, f) }
		if core.Str(au, core.TypeField[component]) == "" {
			v.Add(name(core.TypeField[component]), "required", "Dit veld is vereist voor scopes van "+prefix+"*.")
		}
		if component != "brc" && core.Str(au, "maxVertrouwelijkheidaanduiding") == "" {
			v.Add(name("maxVertrouwelijkheidaanduiding"), "required", "Dit veld is vereist voor scopes van "+prefix+"*.")
		}
	}
	return v, nil
}

// GrantAll registers an applicatie with every right for a client id (another system in tests and
// tools, next to a client with least privilege). A client id that has an applicatie already is
// left as it is.
func (s *API) GrantAll(ctx context.Context, clientID, label string) error {
	s.Writes.Lock()
	defer s.Writes.Unlock()
	if a, err := s.ApplicatieOf(ctx, clientID); err != nil || a != nil {
		return err
	}
	id := core.NewUUID()
	return s.DB.Insert(ctx, "applicatie", id, "", "", Applicatie{URL: core.AutorisatiesRoot + "applicaties/" + id,
		ClientIds: []string{clientID}, Label: label, HeeftAlleAutorisaties: true, Autorisaties: []map[string]any{}})
}
