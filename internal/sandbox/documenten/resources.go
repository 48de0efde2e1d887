package documenten

// The Documenten API's resources as typed values, with every property of their schema in
// documenten-1.5.0.yaml, rendered as Open Zaak renders them. They are stored as their JSON under
// the kinds "eio", "deel", "gebruiksrecht" and "oio".

// EnkelvoudigInformatieObject is a document as stored: its schema's fields without those
// computed when it is answered (inhoud, bestandsdelen, lock; see answer), and the lock's id.
type EnkelvoudigInformatieObject struct {
	URL                         string         `json:"url"`
	Identificatie               string         `json:"identificatie"`
	Bronorganisatie             string         `json:"bronorganisatie"`
	Creatiedatum                string         `json:"creatiedatum"`
	Titel                       string         `json:"titel"`
	Vertrouwelijkheidaanduiding string         `json:"vertrouwelijkheidaanduiding"`
	Auteur                      string         `json:"auteur"`
	Status                      string         `json:"status"`
	Formaat                     string         `json:"formaat"`
	Taal                        string         `json:"taal"`
	Versie                      int            `json:"versie"`
	BeginRegistratie            string         `json:"beginRegistratie"`
	Bestandsnaam                string         `json:"bestandsnaam"`
	Bestandsomvang              *int64         `json:"bestandsomvang"`
	Link                        string         `json:"link"`
	Beschrijving                string         `json:"beschrijving"`
	Ontvangstdatum              *string        `json:"ontvangstdatum"`
	Verzenddatum                *string        `json:"verzenddatum"`
	IndicatieGebruiksrecht      *bool          `json:"indicatieGebruiksrecht"`
	Verschijningsvorm           string         `json:"verschijningsvorm"`
	Ondertekening               *Ondertekening `json:"ondertekening"`
	Integriteit                 *Integriteit   `json:"integriteit"`
	Informatieobjecttype        string         `json:"informatieobjecttype"`
	Locked                      bool           `json:"locked"`
	Trefwoorden                 []string       `json:"trefwoorden"`
	InhoudIsVervallen           *bool          `json:"inhoudIsVervallen"`

	// LockID opens the document while it is locked; only whoever locked it learns it. Stored,
	// never rendered (the core leaves "__" fields out of answers and the audit trail).
	LockID string `json:"__lock,omitempty"`
}

// Ondertekening says how and when a document was signed.
type Ondertekening struct {
	Soort string  `json:"soort"`
	Datum *string `json:"datum"`
}

// Integriteit is a document's checksum with its algorithm.
type Integriteit struct {
	Algoritme string  `json:"algoritme"`
	Waarde    string  `json:"waarde"`
	Datum     *string `json:"datum"`
}

// answer is a document as the API answers it (EnkelvoudigInformatieObject, or …WithLock on
// create): the download of its content, its bestandsdelen, the lock only for whoever holds it.
type answer struct {
	EnkelvoudigInformatieObject
	LockID        string         `json:"__lock,omitempty"` // hides the stored lock id: never answered
	Inhoud        *string        `json:"inhoud"`
	Bestandsdelen []BestandsDeel `json:"bestandsdelen"`
	Lock          *string        `json:"lock,omitempty"`
	Expand        *struct{}      `json:"_expand,omitempty"` // {} on a retrieval, as Open Zaak answers
}

// BestandsDeel is one part of a document's content to upload (BestandsDeel); lock is rendered
// with the document's lock to whoever holds it.
type BestandsDeel struct {
	URL        string `json:"url"`
	Volgnummer int    `json:"volgnummer"`
	Omvang     int64  `json:"omvang"`
	Voltooid   bool   `json:"voltooid"`
	Lock       string `json:"lock"`
}

// Gebruiksrechten are the conditions under which a document may be used (Gebruiksrechten).
type Gebruiksrechten struct {
	URL                     string  `json:"url"`
	Informatieobject        string  `json:"informatieobject"`
	Startdatum              string  `json:"startdatum"`
	Einddatum               *string `json:"einddatum"`
	OmschrijvingVoorwaarden string  `json:"omschrijvingVoorwaarden"`
}

// ObjectInformatieObject mirrors a zaak's or besluit's link to a document (ObjectInformatieObject).
type ObjectInformatieObject struct {
	URL              string `json:"url"`
	Informatieobject string `json:"informatieobject"`
	Object           string `json:"object"`
	ObjectType       string `json:"objectType"`
}
