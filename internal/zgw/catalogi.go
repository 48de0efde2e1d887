package zgw

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// CatalogiService reads the Catalogi API and resolves the types a flow needs, once.
type CatalogiService struct {
	c    *Client
	base string

	mu       sync.Mutex
	catalogi map[string]string     // catalogus URL by domein
	versions map[string][]ZaakType // by catalogus URL + identificatie
	resolved map[string]*Catalogue // by zaaktype URL + spec
}

func (s *CatalogiService) svc() *service { return &service{c: s.c, base: s.base} }

// ListCatalogussen lists catalogues, optionally narrowed by domein and rsin.
func (s *CatalogiService) ListCatalogussen(ctx context.Context, domein, rsin string) iter.Seq2[Catalogus, error] {
	q := url.Values{}
	setIf(q, "domein", domein)
	setIf(q, "rsin", rsin)
	return list[Catalogus](ctx, s.svc(), s.svc().url("/catalogussen", q))
}

// ListZaakTypen lists the published zaaktypen with an identificatie in a catalogue.
func (s *CatalogiService) ListZaakTypen(ctx context.Context, catalogus, identificatie string) iter.Seq2[ZaakType, error] {
	q := url.Values{"status": {"definitief"}}
	setIf(q, "catalogus", catalogus)
	setIf(q, "identificatie", identificatie)
	return list[ZaakType](ctx, s.svc(), s.svc().url("/zaaktypen", q))
}

// GetZaakType reads one zaaktype by URL.
func (s *CatalogiService) GetZaakType(ctx context.Context, u string) (*ZaakType, error) {
	var zt ZaakType
	return &zt, s.svc().get(ctx, u, &zt)
}

// ListStatusTypen lists a zaaktype's statustypen, ordered by volgnummer.
func (s *CatalogiService) ListStatusTypen(ctx context.Context, zaaktype string) ([]StatusType, error) {
	sts, err := collect(list[StatusType](ctx, s.svc(), s.svc().url("/statustypen", url.Values{"zaaktype": {zaaktype}})))
	slices.SortFunc(sts, func(a, b StatusType) int { return a.Volgnummer - b.Volgnummer })
	return sts, err
}

// ListResultaatTypen lists a zaaktype's resultaattypen.
func (s *CatalogiService) ListResultaatTypen(ctx context.Context, zaaktype string) ([]ResultaatType, error) {
	return collect(list[ResultaatType](ctx, s.svc(), s.svc().url("/resultaattypen", url.Values{"zaaktype": {zaaktype}})))
}

// ListInformatieObjectTypen lists the published informatieobjecttypen of a catalogue.
func (s *CatalogiService) ListInformatieObjectTypen(ctx context.Context, catalogus string) ([]InformatieObjectType, error) {
	return collect(list[InformatieObjectType](ctx, s.svc(), s.svc().url("/informatieobjecttypen", url.Values{"catalogus": {catalogus}, "status": {"definitief"}})))
}

// ListBesluitTypen lists the published besluittypen of a catalogue.
func (s *CatalogiService) ListBesluitTypen(ctx context.Context, catalogus string) ([]BesluitType, error) {
	return collect(list[BesluitType](ctx, s.svc(), s.svc().url("/besluittypen", url.Values{"catalogus": {catalogus}, "status": {"definitief"}})))
}

// CatalogueSpec names the types a flow needs, the way an operator configures them.
type CatalogueSpec struct {
	// Catalogus is the catalogue's URL or its domein.
	Catalogus string
	// ZaakType is the zaaktype identificatie; the version valid on the date asked for is used.
	ZaakType string
	// InformatieObjectTypen are omschrijvingen that must all exist and be allowed by the zaaktype.
	InformatieObjectTypen []string
	// ResultaatType is the omschrijving of the resultaattype recorded on closing.
	ResultaatType string
	// ResultaatTypeNotConfirmed is the omschrijving of the resultaattype recorded when the zaak
	// closes without every account confirmed; empty when not used.
	ResultaatTypeNotConfirmed string
	// StatusTypeFiled is the omschrijving of the statustype set when every objection is filed
	// at Meta; empty when not used. It must be neither the first nor the eindstatus.
	StatusTypeFiled string
	// BesluitType is the omschrijving of the besluittype; empty when no besluit is registered.
	BesluitType string
}

// Catalogue holds the resolved types for one zaaktype version.
type Catalogue struct {
	ZaakType              ZaakType
	StatusTypen           []StatusType // ordered by volgnummer; the last is the eindstatus
	ResultaatType         ResultaatType
	NotConfirmed          *ResultaatType                  // when the spec names it
	FiledStatus           *StatusType                     // when the spec names it
	InformatieObjectTypen map[string]InformatieObjectType // by omschrijving
	BesluitType           *BesluitType
}

// FirstStatus is the statustype a new zaak starts in.
func (c *Catalogue) FirstStatus() StatusType { return c.StatusTypen[0] }

// EindStatus is the statustype that closes a zaak.
func (c *Catalogue) EindStatus() StatusType { return c.StatusTypen[len(c.StatusTypen)-1] }

// ErrCatalogue marks a catalogue that cannot serve the spec (a missing or unpublished type):
// retrying does not help, the catalogue or the configuration must change.
var ErrCatalogue = errors.New("catalogue does not fit the configuration")

// Resolve finds the zaaktype version valid on date (YYYY-MM-DD) and the types the spec names.
// Results are cached: the versions of a zaaktype are listed once, and the dependent types once
// per version, so later flows make no catalogue calls at all.
func (s *CatalogiService) Resolve(ctx context.Context, spec CatalogueSpec, date string) (*Catalogue, error) {
	catURL, err := s.catalogusURL(ctx, spec.Catalogus)
	if err != nil {
		return nil, err
	}
	versions, err := s.zaakTypeVersions(ctx, catURL, spec.ZaakType)
	if err != nil {
		return nil, err
	}
	zt, ok := validOn(versions, date)
	if !ok {
		return nil, fmt.Errorf("zgw: no published zaaktype %q in %s valid on %s: %w", spec.ZaakType, catURL, date, ErrCatalogue)
	}
	key := strings.Join(append([]string{zt.URL, spec.ResultaatType, spec.ResultaatTypeNotConfirmed, spec.StatusTypeFiled, spec.BesluitType}, spec.InformatieObjectTypen...), "\x00")
	s.mu.Lock()
	cat := s.resolved[key]
	s.mu.Unlock()
	if cat != nil {
		return cat, nil
	}
	cat, err = s.resolveTypes(ctx, catURL, zt, spec, date)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.resolved[key] = cat
	s.mu.Unlock()
	return cat, nil
}

func (s *CatalogiService) catalogusURL(ctx context.Context, ref string) (string, error) {
	if strings.Contains(ref, "://") {
		if !s.c.Allows(ref) {
			return "", &ForeignURLError{URL: ref}
		}
		return ref, nil
	}
	s.mu.Lock()
	u, ok := s.catalogi[ref]
	s.mu.Unlock()
	if ok {
		return u, nil
	}
	cats, err := collect(s.ListCatalogussen(ctx, ref, ""))
	if err != nil {
		return "", err
	}
	switch len(cats) {
	case 0:
		return "", fmt.Errorf("zgw: no catalogus with domein %q: %w", ref, ErrCatalogue)
	case 1:
		s.mu.Lock()
		s.catalogi[ref] = cats[0].URL
		s.mu.Unlock()
		return cats[0].URL, nil
	}
	return "", fmt.Errorf("zgw: %d catalogi with domein %q, configure its URL: %w", len(cats), ref, ErrCatalogue)
}

func (s *CatalogiService) zaakTypeVersions(ctx context.Context, catURL, identificatie string) ([]ZaakType, error) {
	key := catURL + "\x00" + identificatie
	s.mu.Lock()
	v, ok := s.versions[key]
	s.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := collect(s.ListZaakTypen(ctx, catURL, identificatie))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.versions[key] = v
	s.mu.Unlock()
	return v, nil
}

// validOn picks the published version whose validity covers date (dates compare as strings in
// ISO form). When several do, the latest beginGeldigheid wins.
func validOn(versions []ZaakType, date string) (ZaakType, bool) {
	var best ZaakType
	found := false
	for _, zt := range versions {
		if zt.Concept || zt.BeginGeldigheid > date || (zt.EindeGeldigheid != nil && *zt.EindeGeldigheid < date) {
			continue
		}
		if !found || zt.BeginGeldigheid > best.BeginGeldigheid {
			best, found = zt, true
		}
	}
	return best, found
}

func (s *CatalogiService) resolveTypes(ctx context.Context, catURL string, zt ZaakType, spec CatalogueSpec, date string) (*Catalogue, error) {
	cat := &Catalogue{ZaakType: zt, InformatieObjectTypen: map[string]InformatieObjectType{}}
	var err error
	if cat.StatusTypen, err = s.ListStatusTypen(ctx, zt.URL); err != nil {
		return nil, err
	}
	if len(cat.StatusTypen) < 2 {
		return nil, fmt.Errorf("zgw: zaaktype %s has %d statustypen, at least 2 are needed: %w", zt.URL, len(cat.StatusTypen), ErrCatalogue)
	}
	rts, err := s.ListResultaatTypen(ctx, zt.URL)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(rts, func(r ResultaatType) bool { return r.Omschrijving == spec.ResultaatType }); i >= 0 {
		cat.ResultaatType = rts[i]
	} else {
		return nil, fmt.Errorf("zgw: zaaktype %s has no resultaattype %q: %w", zt.URL, spec.ResultaatType, ErrCatalogue)
	}
	if spec.ResultaatTypeNotConfirmed != "" {
		i := slices.IndexFunc(rts, func(r ResultaatType) bool { return r.Omschrijving == spec.ResultaatTypeNotConfirmed })
		if i < 0 {
			return nil, fmt.Errorf("zgw: zaaktype %s has no resultaattype %q: %w", zt.URL, spec.ResultaatTypeNotConfirmed, ErrCatalogue)
		}
		cat.NotConfirmed = &rts[i]
	}
	if spec.StatusTypeFiled != "" {
		i := slices.IndexFunc(cat.StatusTypen, func(s StatusType) bool { return s.Omschrijving == spec.StatusTypeFiled })
		if i <= 0 || i == len(cat.StatusTypen)-1 {
			return nil, fmt.Errorf("zgw: zaaktype %s has no statustype %q between its first and its eindstatus: %w", zt.URL, spec.StatusTypeFiled, ErrCatalogue)
		}
		cat.FiledStatus = &cat.StatusTypen[i]
	}

	iots, err := s.ListInformatieObjectTypen(ctx, catURL)
	if err != nil {
		return nil, err
	}
	for _, want := range spec.InformatieObjectTypen {
		i := slices.IndexFunc(iots, func(t InformatieObjectType) bool {
			return t.Omschrijving == want && slices.Contains(zt.InformatieObjectTypen, t.URL) && validRange(t.BeginGeldigheid, t.EindeGeldigheid, date)
		})
		if i < 0 {
			return nil, fmt.Errorf("zgw: no published informatieobjecttype %q allowed by zaaktype %s: %w", want, zt.URL, ErrCatalogue)
		}
		cat.InformatieObjectTypen[want] = iots[i]
	}

	if spec.BesluitType != "" {
		bts, err := s.ListBesluitTypen(ctx, catURL)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(bts, func(t BesluitType) bool {
			return t.Omschrijving == spec.BesluitType && slices.Contains(zt.BesluitTypen, t.URL) && validRange(t.BeginGeldigheid, t.EindeGeldigheid, date)
		})
		if i < 0 {
			return nil, fmt.Errorf("zgw: no published besluittype %q allowed by zaaktype %s: %w", spec.BesluitType, zt.URL, ErrCatalogue)
		}
		cat.BesluitType = &bts[i]
	}
	return cat, nil
}

func validRange(begin string, end *string, date string) bool {
	return begin <= date && (end == nil || *end >= date)
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

// GetStatusType reads one statustype by URL.
func (s *CatalogiService) GetStatusType(ctx context.Context, u string) (*StatusType, error) {
	var st StatusType
	return &st, s.svc().get(ctx, u, &st)
}

// GetResultaatType reads one resultaattype by URL.
func (s *CatalogiService) GetResultaatType(ctx context.Context, u string) (*ResultaatType, error) {
	var rt ResultaatType
	return &rt, s.svc().get(ctx, u, &rt)
}
