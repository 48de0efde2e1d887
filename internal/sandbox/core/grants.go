package core

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"
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
	autorisaties []Doc
}

type grantKey struct{}

// grantFor is the grant of the client of claims (none without an applicatie).
func (s *Server) grantFor(ctx context.Context, claims zgwtoken.Claims) (grant, error) {
	id := claims.ClientID
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.Cfg.ClientID)) == 1 {
		return grant{applicatieID: id, applicatieLabel: id, all: s.Cfg.ClientScopes == nil, scopes: s.Cfg.ClientScopes}, nil
	}
	a, err := s.ApplicatieOf(ctx, id)
	if err != nil || a == nil {
		return grant{}, err
	}
	g := grant{applicatieID: LastSegment(Str(a, "url")), applicatieLabel: Str(a, "label"), all: Boolean(a, "heeftAlleAutorisaties")}
	for _, x := range AnyList(a["autorisaties"]) {
		if au, ok := x.(map[string]any); ok {
			g.autorisaties = append(g.autorisaties, au)
		}
	}
	return g, nil
}

func GrantOf(r *http.Request) grant {
	g, _ := r.Context().Value(grantKey{}).(grant)
	return g
}

// TypeField names the field of an autorisatie that narrows it to one type, per component.
var TypeField = map[string]string{"zrc": "zaaktype", "drc": "informatieobjecttype", "brc": "besluittype"}

// May reports whether the grant holds one of the scopes for the component; for a resource of a
// type (its URL as stored) and vertrouwelijkheidaanduiding, only by an autorisatie for that type
// and at least that vertrouwelijkheid. Empty typeURL: any autorisatie of the component counts.
func (g grant) May(component string, scopes []string, typeURL, vertrouwelijkheid string) bool {
	if g.all {
		return true
	}
	if g.scopes != nil {
		return slices.ContainsFunc(g.scopes[component], func(s string) bool { return slices.Contains(scopes, s) })
	}
	for _, au := range g.autorisaties {
		if Str(au, "component") != component || !slices.ContainsFunc(Strs(au, "scopes"), func(s string) bool { return slices.Contains(scopes, s) }) {
			continue
		}
		if typeURL != "" && TypeField[component] != "" && Str(au, TypeField[component]) != typeURL {
			continue
		}
		if vertrouwelijkheid != "" && component != "brc" && rank(vertrouwelijkheid) > rank(Str(au, "maxVertrouwelijkheidaanduiding")) {
			continue
		}
		return true
	}
	return false
}

func rank(vertrouwelijkheid string) int { return slices.Index(Vertrouwelijkheden, vertrouwelijkheid) }

func Forbidden(w http.ResponseWriter, r *http.Request, detail string) {
	WriteProblem(w, r, http.StatusForbidden, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren.", detail, nil)
}

// mayZaak reports whether the request's client holds one of the scopes for a zaak (its zaaktype
// and vertrouwelijkheidaanduiding).
func mayZaak(r *http.Request, zaak Doc, scopes ...string) bool {
	return GrantOf(r).May("zrc", scopes, Str(zaak, "zaaktype"), Str(zaak, "vertrouwelijkheidaanduiding"))
}

// RefusedOnClosed refuses (403) a change to a closed zaak unless the client may force it
// (zaken.geforceerd-bijwerken). As in Open Zaak a write is validated first: the handlers ask
// this after their validation and stop when it answered.
func (s *Server) RefusedOnClosed(w http.ResponseWriter, r *http.Request, zaak Doc) bool {
	if zaak == nil || Str(zaak, "einddatum") == "" || mayZaak(r, zaak, "zaken.geforceerd-bijwerken") {
		return false
	}
	Forbidden(w, r, "De zaak is afgesloten; dit vraagt de scope zaken.geforceerd-bijwerken.")
	return true
}

// RefusedStatus applies Open Zaak's rules for a new status, after its validation: with
// zaken.aanmaken alone a client sets only the zaak's first status (the spec allows any of
// zaken.aanmaken, zaken.statussen.toevoegen and zaken.heropenen), and a status on a closed zaak
// — reopening it, or a second eindstatus — asks zaken.heropenen.
func (s *Server) RefusedStatus(w http.ResponseWriter, r *http.Request, zaak Doc) bool {
	switch {
	case zaak == nil:
		return false
	case Str(zaak, "status") != "" && !mayZaak(r, zaak, "zaken.statussen.toevoegen", "zaken.heropenen"):
		Forbidden(w, r, "Met de scope zaken.aanmaken mag je slechts 1 status zetten; een volgende status vraagt zaken.statussen.toevoegen.")
	case Str(zaak, "einddatum") != "" && !mayZaak(r, zaak, "zaken.heropenen"):
		Forbidden(w, r, "De zaak is afgesloten; een status zetten (heropenen) vraagt de scope zaken.heropenen.")
	default:
		return false
	}
	return true
}

// GuardClosed applies refusedOnClosed to a DELETE of a zaak's part (kind), which has nothing
// to validate.
func (s *Server) GuardClosed(kind string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.RefusedOnClosed(w, r, s.zaakOfPart(r, kind)) {
			next(w, r)
		}
	}
}

// zaakOfPart is the zaak of the part a request names by {uuid} (or {zaak_uuid}), nil when none.
func (s *Server) zaakOfPart(r *http.Request, kind string) Doc {
	ctx := r.Context()
	if id := r.PathValue("zaak_uuid"); id != "" {
		z, _ := s.DB.Get(ctx, "zaak", id)
		return z
	}
	part, err := s.DB.Get(ctx, kind, r.PathValue("uuid"))
	if err != nil {
		return nil
	}
	return s.ZaakOf(ctx, part)
}

// ZaakOf is the zaak a part of a zaak belongs to (its "zaak" field), nil when it has none.
func (s *Server) ZaakOf(ctx context.Context, part Doc) Doc {
	ref := Str(part, "zaak")
	if !strings.HasPrefix(ref, ZakenRoot+"zaken/") {
		return nil
	}
	z, _ := s.DB.Get(ctx, "zaak", LastSegment(ref))
	return z
}

// Readable reports whether the request's client may read a resource: a zaak, document or besluit
// by its type and vertrouwelijkheid, a part of a zaak (status, rol, link, …) as its zaak.
// Resources of the other APIs need only their component's lezen scope (checked before).
func (s *Server) Readable(r *http.Request, kind string, d Doc) bool {
	g := GrantOf(r)
	if g.all {
		return true
	}
	switch kind {
	case "zaak":
		return mayZaak(r, d, "zaken.lezen")
	case "eio":
		return g.May("drc", []string{"documenten.lezen"}, Str(d, "informatieobjecttype"), Str(d, "vertrouwelijkheidaanduiding"))
	case "besluit":
		return g.May("brc", []string{"besluiten.lezen"}, Str(d, "besluittype"), "")
	}
	if strings.HasPrefix(Str(d, "zaak"), ZakenRoot+"zaken/") {
		zaak := s.ZaakOf(r.Context(), d)
		return zaak != nil && mayZaak(r, zaak, "zaken.lezen")
	}
	return true
}

// ApplicatieOf is the applicatie of a client id (nil: none).
func (s *Server) ApplicatieOf(ctx context.Context, clientID string) (Doc, error) {
	all, err := s.DB.Query(ctx, "applicatie", "", "")
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		if slices.Contains(Strs(a, "clientIds"), clientID) {
			return a, nil
		}
	}
	return nil, nil
}

// components maps an API root to its component and scope prefix.
var components = []struct{ root, component, prefix string }{
	{ZakenRoot, "zrc", "zaken"}, {DocumentenRoot, "drc", "documenten"}, {BesluitenRoot, "brc", "besluiten"},
	{CatalogiRoot, "ztc", "catalogi"}, {NotificatiesRoot, "nrc", "notificaties"}, {AutorisatiesRoot, "ac", "autorisaties"},
}
