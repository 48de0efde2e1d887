package zgw

// The resource types carry the fields this connector reads or writes; unknown fields in answers
// are ignored. Optional fields that must be sendable as false or empty are pointers.

// Catalogus is a catalogue of types (Catalogi API).
type Catalogus struct {
	URL                   string   `json:"url,omitempty"`
	Domein                string   `json:"domein"`
	RSIN                  string   `json:"rsin"`
	Naam                  string   `json:"naam,omitempty"`
	ZaakTypen             []string `json:"zaaktypen,omitempty"`
	InformatieObjectTypen []string `json:"informatieobjecttypen,omitempty"`
	BesluitTypen          []string `json:"besluittypen,omitempty"`
}

// ZaakType is one version of a zaaktype.
type ZaakType struct {
	URL                   string   `json:"url"`
	Identificatie         string   `json:"identificatie"`
	Omschrijving          string   `json:"omschrijving"`
	Catalogus             string   `json:"catalogus"`
	Concept               bool     `json:"concept"`
	BeginGeldigheid       string   `json:"beginGeldigheid"`
	EindeGeldigheid       *string  `json:"eindeGeldigheid"`
	Vertrouwelijkheid     string   `json:"vertrouwelijkheidaanduiding"`
	StatusTypen           []string `json:"statustypen"`
	ResultaatTypen        []string `json:"resultaattypen"`
	InformatieObjectTypen []string `json:"informatieobjecttypen"`
	BesluitTypen          []string `json:"besluittypen"`
	RolTypen              []string `json:"roltypen"`
}

// StatusType is a step of a zaaktype; the one with the highest volgnummer is the eindstatus.
type StatusType struct {
	URL          string `json:"url"`
	Omschrijving string `json:"omschrijving"`
	ZaakType     string `json:"zaaktype"`
	Volgnummer   int    `json:"volgnummer"`
	IsEindstatus bool   `json:"isEindstatus"`
}

// ResultaatType is a possible outcome of a zaaktype.
type ResultaatType struct {
	URL                   string   `json:"url"`
	ZaakType              string   `json:"zaaktype"`
	Omschrijving          string   `json:"omschrijving"`
	ResultaatTypeOmschr   string   `json:"resultaattypeomschrijving"`
	SelectieLijstKlasse   string   `json:"selectielijstklasse"`
	ArchiefNominatie      string   `json:"archiefnominatie,omitempty"`
	ArchiefActieTermijn   string   `json:"archiefactietermijn,omitempty"`
	BrondatumArchiefproc  any      `json:"brondatumArchiefprocedure,omitempty"`
	OmschrijvingGeneriek  string   `json:"omschrijvingGeneriek,omitempty"`
	InformatieObjectTypen []string `json:"informatieobjecttypen,omitempty"`
}

// InformatieObjectType is a kind of document.
type InformatieObjectType struct {
	URL               string  `json:"url"`
	Catalogus         string  `json:"catalogus"`
	Omschrijving      string  `json:"omschrijving"`
	Vertrouwelijkheid string  `json:"vertrouwelijkheidaanduiding"`
	BeginGeldigheid   string  `json:"beginGeldigheid"`
	EindeGeldigheid   *string `json:"eindeGeldigheid"`
	Concept           bool    `json:"concept"`
}

// BesluitType is a kind of decision.
type BesluitType struct {
	URL             string   `json:"url"`
	Catalogus       string   `json:"catalogus"`
	Omschrijving    string   `json:"omschrijving"`
	ZaakTypen       []string `json:"zaaktypen"`
	BeginGeldigheid string   `json:"beginGeldigheid"`
	EindeGeldigheid *string  `json:"eindeGeldigheid"`
	Concept         bool     `json:"concept"`
}

// Kenmerk is an identifying mark of a zaak in another system (here: the decision reference).
type Kenmerk struct {
	Kenmerk string `json:"kenmerk"`
	Bron    string `json:"bron"`
}

// Zaak is a case in the Zaken API.
type Zaak struct {
	URL                          string    `json:"url,omitempty"`
	UUID                         string    `json:"uuid,omitempty"`
	Identificatie                string    `json:"identificatie,omitempty"`
	Bronorganisatie              string    `json:"bronorganisatie"`
	VerantwoordelijkeOrganisatie string    `json:"verantwoordelijkeOrganisatie"`
	ZaakType                     string    `json:"zaaktype"`
	Omschrijving                 string    `json:"omschrijving,omitempty"`
	Toelichting                  string    `json:"toelichting,omitempty"`
	RegistratieDatum             string    `json:"registratiedatum,omitempty"`
	Startdatum                   string    `json:"startdatum"`
	Einddatum                    *string   `json:"einddatum,omitempty"`
	UiterlijkeEinddatumAfdoening *string   `json:"uiterlijkeEinddatumAfdoening,omitempty"`
	Vertrouwelijkheid            string    `json:"vertrouwelijkheidaanduiding,omitempty"`
	Kenmerken                    []Kenmerk `json:"kenmerken,omitempty"`
	Status                       *string   `json:"status,omitempty"`
	Resultaat                    *string   `json:"resultaat,omitempty"`
	ArchiefNominatie             *string   `json:"archiefnominatie,omitempty"`
	ArchiefActieDatum            *string   `json:"archiefactiedatum,omitempty"`
	// Hoofdzaak is the zaak this one is a deelzaak of.
	Hoofdzaak *string `json:"hoofdzaak,omitempty"`
	// ZaakInformatieObjecten are the links to its documents (read-only; Zaken 1.5).
	ZaakInformatieObjecten []string `json:"zaakinformatieobjecten,omitempty"`
}

// HasKenmerk reports whether the zaak carries the kenmerk from the given bron.
func (z Zaak) HasKenmerk(bron, kenmerk string) bool {
	for _, k := range z.Kenmerken {
		if k.Bron == bron && k.Kenmerk == kenmerk {
			return true
		}
	}
	return false
}

// Status is a status set on a zaak.
type Status struct {
	URL               string `json:"url,omitempty"`
	UUID              string `json:"uuid,omitempty"`
	Zaak              string `json:"zaak"`
	StatusType        string `json:"statustype"`
	DatumStatusGezet  string `json:"datumStatusGezet"`
	StatusToelichting string `json:"statustoelichting,omitempty"`
}

// Resultaat is the outcome of a zaak (one per zaak).
type Resultaat struct {
	URL           string `json:"url,omitempty"`
	UUID          string `json:"uuid,omitempty"`
	Zaak          string `json:"zaak"`
	ResultaatType string `json:"resultaattype"`
	Toelichting   string `json:"toelichting,omitempty"`
}

// ZaakInformatieObject links a document to a zaak.
type ZaakInformatieObject struct {
	URL              string `json:"url,omitempty"`
	UUID             string `json:"uuid,omitempty"`
	Zaak             string `json:"zaak"`
	InformatieObject string `json:"informatieobject"`
	Titel            string `json:"titel,omitempty"`
	Beschrijving     string `json:"beschrijving,omitempty"`
	RegistratieDatum string `json:"registratiedatum,omitempty"`
}

// Rol is a party in a zaak. Betrokkene identification is kept as raw JSON: its shape depends on
// betrokkeneType.
type Rol struct {
	URL                     string         `json:"url,omitempty"`
	UUID                    string         `json:"uuid,omitempty"`
	Zaak                    string         `json:"zaak"`
	Betrokkene              string         `json:"betrokkene,omitempty"`
	BetrokkeneType          string         `json:"betrokkeneType"`
	RolType                 string         `json:"roltype"`
	RolToelichting          string         `json:"roltoelichting"`
	Omschrijving            string         `json:"omschrijving,omitempty"`
	OmschrijvingGeneriek    string         `json:"omschrijvingGeneriek,omitempty"`
	BetrokkeneIdentificatie map[string]any `json:"betrokkeneIdentificatie,omitempty"`
}

// AuditTrail is one entry of a resource's audit trail.
type AuditTrail struct {
	UUID               string         `json:"uuid,omitempty"`
	Bron               string         `json:"bron"`
	ApplicatieID       string         `json:"applicatieId,omitempty"`
	ApplicatieWeergave string         `json:"applicatieWeergave,omitempty"`
	GebruikersID       string         `json:"gebruikersId,omitempty"`
	GebruikersWeergave string         `json:"gebruikersWeergave,omitempty"`
	Actie              string         `json:"actie"`
	ActieWeergave      string         `json:"actieWeergave,omitempty"`
	Resultaat          int            `json:"resultaat"`
	HoofdObject        string         `json:"hoofdObject"`
	Resource           string         `json:"resource"`
	ResourceURL        string         `json:"resourceUrl"`
	ResourceWeergave   string         `json:"resourceWeergave"`
	Toelichting        string         `json:"toelichting,omitempty"`
	AanmaakDatum       string         `json:"aanmaakdatum"`
	Wijzigingen        map[string]any `json:"wijzigingen"`
}

// Integriteit is a document's checksum as recorded in the Documenten API.
type Integriteit struct {
	Algoritme string `json:"algoritme"`
	Waarde    string `json:"waarde"`
	Datum     string `json:"datum"`
}

// BestandsDeel is one part of a chunked upload.
type BestandsDeel struct {
	URL        string `json:"url"`
	Volgnummer int    `json:"volgnummer"`
	Omvang     int64  `json:"omvang"`
	Voltooid   bool   `json:"voltooid"`
	Lock       string `json:"lock,omitempty"`
}

// InformatieObject is an enkelvoudiginformatieobject (a document) of the Documenten API.
type InformatieObject struct {
	URL                    string         `json:"url,omitempty"`
	Identificatie          string         `json:"identificatie,omitempty"`
	Bronorganisatie        string         `json:"bronorganisatie"`
	CreatieDatum           string         `json:"creatiedatum"`
	Titel                  string         `json:"titel"`
	Vertrouwelijkheid      string         `json:"vertrouwelijkheidaanduiding,omitempty"`
	Auteur                 string         `json:"auteur"`
	Status                 string         `json:"status,omitempty"`
	Formaat                string         `json:"formaat,omitempty"`
	Taal                   string         `json:"taal"`
	Versie                 int            `json:"versie,omitempty"`
	BeginRegistratie       string         `json:"beginRegistratie,omitempty"`
	Bestandsnaam           string         `json:"bestandsnaam,omitempty"`
	Inhoud                 *string        `json:"inhoud,omitempty"`
	Bestandsomvang         *int64         `json:"bestandsomvang,omitempty"`
	Beschrijving           string         `json:"beschrijving,omitempty"`
	OntvangstDatum         *string        `json:"ontvangstdatum,omitempty"`
	VerzendDatum           *string        `json:"verzenddatum,omitempty"`
	IndicatieGebruiksrecht *bool          `json:"indicatieGebruiksrecht,omitempty"`
	Integriteit            *Integriteit   `json:"integriteit,omitempty"`
	InformatieObjectType   string         `json:"informatieobjecttype"`
	Locked                 bool           `json:"locked,omitempty"`
	Lock                   string         `json:"lock,omitempty"`
	BestandsDelen          []BestandsDeel `json:"bestandsdelen,omitempty"`
}

// Besluit is a decision in the Besluiten API.
type Besluit struct {
	URL                          string `json:"url,omitempty"`
	Identificatie                string `json:"identificatie,omitempty"`
	VerantwoordelijkeOrganisatie string `json:"verantwoordelijkeOrganisatie"`
	BesluitType                  string `json:"besluittype"`
	Zaak                         string `json:"zaak,omitempty"`
	Datum                        string `json:"datum"`
	Toelichting                  string `json:"toelichting,omitempty"`
	BestuursOrgaan               string `json:"bestuursorgaan,omitempty"`
	IngangsDatum                 string `json:"ingangsdatum"`
	// VervalDatum is when the besluit lapses (some archive derivations start from it).
	VervalDatum *string `json:"vervaldatum,omitempty"`
	// Publicatiedatum is the day the besluit was made public.
	Publicatiedatum *string `json:"publicatiedatum,omitempty"`
}

// BesluitInformatieObject links a document to a besluit.
type BesluitInformatieObject struct {
	URL              string `json:"url,omitempty"`
	InformatieObject string `json:"informatieobject"`
	Besluit          string `json:"besluit"`
}

// Kanaal is a notification channel.
type Kanaal struct {
	URL              string   `json:"url,omitempty"`
	Naam             string   `json:"naam"`
	DocumentatieLink string   `json:"documentatieLink,omitempty"`
	Filters          []string `json:"filters,omitempty"`
}

// Notificatie is a message of the Notificaties API: what changed, where, with the kenmerken a
// kanaal filters on.
type Notificatie struct {
	Kanaal       string            `json:"kanaal"`
	HoofdObject  string            `json:"hoofdObject"`
	Resource     string            `json:"resource"`
	ResourceURL  string            `json:"resourceUrl"`
	Actie        string            `json:"actie"`
	AanmaakDatum string            `json:"aanmaakdatum"`
	Kenmerken    map[string]string `json:"kenmerken,omitempty"`
}

// Abonnement is a subscription to notifications.
type Abonnement struct {
	URL         string        `json:"url,omitempty"`
	CallbackURL string        `json:"callbackUrl"`
	Auth        string        `json:"auth"`
	Kanalen     []FilterGroup `json:"kanalen"`
}

// FilterGroup selects the notifications of one kanaal.
type FilterGroup struct {
	Naam    string            `json:"naam"`
	Filters map[string]string `json:"filters,omitempty"`
}
