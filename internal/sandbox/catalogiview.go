package sandbox

import (
	"context"
	"slices"
)

// The Catalogi API answers many fields that are the other side of a relation (a zaaktype's
// statustypen, an informatieobjecttype's zaaktypen, a statustype's isEindstatus). The sandbox
// stores each relation once, on the side a client writes, and derives the rest when a type is
// read, so that no write can leave two sides disagreeing.

// catalogType reads a catalogue resource with its derived fields.
func (s *Server) catalogType(ctx context.Context, kind, uuid string) (doc, error) {
	d, err := s.db.get(ctx, kind, uuid)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, kind, d)
}

// view fills in the derived fields of a catalogue resource.
func (s *Server) view(ctx context.Context, kind string, d doc) (doc, error) {
	self := str(d, "url")
	urls := func(kind, ref string) ([]any, error) {
		docs, err := s.db.query(ctx, kind, ref, "")
		out := make([]any, 0, len(docs))
		for _, x := range docs {
			out = append(out, str(x, "url"))
		}
		return out, err
	}
	// referring lists the resources of a kind whose list field holds this resource.
	referring := func(kind, field string) ([]doc, error) {
		all, err := s.db.query(ctx, kind, "", "")
		var out []doc
		for _, x := range all {
			if slices.Contains(strs(x, field), self) {
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
		zt, e := s.db.get(ctx, "zaaktype", lastSegment(str(d, "zaaktype")))
		if e == nil {
			d["catalogus"], d["zaaktypeIdentificatie"] = str(zt, "catalogus"), str(zt, "identificatie")
		}
		switch kind {
		case "statustype":
			siblings, e := s.db.query(ctx, "statustype", str(d, "zaaktype"), "")
			highest := true
			for _, x := range siblings {
				highest = highest && num(x, "volgnummer") <= num(d, "volgnummer")
			}
			set("isEindstatus", highest, e)
			d["zaakobjecttype"] = ""
		case "resultaattype":
			bts, e1 := s.docsAt(ctx, "besluittype", strs(d, "besluittypen"))
			iots, e2 := s.docsAt(ctx, "informatieobjecttype", strs(d, "informatieobjecttypen"))
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
func (s *Server) zaaktypeIOTs(ctx context.Context, zt doc) ([]doc, error) {
	links, err := s.db.query(ctx, "ziot", str(zt, "url"), "")
	if err != nil {
		return nil, err
	}
	var out []doc
	for _, link := range links {
		iots, err := s.ziotTargets(ctx, link, str(zt, "catalogus"))
		if err != nil {
			return nil, err
		}
		for _, iot := range iots {
			if !slices.ContainsFunc(out, func(x doc) bool { return str(x, "url") == str(iot, "url") }) {
				out = append(out, iot)
			}
		}
	}
	return out, nil
}

// ziotTargets resolves the informatieobjecttype of a zaaktype-informatieobjecttype.
func (s *Server) ziotTargets(ctx context.Context, link doc, catalogus string) ([]doc, error) {
	ref := str(link, "informatieobjecttype")
	if isLocalPath(ref) {
		iot, err := s.db.get(ctx, "informatieobjecttype", lastSegment(ref))
		if err != nil {
			return nil, nil // a relation to a type deleted since
		}
		return []doc{iot}, nil
	}
	return s.db.query(ctx, "informatieobjecttype", catalogus, ref)
}

// iotZaaktypen are the zaaktypen whose zaaktype-informatieobjecttypen point at an
// informatieobjecttype.
func (s *Server) iotZaaktypen(ctx context.Context, iot doc) ([]doc, error) {
	links, err := s.db.query(ctx, "ziot", "", "")
	if err != nil {
		return nil, err
	}
	var out []doc
	for _, link := range links {
		ref := str(link, "informatieobjecttype")
		if ref != str(iot, "url") && ref != str(iot, "omschrijving") {
			continue
		}
		zt, err := s.db.get(ctx, "zaaktype", lastSegment(str(link, "zaaktype")))
		if err != nil || str(zt, "catalogus") != str(iot, "catalogus") && ref != str(iot, "url") {
			continue
		}
		if !slices.ContainsFunc(out, func(x doc) bool { return str(x, "url") == str(zt, "url") }) {
			out = append(out, zt)
		}
	}
	return out, nil
}

// docsAt reads the resources of a kind at the given paths; paths that point nowhere are left out.
func (s *Server) docsAt(ctx context.Context, kind string, paths []string) ([]doc, error) {
	var out []doc
	for _, p := range paths {
		d, err := s.db.get(ctx, kind, lastSegment(p))
		if err == nil {
			out = append(out, d)
		} else if err != errNotFound {
			return nil, err
		}
	}
	return out, nil
}

func docURLs(docs []doc) []any { return fieldOf(docs, "url") }

func fieldOf(docs []doc, field string) []any {
	out := make([]any, 0, len(docs))
	for _, d := range docs {
		out = append(out, str(d, field))
	}
	return out
}

func catPath(collection, uuid string) string { return catalogiRoot + collection + "/" + uuid }
