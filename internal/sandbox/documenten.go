package sandbox

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

func (s *Server) documentenRoutes(mux *http.ServeMux) {
	eio := documentenRoot + "enkelvoudiginformatieobjecten"
	mux.HandleFunc("POST "+eio, s.write(s.createEIO))
	mux.HandleFunc("GET "+eio, s.listEIO)
	mux.HandleFunc("POST "+eio+"/_zoek", s.searchEIO)
	mux.HandleFunc("GET "+eio+"/{uuid}", s.getEIO)
	mux.HandleFunc("PATCH "+eio+"/{uuid}", s.write(s.patchEIO))
	mux.HandleFunc("PUT "+eio+"/{uuid}", s.write(s.patchEIO)) // the same rules; what a PUT leaves out keeps its value
	mux.HandleFunc("GET "+eio+"/{uuid}/download", s.download)
	mux.HandleFunc("POST "+eio+"/{uuid}/lock", s.write(s.lockEIO))
	mux.HandleFunc("POST "+eio+"/{uuid}/unlock", s.write(s.unlockEIO))
	mux.HandleFunc("GET "+eio+"/{uuid}/audittrail", s.auditTrail("eio", eio+"/"))
	mux.HandleFunc("PUT "+documentenRoot+"bestandsdelen/{uuid}", s.putPart)
	mux.HandleFunc("DELETE "+eio+"/{uuid}", s.write(s.deleteEIO))
	mux.HandleFunc("POST "+documentenRoot+"gebruiksrechten", s.write(s.createGebruiksrecht))
	mux.HandleFunc("GET "+documentenRoot+"gebruiksrechten", s.listBy("gebruiksrecht", "informatieobject", false, ""))
	mux.HandleFunc("GET "+documentenRoot+"gebruiksrechten/{uuid}", s.getHandler("gebruiksrecht"))
	mux.HandleFunc("DELETE "+documentenRoot+"gebruiksrechten/{uuid}", s.write(s.deleteGebruiksrecht))
	mux.HandleFunc("GET "+documentenRoot+"objectinformatieobjecten", s.listBy("oio", "informatieobject", false, "object"))
	mux.HandleFunc("POST "+documentenRoot+"objectinformatieobjecten", s.write(s.createOIO))
	mux.HandleFunc("GET "+documentenRoot+"objectinformatieobjecten/{uuid}", s.getHandler("oio"))
	mux.HandleFunc("DELETE "+documentenRoot+"objectinformatieobjecten/{uuid}", s.write(s.deleteOIO))
}

// taal checks a document's language: an ISO 639-2/B code of three letters, in either case, as
// Open Zaak takes it ("ENG" as well as "eng").
func (v *validation) taal(d doc) {
	t, sent := d["taal"].(string)
	if !sent || t == "" {
		return
	}
	for _, c := range t {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			v.add("taal", "invalid", "Taal moet een ISO 639-2/B code van 3 letters zijn.")
			return
		}
	}
	if len(t) != 3 {
		v.add("taal", "invalid", "Taal moet een ISO 639-2/B code van 3 letters zijn.")
	}
}

func (s *Server) createEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	v.required(d, "bronorganisatie", "creatiedatum", "titel", "auteur", "taal", "informatieobjecttype")
	v.rsin(d, "bronorganisatie")
	v.date(d, "creatiedatum")
	v.date(d, "ontvangstdatum")
	v.date(d, "verzenddatum")
	v.maxLen(d, "identificatie", 40)
	v.maxLen(d, "titel", 200)
	v.maxLen(d, "auteur", 200)
	v.maxLen(d, "bestandsnaam", 255)
	v.oneOf(d, "vertrouwelijkheidaanduiding", vertrouwelijkheden...)
	v.oneOf(d, "status", "in_bewerking", "ter_vaststelling", "definitief", "gearchiveerd")
	v.taal(d)
	if st := str(d, "status"); (st == "in_bewerking" || st == "ter_vaststelling") && d["ontvangstdatum"] != nil {
		v.add("status", "invalid_for_received", "Er is een ontvangstdatum: de status kan niet in_bewerking of ter_vaststelling zijn.")
	}
	iot := s.resource(r, v, d, "informatieobjecttype", "informatieobjecttype", catalogiRoot+"informatieobjecttypen/")
	if iot != nil && boolean(iot, "concept") {
		v.add("informatieobjecttype", "not-published", "Het informatieobjecttype is niet gepubliceerd.")
	}
	if iot != nil && !grantOf(r).may("drc", []string{"documenten.aanmaken"}, str(iot, "url"),
		firstOf(str(d, "vertrouwelijkheidaanduiding"), str(iot, "vertrouwelijkheidaanduiding"))) {
		forbidden(w, r, "De applicatie heeft de scope documenten.aanmaken niet voor dit informatieobjecttype en deze vertrouwelijkheid.")
		return
	}
	if d["indicatieGebruiksrecht"] == true { // a new document has no gebruiksrechten yet (drc-006)
		v.add("indicatieGebruiksrecht", "missing-gebruiksrechten", "Er zijn nog geen gebruiksrechten; maak die eerst aan.")
	}
	v.integriteit(d)
	content, size, chunked := s.contentOf(v, d)
	s.uniqueIdent(ctx, v, d, "eio", "bronorganisatie")
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}

	now := s.now()
	id := newUUID()
	if err := s.assignIdent(ctx, d, "document", "DOCUMENT"); err != nil {
		writeError(w, r, err)
		return
	}
	defaults(d, doc{
		"vertrouwelijkheidaanduiding": str(iot, "vertrouwelijkheidaanduiding"), "status": "", "formaat": "",
		"bestandsnaam": "", "link": "", "beschrijving": "", "ontvangstdatum": nil, "verzenddatum": nil,
		"indicatieGebruiksrecht": nil, "verschijningsvorm": "", "ondertekening": nil, "integriteit": nil,
		"trefwoorden": []any{}, "inhoudIsVervallen": false,
	})
	d["url"] = documentenRoot + "enkelvoudiginformatieobjecten/" + id
	d["versie"], d["beginRegistratie"], d["locked"] = 1, timestamp(now), false
	delete(d, "inhoud")
	if err := s.setContent(ctx, id, d, content, size, chunked); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.db.insert(ctx, "eio", id, "", str(d, "identificatie"), d); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "drc", str(d, "url"), "enkelvoudiginformatieobject", str(d, "url"), "create", str(d, "titel"), nil, public(d)); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", base(r)+str(d, "url"))
	s.renderEIO(w, r, http.StatusCreated, d, true)
}

func (v *validation) integriteit(d doc) {
	raw, present := d["integriteit"]
	if !present || raw == nil {
		return
	}
	in, _ := raw.(map[string]any)
	if in == nil {
		v.add("integriteit", "invalid", "integriteit moet een object zijn.")
		return
	}
	alg := str(in, "algoritme")
	switch alg {
	case "", "crc_16", "crc_32", "crc_64", "fletcher_4", "fletcher_8", "fletcher_16", "fletcher_32", "hmac", "md5", "sha_1", "sha_256", "sha_512", "sha_3":
	default:
		v.add("integriteit.algoritme", "invalid_choice", fmt.Sprintf("%q is een ongeldige keuze.", alg))
	}
	if alg != "" && (str(in, "waarde") == "" || str(in, "datum") == "") {
		v.add("integriteit", "invalid", "waarde en datum zijn vereist bij een algoritme.")
	}
}

// renderEIO writes a document with its inhoud (download URL) and bestandsdelen; the lock only
// to whoever just obtained it (create).
func (s *Server) renderEIO(w http.ResponseWriter, r *http.Request, status int, d doc, withLock bool) {
	out, err := s.eioView(r.Context(), d, withLock)
	if err != nil {
		writeError(w, r, err)
		return
	}
	render(w, r, status, out)
}

func (s *Server) eioView(ctx context.Context, d doc, withLock bool) (doc, error) {
	out := public(d)
	// As Open Zaak: the download of this version, and none while bestandsdelen are awaited.
	out["inhoud"] = nil
	if d["bestandsomvang"] != nil {
		out["inhoud"] = fmt.Sprintf("%s/download?versie=%d", str(d, "url"), int(num(d, "versie")))
	}
	parts, err := s.db.query(ctx, "deel", lastSegment(str(d, "url")), "")
	if err != nil {
		return nil, err
	}
	lock := ""
	if withLock {
		lock = str(d, "__lock")
		out["lock"] = lock
	}
	delen := make([]any, 0, len(parts))
	for _, p := range parts {
		p["lock"] = lock
		delen = append(delen, p)
		if !boolean(p, "voltooid") {
			out["inhoud"] = nil
		}
	}
	out["bestandsdelen"] = delen
	return out, nil
}

func (s *Server) getEIO(w http.ResponseWriter, r *http.Request) {
	if d, ok := s.foundReadable(w, r, "eio"); ok {
		d["_expand"] = doc{} // as Open Zaak answers a retrieved document
		s.renderEIO(w, r, http.StatusOK, d, false)
	}
}

func (s *Server) listEIO(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all, err := s.db.query(r.Context(), "eio", "", q.Get("identificatie"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var found []doc
	for _, d := range all {
		if b := q.Get("bronorganisatie"); b == "" || str(d, "bronorganisatie") == b {
			found = append(found, d)
		}
	}
	s.renderEIOPage(w, r, found)
}

// renderEIOPage answers a page of the documents the client may read among found.
func (s *Server) renderEIOPage(w http.ResponseWriter, r *http.Request, found []doc) {
	out := make([]doc, 0, len(found))
	for _, d := range found {
		if !s.readable(r, "eio", d) {
			continue
		}
		view, err := s.eioView(r.Context(), d, false)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out = append(out, view)
	}
	s.renderPage(w, r, out)
}

// searchEIO serves POST /enkelvoudiginformatieobjecten/_zoek: the documents with the uuids of
// uuid__in (readable ones only, as a list), paginated. The VNG specification (1.5.0) spells the
// field uuid_In — its camel-casing of uuid__in — and Open Zaak uuid__in; their parsers take
// either, and so does the sandbox (both given: they must agree).
func (s *Server) searchEIO(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSON(w, r)
	if !ok {
		return
	}
	v := &validation{}
	uuids, given := body["uuid__in"], "uuid__in"
	if other, ok := body["uuid_In"]; ok {
		if uuids != nil && fmt.Sprint(uuids) != fmt.Sprint(other) {
			v.add("uuid__in", "ambiguous", "uuid__in en uuid_In verschillen.")
		}
		uuids, given = other, "uuid_In"
	}
	list, isList := uuids.([]any)
	if !isList && !v.failed() {
		v.add(given, "required", "Dit veld is vereist: een lijst van UUID's.")
	}
	var wanted []string
	for _, u := range list {
		id, _ := u.(string)
		if _, err := uuid.Parse(id); err != nil {
			v.add(given, "invalid", "Geen geldige UUID: "+fmt.Sprint(u))
			break
		}
		wanted = append(wanted, id)
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	var found []doc
	for _, id := range wanted {
		d, err := s.db.get(r.Context(), "eio", id)
		if errors.Is(err, errNotFound) {
			continue
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		found = append(found, d)
	}
	s.renderEIOPage(w, r, found)
}

func (s *Server) lockEIO(w http.ResponseWriter, r *http.Request) {
	d, err := s.db.get(r.Context(), "eio", r.PathValue("uuid"))
	if err != nil {
		writeNotFound(w, r)
		return
	}
	if boolean(d, "locked") {
		v := &validation{}
		v.add("nonFieldErrors", "existing-lock", "Het document is al gelockt.")
		writeInvalid(w, r, v)
		return
	}
	lock := strings.ReplaceAll(newUUID(), "-", "")
	d["locked"], d["__lock"] = true, lock
	if err := s.db.update(r.Context(), r.PathValue("uuid"), d); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]string{"lock": lock})
}

// checkLock answers whether the body's lock opens the document.
func checkLock(v *validation, d, body doc) {
	given := str(body, "lock")
	switch {
	case !boolean(d, "locked"):
		v.add("nonFieldErrors", "unlocked", "Het document is niet gelockt.")
	case given == "":
		v.add("lock", "required", "Dit veld is vereist.")
	case subtle.ConstantTimeCompare([]byte(given), []byte(str(d, "__lock"))) != 1:
		v.add("nonFieldErrors", "incorrect-lock-id", "Incorrect lock ID.")
	}
}

// lockedRequest reads the document and the body of a request that needs its lock (PATCH,
// unlock), and checks the lock; it answers itself when it cannot go on.
func (s *Server) lockedRequest(w http.ResponseWriter, r *http.Request) (id string, d, body doc, v *validation, ok bool) {
	id = r.PathValue("uuid")
	d, err := s.db.get(r.Context(), "eio", id)
	if err != nil {
		writeNotFound(w, r)
		return "", nil, nil, nil, false
	}
	if body, ok = readJSON(w, r); !ok {
		return "", nil, nil, nil, false
	}
	v = &validation{}
	checkLock(v, d, body)
	return id, d, body, v, true
}

// unlockEIO unlocks with the lock, or — a forced unlock, as Open Zaak allows a client with the
// scope documenten.geforceerd-unlock (the sandbox's clients have every scope) — without a body or
// lock at all.
func (s *Server) unlockEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var id string
	var d doc
	v := &validation{}
	if forced := r.ContentLength == 0; forced {
		var ok bool
		if d, ok = s.found(w, r, "eio"); !ok {
			return
		}
		id = r.PathValue("uuid")
	} else {
		var ok bool
		if id, d, _, v, ok = s.lockedRequest(w, r); !ok {
			return
		}
	}
	parts, err := s.db.query(ctx, "deel", id, "")
	if err != nil {
		writeError(w, r, err)
		return
	}
	for _, p := range parts {
		if !boolean(p, "voltooid") && !v.failed() {
			v.add("nonFieldErrors", "incomplete-upload", "Alle bestandsdelen moeten geüpload zijn voor het ontgrendelen.")
		}
	}
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	if len(parts) > 0 {
		if err := s.mergeParts(ctx, id, parts); err != nil {
			writeError(w, r, err)
			return
		}
	}
	d["locked"] = false
	delete(d, "__lock")
	if err := s.db.update(ctx, id, d); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("API-version", apiVersion(r))
	w.WriteHeader(http.StatusNoContent)
}

// patchable are the fields a PATCH may change.
var patchable = []string{"identificatie", "bronorganisatie", "creatiedatum", "titel", "vertrouwelijkheidaanduiding", "auteur", "status",
	"formaat", "taal", "bestandsnaam", "link", "beschrijving", "ontvangstdatum", "verzenddatum",
	"indicatieGebruiksrecht", "verschijningsvorm", "ondertekening", "integriteit", "trefwoorden", "inhoudIsVervallen"}

func (s *Server) patchEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, d, body, v, ok := s.lockedRequest(w, r)
	if !ok {
		return
	}
	v.date(body, "creatiedatum")
	v.date(body, "ontvangstdatum")
	v.maxLen(body, "titel", 200)
	v.taal(body)
	// bronorganisatie changes as Open Zaak changes it: a valid RSIN, under which the document's
	// identificatie is still unique.
	v.rsin(body, "bronorganisatie")
	if bron := str(body, "bronorganisatie"); bron != "" && bron != str(d, "bronorganisatie") && !v.failed() &&
		s.identTaken(ctx, "eio", "bronorganisatie", bron, firstOf(str(body, "identificatie"), str(d, "identificatie"))) {
		v.add("identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al binnen de organisatie.")
	}
	v.oneOf(body, "vertrouwelijkheidaanduiding", vertrouwelijkheden...)
	if ig, present := body["indicatieGebruiksrecht"]; present && ig != nil {
		if _, isBool := ig.(bool); !isBool {
			v.add("indicatieGebruiksrecht", "invalid", "Moet een boolean of null zijn.")
		}
	}
	// As Open Zaak: true only for a document that has gebruiksrechten (they set it themselves).
	if body["indicatieGebruiksrecht"] == true {
		if rights, err := s.db.query(ctx, "gebruiksrecht", str(d, "url"), ""); err == nil && len(rights) == 0 {
			v.add("indicatieGebruiksrecht", "missing-gebruiksrechten", "Er zijn nog geen gebruiksrechten; maak die eerst aan.")
		}
	}
	v.integriteit(body)
	// A received document (ontvangstdatum) is not in the making (drc-005).
	status, ontvangen := str(body, "status"), body["ontvangstdatum"]
	if _, sent := body["status"]; !sent {
		status = str(d, "status")
	}
	if _, sent := body["ontvangstdatum"]; !sent {
		ontvangen = d["ontvangstdatum"]
	}
	if (status == "in_bewerking" || status == "ter_vaststelling") && ontvangen != nil && ontvangen != "" {
		v.add("status", "invalid_for_received", "De status "+status+" is niet toegestaan voor een ontvangen document.")
	}
	content, size, chunked := s.contentOf(v, body)
	if v.failed() {
		writeInvalid(w, r, v)
		return
	}
	old := doc{}
	changed := doc{}
	for _, f := range patchable {
		if x, present := body[f]; present {
			old[f], d[f], changed[f] = d[f], x, x
		}
	}
	if content != nil || chunked {
		lock := d["__lock"]
		if err := s.setContent(ctx, id, d, content, size, chunked); err != nil {
			writeError(w, r, err)
			return
		}
		d["__lock"], d["locked"] = lock, true // the caller still holds its lock
	}
	d["versie"] = num(d, "versie") + 1
	d["beginRegistratie"] = timestamp(s.now())
	if err := s.db.update(ctx, id, d); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.audit(r, "drc", str(d, "url"), "enkelvoudiginformatieobject", str(d, "url"), "partial_update", str(d, "titel"), old, changed); err != nil {
		writeError(w, r, err)
		return
	}
	s.renderEIO(w, r, http.StatusOK, d, false)
}
