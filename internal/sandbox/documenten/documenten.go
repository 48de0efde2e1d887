package documenten

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/google/uuid"
)

// Routes mounts the API's operations on mux.
func (s *API) Routes(mux *http.ServeMux) {
	eio := core.DocumentenRoot + "enkelvoudiginformatieobjecten"
	mux.HandleFunc("POST "+eio, s.Write(s.createEIO))
	mux.HandleFunc("GET "+eio, s.listEIO)
	mux.HandleFunc("POST "+eio+"/_zoek", s.searchEIO)
	mux.HandleFunc("GET "+eio+"/{uuid}", s.getEIO)
	mux.HandleFunc("PATCH "+eio+"/{uuid}", s.Write(s.patchEIO))
	mux.HandleFunc("PUT "+eio+"/{uuid}", s.Write(s.patchEIO)) // the same rules; what a PUT leaves out keeps its value
	mux.HandleFunc("GET "+eio+"/{uuid}/download", s.download)
	mux.HandleFunc("POST "+eio+"/{uuid}/lock", s.Write(s.lockEIO))
	mux.HandleFunc("POST "+eio+"/{uuid}/unlock", s.Write(s.unlockEIO))
	mux.HandleFunc("GET "+eio+"/{uuid}/audittrail", s.AuditTrail("eio", eio+"/"))
	mux.HandleFunc("PUT "+core.DocumentenRoot+"bestandsdelen/{uuid}", s.putPart)
	mux.HandleFunc("DELETE "+eio+"/{uuid}", s.Write(s.deleteEIO))
	mux.HandleFunc("POST "+core.DocumentenRoot+"gebruiksrechten", s.Write(s.createGebruiksrecht))
	mux.HandleFunc("GET "+core.DocumentenRoot+"gebruiksrechten", s.ListBy("gebruiksrecht", "informatieobject", false, ""))
	mux.HandleFunc("GET "+core.DocumentenRoot+"gebruiksrechten/{uuid}", s.GetHandler("gebruiksrecht"))
	mux.HandleFunc("DELETE "+core.DocumentenRoot+"gebruiksrechten/{uuid}", s.Write(s.deleteGebruiksrecht))
	mux.HandleFunc("GET "+core.DocumentenRoot+"objectinformatieobjecten", s.ListBy("oio", "informatieobject", false, "object"))
	mux.HandleFunc("POST "+core.DocumentenRoot+"objectinformatieobjecten", s.Write(s.createOIO))
	mux.HandleFunc("GET "+core.DocumentenRoot+"objectinformatieobjecten/{uuid}", s.GetHandler("oio"))
	mux.HandleFunc("DELETE "+core.DocumentenRoot+"objectinformatieobjecten/{uuid}", s.Write(s.deleteOIO))
}

// checkTaal checks a document's language: an ISO 639-2/B code of three letters, in either case, as
// Open Zaak takes it ("ENG" as well as "eng").
func checkTaal(v *core.Validation, d core.Doc) {
	t, sent := d["taal"].(string)
	if !sent || t == "" {
		return
	}
	for _, c := range t {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			v.Add("taal", "invalid", "Taal moet een ISO 639-2/B code van 3 letters zijn.")
			return
		}
	}
	if len(t) != 3 {
		v.Add("taal", "invalid", "Taal moet een ISO 639-2/B code van 3 letters zijn.")
	}
}

func (s *API) createEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	v.Required(d, "bronorganisatie", "creatiedatum", "titel", "auteur", "taal", "informatieobjecttype")
	v.Rsin(d, "bronorganisatie")
	v.Date(d, "creatiedatum")
	v.Date(d, "ontvangstdatum")
	v.Date(d, "verzenddatum")
	v.MaxLen(d, "identificatie", 40)
	v.MaxLen(d, "titel", 200)
	v.MaxLen(d, "auteur", 200)
	v.MaxLen(d, "bestandsnaam", 255)
	v.OneOf(d, "vertrouwelijkheidaanduiding", core.Vertrouwelijkheden...)
	v.OneOf(d, "status", "in_bewerking", "ter_vaststelling", "definitief", "gearchiveerd")
	checkTaal(v, d)
	if st := core.Str(d, "status"); (st == "in_bewerking" || st == "ter_vaststelling") && d["ontvangstdatum"] != nil {
		v.Add("status", "invalid_for_received", "Er is een ontvangstdatum: de status kan niet in_bewerking of ter_vaststelling zijn.")
	}
	iot := s.Resource(r, v, d, "informatieobjecttype", "informatieobjecttype", core.CatalogiRoot+"informatieobjecttypen/")
	if iot != nil && core.Boolean(iot, "concept") {
		v.Add("informatieobjecttype", "not-published", "Het informatieobjecttype is niet gepubliceerd.")
	}
	if iot != nil && !core.GrantOf(r).May("drc", []string{"documenten.aanmaken"}, core.Str(iot, "url"),
		core.FirstOf(core.Str(d, "vertrouwelijkheidaanduiding"), core.Str(iot, "vertrouwelijkheidaanduiding"))) {
		core.Forbidden(w, r, "De applicatie heeft de scope documenten.aanmaken niet voor dit informatieobjecttype en deze vertrouwelijkheid.")
		return
	}
	if d["indicatieGebruiksrecht"] == true { // a new document has no gebruiksrechten yet (drc-006)
		v.Add("indicatieGebruiksrecht", "missing-gebruiksrechten", "Er zijn nog geen gebruiksrechten; maak die eerst aan.")
	}
	checkIntegriteit(v, d)
	core.Fits[EnkelvoudigInformatieObject](v, d)
	content, size, chunked := s.contentOf(v, d)
	s.UniqueIdent(ctx, v, d, "eio", "bronorganisatie")
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	e, err := core.As[EnkelvoudigInformatieObject](d)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	id := core.NewUUID()
	if e.Identificatie == "" {
		if e.Identificatie, err = s.NextIdent(ctx, "document", "DOCUMENT"); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	if e.Vertrouwelijkheidaanduiding == "" {
		e.Vertrouwelijkheidaanduiding = core.Str(iot, "vertrouwelijkheidaanduiding")
	}
	if e.InhoudIsVervallen == nil {
		e.InhoudIsVervallen = new(bool)
	}
	e.URL = core.DocumentenRoot + "enkelvoudiginformatieobjecten/" + id
	e.Versie, e.BeginRegistratie, e.Locked = 1, core.Timestamp(s.Now()), false
	if err := s.setContent(ctx, id, &e, content, size, chunked); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.DB.Insert(ctx, "eio", id, "", e.Identificatie, e); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "drc", e.URL, "enkelvoudiginformatieobject", e.URL, "create", e.Titel, nil, core.DocOf(e)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+e.URL)
	s.renderEIO(w, r, http.StatusCreated, e, true)
}

func checkIntegriteit(v *core.Validation, d core.Doc) {
	raw, present := d["integriteit"]
	if !present || raw == nil {
		return
	}
	in, _ := raw.(map[string]any)
	if in == nil {
		v.Add("integriteit", "invalid", "integriteit moet een object zijn.")
		return
	}
	alg := core.Str(in, "algoritme")
	switch alg {
	case "", "crc_16", "crc_32", "crc_64", "fletcher_4", "fletcher_8", "fletcher_16", "fletcher_32", "hmac", "md5", "sha_1", "sha_256", "sha_512", "sha_3":
	default:
		v.Add("integriteit.algoritme", "invalid_choice", fmt.Sprintf("%q is een ongeldige keuze.", alg))
	}
	if alg != "" && (core.Str(in, "waarde") == "" || core.Str(in, "datum") == "") {
		v.Add("integriteit", "invalid", "waarde en datum zijn vereist bij een algoritme.")
	}
}

// renderEIO writes a document with its inhoud (download URL) and bestandsdelen; the lock only
// to whoever just obtained it (create).
func (s *API) renderEIO(w http.ResponseWriter, r *http.Request, status int, e EnkelvoudigInformatieObject, withLock bool) {
	out, err := s.answerOf(r.Context(), e, withLock)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.Render(w, r, status, out)
}

func (s *API) answerOf(ctx context.Context, e EnkelvoudigInformatieObject, withLock bool) (answer, error) {
	out := answer{EnkelvoudigInformatieObject: e}
	// As Open Zaak: the download of this version, and none while bestandsdelen are awaited.
	if e.Bestandsomvang != nil {
		inhoud := fmt.Sprintf("%s/download?versie=%d", e.URL, e.Versie)
		out.Inhoud = &inhoud
	}
	parts, err := core.QueryAs[BestandsDeel](ctx, s.DB, "deel", core.LastSegment(e.URL), "")
	if err != nil {
		return out, err
	}
	lock := ""
	if withLock {
		lock = e.LockID
		out.Lock = &lock
	}
	out.Bestandsdelen = make([]BestandsDeel, 0, len(parts))
	for _, p := range parts {
		p.Lock = lock
		out.Bestandsdelen = append(out.Bestandsdelen, p)
		if !p.Voltooid {
			out.Inhoud = nil
		}
	}
	return out, nil
}

func (s *API) getEIO(w http.ResponseWriter, r *http.Request) {
	e, ok := core.FoundAs[EnkelvoudigInformatieObject](s.Server, w, r, "eio")
	if !ok {
		return
	}
	if !s.Readable(r, "eio", core.DocOf(e)) {
		core.Forbidden(w, r, "De applicatie mag dit type of deze vertrouwelijkheid niet lezen.")
		return
	}
	out, err := s.answerOf(r.Context(), e, false)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	out.Expand = &struct{}{} // as Open Zaak answers a retrieved document
	core.Render(w, r, http.StatusOK, out)
}

func (s *API) listEIO(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all, err := core.QueryAs[EnkelvoudigInformatieObject](r.Context(), s.DB, "eio", "", q.Get("identificatie"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	bron := q.Get("bronorganisatie")
	s.renderEIOPage(w, r, slices.DeleteFunc(all, func(e EnkelvoudigInformatieObject) bool { return bron != "" && e.Bronorganisatie != bron }))
}

// renderEIOPage answers a page of the documents the client may read among found.
func (s *API) renderEIOPage(w http.ResponseWriter, r *http.Request, found []EnkelvoudigInformatieObject) {
	out := make([]answer, 0, len(found))
	for _, e := range found {
		if !s.Readable(r, "eio", core.DocOf(e)) {
			continue
		}
		a, err := s.answerOf(r.Context(), e, false)
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		out = append(out, a)
	}
	core.RenderPageOf(s.Server, w, r, out)
}

// searchEIO serves POST /enkelvoudiginformatieobjecten/_zoek: the documents with the uuids of
// uuid__in (readable ones only, as a list), paginated. The VNG specification (1.5.0) spells the
// field uuid_In — its camel-casing of uuid__in — and Open Zaak uuid__in; their parsers take
// either, and so does the sandbox (both given: they must agree).
func (s *API) searchEIO(w http.ResponseWriter, r *http.Request) {
	body, ok := core.ReadJSON(w, r)
	if !ok {
		return
	}
	v := &core.Validation{}
	uuids, given := body["uuid__in"], "uuid__in"
	if other, ok := body["uuid_In"]; ok {
		if uuids != nil && fmt.Sprint(uuids) != fmt.Sprint(other) {
			v.Add("uuid__in", "ambiguous", "uuid__in en uuid_In verschillen.")
		}
		uuids, given = other, "uuid_In"
	}
	list, isList := uuids.([]any)
	if !isList && !v.Failed() {
		v.Add(given, "required", "Dit veld is vereist: een lijst van UUID's.")
	}
	var wanted []string
	for _, u := range list {
		id, _ := u.(string)
		if _, err := uuid.Parse(id); err != nil {
			v.Add(given, "invalid", "Geen geldige UUID: "+fmt.Sprint(u))
			break
		}
		wanted = append(wanted, id)
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	var found []EnkelvoudigInformatieObject
	for _, id := range wanted {
		d, err := core.GetAs[EnkelvoudigInformatieObject](r.Context(), s.DB, "eio", id)
		if errors.Is(err, core.ErrNotFound) {
			continue
		}
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		found = append(found, d)
	}
	s.renderEIOPage(w, r, found)
}

func (s *API) lockEIO(w http.ResponseWriter, r *http.Request) {
	e, ok := core.FoundAs[EnkelvoudigInformatieObject](s.Server, w, r, "eio")
	if !ok {
		return
	}
	if e.Locked {
		v := &core.Validation{}
		v.Add("nonFieldErrors", "existing-lock", "Het document is al gelockt.")
		core.WriteInvalid(w, r, v)
		return
	}
	e.Locked, e.LockID = true, newLockID()
	if err := s.DB.Update(r.Context(), r.PathValue("uuid"), e); err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.WriteJSON(w, r, http.StatusOK, map[string]string{"lock": e.LockID})
}

// newLockID is a fresh lock, in Open Zaak's form (a uuid's hex digits).
func newLockID() string { return strings.ReplaceAll(core.NewUUID(), "-", "") }

// checkLock answers whether the given lock opens the document.
func checkLock(v *core.Validation, e EnkelvoudigInformatieObject, given string) {
	switch {
	case !e.Locked:
		v.Add("nonFieldErrors", "unlocked", "Het document is niet gelockt.")
	case given == "":
		v.Add("lock", "required", "Dit veld is vereist.")
	case subtle.ConstantTimeCompare([]byte(given), []byte(e.LockID)) != 1:
		v.Add("nonFieldErrors", "incorrect-lock-id", "Incorrect lock ID.")
	}
}

// lockedRequest reads the document and the body of a request that needs its lock (PATCH,
// unlock), and checks the lock; it answers itself when it cannot go on.
func (s *API) lockedRequest(w http.ResponseWriter, r *http.Request) (e EnkelvoudigInformatieObject, body core.Doc, v *core.Validation, ok bool) {
	if e, ok = core.FoundAs[EnkelvoudigInformatieObject](s.Server, w, r, "eio"); !ok {
		return e, nil, nil, false
	}
	if body, ok = core.ReadJSON(w, r); !ok {
		return e, nil, nil, false
	}
	v = &core.Validation{}
	checkLock(v, e, core.Str(body, "lock"))
	return e, body, v, true
}

// unlockEIO unlocks with the lock, or — a forced unlock, as Open Zaak allows a client with the
// scope documenten.geforceerd-unlock (the sandbox's clients have every scope) — without a body or
// lock at all.
func (s *API) unlockEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var e EnkelvoudigInformatieObject
	v := &core.Validation{}
	var ok bool
	if forced := r.ContentLength == 0; forced {
		e, ok = core.FoundAs[EnkelvoudigInformatieObject](s.Server, w, r, "eio")
	} else {
		e, _, v, ok = s.lockedRequest(w, r)
	}
	if !ok {
		return
	}
	id := core.LastSegment(e.URL)
	parts, err := core.QueryAs[BestandsDeel](ctx, s.DB, "deel", id, "")
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	if slices.ContainsFunc(parts, func(p BestandsDeel) bool { return !p.Voltooid }) && !v.Failed() {
		v.Add("nonFieldErrors", "incomplete-upload", "Alle bestandsdelen moeten geüpload zijn voor het ontgrendelen.")
	}
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	if len(parts) > 0 {
		if err := s.mergeParts(ctx, id, parts); err != nil {
			core.WriteError(w, r, err)
			return
		}
	}
	e.Locked, e.LockID = false, ""
	if err := s.DB.Update(ctx, id, e); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("API-version", core.ApiVersion(r))
	w.WriteHeader(http.StatusNoContent)
}

// patchable are the fields a PATCH may change.
var patchable = []string{"identificatie", "bronorganisatie", "creatiedatum", "titel", "vertrouwelijkheidaanduiding", "auteur", "status",
	"formaat", "taal", "bestandsnaam", "link", "beschrijving", "ontvangstdatum", "verzenddatum",
	"indicatieGebruiksrecht", "verschijningsvorm", "ondertekening", "integriteit", "trefwoorden", "inhoudIsVervallen"}

func (s *API) patchEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, body, v, ok := s.lockedRequest(w, r)
	if !ok {
		return
	}
	id := core.LastSegment(e.URL)
	v.Date(body, "creatiedatum")
	v.Date(body, "ontvangstdatum")
	v.MaxLen(body, "titel", 200)
	checkTaal(v, body)
	// bronorganisatie changes as Open Zaak changes it: a valid RSIN, under which the document's
	// identificatie is still unique.
	v.Rsin(body, "bronorganisatie")
	if bron := core.Str(body, "bronorganisatie"); bron != "" && bron != e.Bronorganisatie && !v.Failed() &&
		s.IdentTaken(ctx, "eio", "bronorganisatie", bron, core.FirstOf(core.Str(body, "identificatie"), e.Identificatie)) {
		v.Add("identificatie", "identificatie-niet-uniek", "Deze identificatie bestaat al binnen de organisatie.")
	}
	v.OneOf(body, "vertrouwelijkheidaanduiding", core.Vertrouwelijkheden...)
	if ig, present := body["indicatieGebruiksrecht"]; present && ig != nil {
		if _, isBool := ig.(bool); !isBool {
			v.Add("indicatieGebruiksrecht", "invalid", "Moet een boolean of null zijn.")
		}
	}
	// As Open Zaak: true only for a document that has gebruiksrechten (they set it themselves).
	if body["indicatieGebruiksrecht"] == true {
		if rights, err := s.DB.Query(ctx, "gebruiksrecht", e.URL, ""); err == nil && len(rights) == 0 {
			v.Add("indicatieGebruiksrecht", "missing-gebruiksrechten", "Er zijn nog geen gebruiksrechten; maak die eerst aan.")
		}
	}
	checkIntegriteit(v, body)
	core.Fits[EnkelvoudigInformatieObject](v, body)
	// A received document (ontvangstdatum) is not in the making (drc-005).
	status, received := e.Status, e.Ontvangstdatum != nil && *e.Ontvangstdatum != ""
	if _, sent := body["status"]; sent {
		status = core.Str(body, "status")
	}
	if x, sent := body["ontvangstdatum"]; sent {
		received = x != nil && x != ""
	}
	if (status == "in_bewerking" || status == "ter_vaststelling") && received {
		v.Add("status", "invalid_for_received", "De status "+status+" is niet toegestaan voor een ontvangen document.")
	}
	content, size, chunked := s.contentOf(v, body)
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	was := core.DocOf(e)
	old, changed := core.Doc{}, core.Doc{}
	for _, f := range patchable {
		if x, present := body[f]; present {
			old[f], changed[f] = was[f], x
		}
	}
	if err := core.Apply(&e, changed); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if content != nil || chunked {
		lock := e.LockID
		if err := s.setContent(ctx, id, &e, content, size, chunked); err != nil {
			core.WriteError(w, r, err)
			return
		}
		e.LockID, e.Locked = lock, true // the caller still holds its lock
	}
	e.Versie++
	e.BeginRegistratie = core.Timestamp(s.Now())
	if err := s.DB.Update(ctx, id, e); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "drc", e.URL, "enkelvoudiginformatieobject", e.URL, "partial_update", e.Titel, old, changed); err != nil {
		core.WriteError(w, r, err)
		return
	}
	s.renderEIO(w, r, http.StatusOK, e, false)
}
