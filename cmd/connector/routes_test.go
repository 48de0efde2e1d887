package main

import (
	"context"
	"os"
	"regexp"
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

	// The console's pages: every one it serves is in README's section on the web console, and
	// every page that section's table names is served.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)[strings.Index(string(readme), "## The web console"):]
	section = section[:strings.Index(section[3:], "\n## ")+3]
	for _, p := range w.app.Routes {
		method, path, found := strings.Cut(p, " ")
		if !found {
			method, path = "", p // River's UI: every method under its prefix
		}
		if slices.Contains(served, p) || method == "POST" {
			continue
		}
		path = strings.TrimSuffix(path, "{$}")
		if !strings.Contains(section, "`"+path+"`") {
			t.Errorf("the console serves %s, which README's section on the web console does not name", p)
		}
	}
	for _, m := range regexp.MustCompile("(?m)^\\| `(/[^`]*)`(?:, `(/[^`]*)`)? \\|").FindAllStringSubmatch(section, -1) {
		for _, page := range m[1:] {
			if page != "" && !slices.Contains(w.app.Routes, "GET "+page) && !slices.Contains(w.app.Routes, page) {
				t.Errorf("README names the page %s, which the console does not serve", page)
			}
		}
	}
}
