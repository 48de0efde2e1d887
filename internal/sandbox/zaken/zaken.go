package zaken

import (
	"context"
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
	mux.HandleFunc("DELETE "+core.ZakenRoot+"zaakinformatieobjecten/{uuid}", s.Write(s.GuardClosed("zio", s.documenten.DeleteLink("zio", "zrc", "zaak", "zaakinformatieobject",
		func(ctx context.Context, zio core.Doc) error { // the zaak lists its links
			return s.detachPart(ctx, core.Str(zio, "zaak"), "zaakinformatieobjecten", core.Str(zio, "url"))
		}))))

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
	core.Fits[Zaak](v, d)
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	z, err := core.As[Zaak](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	now := s.Now()
	z.UUID = core.NewUUID()
	z.URL = core.ZakenRoot + "zaken/" + z.UUID
	if z.Identificatie == "" {
		if z.Identificatie, err = s.NextIdent(ctx, "zaak", "ZAAK"); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if z.Registratiedatum == "" {
		z.Registratiedatum = now.Format(time.DateOnly)
	}
	if z.Vertrouwelijkheidaanduiding == "" {
		z.Vertrouwelijkheidaanduiding = core.Str(zt, "vertrouwelijkheidaanduiding")
	}
	if z.UiterlijkeEinddatumAfdoening == nil {
		z.UiterlijkeEinddatumAfdoening = afdoeningsdatum(z.Startdatum, core.Str(zt, "doorlooptijd"))
	}
	if z.Archiefstatus == "" {
		z.Archiefstatus = "nog_te_archiveren"
	}
	// Open Zaak keeps these in columns of the zaak: never null.
	if z.Opschorting == nil {
		z.Opschorting = &Opschorting{}
	}
	if z.Processobject == nil {
		z.Processobject = &Processobject{}
	}
	// What only the Zaken API sets.
	z.Einddatum, z.Status, z.Resultaat = nil, nil, nil
	z.Deelzaken, z.Eigenschappen, z.Rollen, z.Zaakinformatieobjecten, z.Zaakobjecten = nil, nil, nil, nil, nil
	z.BetalingsindicatieWeergave = betalingsindicatieWeergave(z.Betalingsindicatie)
	z.LaatstGemuteerd = core.Timestamp(now)
	core.EmptyLists(&z)
	if err := s.DB.Insert(ctx, "zaak", z.UUID, z.Zaaktype, z.Identificatie, z); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "zrc", z.URL, "zaak", z.URL, "create", z.Identificatie, nil, core.DocOf(z)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if s.Cfg.SetsInitialStatus {
		if err := s.setInitialStatus(r, z.URL, zt); err != nil {
			core.WriteError(w, r, err)
			return
		}
		if z, err = s.zaakAt(ctx, z.URL); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", core.Base(r)+z.URL)
	core.Render(w, r, http.StatusCreated, z)
}

// setInitialStatus behaves like the zaaksystemen that set the first status themselves.
func (s *API) setInitialStatus(r *http.Request, zaak string, zt core.Doc) error {
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
	_, err = s.storeStatus(r, Status{Zaak: zaak, Statustype: core.Str(first, "url"),
		DatumStatusGezet: core.Timestamp(s.Now()), Statustoelichting: "Gezet door het zaaksysteem"}, nil)
	return err
}

func (s *API) listZaken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := core.Base(r)
	all, err := core.QueryAs[Zaak](r.Context(), s.DB, "zaak", core.Local(q.Get("zaaktype"), origin), q.Get("identificatie"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	bron, start := q.Get("bronorganisatie"), q.Get("startdatum")
	out := slices.DeleteFunc(all, func(z Zaak) bool {
		return bron != "" && z.Bronorganisatie != bron || start != "" && z.Startdatum != start ||
			!s.Readable(r, "zaak", core.DocOf(z)) // a list shows only the zaken the client may read
	})
	core.RenderPageOf(s.Server, w, r, out)
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
	core.Fits[Status](v, d)
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
	status, err := core.As[Status](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	out, err := s.storeStatus(r, status, closing)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+out.URL)
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
func (s *API) storeStatus(r *http.Request, st Status, closing *closure) (Status, error) {
	ctx := r.Context()
	st.UUID = core.NewUUID()
	st.URL = core.ZakenRoot + "statussen/" + st.UUID
	st.Zaakinformatieobjecten = []string{}
	if err := s.DB.Insert(ctx, "status", st.UUID, st.Zaak, "", st); err != nil {
		return st, err
	}
	var old core.Doc
	einddatum := ""
	zaak, err := s.changeZaak(ctx, st.Zaak, func(z *Zaak) {
		old = core.DocOf(map[string]*string{"status": z.Status, "einddatum": z.Einddatum})
		z.Status = &st.URL
		if closing == nil && z.Einddatum != nil {
			// A status that is not the eindstatus reopens the zaak: no einddatum, and the archive
			// fields derived at closing go with it (zrc-008).
			z.Einddatum, z.Archiefactiedatum, z.Archiefnominatie = nil, nil, nil
		}
		if closing != nil {
			// Closing sets the einddatum and the archive fields (zrc-021): the nominatie when the
			// zaak has none, the actiedatum when it could be derived.
			einddatum = closing.einddatum.Format(time.DateOnly)
			z.Einddatum = &einddatum
			if dates := closing.archive; unset(z.Archiefnominatie) && dates.Nominatie != "" {
				z.Archiefnominatie = &dates.Nominatie
			}
			if at := closing.archive.ActieDatum; at != nil && unset(z.Archiefactiedatum) {
				z.Archiefactiedatum = new(at.Format(time.DateOnly))
			}
		}
	})
	if err != nil {
		return st, err
	}
	if err := s.Audit(r, "zrc", zaak.URL, "status", st.URL, "create", "", nil, core.DocOf(st)); err != nil {
		return st, err
	}
	if closing != nil {
		if err := s.Audit(r, "zrc", zaak.URL, "zaak", zaak.URL, "partial_update", zaak.Identificatie, old,
			core.Doc{"status": st.URL, "einddatum": einddatum}); err != nil {
			return st, err
		}
	}
	st.IndicatieLaatstGezetteStatus = true
	return st, nil
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
	core.Fits[ZaakInformatieObject](v, d)
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
	zio, err := core.As[ZaakInformatieObject](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	zio.UUID = core.NewUUID()
	zio.URL = core.ZakenRoot + "zaakinformatieobjecten/" + zio.UUID
	zio.AardRelatieWeergave = "Hoort bij, omgekeerd: kent"
	zio.Registratiedatum = core.Timestamp(s.Now())
	if err := s.DB.Insert(ctx, "zio", zio.UUID, zio.Zaak, "", zio); err != nil {
		core.WriteError(w, r, err)
		return
	}
	// The Zaken API mirrors the relation into the Documenten API.
	if err := s.documenten.MirrorLink(ctx, "zaak", zio.Zaak, zio.Informatieobject); err != nil {
		core.WriteError(w, r, err)
		return
	}
	s.partCreated(w, r, zio.Zaak, "zaakinformatieobjecten", "zaakinformatieobject", zio.URL, zio.Titel, zio)
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
	core.Fits[Rol](v, d)
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if s.RefusedOnClosed(w, r, zaak) {
		return
	}
	renderedRol(d)
	rol, err := core.As[Rol](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	rol.UUID = core.NewUUID()
	rol.URL = core.ZakenRoot + "rollen/" + rol.UUID
	rol.Omschrijving, rol.OmschrijvingGeneriek = core.Str(rt, "omschrijving"), core.Str(rt, "omschrijvingGeneriek")
	rol.Registratiedatum, rol.Statussen = core.Timestamp(s.Now()), []string{}
	if err := s.DB.Insert(ctx, "rol", rol.UUID, rol.Zaak, "", rol); err != nil {
		core.WriteError(w, r, err)
		return
	}
	s.partCreated(w, r, rol.Zaak, "rollen", "rol", rol.URL, rol.Roltoelichting, rol)
}

// partCreated finishes the creation of a part of a zaak (self, stored as part): the zaak lists it
// in field, the creation is audited under the zaak, and the part is answered 201 with its
// Location.
func (s *API) partCreated(w http.ResponseWriter, r *http.Request, zaak, field, resource, self, weergave string, part any) {
	if _, err := s.changeZaak(r.Context(), zaak, func(z *Zaak) { z.attach(field, self) }); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "zrc", zaak, resource, self, "create", weergave, nil, core.DocOf(part)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+self)
	core.Render(w, r, http.StatusCreated, part)
}

// afdoeningsdatum is the zaak's uiterlijkeEinddatumAfdoening as Open Zaak derives it when none is
// given: its startdatum plus the zaaktype's doorlooptijd; nil when either is missing.
func afdoeningsdatum(startdatum, doorlooptijd string) *string {
	start, err := time.Parse(time.DateOnly, startdatum)
	if err != nil {
		return nil
	}
	d, err := duration.Parse(doorlooptijd)
	if err != nil {
		return nil
	}
	return new(start.AddDate(int(d.Years), int(d.Months), int(d.Weeks)*7+int(d.Days)).Format(time.DateOnly))
}

// unset reports whether an optional text has no value (null or "").
func unset(s *string) bool { return s == nil || *s == "" }

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
