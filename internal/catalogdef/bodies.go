package catalogdef

// The Catalogi API request bodies of a definition's types, given the URL of what they belong to.
// Relations between types are written as Catalogi 1.3 writes them, by omschrijving, so that they
// hold across versions of the related type. provision sends them; the sandbox seeds them.

// Body is one request body, keyed like the Catalogi API.
type Body = map[string]any

// CatalogusBody is the catalogus.
func (d Definition) CatalogusBody() Body {
	c := d.Catalogus
	return Body{"domein": c.Domein, "rsin": c.RSIN, "naam": c.Naam, "contactpersoonBeheerNaam": c.ContactpersoonBeheerNaam}
}

// InformatieobjecttypeBody is one informatieobjecttype of the catalogus.
func InformatieobjecttypeBody(t Informatieobjecttype, catalogus string) Body {
	return Body{"catalogus": catalogus, "omschrijving": t.Omschrijving, "vertrouwelijkheidaanduiding": t.Vertrouwelijkheidaanduiding,
		"informatieobjectcategorie": t.Informatieobjectcategorie, "beginGeldigheid": t.BeginGeldigheid}
}

// BesluittypeBody is one besluittype.
func BesluittypeBody(t Besluittype, catalogus string) Body {
	return Body{"catalogus": catalogus, "omschrijving": t.Omschrijving, "besluitcategorie": t.Besluitcategorie,
		"publicatieIndicatie": t.PublicatieIndicatie, "beginGeldigheid": t.BeginGeldigheid,
		"informatieobjecttypen": anyList(t.Informatieobjecttypen)}
}

// ZaaktypeBody is the zaaktype.
func (d Definition) ZaaktypeBody(catalogus string) Body {
	z := d.Zaaktype
	return Body{
		"identificatie": z.Identificatie, "omschrijving": z.Omschrijving, "vertrouwelijkheidaanduiding": z.Vertrouwelijkheidaanduiding,
		"doel": z.Doel, "aanleiding": z.Aanleiding, "indicatieInternOfExtern": z.IndicatieInternOfExtern,
		"handelingInitiator": z.HandelingInitiator, "onderwerp": z.Onderwerp, "handelingBehandelaar": z.HandelingBehandelaar,
		"doorlooptijd": z.Doorlooptijd, "opschortingEnAanhoudingMogelijk": z.OpschortingEnAanhoudingMogelijk,
		"verlengingMogelijk": z.VerlengingMogelijk, "publicatieIndicatie": z.PublicatieIndicatie,
		"trefwoorden": anyList(z.Trefwoorden), "productenOfDiensten": []any{},
		"referentieproces":  Body{"naam": z.Referentieproces.Naam, "link": z.Referentieproces.Link},
		"verantwoordelijke": z.Verantwoordelijke, "selectielijstProcestype": z.SelectielijstProcestype,
		"catalogus": catalogus, "besluittypen": anyList(z.Besluittypen), "deelzaaktypen": []any{}, "gerelateerdeZaaktypen": []any{},
		"beginGeldigheid": z.BeginGeldigheid, "versiedatum": z.Versiedatum,
	}
}

// StatustypeBody is one statustype of the zaaktype.
func StatustypeBody(t Statustype, zaaktype string) Body {
	return Body{"zaaktype": zaaktype, "omschrijving": t.Omschrijving, "volgnummer": t.Volgnummer}
}

// ResultaattypeBody is one resultaattype of the zaaktype.
func ResultaattypeBody(t Resultaattype, zaaktype string) Body {
	b := t.BrondatumArchiefprocedure
	var procestermijn any
	if b.Procestermijn != nil {
		procestermijn = *b.Procestermijn
	}
	return Body{"zaaktype": zaaktype, "omschrijving": t.Omschrijving, "resultaattypeomschrijving": t.Resultaattypeomschrijving,
		"selectielijstklasse": t.Selectielijstklasse, "archiefnominatie": t.Archiefnominatie,
		"archiefactietermijn": t.Archiefactietermijn, "besluittypen": []any{},
		"brondatumArchiefprocedure": Body{"afleidingswijze": b.Afleidingswijze, "datumkenmerk": b.Datumkenmerk,
			"einddatumBekend": b.EinddatumBekend, "objecttype": b.Objecttype, "registratie": b.Registratie,
			"procestermijn": procestermijn}}
}

// RoltypeBody is one roltype of the zaaktype.
func RoltypeBody(t Roltype, zaaktype string) Body {
	return Body{"zaaktype": zaaktype, "omschrijving": t.Omschrijving, "omschrijvingGeneriek": t.OmschrijvingGeneriek}
}

// ZaaktypeInformatieobjecttypeBody allows an informatieobjecttype in the zaaktype; the type is
// named by omschrijving, as Catalogi 1.2 and later do, so the relation holds across its versions.
func ZaaktypeInformatieobjecttypeBody(t ZaaktypeInformatieobjecttype, zaaktype string) Body {
	return Body{"zaaktype": zaaktype, "informatieobjecttype": t.Omschrijving, "volgnummer": t.Volgnummer, "richting": t.Richting}
}

func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, x := range list {
		out[i] = x
	}
	return out
}
