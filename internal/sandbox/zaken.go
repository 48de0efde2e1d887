package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/sosodev/duration"

	"github.com/gemeenten/meta-bezwaar-connector/internal/archive"
)

func (s *Server) zakenRoutes(mux *http.ServeMux) {
	mux.Handle("POST "+zakenRoot+"zaken", s.requireCrs(s.write(s.createZaak)))
	mux.Handle("GET "+zakenRoot+"zaken", s.requireCrs(http.HandlerFunc(s.listZaken)))
	mux.Handle("GET "+zakenRoot+"zaken/{uuid}", s.requireCrs(http.HandlerFunc(s.getZaak)))
	mux.Handle("PUT "+zakenRoot+"zaken/{uuid}", s.requireCrs(s.write(s.updateZaak(false))))
	mux.Handle("PATCH "+zakenRoot+"zaken/{uuid}", s.requireCrs(s.write(s.updateZaak(true))))
	mux.Handle("DELETE "+zakenRoot+"zaken/{uuid}", s.requireCrs(s.write(s.deleteZaak)))
	mux.HandleFunc("GET "+zakenRoot+"zaken/{uuid}/audittrail", s.auditTrail("zaak", zakenRoot+"zaken/"))

	mux.HandleFunc("POST "+zakenRoot+"statussen", s.write(s.createStatus))
	mux.HandleFunc("GET "+zakenRoot+"statussen", s.listBy("status", "zaak", true, "statustype"))
	mux.HandleFunc("GET "+zakenRoot+"statussen/{uuid}", s.getHandler("status"))

	mux.HandleFunc("POST "+zakenRoot+"resultaten", s.write(s.createZaakPart(resultaatPart)))
	mux.HandleFunc("GET "+zakenRoot+"resultaten", s.listBy("resultaat", "zaak", true, "resultaattype"))
	mux.HandleFunc("GET "+zakenRoot+"resultaten/{uuid}", s.getHandler("resultaat"))
	mux.HandleFunc("PUT "+zakenRoot+"resultaten/{uuid}", s.write(s.updateResultaat(false)))
	mux.HandleFunc("PATCH "+zakenRoot+"resultaten/{uuid}", s.write(s.updateResultaat(true)))
	mux.HandleFunc("DELETE "+zakenRoot+"resultaten/{uuid}", s.write(s.guardClosed("resultaat", s.deleteZaakPart("resultaat", "resultaat", "resultaat"))))

	mux.HandleFunc("POST "+zakenRoot+"zaakinformatieobjecten", s.write(s.createZIO))
	mux.HandleFunc("GET "+zakenRoot+"zaakinformatieobjecten", s.listBy("zio", "zaak", false, "informatieobject"))
	mux.HandleFunc("GET "+zakenRoot+"zaakinformatieobjecten/{uuid}", s.getHandler("zio"))
	mux.HandleFunc("PUT "+zakenRoot+"zaakinformatieobjecten/{uuid}", s.write(s.updateZIO(false)))
	mux.HandleFunc("PATCH "+zakenRoot+"zaakinformatieobjecten/{uuid}", s.write(s.updateZIO(true)))
	mux.HandleFunc("DELETE "+zakenRoot+"zaakinformatieobjecten/{uuid}", s.write(s.guardClosed("zio", s.deleteLink("zio", "zrc", "zaak", "zaakinformatieobject"))))

	mux.HandleFunc("POST "+zakenRoot+"rollen", s.write(s.createRol))
	mux.HandleFunc("GET "+zakenRoot+"rollen", s.listBy("rol", "zaak", true, "roltype"))
	mux.HandleFunc("GET "+zakenRoot+"rollen/{uuid}", s.getHandler("rol"))
	mux.HandleFunc("DELETE "+zakenRoot+"rollen/{uuid}", s.write(s.guardClosed("rol", s.deleteZaakPart("rol", "rol", "rollen"))))
}

// requireCrs answers 412 without the CRS headers, as Open Zaak does on zaak endpoints.
func (s *Server) requireCrs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Crs") == "" {
			writeProblem(w, r, http.StatusPreconditionFailed, "precondition_failed", "Precondition failed",
				"'Accept-Crs' header ontbreekt", nil)
			return
		}
		if c := r.Header.Get("Accept-Crs"); c != "EPSG:4326" {
			writeProblem(w, r, http.StatusNotAcceptable, "not_acceptable", "CRS niet ondersteund", "CRS "+c+" wordt niet ondersteund", nil)
			return
		}
		w.Header().Set("Content-Crs", "EPSG:4326")
		next.ServeHTTP(w, r)
	})
}

// validZaak checks a zaak as it is to be stored (created, or after an update), and returns its
// zaaktype.
func (s *Server) validZaak(r *http.Request, d doc) (*validation, doc) {
	v := &validation{}
	v.required(d, "bronorganisatie", "verantwoordelijkeOrganisatie", "zaaktype", "startdatum")
	v.rsin(d, "bronorganisatie")
	v.rsin(d, "verantwoordelijkeOrganisatie")
	v.date(d, "startdatum")
	v.date(d, "uiterlijkeEinddatumAfdoening")
	v.date(d, "registratiedatum")
	v.maxLen(d, "omschrijving", 80)
	v.maxLen(d, "toelichting", 1000)
	v.maxLen(d, "identificatie", 40)
	v.oneOf(d, "vertrouwelijkheidaanduiding", vertrouwelijkheden...)
	zt := s.resource(r, v, d, "zaaktype", "zaaktype", catalogiRoot+"zaaktypen/")
	if zt != nil && boolean(zt, "concept") && !s.cfg.AcceptConceptZaaktypen {
		v.add("zaaktype", "not-published", "Het ZAAKTYPE is nog niet gepubliceerd.")
	}
	if ks, ok := d["kenmerken"].([]any); ok {
		for i, k := range ks {
			km, _ := k.(map[string]any)
			if str(km, "kenmerk") == "" || str(km, "bron") == "" {
				v.add(fmt.Sprintf("kenmerken.%d", i), "required", "kenmerk en bron zijn vereist.")
			}
		}
	}
	s.validZaakRelations(r, v, d, zt)
	return v, zt
}

func (s *Server) createZaak(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v, zt := s.validZaak(r, d)
	if zt != nil && !grantOf(r).may("zrc", []string{"zaken.aanmaken"}, str(zt, "url"),
		firstOf(str(d, "vertrouwelijkheidaanduiding"), str(zt, "vertrouwelijkheidaanduiding"))) {
		forbidden(w, r, "De applicatie heeft de scope zaken.aanmaken niet voor dit zaaktype en deze vertrouwelijkheid.")
		return
	}
	s.uniqueIdent(ctx, v, d, "zaak", "bronorganisatie")
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}

	now := s.now()
	id := newUUID()
	self := zakenRoot + "zaken/" + id
	if err := s.assignIdent(ctx, d, "zaak", "ZAAK"); err != nil {
		writeError(w, r, err)
		return
	}
	defaults(d, doc{
		"omschrijving": "", "toelichting": "", "registratiedatum": now.Format(time.DateOnly),
		"einddatumGepland": nil, "uiterlijkeEinddatumAfdoening": nil, "publicatiedatum": nil,
		"communicatiekanaal": "", "productenOfDiensten": []any{},
		"vertrouwelijkheidaanduiding": str(zt, "vertrouwelijkheidaanduiding"),
		"betalingsindicatie":          "", "laatsteBetaaldatum": nil, "zaakgeometrie": nil,
		"verlenging": nil, "opschorting": doc{"indicatie": false, "eerdereOpschorting": false, "reden": ""}, "selectielijstklasse": "",
		"hoofdzaak": nil, "relevanteAndereZaken": []any{}, "kenmerken": []any{}, "archiefnominatie": nil,
		"archiefstatus": "nog_te_archiveren", "archiefactiedatum": nil, "opdrachtgevendeOrganisatie": "",
		"processobjectaard": "", "startdatumBewaartermijn": nil,
		"processobject": doc{"datumkenmerk": "", "identificatie": "", "objecttype": "", "registratie": ""},
		// Zaken 1.5 as Open Zaak renders it
		"communicatiekanaalNaam": "", "gerelateerdeZaken": []any{}, "laatstGeopend": nil,
	})
	if d["uiterlijkeEinddatumAfdoening"] == nil {
		d["uiterlijkeEinddatumAfdoening"] = afdoeningsdatum(str(d, "startdatum"), str(zt, "doorlooptijd"))
	}
	d["url"], d["uuid"] = self, id
	d["einddatum"], d["status"], d["resultaat"] = nil, nil, nil
	d["betalingsindicatieWeergave"] = betalingsindicatieWeergave(str(d, "betalingsindicatie"))
	d["laatstGemuteerd"] = timestamp(now)
	d["deelzaken"], d["eigenschappen"], d["rollen"] = []any{}, []any{}, []any{}
	d["zaakinformatieobjecten"], d["zaakobjecten"] = []any{}, []any{}

	if err := s.db.insert(ctx, "zaak", id, str(d, "zaaktype"), str(d, "identificatie"), d); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "zrc", self, "zaak", self, "create", str(d, "identificatie"), nil, d); err != nil {
		writeError(w, r, err)
		return
	}
	if s.cfg.SetsInitialStatus {
		if err := s.setInitialStatus(r, d, zt); err != nil {
			writeError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", base(r)+self)
	render(w, r, http.StatusCreated, d)
}

// setInitialStatus behaves like the zaaksystemen that set the first status themselves.
func (s *Server) setInitialStatus(r *http.Request, zaak, zt doc) error {
	sts, err := s.db.query(r.Context(), "statustype", str(zt, "url"), "")
	if err != nil || len(sts) == 0 {
		return err
	}
	first := sts[0]
	for _, d := range sts {
		if num(d, "volgnummer") < num(first, "volgnummer") {
			first = d
		}
	}
	_, err = s.storeStatus(r, zaak, doc{"zaak": str(zaak, "url"), "statustype": str(first, "url"),
		"datumStatusGezet": timestamp(s.now()), "statustoelichting": "Gezet door het zaaksysteem"}, nil)
	return err
}

func (s *Server) listZaken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	origin := base(r)
	all, err := s.db.query(r.Context(), "zaak", local(q.Get("zaaktype"), origin), q.Get("identificatie"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var out []doc
	for _, d := range all {
		if b := q.Get("bronorganisatie"); b != "" && str(d, "bronorganisatie") != b {
			continue
		}
		if sd := q.Get("startdatum"); sd != "" && str(d, "startdatum") != sd {
			continue
		}
		if !s.readable(r, "zaak", d) {
			continue // a list shows only the zaken the client may read
		}
		out = append(out, d)
	}
	s.renderPage(w, r, out)
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "zaak", "statustype", "datumStatusGezet")
	zaak := s.resource(r, v, d, "zaak", "zaak", zakenRoot+"zaken/")
	st := s.resource(r, v, d, "statustype", "statustype", catalogiRoot+"statustypen/")
	if st != nil {
		var err error
		if st, err = s.view(r.Context(), "statustype", st); err != nil {
			writeError(w, r, err)
			return
		}
	}
	var when time.Time
	if raw := str(d, "datumStatusGezet"); raw != "" {
		t, err := dateTime(raw)
		switch {
		case err != nil:
			v.add("datumStatusGezet", "invalid", "Datetime heeft een ongeldig formaat.")
		case t.After(s.now().Add(s.cfg.Leeway)):
			v.add("datumStatusGezet", "date-in-future", "Deze datum mag niet in de toekomst zijn.")
		default:
			d["datumStatusGezet"] = t.UTC().Format(time.RFC3339Nano) // answered with its zone
		}
		when = t
	}
	if zaak != nil && st != nil && str(st, "zaaktype") != str(zaak, "zaaktype") {
		v.add("nonFieldErrors", "zaaktype-mismatch", "Het statustype hoort niet bij het zaaktype van de zaak.")
	}
	var closing *closure
	if zaak != nil && st != nil && boolean(st, "isEindstatus") && !v.failed() {
		end := when.UTC().Truncate(24 * time.Hour)
		closing = &closure{einddatum: end, archive: s.checkClosable(r, v, zaak, end)}
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	if s.refusedStatus(w, r, zaak) {
		return
	}
	out, err := s.storeStatus(r, zaak, d, closing)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(out, "url"))
	render(w, r, http.StatusCreated, out)
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
func (s *Server) checkClosable(r *http.Request, v *validation, zaak doc, einddatum time.Time) archive.Dates {
	var dates archive.Dates
	var missing *archive.MissingError
	if zaak["resultaat"] == nil {
		v.add("nonFieldErrors", "resultaat-does-not-exist", "De zaak heeft geen resultaat; zet eerst een resultaat voor de eindstatus.")
	} else if d, err := s.archiveOf(r.Context(), zaak, einddatum); err != nil && (s.cfg.ArchiveDateRequired || !errors.As(err, &missing)) {
		v.add("nonFieldErrors", "archiefactiedatum-error", "De archiefactiedatum kan niet bepaald worden: "+err.Error())
	} else {
		dates = d
	}
	zios, err := s.db.query(r.Context(), "zio", str(zaak, "url"), "")
	if err != nil {
		v.add("nonFieldErrors", "error", err.Error())
		return dates
	}
	for _, zio := range zios {
		eio, err := s.db.get(r.Context(), "eio", lastSegment(str(zio, "informatieobject")))
		if err != nil {
			continue // a document in another Documenten API: not this sandbox's to check
		}
		if eio["indicatieGebruiksrecht"] == nil {
			v.add("nonFieldErrors", "indicatiegebruiksrecht-unset",
				"Er zijn gerelateerde informatieobjecten waarvoor `indicatieGebruiksrecht` nog niet gespecifieerd is. Je moet deze zetten voor je de zaak kan afsluiten.")
			return dates
		}
		if boolean(eio, "locked") {
			v.add("nonFieldErrors", "informatieobject-locked", "Er zijn gerelateerde informatieobjecten die nog gelockt zijn.")
			return dates
		}
	}
	return dates
}

// storeStatus records a status and makes it the zaak's current one; an eindstatus (closing not
// nil) closes the zaak: einddatum, and the archive fields derived from the resultaattype.
func (s *Server) storeStatus(r *http.Request, zaak, d doc, closing *closure) (doc, error) {
	ctx := r.Context()
	id := newUUID()
	self := zakenRoot + "statussen/" + id
	defaults(d, doc{"statustoelichting": "", "gezetdoor": nil})
	d["url"], d["uuid"], d["zaakinformatieobjecten"] = self, id, []any{}
	if err := s.db.insert(ctx, "status", id, str(d, "zaak"), "", d); err != nil {
		return nil, err
	}
	old := doc{"status": zaak["status"], "einddatum": zaak["einddatum"]}
	zaak["status"] = self
	einddatum := ""
	if closing == nil && str(zaak, "einddatum") != "" {
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
		if str(zaak, "archiefnominatie") == "" && dates.Nominatie != "" {
			zaak["archiefnominatie"] = dates.Nominatie
		}
		if dates.ActieDatum != nil && str(zaak, "archiefactiedatum") == "" {
			zaak["archiefactiedatum"] = dates.ActieDatum.Format(time.DateOnly)
		}
	}
	if err := s.db.update(ctx, str(zaak, "uuid"), zaak); err != nil {
		return nil, err
	}
	if err := s.audit(r, "zrc", str(zaak, "url"), "status", self, "create", "", nil, d); err != nil {
		return nil, err
	}
	if closing != nil {
		if err := s.audit(r, "zrc", str(zaak, "url"), "zaak", str(zaak, "url"), "partial_update", str(zaak, "identificatie"), old,
			doc{"status": self, "einddatum": einddatum}); err != nil {
			return nil, err
		}
	}
	d["indicatieLaatstGezetteStatus"] = true
	return d, nil
}

func (s *Server) createZIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "zaak", "informatieobject")
	v.maxLen(d, "titel", 200)
	zaak := s.resource(r, v, d, "zaak", "zaak", zakenRoot+"zaken/")
	eio := s.resource(r, v, d, "informatieobject", "eio", documentenRoot+"enkelvoudiginformatieobjecten/")
	if zaak != nil && eio != nil {
		zt, err := s.catalogType(ctx, "zaaktype", lastSegment(str(zaak, "zaaktype")))
		if err != nil || !slices.Contains(strs(zt, "informatieobjecttypen"), str(eio, "informatieobjecttype")) {
			v.add("nonFieldErrors", "missing-zaaktype-informatieobjecttype-relation",
				"Het informatieobjecttype hoort niet bij het zaaktype van de zaak.")
		}
		existing, err := s.db.query(ctx, "zio", str(zaak, "url"), "")
		if err != nil {
			writeError(w, r, err)
			return
		}
		for _, x := range existing {
			if str(x, "informatieobject") == str(eio, "url") {
				v.add("nonFieldErrors", "unique", "De velden zaak, informatieobject moeten een unieke set zijn.")
				break
			}
		}
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	if s.refusedOnClosed(w, r, zaak) {
		return
	}
	id := newUUID()
	self := zakenRoot + "zaakinformatieobjecten/" + id
	defaults(d, doc{"titel": "", "beschrijving": "", "vernietigingsdatum": nil, "status": nil})
	d["url"], d["uuid"] = self, id
	d["aardRelatieWeergave"] = "Hoort bij, omgekeerd: kent"
	d["registratiedatum"] = timestamp(s.now())
	if err := s.db.insert(ctx, "zio", id, str(d, "zaak"), "", d); err != nil {
		writeError(w, r, err)
		return
	}
	// The Zaken API mirrors the relation into the Documenten API.
	if err := s.mirrorLink(ctx, "zaak", str(zaak, "url"), str(eio, "url")); err != nil {
		writeError(w, r, err)
		return
	}
	zaak["zaakinformatieobjecten"] = append(anyList(zaak["zaakinformatieobjecten"]), self)
	if err := s.db.update(ctx, str(zaak, "uuid"), zaak); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "zrc", str(zaak, "url"), "zaakinformatieobject", self, "create", str(d, "titel"), nil, d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+self)
	render(w, r, http.StatusCreated, d)
}

var betrokkeneTypes = []string{"natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid", "medewerker"}

func (s *Server) createRol(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "zaak", "betrokkeneType", "roltype", "roltoelichting")
	v.oneOf(d, "betrokkeneType", betrokkeneTypes...)
	zaak := s.resource(r, v, d, "zaak", "zaak", zakenRoot+"zaken/")
	rt := s.resource(r, v, d, "roltype", "roltype", catalogiRoot+"roltypen/")
	if zaak != nil && rt != nil && str(rt, "zaaktype") != str(zaak, "zaaktype") {
		v.add("nonFieldErrors", "zaaktype-mismatch", "Het roltype hoort niet bij het zaaktype van de zaak.")
	}
	if str(d, "betrokkene") == "" && d["betrokkeneIdentificatie"] == nil {
		v.add("nonFieldErrors", "invalid-betrokkene", "betrokkene of betrokkeneIdentificatie is vereist.")
	}
	checkBetrokkene(v, d)
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	if s.refusedOnClosed(w, r, zaak) {
		return
	}
	id := newUUID()
	self := zakenRoot + "rollen/" + id
	defaults(d, doc{"betrokkene": "", "afwijkendeNaamBetrokkene": "", "indicatieMachtiging": ""})
	renderedRol(d)
	d["url"], d["uuid"] = self, id
	d["omschrijving"], d["omschrijvingGeneriek"] = rt["omschrijving"], rt["omschrijvingGeneriek"]
	d["registratiedatum"], d["statussen"] = timestamp(s.now()), []any{}
	if err := s.db.insert(ctx, "rol", id, str(d, "zaak"), "", d); err != nil {
		writeError(w, r, err)
		return
	}
	zaak["rollen"] = append(anyList(zaak["rollen"]), self)
	if err := s.db.update(ctx, str(zaak, "uuid"), zaak); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "zrc", str(zaak, "url"), "rol", self, "create", str(d, "roltoelichting"), nil, d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+self)
	render(w, r, http.StatusCreated, d)
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
