package core

import (
	"net/http"
	"strings"
)

// Audit records an entry in the audit trail of a hoofdobject, with the calling applicatie and
// the acting user from the request's JWT claims as the ZGW audit trail has it.
func (s *Server) Audit(r *http.Request, bron, hoofd, resource, resourceURL, actie, weergave string, oud, nieuw Doc) error {
	user, repr := claimsOf(r)
	caller := GrantOf(r)
	if weergave == "" { // the spec wants a friendly name of at least one character
		weergave = resource + " " + resourceURL[strings.LastIndex(resourceURL, "/")+1:]
	}
	weergaven := map[string]string{"create": "Object aangemaakt", "update": "Object bijgewerkt",
		"partial_update": "Object deels bijgewerkt", "destroy": "Object verwijderd"}
	status := 201
	if actie != "create" {
		status = 200
	}
	// The spec types oud and nieuw as objects whose values are not null: leave both out when
	// absent and drop unset fields.
	wijzigingen := Doc{}
	if oud != nil {
		wijzigingen["oud"] = withoutNulls(oud)
	}
	if nieuw != nil {
		wijzigingen["nieuw"] = withoutNulls(nieuw)
	}
	err := s.DB.addAudit(r.Context(), hoofd, Doc{
		"uuid": NewUUID(), "bron": bron, "applicatieId": caller.applicatieID, "applicatieWeergave": caller.applicatieLabel,
		"gebruikersId": user, "gebruikersWeergave": repr, "actie": actie, "actieWeergave": weergaven[actie],
		"resultaat": status, "hoofdObject": hoofd, "resource": resource, "resourceUrl": resourceURL,
		"toelichting": r.Header.Get("X-Audit-Toelichting"), "resourceWeergave": weergave,
		"aanmaakdatum": Timestamp(s.Now()), "wijzigingen": wijzigingen,
	})
	if err != nil {
		return err
	}
	// Every audited change is also published (a deleted hoofdobject's kenmerken come from
	// what it was).
	var hoofdDoc Doc
	if actie == "destroy" && resourceURL == hoofd {
		hoofdDoc = oud
	}
	return s.PublishChange(r, bron, hoofd, resource, resourceURL, actie, hoofdDoc)
}

// AuditTrail serves GET …/{uuid}/audittrail for a hoofdobject collection.
func (s *Server) AuditTrail(kind, collection string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("uuid")
		if _, err := s.DB.Get(r.Context(), kind, id); err != nil {
			WriteNotFound(w, r)
			return
		}
		entries, err := s.DB.audit(r.Context(), collection+id)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		RenderList(w, r, entries)
	}
}

func withoutNulls(d Doc) Doc {
	out := make(Doc, len(d))
	for k, v := range Public(d) {
		if v != nil {
			out[k] = v
		}
	}
	return out
}
