package publicatiebank

import (
	"context"
	"fmt"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// wooCategorieen are the informatiecategorieën of the Wet open overheid (article 3.3), as the
// DiWoo waardelijst names them. Their identifiers here are stand-ins (urn:sandbox:…), not the
// waardelijst's IRIs: clients find a category by its name or uuid.
var wooCategorieen = []string{
	"wetten en algemeen verbindende voorschriften",
	"overige besluiten van algemene strekking",
	"ontwerpen van wet- en regelgeving met adviesaanvraag",
	"organisatie en werkwijze",
	"bereikbaarheidsgegevens",
	"bij vertegenwoordigende organen ingekomen stukken",
	"vergaderstukken Staten-Generaal",
	"vergaderstukken decentrale overheden",
	"agenda's en besluitenlijsten bestuurscolleges",
	"adviezen",
	"convenanten",
	"jaarplannen en jaarverslagen",
	"subsidieverplichtingen anders dan met beschikking",
	"Woo-verzoeken en -besluiten",
	"onderzoeksrapporten",
	"beschikkingen",
	"klachtoordelen",
}

// InactiveOrganisation is the seeded organisation that is no longer active: a publication with
// it as publisher is refused (tests).
const InactiveOrganisation = "Gemeente Opgeheven"

// Seed fills an empty publicatiebank: the Woo categories, the municipality as an active
// organisation and one inactive one. A seeded one is left as it is.
func (s *API) Seed(ctx context.Context) error {
	if done, err := s.seeded(ctx); done || err != nil {
		return err
	}
	for i, naam := range wooCategorieen {
		id := core.NewUUID()
		slug := strings.NewReplacer(" ", "-", "'", "", ",", "").Replace(strings.ToLower(naam))
		c := Categorie{UUID: id, Identifier: "urn:sandbox:informatiecategorie:" + slug, Naam: naam, NaamMeervoud: naam,
			Definitie: "Informatiecategorie " + naam + " (Wet open overheid, artikel 3.3).", Omschrijving: "", Oorsprong: "waardelijst", Order: i}
		if err := s.DB.Insert(ctx, kindCategorie, id, "", strings.ToLower(naam), c); err != nil {
			return err
		}
	}
	for _, o := range []Organisatie{
		{Naam: s.cfg.Municipality, Oorsprong: "gemeentelijst", IsActief: true},
		{Naam: InactiveOrganisation, Oorsprong: "gemeentelijst", IsActief: false},
	} {
		o.UUID = core.NewUUID()
		o.Identifier = "urn:sandbox:organisatie:" + o.UUID
		if err := s.DB.Insert(ctx, kindOrganisatie, o.UUID, "", strings.ToLower(o.Naam), o); err != nil {
			return err
		}
	}
	return nil
}

// SetActive makes an organisation active or not, as a beheerder does in the publicatiebank's
// admin (tests: a refusal put right).
func (s *API) SetActive(ctx context.Context, naam string, active bool) error {
	s.writes.Lock()
	defer s.writes.Unlock()
	orgs, err := core.QueryAs[Organisatie](ctx, s.DB, kindOrganisatie, "", strings.ToLower(naam))
	if err != nil || len(orgs) != 1 {
		return fmt.Errorf("publicatiebank: %d organisations named %q (%v)", len(orgs), naam, err)
	}
	orgs[0].IsActief = active
	return s.DB.Update(ctx, orgs[0].UUID, orgs[0])
}
