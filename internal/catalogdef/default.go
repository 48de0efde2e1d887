package catalogdef

// The sandbox's Selectielijst stand-in holds these resources under the placeholder root; a
// definition for a real zaaksysteem names the klassen of VNG's Selectielijst its records officer
// chose instead.
const (
	SandboxProcestype          = SelectielijstPlaceholder + "/procestypen/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a01"
	SandboxKlasseAfgehandeld   = SelectielijstPlaceholder + "/resultaten/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a11"
	SandboxKlasseVastTeLeggen  = SelectielijstPlaceholder + "/resultaten/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a12"
	SandboxResultaattypeOmschr = SelectielijstPlaceholder + "/resultaattypeomschrijvingen/7c1b2a90-0d5e-4b8e-9f3a-5a1d2e3f4a21"
)

// Default is the connector's own zaaktype: three statustypen (the middle one set once every
// account is filed at Meta), the resultaattypen for a confirmed, an unconfirmed and a lapsed
// objection, and the four informatieobjecttypen the connector stores.
func Default(rsin string) Definition {
	resultaat := func(omschrijving, klasse, nominatie, termijn, afleidingswijze string) Resultaattype {
		return Resultaattype{Omschrijving: omschrijving, Resultaattypeomschrijving: SandboxResultaattypeOmschr,
			Selectielijstklasse: klasse, Archiefnominatie: nominatie, Archiefactietermijn: termijn,
			BrondatumArchiefprocedure: Brondatum{Afleidingswijze: afleidingswijze}}
	}
	// As a records officer sets them: the letters, Meta's mails and the evidence name the
	// municipality's accounts, their addresses and the staff who filed (zaakvertrouwelijk); the
	// college's decision is public and is a besluit.
	iot := func(omschrijving, vertrouwelijkheid, categorie string) Informatieobjecttype {
		return Informatieobjecttype{Omschrijving: omschrijving, Vertrouwelijkheidaanduiding: vertrouwelijkheid,
			Informatieobjectcategorie: categorie, BeginGeldigheid: "2024-01-01"}
	}
	return Definition{
		Catalogus: Catalogus{Domein: CatalogusDomein, RSIN: rsin, Naam: "Catalogus Meta-bezwaar",
			ContactpersoonBeheerNaam: "Functioneel beheer"},
		Zaaktype: Zaaktype{
			Identificatie: ZaakTypeIdentificatie, Omschrijving: "Bezwaar tegen AI-training door Meta",
			Vertrouwelijkheidaanduiding: "openbaar",
			Doel:                        "Het bezwaar van de gemeente tegen het gebruik van haar openbare content voor AI-training vastleggen en afhandelen.",
			Aanleiding:                  "Collegebesluit om bezwaar te maken bij Meta.",
			IndicatieInternOfExtern:     "intern", HandelingInitiator: "indienen", Onderwerp: "Bezwaar AI-training",
			HandelingBehandelaar: "behandelen", Doorlooptijd: "P30D", PublicatieIndicatie: true,
			Trefwoorden:      []string{"meta", "ai", "bezwaar"},
			Referentieproces: Referentieproces{Naam: "Bezwaar maken"}, Verantwoordelijke: "Gemeentesecretaris",
			SelectielijstProcestype: SandboxProcestype, BeginGeldigheid: "2025-01-01", Versiedatum: "2025-01-01",
			Statustypen: []Statustype{{"Geregistreerd", 1}, {StatusTypeFiled, 2}, {"Afgehandeld", 3}},
			Resultaattypen: []Resultaattype{
				resultaat(ResultaatTypeHonoured, SandboxKlasseAfgehandeld, "blijvend_bewaren", "P10Y", "afgehandeld"),
				resultaat(ResultaatTypeNotConfirmed, SandboxKlasseAfgehandeld, "blijvend_bewaren", "P10Y", "afgehandeld"),
				// Derived from the vervaldatum of the zaak's besluit: a zaak without one closes with
				// its archiefactiedatum open until the vervaldatum is recorded (Open Zaak ≥ 1.24).
				resultaat(ResultaatTypeLapsed, SandboxKlasseVastTeLeggen, "vernietigen", "P5Y", "vervaldatum_besluit"),
			},
			Roltypen: []Roltype{{"Behandelaar", "behandelaar"}},
			Informatieobjecttypen: []ZaaktypeInformatieobjecttype{
				{IOTypeLetter, 1, "uitgaand"}, {IOTypeConfirmation, 2, "inkomend"},
				{IOTypeBesluit, 3, "intern"}, {IOTypeEvidence, 4, "intern"},
			},
			Besluittypen: []string{BesluitTypeCollege},
		},
		Informatieobjecttypen: []Informatieobjecttype{
			iot(IOTypeLetter, "zaakvertrouwelijk", "Correspondentie"), iot(IOTypeConfirmation, "zaakvertrouwelijk", "Correspondentie"),
			iot(IOTypeBesluit, "openbaar", "Besluit"), iot(IOTypeEvidence, "zaakvertrouwelijk", "Bewijsstuk"),
		},
		Besluittypen: []Besluittype{{Omschrijving: BesluitTypeCollege, Besluitcategorie: "Collegebesluit",
			PublicatieIndicatie: true, BeginGeldigheid: "2024-01-01", Informatieobjecttypen: []string{IOTypeBesluit}}},
	}
}
