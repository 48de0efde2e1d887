package documenten

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
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
	content, size, chunked := s.contentOf(v, d)
	s.UniqueIdent(ctx, v, d, "eio", "bronorganisatie")
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}

	now := s.Now()
	id := core.NewUUID()
	if err := s.AssignIdent(ctx, d, "document", "DOCUMENT"); err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.Defaults(d, core.Doc{
		"vertrouwelijkheidaanduiding": core.Str(iot, "vertrouwelijkheidaanduiding"), "status": "", "formaat": "",
		"bestandsnaam": "", "link": "", "beschrijving": "", "ontvangstdatum": nil, "verzenddatum": nil,
		"indicatieGebruiksrecht": nil, "verschijningsvorm": "", "ondertekening": nil, "integriteit": nil,
		"trefwoorden": []any{}, "inhoudIsVervallen": false,
	})
	d["url"] = core.DocumentenRoot + "enkelvoudiginformatieobjecten/" + id
	d["versie"], d["beginRegistratie"], d["locked"] = 1, core.Timestamp(now), false
	delete(d, "inhoud")
	if err := s.setContent(ctx, id, d, content, size, chunked); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.DB.Insert(ctx, "eio", id, "", core.Str(d, "identificatie"), d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "drc", core.Str(d, "url"), "enkelvoudiginformatieobject", core.Str(d, "url"), "create", core.Str(d, "titel"), nil, core.Public(d)); err != nil {
		core.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", core.Base(r)+core.Str(d, "url"))
	s.renderEIO(w, r, http.StatusCreated, d, true)
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
func (s *API) renderEIO(w http.ResponseWriter, r *http.Request, status int, d core.Doc, withLock bool) {
	out, err := s.eioView(r.Context(), d, withLock)
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.Render(w, r, status, out)
}

func (s *API) eioView(ctx context.Context, d core.Doc, withLock bool) (core.Doc, error) {
	out := core.Public(d)
	// As Open Zaak: the download of this version, and none while bestandsdelen are awaited.
	out["inhoud"] = nil
	if d["bestandsomvang"] != nil {
		out["inhoud"] = fmt.Sprintf("%s/download?versie=%d", core.Str(d, "url"), int(core.Num(d, "versie")))
	}
	parts, err := s.DB.Query(ctx, "deel", core.LastSegment(core.Str(d, "url")), "")
	if err != nil {
		return nil, err
	}
	lock := ""
	if withLock {
		lock = core.Str(d, "__lock")
		out["lock"] = lock
	}
	delen := make([]any, 0, len(parts))
	for _, p := range parts {
		p["lock"] = lock
		delen = append(delen, p)
		if !core.Boolean(p, "voltooid") {
			out["inhoud"] = nil
		}
	}
	out["bestandsdelen"] = delen
	return out, nil
}

func (s *API) getEIO(w http.ResponseWriter, r *http.Request) {
	if d, ok := s.FoundReadable(w, r, "eio"); ok {
		d["_expand"] = core.Doc{} // as Open Zaak answers a retrieved document
		s.renderEIO(w, r, http.StatusOK, d, false)
	}
}

func (s *API) listEIO(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all, err := s.DB.Query(r.Context(), "eio", "", q.Get("identificatie"))
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	var found []core.Doc
	for _, d := range all {
		if b := q.Get("bronorganisatie"); b == "" || core.Str(d, "bronorganisatie") == b {
			found = append(found, d)
		}
	}
	s.renderEIOPage(w, r, found)
}

// renderEIOPage answers a page of the documents the client may read among found.
func (s *API) renderEIOPage(w http.ResponseWriter, r *http.Request, found []core.Doc) {
	out := make([]core.Doc, 0, len(found))
	for _, d := range found {
		if !s.Readable(r, "eio", d) {
			continue
		}
		view, err := s.eioView(r.Context(), d, false)
		if err != nil {
			core.WriteError(w, r, err)
			return
		}
		out = append(out, view)
	}
	s.RenderPage(w, r, out)
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
	var found []core.Doc
	for _, id := range wanted {
		d, err := s.DB.Get(r.Context(), "eio", id)
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
	d, err := s.DB.Get(r.Context(), "eio", r.PathValue("uuid"))
	if err != nil {
		core.WriteNotFound(w, r)
		return
	}
	if core.Boolean(d, "locked") {
		v := &core.Validation{}
		v.Add("nonFieldErrors", "existing-lock", "Het document is al gelockt.")
		core.WriteInvalid(w, r, v)
		return
	}
	lock := strings.ReplaceAll(core.NewUUID(), "-", "")
	d["locked"], d["__lock"] = true, lock
	if err := s.DB.Update(r.Context(), r.PathValue("uuid"), d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	core.WriteJSON(w, r, http.StatusOK, map[string]string{"lock": lock})
}

// checkLock answers whether the body's lock opens the document.
func checkLock(v *core.Validation, d, body core.Doc) {
	given := core.Str(body, "lock")
	switch {
	case !core.Boolean(d, "locked"):
		v.Add("nonFieldErrors", "unlocked", "Het document is niet gelockt.")
	case given == "":
		v.Add("lock", "required", "Dit veld is vereist.")
	case subtle.ConstantTimeCompare([]byte(given), []byte(core.Str(d, "__lock"))) != 1:
		v.Add("nonFieldErrors", "incorrect-lock-id", "Incorrect lock ID.")
	}
}

// lockedRequest reads the document and the body of a request that needs its lock (PATCH,
// unlock), and checks the lock; it answers itself when it cannot go on.
func (s *API) lockedRequest(w http.ResponseWriter, r *http.Request) (id string, d, body core.Doc, v *core.Validation, ok bool) {
	id = r.PathValue("uuid")
	d, err := s.DB.Get(r.Context(), "eio", id)
	if err != nil {
		core.WriteNotFound(w, r)
		return "", nil, nil, nil, false
	}
	if body, ok = core.ReadJSON(w, r); !ok {
		return "", nil, nil, nil, false
	}
	v = &core.Validation{}
	checkLock(v, d, body)
	return id, d, body, v, true
}

// unlockEIO unlocks with the lock, or — a forced unlock, as Open Zaak allows a client with the
// scope documenten.geforceerd-unlock (the sandbox's clients have every scope) — without a body or
// lock at all.
func (s *API) unlockEIO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var id string
	var d core.Doc
	v := &core.Validation{}
	if forced := r.ContentLength == 0; forced {
		var ok bool
		if d, ok = s.Found(w, r, "eio"); !ok {
			return
		}
		id = r.PathValue("uuid")
	} else {
		var ok bool
		if id, d, _, v, ok = s.lockedRequest(w, r); !ok {
			return
		}
	}
	parts, err := s.DB.Query(ctx, "deel", id, "")
	if err != nil {
		core.WriteError(w, r, err)
		return
	}
	for _, p := range parts {
		if !core.Boolean(p, "voltooid") && !v.Failed() {
			v.Add("nonFieldErrors", "incomplete-upload", "Alle bestandsdelen moeten geüpload zijn voor het ontgrendelen.")
		}
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
	d["locked"] = false
	delete(d, "__lock")
	if err := s.DB.Update(ctx, id, d); err != nil {
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
	id, d, body, v, ok := s.lockedRequest(w, r)
	if !ok {
		return
	}
	v.Date(body, "creatiedatum")
	v.Date(body, "ontvangstdatum")
	v.MaxLen(body, "titel", 200)
	checkTaal(v, body)
	// bronorganisatie changes as Open Zaak changes it: a valid RSIN, under which the document's
	// identificatie is still unique.
	v.Rsin(body, "bronorganisatie")
	if bron := core.Str(body, "bronorganisatie"); bron != "" && bron != core.Str(d, "bronorganisatie") && !v.Failed() &&
		s.IdentTaken(ctx, "eio", "bronorganisatie", bron, core.FirstOf(core.Str(body, "identificatie"), core.Str(d, "identificatie"))) {
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
		if rights, err := s.DB.Query(ctx, "gebruiksrecht", core.Str(d, "url"), ""); err == nil && len(rights) == 0 {
			v.Add("indicatieGebruiksrecht", "missing-gebruiksrechten", "Er zijn nog geen gebruiksrechten; maak die eerst aan.")
		}
	}
	checkIntegriteit(v, body)
	// A received document (ontvangstdatum) is not in the making (drc-005).
	status, ontvangen := core.Str(body, "status"), body["ontvangstdatum"]
	if _, sent := body["status"]; !sent {
		status = core.Str(d, "status")
	}
	if _, sent := body["ontvangstdatum"]; !sent {
		ontvangen = d["ontvangstdatum"]
	}
	if (status == "in_bewerking" || status == "ter_vaststelling") && ontvangen != nil && ontvangen != "" {
		v.Add("status", "invalid_for_received", "De status "+status+" is niet toegestaan voor een ontvangen document.")
	}
	content, size, chunked := s.contentOf(v, body)
	if v.Failed() {
		core.WriteInvalid(w, r, v)
		return
	}
	old := core.Doc{}
	changed := core.Doc{}
	for _, f := range patchable {
		if x, present := body[f]; present {
			old[f], d[f], changed[f] = d[f], x, x
		}
	}
	if content != nil || chunked {
		lock := d["__lock"]
		if err := s.setContent(ctx, id, d, content, size, chunked); err != nil {
			core.WriteError(w, r, err)
			return
		}
		d["__lock"], d["locked"] = lock, true // the caller still holds its lock
	}
	d["versie"] = core.Num(d, "versie") + 1
	d["beginRegistratie"] = core.Timestamp(s.Now())
	if err := s.DB.Update(ctx, id, d); err != nil {
		core.WriteError(w, r, err)
		return
	}
	if err := s.Audit(r, "drc", core.Str(d, "url"), "enkelvoudiginformatieobject", core.Str(d, "url"), "partial_update", core.Str(d, "titel"), old, changed); err != nil {
		core.WriteError(w, r, err)
		return
	}
	s.renderEIO(w, r, http.StatusOK, d, false)
}
