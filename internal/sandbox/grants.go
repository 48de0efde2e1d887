package sandbox

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// grant is what the client of a request may do: everything (the sandbox's own client, an
// applicatie with heeftAlleAutorisaties), or what its applicatie's autorisaties say — per
// component the scopes, for zaken, documenten and besluiten only of one zaaktype,
// informatieobjecttype or besluittype and up to a maxVertrouwelijkheidaanduiding.
type grant struct {
	// applicatieID and applicatieLabel name the caller in the audit trail, as Open Zaak does: its
	// applicatie's uuid and label (the sandbox's own client, which has none: its client id).
	applicatieID, applicatieLabel string
	all                           bool
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
		return grant{applicatieID: id, applicatieLabel: id, all: s.cfg.ClientScopes == nil, scopes: s.cfg.ClientScopes}, nil
	}
	a, err := s.applicatieOf(ctx, id)
	if err != nil || a == nil {
		return grant{}, err
	}
	g := grant{applicatieID: lastSegment(str(a, "url")), applicatieLabel: str(a, "label"), all: boolean(a, "heeftAlleAutorisaties")}
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

// refusedOnClosed refuses (403) a change to a closed zaak unless the client may force it
// (zaken.geforceerd-bijwerken). As in Open Zaak a write is validated first: the handlers ask
// this after their validation and stop when it answered.
func (s *Server) refusedOnClosed(w http.ResponseWriter, r *http.Request, zaak doc) bool {
	if zaak == nil || str(zaak, "einddatum") == "" || mayZaak(r, zaak, "zaken.geforceerd-bijwerken") {
		return false
	}
	forbidden(w, r, "De zaak is afgesloten; dit vraagt de scope zaken.geforceerd-bijwerken.")
	return true
}

// refusedStatus applies Open Zaak's rules for a new status, after its validation: with
// zaken.aanmaken alone a client sets only the zaak's first status (the spec allows any of
// zaken.aanmaken, zaken.statussen.toevoegen and zaken.heropenen), and a status on a closed zaak
// — reopening it, or a second eindstatus — asks zaken.heropenen.
func (s *Server) refusedStatus(w http.ResponseWriter, r *http.Request, zaak doc) bool {
	switch {
	case zaak == nil:
		return false
	case str(zaak, "status") != "" && !mayZaak(r, zaak, "zaken.statussen.toevoegen", "zaken.heropenen"):
		forbidden(w, r, "Met de scope zaken.aanmaken mag je slechts 1 status zetten; een volgende status vraagt zaken.statussen.toevoegen.")
	case str(zaak, "einddatum") != "" && !mayZaak(r, zaak, "zaken.heropenen"):
		forbidden(w, r, "De zaak is afgesloten; een status zetten (heropenen) vraagt de scope zaken.heropenen.")
	default:
		return false
	}
	return true
}

// guardClosed applies refusedOnClosed to a DELETE of a zaak's part (kind), which has nothing
// to validate.
func (s *Server) guardClosed(kind string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.refusedOnClosed(w, r, s.zaakOfPart(r, kind)) {
			next(w, r)
		}
	}
}

// zaakOfPart is the zaak of the part a request names by {uuid} (or {zaak_uuid}), nil when none.
func (s *Server) zaakOfPart(r *http.Request, kind string) doc {
	ctx := r.Context()
	if id := r.PathValue("zaak_uuid"); id != "" {
		z, _ := s.db.get(ctx, "zaak", id)
		return z
	}
	part, err := s.db.get(ctx, kind, r.PathValue("uuid"))
	if err != nil {
		return nil
	}
	return s.zaakOf(ctx, part)
}

// zaakOf is the zaak a part of a zaak belongs to (its "zaak" field), nil when it has none.
func (s *Server) zaakOf(ctx context.Context, part doc) doc {
	ref := str(part, "zaak")
	if !strings.HasPrefix(ref, zakenRoot+"zaken/") {
		return nil
	}
	z, _ := s.db.get(ctx, "zaak", lastSegment(ref))
	return z
}

// readable reports whether the request's client may read a resource: a zaak, document or besluit
// by its type and vertrouwelijkheid, a part of a zaak (status, rol, link, …) as its zaak.
// Resources of the other APIs need only their component's lezen scope (checked before).
func (s *Server) readable(r *http.Request, kind string, d doc) bool {
	g := grantOf(r)
	if g.all {
		return true
	}
	switch kind {
	case "zaak":
		return mayZaak(r, d, "zaken.lezen")
	case "eio":
		return g.may("drc", []string{"documenten.lezen"}, str(d, "informatieobjecttype"), str(d, "vertrouwelijkheidaanduiding"))
	case "besluit":
		return g.may("brc", []string{"besluiten.lezen"}, str(d, "besluittype"), "")
	}
	if strings.HasPrefix(str(d, "zaak"), zakenRoot+"zaken/") {
		zaak := s.zaakOf(r.Context(), d)
		return zaak != nil && mayZaak(r, zaak, "zaken.lezen")
	}
	return true
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

// components maps an API root to its component and scope prefix.
var components = []struct{ root, component, prefix string }{
	{zakenRoot, "zrc", "zaken"}, {documentenRoot, "drc", "documenten"}, {besluitenRoot, "brc", "besluiten"},
	{catalogiRoot, "ztc", "catalogi"}, {notificatiesRoot, "nrc", "notificaties"}, {autorisatiesRoot, "ac", "autorisaties"},
}
