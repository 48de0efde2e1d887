package zaken

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/archive"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/sosodev/duration"
)

// Routes mounts the API's operations on mux.
func (s *API) Routes(mux *http.ServeMux) {
	s.zaakObjectenRoutes(mux)
	mux.Handle("POST "+core.ZakenRoot+"zaken", s.requireCrs(s.Write(s.createZaak)))
	mux.Handle("GET "+core.ZakenRoot+"zaken", s.requireCrs(http.HandlerFunc(s.listZaken)))
	mux.Handle("GET "+core.ZakenRoot+"zaken/{uuid}", s.requireCrs(http.HandlerFunc(s.getZaak)))
	mux.Handle("PUT "+core.ZakenRoot+"zaken/{uuid}", s.requireCrs(s.Write(s.updateZaak(false))))
	mux.Handle("PATCH "+core.ZakenRoot+"zaken/{uuid}", s.requireCrs(s.Write(s.updateZaak(true))))
	mux.Handle("DELETE "+core.ZakenRoot+"zaken/{uuid}", s.requireCrs(s.Write(s.deleteZaak)))
	mux.HandleFunc("GET "+core.ZakenRoot+"zaken/{uuid}/audittrail", s.AuditTrail("zaak", core.ZakenRoot+"zaken/"))

	mux.HandleFunc("POST "+core.ZakenRoot+"statussen", s.Write(s.createStatus))
	mux.HandleFunc("GET "+core.ZakenRoot+"statussen", s.ListBy("status", "zaak", true, "statustype"))
	mux.HandleFunc("GET "+core.ZakenRoot+"statussen/{uuid}", s.GetHandler("status"))

	mux.HandleFunc("POST "+core.ZakenRoot+"resultaten", s.Write(s.createZaakPart(resultaatPart)))
	mux.HandleFunc("GET "+core.ZakenRoot+"resultaten", s.ListBy("resultaat", "zaak", true, "resultaattype"))
	mux.HandleFunc("GET "+core.ZakenRoot+"resultaten/{uuid}", s.GetHandler("resultaat"))
	mux.HandleFunc("PUT "+core.ZakenRoot+"resultaten/{uuid}", s.Write(s.updateResultaat(false)))
	mux.HandleFunc("PATCH "+core.ZakenRoot+"resultaten/{uuid}", s.Write(s.updateResultaat(true)))
	mux.HandleFunc("DELETE "+core.ZakenRoot+"resultaten/{uuid}", s.Write(s.GuardClosed("resultaat", s.deleteZaakPart("resultaat", "resultaat", "resultaat"))))

	mux.HandleFunc("POST "+core.ZakenRoot+"zaakinformatieobjecten", s.Write(s.createZIO))
	mux.HandleFunc("GET "+core.ZakenRoot+"zaakinformatieobjecten", s.ListBy("zio", "zaak", false, "informatieobject"))
	mux.HandleFunc("GET "+core.ZakenRoot+"zaakinformatieobjecten/{uuid}", s.GetHandler("zio"))
	mux.HandleFunc("PUT "+core.ZakenRoot+"zaakinformatieobjecten/{uuid}", s.Write(s.updateZIO(false)))
	mux.HandleFunc("PATCH "+core.ZakenRoot+"zaakinformatieobjecten/{uuid}", s.Write(s.updateZIO(true)))
	mux.HandleFunc("DELETE "+core.ZakenRoot+"zaakinformatieobjecten/{uuid}", s.Write(s.GuardClosed("zio", s.documenten.DeleteLink("zio", "zrc", "zaak", "zaakinformatieobject"))))

	mux.HandleFunc("POST "+core.ZakenRoot+"rollen", s.Write(s.createRol))
	mux.HandleFunc("GET "+core.ZakenRoot+"rollen", s.ListBy("rol", "zaak", true, "roltype"))
	mux.HandleFunc("GET "+core.ZakenRoot+"rollen/{uuid}", s.GetHandler("rol"))
	mux.HandleFunc("DELETE "+core.ZakenRoot+"rollen/{uuid}", s.Write(s.GuardClosed("rol", s.deleteZaakPart("rol", "rol", "rollen"))))
}

// requireCrs answers 412 without the CRS headers, as Open Zaak does on zaak endpoints.
func (s *API) requireCrs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Crs") == "" {
			core.WriteProblem(w, r, http.StatusPreconditionFailed, "precondition_failed", "Precondition failed",
				"'Accept-Crs' header ontbreekt", nil)
			return
		}
		if c := r.Header.Get("Accept-Crs"); c != "EPSG:4326" {
			core.WriteProblem(w, r, http.StatusNotAcceptable, "not_acceptable", "CRS niet ondersteund", "CRS "+c+" wordt niet ondersteund", nil)
			return
		}
		w.Header().Set("Content-Crs", "EPSG:4326")
		next.ServeHTTP(w, r)
	})
}

// validZaak checks a zaak as it is to be stored (created, or after an update), and returns its
// zaaktype.
func (s *API) validZaak(r *http.Request, d core.Doc) (*core.Validation, core.Doc) {
	v := &core.Validation{}
	v.Required(d, "bronorganisatie", "verantwoordelijkeOrganisatie", "zaaktype", "startdatum")
	v.Rsin(d, "bronorganisatie")
	v.Rsin(d, "verantwoordelijkeOrganisatie")
	v.Date(d, "startdatum")
	v.Date(d, "uiterlijkeEinddatumAfdoening")
	v.Date(d, "registratiedatum")
	v.MaxLen(d, "omschrijving", 80)
	v.MaxLen(d, "toelichting", 1000)
	v.MaxLen(d, "identificatie", 40)
	v.OneOf(d, "vertrouwelijkheidaanduiding", core.Vertrouwelijkheden...)
	zt := s.Resource(r, v, d, "zaaktype", "zaaktype", core.CatalogiRoot+"zaaktypen/")
	if zt != nil && core.Boolean(zt, "concept") && !s.Cfg.AcceptConceptZaaktypen {
		v.Add("zaaktype", "not-published", "Het ZAAKTYPE is nog niet gepubliceerd.")
	}
	if ks, ok := d["kenmerken"].([]any); ok {
		for i, k := range ks {
			km, _ := k.(map[string]any)
			if core.Str(km, "kenmerk") == "" || core.Str(km, "bron") == "" {
				v.Add(fmt.Sprintf("kenmerken.%d", i), "required", "kenmerk en bron zijn vereist.")
			}
		}
	}
	s.validZaakRelations(r, v, d, zt)
	return v, zt
}

func (s *API) createZaak(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v, zt := s.validZaak(r, d)
	if zt != nil && !core.GrantOf(r).May("zrc", []string{"zaken.aanmaken"}, core.Str(zt, "url"),
		core.FirstOf(core.Str(d, "vertrouwelijkheidaanduiding"), core.Str(zt, "vertrouwelijkheidaanduiding"))) {
		core.Forbidden(w, r, "De applicatie heeft de scope zaken.aanmaken niet voor dit zaaktype en deze vertrouwelijkheid.")
		return
	}
	s.UniqueIdent(ctx, v, d, "zaak", "bronorganisatie")
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}

	now := s.Now()
	id := core.NewUUID()
	self := core.ZakenRoot + "zaken/" + id
	if err := s.AssignIdent(ctx, d, "zaak", "ZAAK"); err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.Defaults(d, core.Doc{
		"omschrijving": "", "toelichting": "", "registratiedatum": now.Format(time.DateOnly),
		"einddatumGepland": nil, "uiterlijkeEinddatumAfdoening": nil, "publicatiedatum": nil,
		"communicatiekanaal": "", "productenOfDiensten": []any{},
		"vertrouwelijkheidaanduiding": core.Str(zt, "vertrouwelijkheidaanduiding"),
		"betalingsindicatie":          "", "laatsteBetaaldatum": nil, "zaakgeometrie": nil,
		"verlenging": nil, "opschorting": core.Doc{"indicatie": false, "eerdereOpschorting": false, "reden": ""}, "selectielijstklasse": "",
		"hoofdzaak": nil, "relevanteAndereZaken": []any{}, "kenmerken": []any{}, "archiefnominatie": nil,
		"archiefstatus": "nog_te_archiveren", "archiefactiedatum": nil, "opdrachtgevendeOrganisatie": "",
		"processobjectaard": "", "startdatumBewaartermijn": nil,
		"processobject": core.Doc{"datumkenmerk": "", "identificatie": "", "objecttype": "", "registratie": ""},
		// Zaken 1.5 as Open Zaak renders it
		"communicatiekanaalNaam": "", "gerelateerdeZaken": []any{}, "laatstGeopend": nil,
	})
	if d["uiterlijkeEinddatumAfdoening"] == nil {
		d["uiterlijkeEinddatumAfdoening"] = afdoeningsdatum(core.Str(d, "startdatum"), core.Str(zt, "doorlooptijd"))
	}
	d["url"], d["uuid"] = self, id
	d["einddatum"], d["status"], d["resultaat"] = nil, nil, nil
	d["betalingsindicatieWeergave"] = betalingsindicatieWeergave(core.Str(d, "betalingsindicatie"))
	d["laatstGemuteerd"] = core.Timestamp(now)
	d["deelzaken"], d["eigenschappen"], d["rollen"] = []any{}, []any{}, []any{}
	d["zaakinformatieobjecten"], d["zaakobjecten"] = []any{}, []any{}

	if err := s.DB.Insert(ctx, "zaak", id, core.Str(d, "zaaktype"), core.Str(d, "identificatie"), d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "zrc", self, "zaak", self, "create", core.Str(d, "identificatie"), nil, d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if s.Cfg.SetsInitialStatus {
		if err := s.setInitialStatus(r, d, zt); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", core.Base(r)+self)
	core.Render(w, r, http.StatusCreated, d)
}

// setInitialStatus behaves like the zaaksystemen that set the first status themselves.
func (s *API) setInitialStatus(r *http.Request, zaak, zt core.Doc) error {
	sts, err := s.DB.Query(r.Context(), "statustype", core.Str(zt, "url"), "")
	if err != nil || len(sts) == 0 {
		return err
	}
	first := sts[0]
	for _, d := range sts {
		if core.Num(d, "volgnummer") < core.Num(first, "volgnummer") {
			first = d
		}
	}
	_, err = s.storeStatus(r, zaak, core.Doc{"zaak": core.Str(zaak, "url"), "statustype": core.Str(first, "url"),
		"datumStatusGezet": core.Timestamp(s.Now()), "statustoelichting": "Gezet door het zaaksysteem"}, nil)
	return err
}

func (s *API) listZaken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := core.Base(r)
	all, err := s.DB.Query(r.Context(), "zaak", core.Local(q.Get("zaaktype"), origin), q.Get("identificatie"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	var out []core.Doc
	for _, d := range all {
		if b := q.Get("bronorganisatie"); b != "" && core.Str(d, "bronorganisatie") != b {
			continue
		}
		if sd := q.Get("startdatum"); sd != "" && core.Str(d, "startdatum") != sd {
			continue
		}
		if !s.Readable(r, "zaak", d) {
			continue // a list shows only the zaken the client may read
		}
		out = append(out, d)
	}
	s.RenderPage(w, r, out)
}

func (s *API) createStatus(w http.ResponseWriter, r *http.Request) {
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "zaak", "statustype", "datumStatusGezet")
	zaak := s.Resource(r, v, d, "zaak", "zaak", core.ZakenRoot+"zaken/")
	st := s.Resource(r, v, d, "statustype", "statustype", core.CatalogiRoot+"statustypen/")
	if st != nil {
		var err error
		if st, err = s.catalogi.View(r.Context(), "statustype", st); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	var when time.Time
	if raw := core.Str(d, "datumStatusGezet"); raw != "" {
		t, err := core.DateTime(raw)
		switch {
		case err != nil:
			v.Add("datumStatusGezet", "invalid", "Datetime heeft een ongeldig formaat.")
		case t.After(s.Now().Add(s.Cfg.Leeway)):
			v.Add("datumStatusGezet", "date-in-future", "Deze datum mag niet in de toekomst zijn.")
		default:
			d["datumStatusGezet"] = t.UTC().Format(time.RFC3339Nano) // answered with its zone
		}
		when = t
	}
	if zaak != nil && st != nil && core.Str(st, "zaaktype") != core.Str(zaak, "zaaktype") {
		v.Add("nonFieldErrors", "zaaktype-mismatch", "Het statustype hoort niet bij het zaaktype van de zaak.")
	}
	var closing *closure
	if zaak != nil && st != nil && core.Boolean(st, "isEindstatus") && !v.Failed() {
		end := when.UTC().Truncate(24 * time.Hour)
		closing = &closure{einddatum: end, archive: s.checkClosable(r, v, zaak, end)}
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if s.RefusedStatus(w, r, zaak) {
		return
	}
	out, err := s.storeStatus(r, zaak, d, closing)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+core.Str(out, "url"))
	core.Render(w, r, http.StatusCreated, out)
}

// closure is what an eindstatus does to its zaak: the einddatum, and the archive fields derived
// (once, when the closing is checked) from the resultaattype.
type closure struct {
	einddatum time.Time
	archive   archive.Dates
}

// checkClosable applies Open Zaak's rules for the eindstatus: a resultaat exists, the
// resultaattype's archive procedure is one that can be applied, and every informatieobject of the
// zaak has indicatieGebruiksrecht set and is not locked. It returns the archive fields derived for
// the einddatum. A zaak that lacks a fact the derivation needs (the besluit's vervaldatum, say)
// closes with its archiefactiedatum left open, as Open Zaak does since 1.24: rederiveArchive
// fills it in when the fact is recorded.
func (s *API) checkClosable(r *http.Request, v *core.Validation, zaak core.Doc, einddatum time.Time) archive.Dates {
	var dates archive.Dates
	var missing *archive.MissingError
	if zaak["resultaat"] == nil {
		v.Add("nonFieldErrors", "resultaat-does-not-exist", "De zaak heeft geen resultaat; zet eerst een resultaat voor de eindstatus.")
	} else if d, err := s.archiveOf(r.Context(), zaak, einddatum); err != nil && (s.Cfg.ArchiveDateRequired || !errors.As(err, &missing)) {
		v.Add("nonFieldErrors", "archiefactiedatum-error", "De archiefactiedatum kan niet bepaald worden: "+err.Error())
	} else {
		dates = d
	}
	zios, err := s.DB.Query(r.Context(), "zio", core.Str(zaak, "url"), "")
	if err != nil {
		v.Add("nonFieldErrors", "error", err.Error())
		return dates
	}
	for _, zio := range zios {
		eio, err := s.DB.Get(r.Context(), "eio", core.LastSegment(core.Str(zio, "informatieobject")))
		if err != nil {
			continue // a document in another Documenten API: not this sandbox's to check
		}
		if eio["indicatieGebruiksrecht"] == nil {
			v.Add("nonFieldErrors", "indicatiegebruiksrecht-unset",
				"Er zijn gerelateerde informatieobjecten waarvoor `indicatieGebruiksrecht` nog niet gespecifieerd is. Je moet deze zetten voor je de zaak kan afsluiten.")
			return dates
		}
		if core.Boolean(eio, "locked") {
			v.Add("nonFieldErrors", "informatieobject-locked", "Er zijn gerelateerde informatieobjecten die nog gelockt zijn.")
			return dates
		}
	}
	return dates
}

// storeStatus records a status and makes it the zaak's current one; an eindstatus (closing not
// nil) closes the zaak: einddatum, and the archive fields derived from the resultaattype.
func (s *API) storeStatus(r *http.Request, zaak, d core.Doc, closing *closure) (core.Doc, error) {
	ctx := r.Context()
	id := core.NewUUID()
	self := core.ZakenRoot + "statussen/" + id
	core.Defaults(d, core.Doc{"statustoelichting": "", "gezetdoor": nil})
	d["url"], d["uuid"], d["zaakinformatieobjecten"] = self, id, []any{}
	if err := s.DB.Insert(ctx, "status", id, core.Str(d, "zaak"), "", d); err != nil {
		return nil, err
	}
	old := core.Doc{"status": zaak["status"], "einddatum": zaak["einddatum"]}
	zaak["status"] = self
	einddatum := ""
	if closing == nil && core.Str(zaak, "einddatum") != "" {
		// A status that is not the eindstatus reopens the zaak: no einddatum, and the archive
		// fields derived at closing go with it (zrc-008).
		zaak["einddatum"], zaak["archiefactiedatum"], zaak["archiefnominatie"] = nil, nil, nil
	}
	if closing != nil {
		// Closing sets the einddatum and the archive fields (zrc-021): the nominatie when the
		// zaak has none, the actiedatum when it could be derived.
		einddatum = closing.einddatum.Format(time.DateOnly)
		zaak["einddatum"] = einddatum
		dates := closing.archive
		if core.Str(zaak, "archiefnominatie") == "" && dates.Nominatie != "" {
			zaak["archiefnominatie"] = dates.Nominatie
		}
		if dates.ActieDatum != nil && core.Str(zaak, "archiefactiedatum") == "" {
			zaak["archiefactiedatum"] = dates.ActieDatum.Format(time.DateOnly)
		}
	}
	if err := s.DB.Update(ctx, core.Str(zaak, "uuid"), zaak); err != nil {
		return nil, err
	}
	if err := s.Audit(r, "zrc", core.Str(zaak, "url"), "status", self, "create", "", nil, d); err != nil {
		return nil, err
	}
	if closing != nil {
		if err := s.Audit(r, "zrc", core.Str(zaak, "url"), "zaak", core.Str(zaak, "url"), "partial_update", core.Str(zaak, "identificatie"), old,
			core.Doc{"status": self, "einddatum": einddatum}); err != nil {
			return nil, err
		}
	}
	d["indicatieLaatstGezetteStatus"] = true
	return d, nil
}

func (s *API) createZIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "zaak", "informatieobject")
	v.MaxLen(d, "titel", 200)
	zaak := s.Resource(r, v, d, "zaak", "zaak", core.ZakenRoot+"zaken/")
	eio := s.Resource(r, v, d, "informatieobject", "eio", core.DocumentenRoot+"enkelvoudiginformatieobjecten/")
	if zaak != nil && eio != nil {
		zt, err := s.catalogi.CatalogType(ctx, "zaaktype", core.LastSegment(core.Str(zaak, "zaaktype")))
		if err != nil || !slices.Contains(core.Strs(zt, "informatieobjecttypen"), core.Str(eio, "informatieobjecttype")) {
			v.Add("nonFieldErrors", "missing-zaaktype-informatieobjecttype-relation",
				"Het informatieobjecttype hoort niet bij het zaaktype van de zaak.")
		}
		existing, err := s.DB.Query(ctx, "zio", core.Str(zaak, "url"), "")
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		for _, x := range existing {
			if core.Str(x, "informatieobject") == core.Str(eio, "url") {
				v.Add("nonFieldErrors", "unique", "De velden zaak, informatieobject moeten een unieke set zijn.")
				break
			}
		}
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if s.RefusedOnClosed(w, r, zaak) {
		return
	}
	id := core.NewUUID()
	self := core.ZakenRoot + "zaakinformatieobjecten/" + id
	core.Defaults(d, core.Doc{"titel": "", "beschrijving": "", "vernietigingsdatum": nil, "status": nil})
	d["url"], d["uuid"] = self, id
	d["aardRelatieWeergave"] = "Hoort bij, omgekeerd: kent"
	d["registratiedatum"] = core.Timestamp(s.Now())
	if err := s.DB.Insert(ctx, "zio", id, core.Str(d, "zaak"), "", d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	// The Zaken API mirrors the relation into the Documenten API.
	if err := s.documenten.MirrorLink(ctx, "zaak", core.Str(zaak, "url"), core.Str(eio, "url")); err != nil {
		core.WriteError(w, r, err)
		return
	}
	s.partCreated(w, r, zaak, "zaakinformatieobjecten", "zaakinformatieobject", self, core.Str(d, "titel"), d)
}

var betrokkeneTypes = []string{"natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid", "medewerker"}

func (s *API) createRol(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "zaak", "betrokkeneType", "roltype", "roltoelichting")
	v.OneOf(d, "betrokkeneType", betrokkeneTypes...)
	zaak := s.Resource(r, v, d, "zaak", "zaak", core.ZakenRoot+"zaken/")
	rt := s.Resource(r, v, d, "roltype", "roltype", core.CatalogiRoot+"roltypen/")
	if zaak != nil && rt != nil && core.Str(rt, "zaaktype") != core.Str(zaak, "zaaktype") {
		v.Add("nonFieldErrors", "zaaktype-mismatch", "Het roltype hoort niet bij het zaaktype van de zaak.")
	}
	if core.Str(d, "betrokkene") == "" && d["betrokkeneIdentificatie"] == nil {
		v.Add("nonFieldErrors", "invalid-betrokkene", "betrokkene of betrokkeneIdentificatie is vereist.")
	}
	checkBetrokkene(v, d)
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if s.RefusedOnClosed(w, r, zaak) {
		return
	}
	id := core.NewUUID()
	self := core.ZakenRoot + "rollen/" + id
	core.Defaults(d, core.Doc{"betrokkene": "", "afwijkendeNaamBetrokkene": "", "indicatieMachtiging": ""})
	renderedRol(d)
	d["url"], d["uuid"] = self, id
	d["omschrijving"], d["omschrijvingGeneriek"] = rt["omschrijving"], rt["omschrijvingGeneriek"]
	d["registratiedatum"], d["statussen"] = core.Timestamp(s.Now()), []any{}
	if err := s.DB.Insert(ctx, "rol", id, core.Str(d, "zaak"), "", d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	s.partCreated(w, r, zaak, "rollen", "rol", self, core.Str(d, "roltoelichting"), d)
}

// partCreated finishes the creation of a part of a zaak (self, stored as d): the zaak lists it in
// field, the creation is audited under the zaak, and the part is answered 201 with its Location.
func (s *API) partCreated(w http.ResponseWriter, r *http.Request, zaak core.Doc, field, resource, self, weergave string, d core.Doc) {
	zaak[field] = append(core.AnyList(zaak[field]), self)
	if err := s.DB.Update(r.Context(), core.Str(zaak, "uuid"), zaak); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "zrc", core.Str(zaak, "url"), resource, self, "create", weergave, nil, d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+self)
	core.Render(w, r, http.StatusCreated, d)
}

// afdoeningsdatum is the zaak's uiterlijkeEinddatumAfdoening as Open Zaak derives it when none is
// given: its startdatum plus the zaaktype's doorlooptijd; nil when either is missing.
func afdoeningsdatum(startdatum, doorlooptijd string) any {
	start, err := time.Parse(time.DateOnly, startdatum)
	if err != nil {
		return nil
	}
	d, err := duration.Parse(doorlooptijd)
	if err != nil {
		return nil
	}
	return start.AddDate(int(d.Years), int(d.Months), int(d.Weeks)*7+int(d.Days)).Format(time.DateOnly)
}

// betalingsindicatieWeergave is the label Open Zaak shows for a betalingsindicatie (it marks the
// payment states deprecated in its labels, as recorded).
func betalingsindicatieWeergave(code string) string {
	return map[string]string{
		"nvt":          "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
		"nog_niet":     "**DEPRECATED** De met de zaak gemoeide kosten zijn (nog) niet betaald.",
		"gedeeltelijk": "**DEPRECATED** De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
		"geheel":       "**DEPRECATED** De met de zaak gemoeide kosten zijn geheel betaald.",
	}[code]
}
