package sandbox

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"slices"

	"github.com/golang-jwt/jwt/v5"
)

// grant is what the client of a request may do: everything (the sandbox's own client, an
// applicatie with heeftAlleAutorisaties), or what its applicatie's autorisaties say — per
// component the scopes, for zaken, documenten and besluiten only of one zaaktype,
// informatieobjecttype or besluittype and up to a maxVertrouwelijkheidaanduiding.
type grant struct {
	all bool
	// scopes: the sandbox's own client when Config.ClientScopes is set — exactly these scopes
	// per component, for every type.
	scopes       map[string][]string
	autorisaties []doc
}

type grantKey struct{}

// grantFor is the grant of the client of claims (none without an applicatie).
func (s *Server) grantFor(ctx context.Context, claims jwt.MapClaims) (grant, error) {
	id, _ := claims["client_id"].(string)
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) == 1 {
		return grant{all: s.cfg.ClientScopes == nil, scopes: s.cfg.ClientScopes}, nil
	}
	a, err := s.applicatieOf(ctx, id)
	if err != nil || a == nil {
		return grant{}, err
	}
	g := grant{all: boolean(a, "heeftAlleAutorisaties")}
	for _, x := range anyList(a["autorisaties"]) {
		if au, ok := x.(map[string]any); ok {
			g.autorisaties = append(g.autorisaties, au)
		}
	}
	return g, nil
}

func grantOf(r *http.Request) grant {
	g, _ := r.Context().Value(grantKey{}).(grant)
	return g
}

// typeField names the field of an autorisatie that narrows it to one type, per component.
var typeField = map[string]string{"zrc": "zaaktype", "drc": "informatieobjecttype", "brc": "besluittype"}

// may reports whether the grant holds one of the scopes for the component; for a resource of a
// type (its URL as stored) and vertrouwelijkheidaanduiding, only by an autorisatie for that type
// and at least that vertrouwelijkheid. Empty typeURL: any autorisatie of the component counts.
func (g grant) may(component string, scopes []string, typeURL, vertrouwelijkheid string) bool {
	if g.all {
		return true
	}
	if g.scopes != nil {
		return slices.ContainsFunc(g.scopes[component], func(s string) bool { return slices.Contains(scopes, s) })
	}
	for _, au := range g.autorisaties {
		if str(au, "component") != component || !slices.ContainsFunc(strs(au, "scopes"), func(s string) bool { return slices.Contains(scopes, s) }) {
			continue
		}
		if typeURL != "" && typeField[component] != "" && str(au, typeField[component]) != typeURL {
			continue
		}
		if vertrouwelijkheid != "" && component != "brc" && rank(vertrouwelijkheid) > rank(str(au, "maxVertrouwelijkheidaanduiding")) {
			continue
		}
		return true
	}
	return false
}

func rank(vertrouwelijkheid string) int { return slices.Index(vertrouwelijkheden, vertrouwelijkheid) }

func forbidden(w http.ResponseWriter, r *http.Request, detail string) {
	writeProblem(w, r, http.StatusForbidden, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren.", detail, nil)
}

// mayZaak reports whether the request's client holds one of the scopes for a zaak (its zaaktype
// and vertrouwelijkheidaanduiding).
func mayZaak(r *http.Request, zaak doc, scopes ...string) bool {
	return grantOf(r).may("zrc", scopes, str(zaak, "zaaktype"), str(zaak, "vertrouwelijkheidaanduiding"))
}

// guardClosed refuses a change to a closed zaak unless the client may force it
// (zaken.geforceerd-bijwerken) — reopening it with a status that is not the eindstatus asks
// zaken.heropenen — before the request is validated, as Open Zaak does. kind is what the
// request changes: "zaak" itself, or a part of one ("status", "resultaat", "rol", "zio"),
// named by {uuid} or, when created, by the body's zaak.
func (s *Server) guardClosed(kind string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		zaak, statustype := s.zaakOfRequest(r, kind)
		if zaak != nil && str(zaak, "einddatum") != "" {
			scope := "zaken.geforceerd-bijwerken"
			if statustype != nil && !boolean(statustype, "isEindstatus") {
				scope = "zaken.heropenen"
			}
			if !mayZaak(r, zaak, scope) {
				forbidden(w, r, "De zaak is afgesloten; dit vraagt de scope "+scope+".")
				return
			}
		}
		next(w, r)
	}
}

// zaakOfRequest finds the zaak a request changes, and for a new status its statustype (with
// isEindstatus); nil when the request does not say (its validation will).
func (s *Server) zaakOfRequest(r *http.Request, kind string) (zaak, statustype doc) {
	ctx := r.Context()
	zaakAt := func(ref string) doc {
		id, ok := uuidFrom(local(ref, base(r)), zakenRoot+"zaken/")
		if !ok {
			return nil
		}
		z, _ := s.db.get(ctx, "zaak", id)
		return z
	}
	if id := r.PathValue("zaak_uuid"); id != "" { // a zaak's nested resource (zaakeigenschappen)
		z, _ := s.db.get(ctx, "zaak", id)
		return z, nil
	}
	if id := r.PathValue("uuid"); id != "" {
		if kind == "zaak" {
			z, _ := s.db.get(ctx, "zaak", id)
			return z, nil
		}
		part, err := s.db.get(ctx, kind, id)
		if err != nil {
			return nil, nil
		}
		return zaakAt(str(part, "zaak")), nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody))
	r.Body = io.NopCloser(bytes.NewReader(raw))
	var body struct{ Zaak, Statustype string }
	if err != nil || json.Unmarshal(raw, &body) != nil {
		return nil, nil
	}
	if kind == "status" {
		if id, ok := uuidFrom(local(body.Statustype, base(r)), catalogiRoot+"statustypen/"); ok {
			statustype, _ = s.catalogType(ctx, "statustype", id)
		}
	}
	return zaakAt(body.Zaak), statustype
}
