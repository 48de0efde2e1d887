// Package provision creates the connector's zaaktype in a zaaksysteem's catalogue through the
// Catalogi API, from a definition (catalogdef): catalogus (when missing), informatieobjecttypen,
// besluittypen, the zaaktype with its statustypen, resultaattypen, roltypen and
// zaaktype-informatieobjecttypen — as concepts for the functional administrator to review and
// publish, or published at once. It is idempotent: what exists (found by domein, omschrijving
// or identificatie) is not created again but compared, and every difference is reported; the
// catalogue is never changed behind an administrator's back.
package provision

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Catalogi is what provisioning needs of the Catalogi API.
type Catalogi interface {
	ListTypes(ctx context.Context, collection string, filters url.Values) ([]zgw.TypeDoc, error)
	CreateType(ctx context.Context, collection string, body zgw.TypeDoc) (zgw.TypeDoc, error)
	Publish(ctx context.Context, typeURL string) error
}

// Report is what a run did and found.
type Report struct {
	Created     []string // "zaaktype BEZWAAR-META-AI", …
	Existing    []string // found and left alone
	Published   []string
	Differences []string // "zaaktype BEZWAAR-META-AI: doorlooptijd is "P20D" in the catalogue, "P30D" in the definition"
	ZaaktypeURL string
}

// Options steer a run.
type Options struct {
	// Publish publishes the definition's types that are still concepts (after creating them).
	Publish bool
	// Progress is told every step (nil: quiet).
	Progress func(string)
}

// Run provisions def (its Selectielijst placeholder already expanded) in the catalogue.
func Run(ctx context.Context, api Catalogi, def catalogdef.Definition, opts Options) (*Report, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	if def.UsesPlaceholder() {
		return nil, fmt.Errorf("the definition still names the Selectielijst by %s: expand it first", catalogdef.SelectielijstPlaceholder)
	}
	p := &run{api: api, opts: opts, report: &Report{}}
	if opts.Progress == nil {
		p.opts.Progress = func(string) {}
	}
	if err := p.all(ctx, def); err != nil {
		return p.report, err
	}
	return p.report, nil
}

type run struct {
	api    Catalogi
	opts   Options
	report *Report
	// concepts are the definition's types found or created as concepts, in publishing order.
	concepts []named
}

type named struct{ what, url string }

func (p *run) all(ctx context.Context, def catalogdef.Definition) error {
	cat, err := p.ensure(ctx, "catalogussen", "catalogus "+def.Catalogus.Domein,
		url.Values{"domein": {def.Catalogus.Domein}, "rsin": {def.Catalogus.RSIN}}, def.CatalogusBody(), nil)
	if err != nil {
		return err
	}
	catURL := str(cat, "url")
	iotURLs := map[string]string{}
	for _, t := range def.Informatieobjecttypen {
		d, err := p.ensure(ctx, "informatieobjecttypen", "informatieobjecttype "+quote(t.Omschrijving),
			url.Values{"catalogus": {catURL}, "omschrijving": {t.Omschrijving}}, catalogdef.InformatieobjecttypeBody(t, catURL), nil)
		if err != nil {
			return err
		}
		iotURLs[t.Omschrijving] = str(d, "url")
	}
	btURLs := map[string]string{}
	for _, t := range def.Besluittypen {
		d, err := p.ensure(ctx, "besluittypen", "besluittype "+quote(t.Omschrijving),
			url.Values{"catalogus": {catURL}, "omschrijving": {t.Omschrijving}}, catalogdef.BesluittypeBody(t, catURL),
			relations{"informatieobjecttypen": urlsOf(t.Informatieobjecttypen, iotURLs)})
		if err != nil {
			return err
		}
		btURLs[t.Omschrijving] = str(d, "url")
	}
	z := def.Zaaktype
	zaaktypeName := "zaaktype " + z.Identificatie
	found, err := p.find(ctx, "zaaktypen", url.Values{"catalogus": {catURL}, "identificatie": {z.Identificatie}})
	if err != nil {
		return err
	}
	zt := found
	if zt == nil {
		if zt, err = p.create(ctx, "zaaktypen", zaaktypeName, def.ZaaktypeBody(catURL)); err != nil {
			return err
		}
	} else {
		p.existing(zaaktypeName, zt)
		p.compare(zaaktypeName, def.ZaaktypeBody(catURL), zt, relations{"besluittypen": urlsOf(z.Besluittypen, btURLs)})
	}
	ztURL := str(zt, "url")
	p.report.ZaaktypeURL = ztURL
	if err := p.children(ctx, def, ztURL, found != nil); err != nil {
		return err
	}
	if p.opts.Publish {
		for _, c := range p.concepts {
			p.opts.Progress("publishing " + c.what)
			if err := p.api.Publish(ctx, c.url); err != nil {
				return fmt.Errorf("publishing %s: %w", c.what, err)
			}
			p.report.Published = append(p.report.Published, c.what)
		}
	}
	return nil
}

// children creates the zaaktype's own types, or, for a zaaktype that existed, compares them.
func (p *run) children(ctx context.Context, def catalogdef.Definition, ztURL string, existed bool) error {
	type child struct {
		collection, what, key string
		body                  zgw.TypeDoc
	}
	var all []child
	z := def.Zaaktype
	for _, t := range z.Statustypen {
		all = append(all, child{"statustypen", "statustype " + quote(t.Omschrijving), "omschrijving", catalogdef.StatustypeBody(t, ztURL)})
	}
	for _, t := range z.Resultaattypen {
		all = append(all, child{"resultaattypen", "resultaattype " + quote(t.Omschrijving), "omschrijving", catalogdef.ResultaattypeBody(t, ztURL)})
	}
	for _, t := range z.Roltypen {
		all = append(all, child{"roltypen", "roltype " + quote(t.Omschrijving), "omschrijving", catalogdef.RoltypeBody(t, ztURL)})
	}
	for _, t := range z.Informatieobjecttypen {
		all = append(all, child{"zaaktype-informatieobjecttypen", "zaaktype-informatieobjecttype " + quote(t.Omschrijving), "informatieobjecttype",
			catalogdef.ZaaktypeInformatieobjecttypeBody(t, ztURL)})
	}
	lists := map[string][]zgw.TypeDoc{}
	if existed { // every collection, also one the definition has nothing in: it is compared both ways
		for _, c := range childCollections {
			list, err := p.api.ListTypes(ctx, c.collection, url.Values{"zaaktype": {ztURL}})
			if err != nil {
				return fmt.Errorf("reading the %s of the zaaktype: %w", c.collection, err)
			}
			lists[c.collection] = list
		}
	}
	wanted := map[string][]string{}
	for _, c := range all {
		wanted[c.collection] = append(wanted[c.collection], str(c.body, c.key))
	}
	for _, c := range all {
		if !existed {
			if _, err := p.api.CreateType(ctx, c.collection, c.body); err != nil {
				return fmt.Errorf("creating %s: %w", c.what, err)
			}
			p.opts.Progress("created " + c.what)
			p.report.Created = append(p.report.Created, c.what)
			continue
		}
		match := matching(lists[c.collection], c.key, str(c.body, c.key))
		if match == nil {
			p.report.Differences = append(p.report.Differences, c.what+": missing in the catalogue")
			continue
		}
		p.compare(c.what, c.body, match, nil)
	}
	// The other way: what the catalogue's zaaktype has that the definition does not.
	for _, c := range childCollections {
		for _, have := range lists[c.collection] {
			if k := str(have, c.key); !slices.Contains(wanted[c.collection], k) {
				p.report.Differences = append(p.report.Differences, c.noun+" "+quote(k)+": in the catalogue, not in the definition")
			}
		}
	}
	return nil
}

// childCollections are the zaaktype's own types: what each is called and what names it.
var childCollections = []struct{ collection, noun, key string }{
	{"statustypen", "statustype", "omschrijving"}, {"resultaattypen", "resultaattype", "omschrijving"},
	{"roltypen", "roltype", "omschrijving"}, {"zaaktype-informatieobjecttypen", "zaaktype-informatieobjecttype", "informatieobjecttype"},
}

// relations are expected lists of URLs for fields the definition writes by name.
type relations map[string][]string

// ensure finds a type by its filters or creates it; a found one is compared with the body.
func (p *run) ensure(ctx context.Context, collection, what string, filters url.Values, body zgw.TypeDoc, rel relations) (zgw.TypeDoc, error) {
	found, err := p.find(ctx, collection, filters)
	if err != nil {
		return nil, err
	}
	if found == nil {
		return p.create(ctx, collection, what, body)
	}
	p.existing(what, found)
	p.compare(what, body, found, rel)
	return found, nil
}

// find returns the match of a list query valid today, else the newest version, or nil.
func (p *run) find(ctx context.Context, collection string, filters url.Values) (zgw.TypeDoc, error) {
	list, err := p.api.ListTypes(ctx, collection, filters)
	if err != nil {
		return nil, fmt.Errorf("looking up %s: %w", collection, err)
	}
	today := time.Now().Format(time.DateOnly)
	var newest zgw.TypeDoc
	for _, d := range list {
		if begin, end := str(d, "beginGeldigheid"), str(d, "eindeGeldigheid"); begin <= today && (end == "" || end >= today) {
			return d, nil
		}
		if newest == nil || str(d, "beginGeldigheid") > str(newest, "beginGeldigheid") {
			newest = d
		}
	}
	return newest, nil
}

func (p *run) create(ctx context.Context, collection, what string, body zgw.TypeDoc) (zgw.TypeDoc, error) {
	d, err := p.api.CreateType(ctx, collection, body)
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", what, err)
	}
	p.opts.Progress("created " + what)
	p.report.Created = append(p.report.Created, what)
	if concept, _ := d["concept"].(bool); concept {
		p.concepts = append(p.concepts, named{what, str(d, "url")})
	}
	return d, nil
}

func (p *run) existing(what string, d zgw.TypeDoc) {
	p.opts.Progress("found " + what)
	p.report.Existing = append(p.report.Existing, what)
	if concept, _ := d["concept"].(bool); concept {
		p.concepts = append(p.concepts, named{what, str(d, "url")})
	}
}

func matching(list []zgw.TypeDoc, key, value string) zgw.TypeDoc {
	for _, d := range list {
		if str(d, key) == value {
			return d
		}
	}
	return nil
}

func urlsOf(names []string, byName map[string]string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, byName[n])
	}
	return out
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
