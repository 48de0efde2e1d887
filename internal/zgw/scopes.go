package zgw

// Scope is one ZGW authorisation the connector needs, with what it is needed for.
type Scope struct {
	Component string // ztc, zrc, drc, brc, nrc
	Scope     string
	// Feature is what needs it: "flow" (every case, from decision to closing), "large documents"
	// (uploads in bestandsdelen), "notifications" (decisions and closings told by the
	// zaaksysteem), "publication" (the besluit's publicatiedatum once the decision is published on
	// the Woo platform), "dossier" (the audit trails an auditor's dossier holds).
	Feature string
	For     string
}

// ConnectorScopes are exactly the scopes the connector's client uses: what a functional
// administrator grants its applicatie (for zaken, documenten and besluiten narrowed to the
// connector's zaaktype, informatieobjecttypen and besluittype). The flow tests run with only
// these (sandbox.Config.ClientScopes) and show that each "flow" scope is needed.
func ConnectorScopes() []Scope {
	return []Scope{
		{"ztc", "catalogi.lezen", "flow", "resolving the zaaktype and its types"},
		{"zrc", "zaken.lezen", "flow", "reading the zaak before closing it (and for the dossier)"},
		{"zrc", "zaken.aanmaken", "flow", "creating the zaak, its first status and its zaakinformatieobjecten"},
		{"zrc", "zaken.statussen.toevoegen", "flow", "every status after the first: filed, and the eindstatus that closes the zaak"},
		{"zrc", "zaken.bijwerken", "flow", "the resultaat"},
		{"drc", "documenten.lezen", "flow", "checking the documents before closing (and for the dossier)"},
		{"drc", "documenten.aanmaken", "flow", "letters, Meta's e-mails, evidence, the besluit's document"},
		{"brc", "besluiten.aanmaken", "flow", "the besluit and its besluitinformatieobject"},
		{"drc", "documenten.bijwerken", "large documents", "completing a document uploaded in bestandsdelen"},
		{"drc", "documenten.lock", "large documents", "locking and unlocking a document uploaded in bestandsdelen"},
		{"brc", "besluiten.lezen", "notifications, publication", "reading a besluit made in the zaaksysteem; looking up its publicatiedatum (Woo)"},
		{"brc", "besluiten.bijwerken", "notifications, publication", "linking that besluit to the zaak; the besluit's publicatiedatum once the decision is published (Woo)"},
		{"nrc", "notificaties.consumeren", "notifications", "the abonnement on kanalen zaken and besluiten"},
		{"zrc", "audittrails.lezen", "dossier", "the zaak's audit trail in the dossier"},
		{"drc", "audittrails.lezen", "dossier", "the documents' audit trails in the dossier"},
		{"brc", "audittrails.lezen", "dossier", "the besluit's audit trail in the dossier"},
	}
}

// ScopesByComponent groups scopes per component.
func ScopesByComponent(scopes []Scope) map[string][]string {
	out := map[string][]string{}
	for _, s := range scopes {
		out[s.Component] = append(out[s.Component], s.Scope)
	}
	return out
}
