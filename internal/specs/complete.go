package specs

import (
	"encoding/json"
	"net/http/httptest"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// leftOut lists the fields of a successful JSON answer's resource(s) that its schema in the spec
// has and the answer does not: a resource is answered with every field, as Open Zaak renders it
// (null, "" or [] when unset), so that a client reads one shape. A paginated list is checked per
// result, a plain list per item; nested objects and write-only fields are not checked.
func leftOut(input *openapi3filter.RequestValidationInput, rec *httptest.ResponseRecorder) []string {
	if rec.Code < 200 || rec.Code > 299 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		return nil
	}
	resp := input.Route.Operation.Responses.Status(rec.Code)
	if resp == nil || resp.Value == nil {
		return nil
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	var body any
	if json.Unmarshal(rec.Body.Bytes(), &body) != nil {
		return nil
	}
	missing := map[string]bool{}
	check := func(schema *openapi3.Schema, v any) {
		obj, ok := v.(map[string]any)
		if !ok || schema == nil {
			return
		}
		for name, prop := range properties(schema) {
			if _, present := obj[name]; !present && (prop.Value == nil || !prop.Value.WriteOnly) && !notAnsweredByOpenZaak(input.Request.URL.Path, name) {
				missing[name] = true
			}
		}
	}
	schema := media.Schema.Value
	switch {
	case schema.Type.Is("array") && schema.Items != nil:
		list, _ := body.([]any)
		for _, item := range list {
			check(schema.Items.Value, item)
		}
	case properties(schema)["results"] != nil && properties(schema)["count"] != nil:
		results := properties(schema)["results"].Value
		list, _ := body.(map[string]any)["results"].([]any)
		if results != nil && results.Items != nil {
			for _, item := range list {
				check(results.Items.Value, item)
			}
		}
	default:
		check(schema, body)
	}
	out := make([]string, 0, len(missing))
	for name := range missing {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// properties are a schema's properties with those of its allOf parts.
func properties(s *openapi3.Schema) openapi3.Schemas {
	if len(s.AllOf) == 0 {
		return s.Properties
	}
	all := openapi3.Schemas{}
	for k, v := range s.Properties {
		all[k] = v
	}
	for _, part := range s.AllOf {
		if part.Value != nil {
			for k, v := range properties(part.Value) {
				all[k] = v
			}
		}
	}
	return all
}

// notAnsweredByOpenZaak are the fields the specs answer that the reference implementations do
// not: a bestandsdeel's inhoud (Open Zaak's serializer writes it only; the Documenten spec lists it
// in BestandsDeelResponse), an abonnement's auth (Open Notificaties: write-only; the Notificaties
// spec does not mark it) and a statustype's zaakobjecttype (Open Zaak answers zaakobjecttypen, a
// list, in its place).
func notAnsweredByOpenZaak(path, field string) bool {
	return field == "inhoud" && strings.HasPrefix(path, "/documenten/api/v1/bestandsdelen/") ||
		field == "auth" && strings.HasPrefix(path, "/notificaties/api/v1/abonnement") ||
		field == "zaakobjecttype" && strings.HasPrefix(path, "/catalogi/api/v1/statustypen")
}
