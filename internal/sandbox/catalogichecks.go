package sandbox

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"github.com/sosodev/duration"
)

// checkCatalogType validates a catalogue resource as it would be stored (old: what it was, nil
// on create).
func (s *Server) checkCatalogType(r *http.Request, v *validation, kind string, d, old doc) {
	ctx := r.Context()
	rules := catalogRules[kind]
	forced := forcedWrite(r)
	v.required(d, rules.required...)
	for _, f := range []string{"beginGeldigheid", "eindeGeldigheid", "beginObject", "eindeObject", "versiedatum", "begindatumVersie"} {
		v.date(d, f)
	}
	var owner doc
	switch rules.owner {
	case "catalogus":
		owner = s.resource(r, v, d, "catalogus", "catalogus", catalogiRoot+"catalogussen/")
	case "zaaktype":
		owner = s.resource(r, v, d, "zaaktype", "zaaktype", catalogiRoot+"zaaktypen/")
		if owner != nil && kind != "ziot" && !boolean(owner, "concept") && !forced {
			v.add("nonFieldErrors", "non-concept-zaaktype", "Het zaaktype is gepubliceerd.")
		}
	}
	switch kind {
	case "catalogus":
		v.rsin(d, "rsin")
		v.maxLen(d, "domein", 5)
		if !v.failed() {
			same, err := s.db.query(ctx, "catalogus", "", str(d, "domein"))
			if err == nil && slices.ContainsFunc(same, func(x doc) bool { return str(x, "rsin") == str(d, "rsin") }) {
				v.add("nonFieldErrors", "unique", "De velden domein, rsin moeten een unieke set zijn.")
			}
		}
	case "zaaktype":
		v.oneOf(d, "vertrouwelijkheidaanduiding", vertrouwelijkheden...)
		v.oneOf(d, "indicatieInternOfExtern", "intern", "extern")
		v.duration(d, "doorlooptijd", "servicenorm", "verlengingstermijn")
		v.maxLen(d, "identificatie", 50)
		s.selectielijstRef(ctx, v, d, "selectielijstProcestype", procestypeKeys...)
		s.checkRelations(ctx, v, d, "besluittypen", "besluittype", str(owner, "url"), !forced)
	case "informatieobjecttype":
		v.oneOf(d, "vertrouwelijkheidaanduiding", vertrouwelijkheden...)
		v.maxLen(d, "omschrijving", 80)
	case "besluittype":
		v.duration(d, "reactietermijn", "publicatietermijn")
		s.checkRelations(ctx, v, d, "informatieobjecttypen", "informatieobjecttype", str(owner, "url"), !forced)
		s.checkRelations(ctx, v, d, "zaaktypen", "zaaktype", str(owner, "url"), !forced)
	case "statustype":
		s.checkVolgnummer(ctx, v, kind, d, old)
	case "resultaattype":
		if owner != nil {
			s.checkResultaattypeArchive(ctx, v, d, owner)
		}
		v.duration(d, "archiefactietermijn", "procestermijn")
		s.checkRelations(ctx, v, d, "besluittypen", "besluittype", str(owner, "catalogus"), false)
		s.checkRelations(ctx, v, d, "informatieobjecttypen", "informatieobjecttype", str(owner, "catalogus"), false)
	case "roltype":
		v.oneOf(d, "omschrijvingGeneriek", roltypeOmschrijvingenGeneriek...)
	case "eigenschap":
		spec, _ := d["specificatie"].(map[string]any)
		for _, f := range []string{"formaat", "lengte", "kardinaliteit"} {
			if spec != nil && str(spec, f) == "" {
				v.add("specificatie."+f, "required", "Dit veld is vereist.")
			}
		}
		if spec != nil {
			v.oneOf(spec, "formaat", "tekst", "getal", "datum", "datum_tijd")
		}
	case "ziot":
		v.oneOf(d, "richting", "inkomend", "intern", "uitgaand")
		s.checkVolgnummer(ctx, v, kind, d, old)
		if owner != nil && str(d, "informatieobjecttype") != "" {
			s.checkZIOTTarget(ctx, v, d, owner, forced)
		}
	}
}

// checkRelations checks a list of references to other catalogue types and stores it as URLs.
// An entry is a URL of this sandbox or, as Catalogi 1.3 writes relations, the omschrijving
// (identificatie for zaaktypen) of a type in the catalogus. With strict, every type must be in
// that catalogus and none may be published yet (a concept cannot take a published relation).
func (s *Server) checkRelations(ctx context.Context, v *validation, d doc, field, kind, catalogus string, strict bool) {
	urls := []any{}
	for _, ref := range strs(d, field) {
		targets, err := s.relationTargets(ctx, kind, ref, catalogus)
		if err != nil || len(targets) == 0 {
			v.add(field, "does_not_exist", "Er is geen "+kind+" "+ref+" in de catalogus.")
			return
		}
		for _, x := range targets {
			if strict && str(x, "catalogus") != catalogus {
				v.add("nonFieldErrors", "relations-incorrect-catalogus", "Het "+kind+" hoort bij een andere catalogus.")
				return
			}
			if strict && !boolean(x, "concept") {
				v.add("nonFieldErrors", "non-concept-relation", "Een concept kan geen relatie krijgen met een gepubliceerd "+kind+".")
				return
			}
			urls = append(urls, str(x, "url"))
		}
	}
	if _, sent := d[field]; sent {
		d[field] = urls
	}
}

// relationTargets resolves one relation entry: a URL of this sandbox, or a name in the catalogus.
func (s *Server) relationTargets(ctx context.Context, kind, ref, catalogus string) ([]doc, error) {
	if isLocalPath(ref) {
		x, err := s.db.get(ctx, kind, lastSegment(ref))
		if err != nil {
			return nil, err
		}
		return []doc{x}, nil
	}
	return s.db.query(ctx, kind, catalogus, ref)
}

// checkZIOTTarget checks the informatieobjecttype of a zaaktype-informatieobjecttype: named by
// omschrijving in the zaaktype's catalogus, or by URL in that catalogus; zaaktype and type may
// not both be published already (but for a client that may force it).
func (s *Server) checkZIOTTarget(ctx context.Context, v *validation, d, zt doc, forced bool) {
	iots, err := s.ziotTargets(ctx, d, str(zt, "catalogus"))
	switch {
	case err != nil || len(iots) == 0:
		v.add("informatieobjecttype", "does_not_exist", "Er is geen informatieobjecttype met deze omschrijving of URL in de catalogus.")
	case slices.ContainsFunc(iots, func(x doc) bool { return str(x, "catalogus") != str(zt, "catalogus") }):
		v.add("nonFieldErrors", "relations-incorrect-catalogus", "Het informatieobjecttype hoort bij een andere catalogus dan het zaaktype.")
	case !forced && !boolean(zt, "concept") && !slices.ContainsFunc(iots, func(x doc) bool { return boolean(x, "concept") }):
		v.add("nonFieldErrors", "non-concept-relation", "Zaaktype en informatieobjecttype zijn allebei gepubliceerd.")
	}
}

// checkVolgnummer refuses a volgnummer outside 1–999 or already used within the zaaktype.
func (s *Server) checkVolgnummer(ctx context.Context, v *validation, kind string, d, old doc) {
	n := num(d, "volgnummer")
	if n < 1 || n > 999 || n != float64(int(n)) {
		v.add("volgnummer", "invalid", "Het volgnummer moet een geheel getal van 1 tot en met 999 zijn.")
		return
	}
	siblings, err := s.db.query(ctx, kind, str(d, "zaaktype"), "")
	if err != nil {
		return
	}
	for _, x := range siblings {
		if num(x, "volgnummer") == n && (old == nil || str(x, "url") != str(old, "url")) {
			v.add("nonFieldErrors", "unique", "De velden zaaktype, volgnummer moeten een unieke set zijn.")
			return
		}
	}
}

func (v *validation) duration(d doc, fields ...string) {
	for _, f := range fields {
		if s := str(d, f); s != "" {
			if _, err := duration.Parse(s); err != nil {
				v.add(f, "invalid", "Ongeldige duur: gebruik het ISO 8601-formaat, bijvoorbeeld P10D.")
			}
		}
	}
}

// storeCatalogType writes a checked resource (old nil: new) and, for a besluittype that names its
// zaaktypen (as Catalogi 1.0 clients do), sets that relation on the zaaktypen.
func (s *Server) storeCatalogType(ctx context.Context, kind, id string, old, d, in doc) error {
	rules := catalogRules[kind]
	// checkRelations resolved the names in the request to URLs in d; the relation lives on the
	// zaaktypen, not on the besluittype.
	_, setsZaaktypen := in["zaaktypen"]
	wanted := strs(d, "zaaktypen")
	if kind == "besluittype" {
		delete(d, "zaaktypen")
	}
	maps.DeleteFunc(d, func(_ string, x any) bool { return x == nil })
	ref := ""
	if rules.owner != "" {
		ref = str(d, rules.owner)
	}
	var err error
	if old == nil {
		err = s.db.insert(ctx, kind, id, ref, str(d, rules.ident), d)
	} else {
		err = s.db.updateIndexed(ctx, id, ref, str(d, rules.ident), d)
	}
	if err != nil || kind != "besluittype" || !setsZaaktypen {
		return err
	}
	all, err := s.db.query(ctx, "zaaktype", "", "")
	if err != nil {
		return err
	}
	for _, zt := range all {
		has, want := slices.Contains(strs(zt, "besluittypen"), str(d, "url")), slices.Contains(wanted, str(zt, "url"))
		if has == want {
			continue
		}
		list := slices.DeleteFunc(strs(zt, "besluittypen"), func(u string) bool { return u == str(d, "url") })
		if want {
			list = append(list, str(d, "url"))
		}
		zt["besluittypen"] = anyStrings(list)
		if err := s.db.update(ctx, lastSegment(str(zt, "url")), zt); err != nil {
			return err
		}
	}
	return nil
}

// removeCatalogType deletes a resource with what belongs to it (a zaaktype's own types, the
// zaaktype-informatieobjecttypen naming a deleted informatieobjecttype by URL) and drops
// references to it from the lists of other types.
func (s *Server) removeCatalogType(ctx context.Context, kind string, d doc) error {
	self := str(d, "url")
	var cascade []string
	if kind == "zaaktype" {
		cascade = zaaktypeChildren
	}
	if err := s.db.deleteWith(ctx, lastSegment(self), self, cascade); err != nil {
		return err
	}
	drops := map[string][][2]string{
		"besluittype":          {{"zaaktype", "besluittypen"}, {"resultaattype", "besluittypen"}},
		"informatieobjecttype": {{"besluittype", "informatieobjecttypen"}, {"resultaattype", "informatieobjecttypen"}},
	}
	for _, holder := range drops[kind] {
		if err := s.dropReference(ctx, holder[0], holder[1], self); err != nil {
			return err
		}
	}
	if kind != "informatieobjecttype" {
		return nil
	}
	links, err := s.db.query(ctx, "ziot", "", "")
	if err != nil {
		return err
	}
	for _, link := range links {
		if str(link, "informatieobjecttype") == self {
			if err := s.db.remove(ctx, lastSegment(str(link, "url"))); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropReference removes a URL from a list field of every resource of a kind.
func (s *Server) dropReference(ctx context.Context, kind, field, url string) error {
	all, err := s.db.query(ctx, kind, "", "")
	if err != nil {
		return err
	}
	for _, x := range all {
		if list := strs(x, field); slices.Contains(list, url) {
			x[field] = anyStrings(slices.DeleteFunc(list, func(u string) bool { return u == url }))
			if err := s.db.update(ctx, lastSegment(str(x, "url")), x); err != nil {
				return err
			}
		}
	}
	return nil
}

func anyStrings(list []string) []any {
	out := make([]any, len(list))
	for i, x := range list {
		out[i] = x
	}
	return out
}
