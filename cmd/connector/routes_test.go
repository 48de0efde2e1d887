package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gemeenten/meta-bezwaar-connector/api/openapi"
)

// TestRoutesMatchTheSpec: the one route table serves exactly the API's operations the OpenAPI
// spec lists — none missing, none extra — beside the console's pages and the operational
// endpoints.
func TestRoutesMatchTheSpec(t *testing.T) {
	w := newWorld(t)
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var specified []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			specified = append(specified, method+" "+path)
		}
	}
	// The API and the operational endpoints are specified; the console's pages are not.
	var served []string
	for _, p := range w.app.Routes {
		if strings.Contains(p, " /api/") || slices.Contains([]string{"GET /healthz", "GET /readyz", "GET /metrics"}, p) {
			served = append(served, p)
		}
	}
	slices.Sort(specified)
	slices.Sort(served)
	for _, p := range served {
		if !slices.Contains(specified, p) {
			t.Errorf("served but not in the spec: %s", p)
		}
	}
	for _, p := range specified {
		if !slices.Contains(served, p) {
			t.Errorf("in the spec but not served: %s", p)
		}
	}
	for _, want := range []string{"GET /zaken/{id}", "GET /beheer", "/beheer/wachtrij/"} {
		if !slices.Contains(w.app.Routes, want) {
			t.Errorf("the route table lacks %s", want)
		}
	}
}
