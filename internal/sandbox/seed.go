package sandbox

import (
	"context"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/catalogi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// The seeded catalogue is the connector's default definition (catalogdef), the same one
// `connector provision` creates in a real zaaksysteem, with fixed UUIDs so that its URLs are the
// same on every machine and restart.
const (
	// The catalogue names `connector serve` configures itself with when it starts the sandbox.
	CatalogusDomein           = catalogdef.CatalogusDomein
	ZaakTypeIdentificatie     = catalogdef.ZaakTypeIdentificatie
	IOTypeLetter              = catalogdef.IOTypeLetter
	IOTypeConfirmation        = catalogdef.IOTypeConfirmation
	IOTypeBesluit             = catalogdef.IOTypeBesluit
	IOTypeEvidence            = catalogdef.IOTypeEvidence
	StatusTypeFiled           = catalogdef.StatusTypeFiled
	ResultaatTypeNotConfirmed = catalogdef.ResultaatTypeNotConfirmed
	ResultaatTypeHonoured     = catalogdef.ResultaatTypeHonoured
	ResultaatTypeLapsed       = catalogdef.ResultaatTypeLapsed
	BesluitTypeCollege        = catalogdef.BesluitTypeCollege

	catalogusUUID    = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c01"
	zaakTypeOldUUID  = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c10"
	zaakTypeUUID     = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c11"
	zaakTypeDraftUUI = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c12"
	iotMemoUUID      = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c24"
	besluitTypeUUID  = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c31"
	roltypeUUID      = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c41"
	seedPrefix       = "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e" // + four hex digits per seeded type
)

// iotUUIDs are the definition's informatieobjecttypen, in its order.
var iotUUIDs = []string{"5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c21", "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c22",
	"5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c23", "5f1c2d0e-8a43-4c1b-9d3e-0b5d7a1e2c25"}

// seedDoc is one seeded resource: a Catalogi request body, stored as a create would store it.
type seedDoc struct {
	kind, uuid string
	body       core.Doc
	concept    bool
}

// seed fills the sandbox with its catalogue, and brings the catalogue of a sandbox made by an
// earlier release up to date: missing seeded resources are added, changed ones rewritten, and
// those that are as seeded are left alone (no writes at every start).
func (s *Server) seed(ctx context.Context) error {
	if err := s.publicatiebank.Seed(ctx); err != nil {
		return err
	}
	docs, err := s.catalogue()
	if err != nil {
		return err
	}
	zaaktypen := map[string]core.Doc{}
	for _, d := range docs {
		rules := catalogi.CatalogRules[d.kind]
		body := core.Doc{}
		catalogi.Merge(body, catalogi.DeepCopy(d.body), rules)
		// The seed passes the sandbox's own archive rules and resolves its relations (named by
		// omschrijving) as a create does.
		v := &core.Validation{}
		switch d.kind {
		case "zaaktype":
			zaaktypen[catalogi.CatPath(rules.Collection, d.uuid)] = body
			s.catalogi.CheckRelations(ctx, v, body, "besluittypen", "besluittype", core.Str(body, "catalogus"), false)
		case "besluittype":
			s.catalogi.CheckRelations(ctx, v, body, "informatieobjecttypen", "informatieobjecttype", core.Str(body, "catalogus"), false)
		case "resultaattype":
			s.catalogi.CheckResultaattypeArchive(ctx, v, body, zaaktypen[core.Str(body, "zaaktype")])
		}
		if v.Failed() {
			return fmt.Errorf("sandbox: seeded %s %q: %s: %s", d.kind, core.Str(body, "omschrijving"), v.Params[0].Name, v.Params[0].Reason)
		}
		if rules.Publishable {
			body["concept"] = d.concept
		}
		body["url"] = catalogi.CatPath(rules.Collection, d.uuid)
		if err := s.catalogi.Seed(ctx, d.kind, d.uuid, body); err != nil {
			return fmt.Errorf("sandbox: seeding %s: %w", d.kind, err)
		}
	}
	return nil
}

// catalogue is the seed: the default definition, its Selectielijst references pointing at the
// sandbox's own stand-in, in three versions of the zaaktype (an expired one, the current one and
// an unpublished draft, so that resolution by date and the refusal of concepts are both
// exercised) and one informatieobjecttype the zaaktype does not allow.
func (s *Server) catalogue() ([]seedDoc, error) {
	def := catalogdef.Default(s.Cfg.RSIN).Expand(core.SelectielijstRoot)
	if err := def.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox: the seed: %w", err)
	}
	cat := catalogi.CatPath("catalogussen", catalogusUUID)
	docs := []seedDoc{{kind: "catalogus", uuid: catalogusUUID, body: def.CatalogusBody()}}

	for i, t := range def.Informatieobjecttypen {
		docs = append(docs, seedDoc{"informatieobjecttype", iotUUIDs[i], catalogdef.InformatieobjecttypeBody(t, cat), false})
	}
	docs = append(docs, seedDoc{"informatieobjecttype", iotMemoUUID, catalogdef.InformatieobjecttypeBody(catalogdef.Informatieobjecttype{
		Omschrijving: "Intern memo", Vertrouwelijkheidaanduiding: "intern", Informatieobjectcategorie: "Correspondentie",
		BeginGeldigheid: "2024-01-01"}, cat), false})

	docs = append(docs, seedDoc{"besluittype", besluitTypeUUID, catalogdef.BesluittypeBody(def.Besluittypen[0], cat), false})

	for vi, v := range []struct {
		uuid, begin string
		end         any
		concept     bool
	}{
		{zaakTypeOldUUID, "2024-01-01", "2024-12-31", false},
		{zaakTypeUUID, "2025-01-01", nil, false},
		{zaakTypeDraftUUI, "2027-01-01", nil, true},
	} {
		self := catalogi.CatPath("zaaktypen", v.uuid)
		geldig := core.Doc{"beginGeldigheid": v.begin, "eindeGeldigheid": v.end, "beginObject": v.begin}
		zt := def.ZaaktypeBody(cat)
		zt["versiedatum"] = v.begin
		docs = append(docs, seedDoc{"zaaktype", v.uuid, withFields(zt, geldig), v.concept})
		child := func(kind string, digit, n int, body core.Doc) {
			uuid := fmt.Sprintf("%s%d%d%02d", seedPrefix, digit, vi, n)
			if kind == "roltype" && vi == 1 {
				uuid = roltypeUUID // as seeded by earlier releases
			}
			if kind != "ziot" {
				body = withFields(body, geldig)
			}
			docs = append(docs, seedDoc{kind, uuid, body, false})
		}
		for i, t := range def.Zaaktype.Statustypen {
			child("statustype", 5, i+1, catalogdef.StatustypeBody(t, self))
		}
		for i, t := range def.Zaaktype.Resultaattypen {
			child("resultaattype", 6, i+1, catalogdef.ResultaattypeBody(t, self))
		}
		for i, t := range def.Zaaktype.Roltypen {
			child("roltype", 4, i+1, catalogdef.RoltypeBody(t, self))
		}
		for i, t := range def.Zaaktype.Informatieobjecttypen {
			child("ziot", 7, i+1, catalogdef.ZaaktypeInformatieobjecttypeBody(t, self))
		}
	}
	return docs, nil
}

// withFields is a body with some fields set (the seed's versions).
func withFields(body, fields core.Doc) core.Doc {
	for k, v := range fields {
		body[k] = v
	}
	return body
}
