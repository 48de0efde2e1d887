package catalogi

import (
	"context"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// The Catalogi API answers many fields that are the other side of a relation (a zaaktype's
// statustypen, an informatieobjecttype's zaaktypen, a statustype's isEindstatus). The sandbox
// stores each relation once, on the side a client writes, and derives the rest when a type is
// read, so that no write can leave two sides disagreeing.

// CatalogType reads a catalogue resource with its derived fields.
func (s *API) CatalogType(ctx context.Context, kind, uuid string) (core.Doc, error) {
	d, err := s.DB.Get(ctx, kind, uuid)
	if err != nil {
		return nil, err
	}
	return s.View(ctx, kind, d)
}

// firstVersionBegan is the beginGeldigheid of the earliest version of a type (its versions share
// its catalogus and identificatie or omschrijving).
func (s *API) firstVersionBegan(ctx context.Context, kind string, rules typeRules, d core.Doc) (any, error) {
	versions, err := s.DB.Query(ctx, kind, core.Str(d, rules.Owner), core.Str(d, rules.Ident))
	if err != nil {
		return nil, err
	}
	first := core.Str(d, "beginGeldigheid")
	for _, v := range versions {
		if b := core.Str(v, "beginGeldigheid"); b != "" && (first == "" || b < first) {
			first = b
		}
	}
	if first == "" {
		return nil, nil
	}
	return first, nil
}

// View is a catalogue resource as its typed resource, with its derived fields filled in.
func (s *API) View(ctx context.Context, kind string, d core.Doc) (core.Doc, error) {
	if rules, ok := CatalogRules[kind]; ok {
		typed, err := rules.Shape.As(d) // a type stored by an earlier release may lack fields
		if err != nil {
			return nil, err
		}
		d = core.DocOf(typed)
		if rules.Publishable && d["beginObject"] == nil {
			// As Open Zaak: the object began with its first version.
			begin, err := s.firstVersionBegan(ctx, kind, rules, d)
			if err != nil {
				return nil, err
			}
			d["beginObject"] = begin
		}
	}
	self := core.Str(d, "url")
	urls := func(kind, ref string) ([]any, error) {
		docs, err := s.DB.Query(ctx, kind, ref, "")
		out := make([]any, 0, len(docs))
		for _, x := range docs {
			out = append(out, core.Str(x, "url"))
		}
		return out, err
	}
	// referring lists the resources of a kind whose list field holds this resource.
	referring := func(kind, field string) ([]core.Doc, error) {
		all, err := s.DB.Query(ctx, kind, "", "")
		var out []core.Doc
		for _, x := range all {
			if slices.Contains(core.Strs(x, field), self) {
				out = append(out, x)
			}
		}
		return out, err
	}
	var err error
	set := func(field string, value any, e error) {
		if e != nil && err == nil {
			err = e
		}
		d[field] = value
	}
	switch kind {
	case "catalogus":
		for field, k := range map[string]string{"zaaktypen": "zaaktype", "besluittypen": "besluittype", "informatieobjecttypen": "informatieobjecttype"} {
			list, e := urls(k, self)
			set(field, list, e)
		}
	case "zaaktype":
		for field, k := range map[string]string{"statustypen": "statustype", "resultaattypen": "resultaattype", "roltypen": "roltype", "eigenschappen": "eigenschap"} {
			list, e := urls(k, self)
			set(field, list, e)
		}
		iots, e := s.zaaktypeIOTs(ctx, d)
		set("informatieobjecttypen", docURLs(iots), e)
		d["zaakobjecttypen"] = []any{}
	case "statustype", "resultaattype", "roltype", "eigenschap", "ziot":
		zt, e := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(d, "zaaktype")))
		if e == nil {
			d["catalogus"], d["zaaktypeIdentificatie"] = core.Str(zt, "catalogus"), core.Str(zt, "identificatie")
		}
		switch kind {
		case "statustype":
			siblings, e := s.DB.Query(ctx, "statustype", core.Str(d, "zaaktype"), "")
			highest := true
			for _, x := range siblings {
				highest = highest && core.Num(x, "volgnummer") <= core.Num(d, "volgnummer")
			}
			set("isEindstatus", highest, e)
			// Open Zaak answers the statustype's zaakobjecttypen (a list), not the spec's
			// zaakobjecttype.
			delete(d, "zaakobjecttype")
			if d["zaakobjecttypen"] == nil {
				d["zaakobjecttypen"] = []any{}
			}
		case "resultaattype":
			bts, e1 := s.docsAt(ctx, "besluittype", core.Strs(d, "besluittypen"))
			iots, e2 := s.docsAt(ctx, "informatieobjecttype", core.Strs(d, "informatieobjecttypen"))
			set("besluittypeOmschrijving", fieldOf(bts, "omschrijving"), e1)
			set("informatieobjecttypeOmschrijving", fieldOf(iots, "omschrijving"), e2)
			d["zaakobjecttypen"] = []any{}
		}
	case "besluittype":
		zts, e := referring("zaaktype", "besluittypen")
		set("zaaktypen", docURLs(zts), e)
		rts, e := referring("resultaattype", "besluittypen")
		set("resultaattypen", docURLs(rts), e)
		d["resultaattypenOmschrijving"] = fieldOf(rts, "omschrijving")
		d["vastgelegdIn"] = []any{}
	case "informatieobjecttype":
		bts, e := referring("besluittype", "informatieobjecttypen")
		set("besluittypen", docURLs(bts), e)
		zts, e := s.iotZaaktypen(ctx, d)
		set("zaaktypen", docURLs(zts), e)
	}
	return d, err
}

// zaaktypeIOTs are the informatieobjecttypen a zaaktype allows: those its
// zaaktype-informatieobjecttypen name, by omschrijving within its catalogus (Catalogi 1.2 and
// later, so that a relation holds across versions of the informatieobjecttype) or by URL.
func (s *API) zaaktypeIOTs(ctx context.Context, zt core.Doc) ([]core.Doc, error) {
	links, err := s.DB.Query(ctx, "ziot", core.Str(zt, "url"), "")
	if err != nil {
		return nil, err
	}
	var out []core.Doc
	for _, link := range links {
		iots, err := s.ziotTargets(ctx, link, core.Str(zt, "catalogus"))
		if err != nil {
			return nil, err
		}
		for _, iot := range iots {
			if !slices.ContainsFunc(out, func(x core.Doc) bool { return core.Str(x, "url") == core.Str(iot, "url") }) {
				out = append(out, iot)
			}
		}
	}
	return out, nil
}

// ziotTargets resolves the informatieobjecttype of a zaaktype-informatieobjecttype.
func (s *API) ziotTargets(ctx context.Context, link core.Doc, catalogus string) ([]core.Doc, error) {
	ref := core.Str(link, "informatieobjecttype")
	if core.IsLocalPath(ref) {
		iot, err := s.DB.Get(ctx, "informatieobjecttype", core.LastSegment(ref))
		if err != nil {
			return nil, nil // a relation to a type deleted since
		}
		return []core.Doc{iot}, nil
	}
	return s.DB.Query(ctx, "informatieobjecttype", catalogus, ref)
}

// iotZaaktypen are the zaaktypen whose zaaktype-informatieobjecttypen point at an
// informatieobjecttype.
func (s *API) iotZaaktypen(ctx context.Context, iot core.Doc) ([]core.Doc, error) {
	links, err := s.DB.Query(ctx, "ziot", "", "")
	if err != nil {
		return nil, err
	}
	var out []core.Doc
	for _, link := range links {
		ref := core.Str(link, "informatieobjecttype")
		if ref != core.Str(iot, "url") && ref != core.Str(iot, "omschrijving") {
			continue
		}
		zt, err := s.DB.Get(ctx, "zaaktype", core.LastSegment(core.Str(link, "zaaktype")))
		if err != nil || core.Str(zt, "catalogus") != core.Str(iot, "catalogus") && ref != core.Str(iot, "url") {
			continue
		}
		if !slices.ContainsFunc(out, func(x core.Doc) bool { return core.Str(x, "url") == core.Str(zt, "url") }) {
			out = append(out, zt)
		}
	}
	return out, nil
}

// docsAt reads the resources of a kind at the given paths; paths that point nowhere are left out.
func (s *API) docsAt(ctx context.Context, kind string, paths []string) ([]core.Doc, error) {
	var out []core.Doc
	for _, p := range paths {
		d, err := s.DB.Get(ctx, kind, core.LastSegment(p))
		if err == nil {
			out = append(out, d)
		} else if err != core.ErrNotFound {
			return nil, err
		}
	}
	return out, nil
}

func docURLs(docs []core.Doc) []any { return fieldOf(docs, "url") }

func fieldOf(docs []core.Doc, field string) []any {
	out := make([]any, 0, len(docs))
	for _, d := range docs {
		out = append(out, core.Str(d, field))
	}
	return out
}

func CatPath(collection, uuid string) string { return core.CatalogiRoot + collection + "/" + uuid }
