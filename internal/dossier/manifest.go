// Package dossier exports the dossier of a zaak from the zaaksysteem as a zip an auditor can
// verify with standard tools, and verifies such a zip: every document byte-exact, the zaak,
// its statussen, resultaat, besluiten, rollen and audit trails, a readable index.html and
// SHA256SUMS that `sha256sum -c` accepts.
package dossier

import (
	"encoding/json"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Format names the layout of the zip.
const Format = "meta-bezwaar-dossier/1"

// Manifest describes the dossier: manifest.json in the zip.
type Manifest struct {
	Format           string            `json:"format"`
	ExportedAt       time.Time         `json:"exportedAt"`
	ConnectorVersion string            `json:"connectorVersion"`
	ZaakURL          string            `json:"zaakUrl"`
	Identificatie    string            `json:"identificatie"`
	Zaak             json.RawMessage   `json:"zaak"`
	Statussen        []Status          `json:"statussen"`
	Resultaat        *Resultaat        `json:"resultaat,omitempty"`
	Besluiten        []json.RawMessage `json:"besluiten"`
	Rollen           []json.RawMessage `json:"rollen"`
	Documents        []Document        `json:"documents"`
	AuditTrail       string            `json:"auditTrail"` // the file holding it
	Events           string            `json:"events"`     // the file holding the case's history
	EventsSource     string            `json:"eventsSource"`
	// Publication is the decision's publication on the Woo platform, as the connector recorded
	// it (absent when not published or exported without the connector's records).
	Publication *objection.Publication `json:"publication,omitempty"`
	Problems    []string               `json:"problems"` // e.g. a checksum that differs from the zaaksysteem's
}

// Status is a status of the zaak with its statustype's description.
type Status struct {
	URL              string `json:"url"`
	StatusType       string `json:"statustype"`
	Omschrijving     string `json:"omschrijving"`
	Volgnummer       int    `json:"volgnummer"`
	IsEindstatus     bool   `json:"isEindstatus"`
	DatumStatusGezet string `json:"datumStatusGezet"`
	Toelichting      string `json:"statustoelichting,omitempty"`
}

// Resultaat is the zaak's outcome with its resultaattype's description.
type Resultaat struct {
	URL           string `json:"url"`
	ResultaatType string `json:"resultaattype"`
	Omschrijving  string `json:"omschrijving"`
	Toelichting   string `json:"toelichting,omitempty"`
}

// Document is one informatieobject of the zaak, as exported.
type Document struct {
	File                 string           `json:"file"` // path in the zip
	URL                  string           `json:"url"`
	ZaakInformatieObject string           `json:"zaakinformatieobject"`
	Identificatie        string           `json:"identificatie"`
	Titel                string           `json:"titel"`
	Bestandsnaam         string           `json:"bestandsnaam"`
	Formaat              string           `json:"formaat"`
	CreatieDatum         string           `json:"creatiedatum"`
	OntvangstDatum       string           `json:"ontvangstdatum,omitempty"`
	Versie               int              `json:"versie"`
	Size                 int64            `json:"size"`
	SHA256               string           `json:"sha256"`
	Integriteit          *zgw.Integriteit `json:"integriteit,omitempty"` // as the zaaksysteem records it
	IntegrityCheck       string           `json:"integrityCheck"`        // match, mismatch, or not-sha256 / absent
	Metadata             json.RawMessage  `json:"metadata"`              // the informatieobject as the zaaksysteem returned it
	// Verification is the connector's record of how it checked an e-mail before storing it
	// (signature, key, signed fields and values, matching, who assigned it and why); present
	// when the connector that stored it exports the dossier.
	Verification json.RawMessage `json:"verification,omitempty"`
}

// AuditTrails is audittrail.json: the trail of the zaak, of each besluit and of each document.
type AuditTrails struct {
	Zaak      []zgw.AuditTrail            `json:"zaak"`
	Besluiten map[string][]zgw.AuditTrail `json:"besluiten"`
	Documents map[string][]zgw.AuditTrail `json:"documents"`
}
