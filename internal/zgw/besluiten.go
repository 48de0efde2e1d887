package zgw

import (
	"context"
	"maps"
	"net/http"
	"net/url"
)

// BesluitenService is the Besluiten API.
type BesluitenService struct {
	c    *Client
	base string
}

func (s *BesluitenService) svc() *service { return &service{c: s.c, base: s.base} }

// CreateBesluit registers a besluit. Not idempotent: after an uncertain failure, look it up by
// identificatie first.
func (s *BesluitenService) CreateBesluit(ctx context.Context, b Besluit) (*Besluit, error) {
	var out Besluit
	return &out, s.svc().post(ctx, s.base+"/besluiten", b, &out)
}

// ListBesluiten lists the besluiten of a zaak, optionally with an identificatie.
func (s *BesluitenService) ListBesluiten(ctx context.Context, zaak, identificatie string) ([]Besluit, error) {
	q := url.Values{}
	setIf(q, "zaak", zaak)
	setIf(q, "identificatie", identificatie)
	return collect(list[Besluit](ctx, s.svc(), s.svc().url("/besluiten", q)))
}

// CreateBesluitInformatieObject links a document to a besluit.
func (s *BesluitenService) CreateBesluitInformatieObject(ctx context.Context, bio BesluitInformatieObject) (*BesluitInformatieObject, error) {
	var out BesluitInformatieObject
	return &out, s.svc().post(ctx, s.base+"/besluitinformatieobjecten", bio, &out)
}

// ListBesluitInformatieObjecten lists the documents of a besluit.
func (s *BesluitenService) ListBesluitInformatieObjecten(ctx context.Context, besluit string) ([]BesluitInformatieObject, error) {
	return listUnpaged[BesluitInformatieObject](ctx, s.svc(), s.svc().url("/besluitinformatieobjecten", url.Values{"besluit": {besluit}}))
}

// AuditTrail reads the audit trail of a besluit.
func (s *BesluitenService) AuditTrail(ctx context.Context, besluit string) ([]AuditTrail, error) {
	return listUnpaged[AuditTrail](ctx, s.svc(), trimSlash(besluit)+"/audittrail")
}

// GetBesluit reads a besluit by URL.
func (s *BesluitenService) GetBesluit(ctx context.Context, u string) (*Besluit, error) {
	var out Besluit
	return &out, s.svc().get(ctx, u, &out)
}

// UpdateBesluit changes fields of a besluit (PATCH), e.g. links it to a zaak. The Besluiten API
// 1.0 spec gives PATCH the full besluit's required fields, so they are read first and sent along
// as they are.
func (s *BesluitenService) UpdateBesluit(ctx context.Context, u string, fields map[string]any) (*Besluit, error) {
	cur, err := s.GetBesluit(ctx, u)
	if err != nil {
		return nil, err
	}
	body := map[string]any{"verantwoordelijkeOrganisatie": cur.VerantwoordelijkeOrganisatie, "besluittype": cur.BesluitType,
		"datum": cur.Datum, "ingangsdatum": cur.IngangsDatum}
	maps.Copy(body, fields)
	var out Besluit
	return &out, s.svc().send(ctx, http.MethodPatch, u, body, &out)
}

// IsBesluit reports whether raw is the URL of a besluit in this Besluiten API
// (<root>/besluiten/<id>): a notification naming anything else is not followed.
func (s *BesluitenService) IsBesluit(raw string) bool { return isResource(s.base, "besluiten", raw) }

// Configured reports whether a Besluiten API is configured.
func (s *BesluitenService) Configured() bool { return s.base != "" }
