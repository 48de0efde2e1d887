package specs

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const thingsSpec = `openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: a thing
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
  /things:
    get:
      responses:
        "200":
          description: a page of things
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer}
                  results: {type: array, items: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      properties:
        naam: {type: string}
        einde: {type: string, nullable: true}
        geheim: {type: string, writeOnly: true}
`

// An answer that leaves out a field of its schema is a violation; a write-only field is not
// answered; a page is checked per result.
func TestAnswersCarryEveryField(t *testing.T) {
	for _, tc := range []struct {
		name, path, body string
		missing          string // "" : no violation
	}{
		{"every field, null where unset", "/api/things/1", `{"naam":"a","einde":null}`, ""},
		{"a field left out", "/api/things/1", `{"naam":"a"}`, "leaves out einde"},
		{"the write-only field is never answered", "/api/things/1", `{"naam":"a","einde":"2025-01-01"}`, ""},
		{"a result of a page left out a field", "/api/things", `{"count":2,"results":[{"naam":"a","einde":null},{"einde":null}]}`, "leaves out naam"},
		{"an error is no resource", "/api/things/2", ``, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := FromData([]byte(thingsSpec), "/api")
			if err != nil {
				t.Fatal(err)
			}
			h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.body == "" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tc.path, nil))
			got := strings.Join(v.Violations(), "\n")
			switch {
			case tc.missing == "" && strings.Contains(got, "leaves out"):
				t.Errorf("violations %q, want none of a left-out field", got)
			case tc.missing != "" && !strings.Contains(got, tc.missing):
				t.Errorf("violations %q, want %q", got, tc.missing)
			}
		})
	}
}
