package zgw

import (
	"context"
	"net/url"
)

// Catalogue writes, for provisioning a zaaktype: resources are plain JSON objects here, as the
// caller compares them field by field with a definition.

// TypeDoc is a catalogue resource as JSON.
type TypeDoc = map[string]any

// ListTypes lists a catalogue collection (e.g. "zaaktypen") with the given filters, concepts
// included (status=alles).
func (s *CatalogiService) ListTypes(ctx context.Context, collection string, filters url.Values) ([]TypeDoc, error) {
	q := url.Values{"status": {"alles"}}
	for k, v := range filters {
		q[k] = v
	}
	if collection == "catalogussen" {
		q.Del("status") // catalogussen have no status filter
	}
	return collect(list[TypeDoc](ctx, s.svc(), s.svc().url("/"+collection, q)))
}

// CreateType creates a resource in a catalogue collection and returns it as the API answers it.
func (s *CatalogiService) CreateType(ctx context.Context, collection string, body TypeDoc) (TypeDoc, error) {
	var out TypeDoc
	return out, s.svc().post(ctx, s.svc().url("/"+collection, nil), body, &out)
}

// Publish publishes a concept zaaktype, besluittype or informatieobjecttype (a URL outside the
// configured roots is refused, as every request is).
func (s *CatalogiService) Publish(ctx context.Context, typeURL string) error {
	return s.svc().post(ctx, typeURL+"/publish", nil, nil)
}
