package catalogi

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/sosodev/duration"
)

// checkCatalogType validates a catalogue resource as it would be stored (old: what it was, nil
// on create).
func (s *API) checkCatalogType(r *http.Request, v *core.Validation, kind string, d, old core.Doc) {
	ctx := r.Context()
	rules := CatalogRules[kind]
	forced := forcedWrite(r)
	v.Required(d, rules.required...)
	for _, f := range []string{"beginGeldigheid", "eindeGeldigheid", "beginObject", "eindeObject", "versiedatum", "begindatumVersie"} {
		v.Date(d, f)
	}
	var owner core.Doc
	switch rules.Owner {
	case "catalogus":
		owner = s.Resource(r, v, d, "catalogus", "catalogus", core.CatalogiRoot+"catalogussen/")
	case "zaaktype":
		owner = s.Resource(r, v, d, "zaaktype", "zaaktype", core.CatalogiRoot+"zaaktypen/")
		if owner != nil && kind != "ziot" && !core.Boolean(owner, "concept") && !forced {
			v.Add("nonFieldErrors", "non-concept-zaaktype", "Het zaaktype is gepubliceerd.")
		}
	}
	switch kind {
	case "catalogus":
		v.Rsin(d, "rsin")
		v.MaxLen(d, "domein", 5)
		if !v.Failed() {
			same, err := s.DB.Query(ctx, "catalogus", "", core.Str(d, "domein"))
			if err == nil && slices.ContainsFunc(same, func(x core.Doc) bool { return core.Str(x, "rsin") == core.Str(d, "rsin") }) {
				v.Add("nonFieldErrors", "unique", "De velden domein, rsin moeten een unieke set zijn.")
			}
		}
	case "zaaktype":
		v.OneOf(d, "vertrouwelijkheidaanduiding", core.Vertrouwelijkheden...)
		v.OneOf(d, "indicatieInternOfExtern", "intern", "extern")
		checkDuration(v, d, "doorlooptijd", "servicenorm", "verlengingstermijn")
		v.MaxLen(d, "identificatie", 50)
		s.selectielijstRef(ctx, v, d, "selectielijstProcestype", procestypeKeys...)
		s.CheckRelations(ctx, v, d, "besluittypen", "besluittype", core.Str(owner, "url"), !forced)
	case "informatieobjecttype":
		v.OneOf(d, "vertrouwelijkheidaanduiding", core.Vertrouwelijkheden...)
		v.MaxLen(d, "omschrijving", 80)
	case "besluittype":
		checkDuration(v, d, "reactietermijn", "publicatietermijn")
		s.CheckRelations(ctx, v, d, "informatieobjecttypen", "informatieobjecttype", core.Str(owner, "url"), !forced)
		s.CheckRelations(ctx, v, d, "zaaktypen", "zaaktype", core.Str(owner, "url"), !forced)
	case "statustype":
		s.checkVolgnummer(ctx, v, kind, d, old)
	case "resultaattype":
		if owner != nil {
			s.CheckResultaattypeArchive(ctx, v, d, owner)
		}
		checkDuration(v, d, "archiefactietermijn", "procestermijn")
		s.CheckRelations(ctx, v, d, "besluittypen", "besluittype", core.Str(owner, "catalogus"), false)
		s.CheckRelations(ctx, v, d, "informatieobjecttypen", "informatieobjecttype", core.Str(owner, "catalogus"), false)
	case "roltype":
		v.OneOf(d, "omschrijvingGeneriek", roltypeOmschrijvingenGeneriek...)
	case "eigenschap":
		spec, _ := d["specificatie"].(map[string]any)
		for _, f := range []string{"formaat", "lengte", "kardinaliteit"} {
			if spec != nil && core.Str(spec, f) == "" {
				v.Add("specificatie."+f, "required", "Dit veld is vereist.")
			}
		}
		if spec != nil {
			v.OneOf(spec, "formaat", "tekst", "getal", "datum", "datum_tijd")
		}
	case "ziot":
		v.OneOf(d, "richting", "inkomend", "intern", "uitgaand")
		s.checkVolgnummer(ctx, v, kind, d, old)
		if owner != nil && core.Str(d, "informatieobjecttype") != "" {
			s.checkZIOTTarget(ctx, v, d, owner, forced)
		}
	}
}

// CheckRelations checks a list of references to other catalogue types and stores it as URLs.
// An entry is a URL of this sandbox or, as Catalogi 1.3 writes relations, the omschrijving
// (identificatie for zaaktypen) of a type in the catalogus. With strict, every type must be in
// that catalogus and none may be published yet (a concept cannot take a published relation).
func (s *API) CheckRelations(ctx context.Context, v *core.Validation, d core.Doc, field, kind, catalogus string, strict bool) {
	urls := []any{}
	for _, ref := range core.Strs(d, field) {
		targets, err := s.relationTargets(ctx, kind, ref, catalogus)
		if err != nil || len(targets) == 0 {
			v.Add(field, "does_not_exist", "Er is geen "+kind+" "+ref+" in de catalogus.")
			return
		}
		for _, x := range targets {
			if strict && core.Str(x, "catalogus") != catalogus {
				v.Add("nonFieldErrors", "relations-incorrect-catalogus", "Het "+kind+" hoort bij een andere catalogus.")
				return
			}
			if strict && !core.Boolean(x, "concept") {
				v.Add("nonFieldErrors", "non-concept-relation", "Een concept kan geen relatie krijgen met een gepubliceerd "+kind+".")
				return
			}
			urls = append(urls, core.Str(x, "url"))
		}
	}
	if _, sent := d[field]; sent {
		d[field] = urls
	}
}

// relationTargets resolves one relation entry: a URL of this sandbox, or a name in the catalogus.
func (s *API) relationTargets(ctx context.Context, kind, ref, catalogus string) ([]core.Doc, error) {
	if core.IsLocalPath(ref) {
		x, err := s.DB.Get(ctx, kind, core.LastSegment(ref))
		if err != nil {
			return nil, err
		}
		return []core.Doc{x}, nil
	}
	return s.DB.Query(ctx, kind, catalogus, ref)
}

// checkZIOTTarget checks the informatieobjecttype of a zaaktype-informatieobjecttype: named by
// omschrijving in the zaaktype's catalogus, or by URL in that catalogus; zaaktype and type may
// not both be published already (but for a client that may force it).
func (s *API) checkZIOTTarget(ctx context.Context, v *core.Validation, d, zt core.Doc, forced bool) {
	iots, err := s.ziotTargets(ctx, d, core.Str(zt, "catalogus"))
	switch {
	case err != nil || len(iots) == 0:
		v.Add("informatieobjecttype", "does_not_exist", "Er is geen informatieobjecttype met deze omschrijving of URL in de catalogus.")
	case slices.ContainsFunc(iots, func(x core.Doc) bool { return core.Str(x, "catalogus") != core.Str(zt, "catalogus") }):
		v.Add("nonFieldErrors", "relations-incorrect-catalogus", "Het informatieobjecttype hoort bij een andere catalogus dan het zaaktype.")
	case !forced && !core.Boolean(zt, "concept") && !slices.ContainsFunc(iots, func(x core.Doc) bool { return core.Boolean(x, "concept") }):
		v.Add("nonFieldErrors", "non-concept-relation", "Zaaktype en informatieobjecttype zijn allebei gepubliceerd.")
	}
}

// checkVolgnummer refuses a volgnummer outside 1–999 or already used within the zaaktype.
func (s *API) checkVolgnummer(ctx context.Context, v *core.Validation, kind string, d, old core.Doc) {
	n := core.Num(d, "volgnummer")
	if n < 1 || n > 999 || n != float64(int(n)) {
		v.Add("volgnummer", "invalid", "Het volgnummer moet een geheel getal van 1 tot en met 999 zijn.")
		return
	}
	siblings, err := s.DB.Query(ctx, kind, core.Str(d, "zaaktype"), "")
	if err != nil {
		return
	}
	for _, x := range siblings {
		if core.Num(x, "volgnummer") == n && (old == nil || core.Str(x, "url") != core.Str(old, "url")) {
			v.Add("nonFieldErrors", "unique", "De velden zaaktype, volgnummer moeten een unieke set zijn.")
			return
		}
	}
}

func checkDuration(v *core.Validation, d core.Doc, fields ...string) {
	for _, f := range fields {
		if s := core.Str(d, f); s != "" {
			if _, err := duration.Parse(s); err != nil {
				v.Add(f, "invalid", "Ongeldige duur: gebruik het ISO 8601-formaat, bijvoorbeeld P10D.")
			}
		}
	}
}

// storeCatalogType writes a checked resource (old nil: new) and, for a besluittype that names its
// zaaktypen (as Catalogi 1.0 clients do), sets that relation on the zaaktypen.
func (s *API) storeCatalogType(ctx context.Context, kind, id string, old, d, in core.Doc) error {
	// checkRelations resolved the names in the request to URLs in d; the relation lives on the
	// zaaktypen, not on the besluittype.
	_, setsZaaktypen := in["zaaktypen"]
	wanted := core.Strs(d, "zaaktypen")
	if kind == "besluittype" {
		delete(d, "zaaktypen")
	}
	err := s.put(ctx, kind, id, d, old == nil)
	if err != nil || kind != "besluittype" || !setsZaaktypen {
		return err
	}
	all, err := s.DB.Query(ctx, "zaaktype", "", "")
	if err != nil {
		return err
	}
	for _, zt := range all {
		has, want := slices.Contains(core.Strs(zt, "besluittypen"), core.Str(d, "url")), slices.Contains(wanted, core.Str(zt, "url"))
		if has == want {
			continue
		}
		list := slices.DeleteFunc(core.Strs(zt, "besluittypen"), func(u string) bool { return u == core.Str(d, "url") })
		if want {
			list = append(list, core.Str(d, "url"))
		}
		zt["besluittypen"] = list
		if err := s.put(ctx, "zaaktype", core.LastSegment(core.Str(zt, "url")), zt, false); err != nil {
			return err
		}
	}
	return nil
}

// removeCatalogType deletes a resource with what belongs to it (a zaaktype's own types, the
// zaaktype-informatieobjecttypen naming a deleted informatieobjecttype by URL) and drops
// references to it from the lists of other types.
func (s *API) removeCatalogType(ctx context.Context, kind string, d core.Doc) error {
	self := core.Str(d, "url")
	var cascade []string
	if kind == "zaaktype" {
		cascade = zaaktypeChildren
	}
	if err := s.DB.DeleteWith(ctx, core.LastSegment(self), self, cascade); err != nil {
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
	links, err := s.DB.Query(ctx, "ziot", "", "")
	if err != nil {
		return err
	}
	for _, link := range links {
		if core.Str(link, "informatieobjecttype") == self {
			if err := s.DB.Remove(ctx, core.LastSegment(core.Str(link, "url"))); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropReference removes a URL from a list field of every resource of a kind.
func (s *API) dropReference(ctx context.Context, kind, field, url string) error {
	all, err := s.DB.Query(ctx, kind, "", "")
	if err != nil {
		return err
	}
	for _, x := range all {
		if list := core.Strs(x, field); slices.Contains(list, url) {
			x[field] = slices.DeleteFunc(list, func(u string) bool { return u == url })
			if err := s.put(ctx, kind, core.LastSegment(core.Str(x, "url")), x, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// put is the one place a catalogue resource is stored: as its typed resource, new or in place of
// the one at id.
func (s *API) put(ctx context.Context, kind, id string, d core.Doc, isNew bool) error {
	rules := CatalogRules[kind]
	typed, err := rules.Shape.As(d)
	if err != nil {
		return err
	}
	stored := core.DocOf(typed) // indexed as stored: a number sent as identificatie is its text
	ref := ""
	if rules.Owner != "" {
		ref = core.Str(stored, rules.Owner)
	}
	if isNew {
		return s.DB.Insert(ctx, kind, id, ref, core.Str(stored, rules.Ident), typed)
	}
	return s.DB.UpdateIndexed(ctx, id, ref, core.Str(stored, rules.Ident), typed)
}

// Seed stores a type the sandbox brings along, as checked by its caller; one already stored as
// seeded is left alone (no writes at every start).
func (s *API) Seed(ctx context.Context, kind, id string, d core.Doc) error {
	typed, err := CatalogRules[kind].Shape.As(d)
	if err != nil {
		return err
	}
	stored, err := s.DB.Get(ctx, kind, id)
	switch {
	case errors.Is(err, core.ErrNotFound):
		return s.put(ctx, kind, id, d, true)
	case err != nil:
		return err
	case reflect.DeepEqual(stored, core.DocOf(typed)):
		return nil
	}
	return s.put(ctx, kind, id, d, false)
}
