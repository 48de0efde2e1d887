package zgw

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"sync/atomic"
)

// ZakenService is the Zaken API.
type ZakenService struct {
	c    *Client
	base string
	// refusesExpand: this Zaken API answered ?expand= with 400 (older than 1.5); it is not asked
	// again.
	refusesExpand atomic.Bool
}

// crs are the headers Open Zaak requires on zaak endpoints (412 without them).
var crs = map[string]string{"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}

func (s *ZakenService) svc() *service   { return &service{c: s.c, base: s.base} }
func (s *ZakenService) zaken() *service { return &service{c: s.c, base: s.base, headers: crs} }

// ZaakFilter narrows a zaak listing. The standard has no filter on kenmerken: narrow by zaaktype
// and startdatum, then check Zaak.HasKenmerk.
type ZaakFilter struct {
	Identificatie   string
	Bronorganisatie string
	ZaakType        string
	Startdatum      string
}

// CreateZaak creates a zaak. Not idempotent: after an uncertain failure, look it up first.
func (s *ZakenService) CreateZaak(ctx context.Context, z Zaak) (*Zaak, error) {
	var out Zaak
	return &out, s.zaken().post(ctx, s.base+"/zaken", z, &out)
}

// GetZaak reads a zaak by URL.
func (s *ZakenService) GetZaak(ctx context.Context, u string) (*Zaak, error) {
	var out Zaak
	return &out, s.zaken().get(ctx, u, &out)
}

// GetZaakWithDocuments reads a zaak and its zaakinformatieobjecten: from a Zaken API 1.5 in one
// request (expand=zaakinformatieobjecten). The expansion is used only when it is whole — one
// entry for every link the zaak names; otherwise (an API that ignores or refuses expand, or
// leaves entries out) the links are listed, as before 1.5. A refusal is remembered.
func (s *ZakenService) GetZaakWithDocuments(ctx context.Context, u string) (*Zaak, []ZaakInformatieObject, error) {
	var z *Zaak
	if !s.refusesExpand.Load() {
		var out struct {
			Zaak
			Expand *struct {
				ZaakInformatieObjecten *[]ZaakInformatieObject `json:"zaakinformatieobjecten"`
			} `json:"_expand"`
		}
		err := s.zaken().get(ctx, withQuery(u, "expand", "zaakinformatieobjecten"), &out)
		switch {
		case StatusOf(err) == http.StatusBadRequest:
			s.refusesExpand.Store(true)
		case err != nil:
			return nil, nil, err
		case out.Expand != nil && out.Expand.ZaakInformatieObjecten != nil && len(*out.Expand.ZaakInformatieObjecten) == len(out.ZaakInformatieObjecten):
			return &out.Zaak, inLinkOrder(*out.Expand.ZaakInformatieObjecten), nil
		default:
			z = &out.Zaak
		}
	}
	if z == nil {
		var err error
		if z, err = s.GetZaak(ctx, u); err != nil {
			return nil, nil, err
		}
	}
	zios, err := s.ListZaakInformatieObjecten(ctx, u)
	return z, zios, err
}

// ListZaken lists zaken matching the filter.
func (s *ZakenService) ListZaken(ctx context.Context, f ZaakFilter) iter.Seq2[Zaak, error] {
	q := url.Values{}
	setIf(q, "identificatie", f.Identificatie)
	setIf(q, "bronorganisatie", f.Bronorganisatie)
	setIf(q, "zaaktype", f.ZaakType)
	setIf(q, "startdatum", f.Startdatum)
	return list[Zaak](ctx, s.zaken(), s.zaken().url("/zaken", q))
}

// CreateStatus sets a status on a zaak; the eindstatus closes it.
func (s *ZakenService) CreateStatus(ctx context.Context, st Status) (*Status, error) {
	var out Status
	return &out, s.svc().post(ctx, s.base+"/statussen", st, &out)
}

// ListStatussen lists the statussen of a zaak.
func (s *ZakenService) ListStatussen(ctx context.Context, zaak string) ([]Status, error) {
	return collect(list[Status](ctx, s.svc(), s.svc().url("/statussen", url.Values{"zaak": {zaak}})))
}

// CreateResultaat records the outcome of a zaak.
func (s *ZakenService) CreateResultaat(ctx context.Context, r Resultaat) (*Resultaat, error) {
	var out Resultaat
	return &out, s.svc().post(ctx, s.base+"/resultaten", r, &out)
}

// ListResultaten lists the resultaten of a zaak (at most one).
func (s *ZakenService) ListResultaten(ctx context.Context, zaak string) ([]Resultaat, error) {
	return collect(list[Resultaat](ctx, s.svc(), s.svc().url("/resultaten", url.Values{"zaak": {zaak}})))
}

// GetResultaat reads a resultaat by URL.
func (s *ZakenService) GetResultaat(ctx context.Context, u string) (*Resultaat, error) {
	var out Resultaat
	return &out, s.svc().get(ctx, u, &out)
}

// CreateZaakInformatieObject links a document to a zaak.
func (s *ZakenService) CreateZaakInformatieObject(ctx context.Context, zio ZaakInformatieObject) (*ZaakInformatieObject, error) {
	var out ZaakInformatieObject
	return &out, s.svc().post(ctx, s.base+"/zaakinformatieobjecten", zio, &out)
}

// ListZaakInformatieObjecten lists the documents linked to a zaak.
func (s *ZakenService) ListZaakInformatieObjecten(ctx context.Context, zaak string) ([]ZaakInformatieObject, error) {
	zios, err := listUnpaged[ZaakInformatieObject](ctx, s.svc(), s.svc().url("/zaakinformatieobjecten", url.Values{"zaak": {zaak}}))
	return inLinkOrder(zios), err
}

// inLinkOrder puts a zaak's links in the order they were made (registratiedatum), whatever order
// the zaaksysteem answers them in (Open Zaak lists them newest first, a zaak's own list oldest
// first): every reader of a zaak's documents sees one order.
func inLinkOrder(zios []ZaakInformatieObject) []ZaakInformatieObject {
	sort.SliceStable(zios, func(i, j int) bool { return zios[i].RegistratieDatum < zios[j].RegistratieDatum })
	return zios
}

// CreateRol adds a party to a zaak.
func (s *ZakenService) CreateRol(ctx context.Context, r Rol) (*Rol, error) {
	var out Rol
	return &out, s.svc().post(ctx, s.base+"/rollen", r, &out)
}

// ListRollen lists the parties of a zaak.
func (s *ZakenService) ListRollen(ctx context.Context, zaak string) ([]Rol, error) {
	return collect(list[Rol](ctx, s.svc(), s.svc().url("/rollen", url.Values{"zaak": {zaak}})))
}

// AuditTrail reads the audit trail of a zaak.
func (s *ZakenService) AuditTrail(ctx context.Context, zaak string) ([]AuditTrail, error) {
	return listUnpaged[AuditTrail](ctx, s.svc(), trimSlash(zaak)+"/audittrail")
}
