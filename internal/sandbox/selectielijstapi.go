package sandbox

import (
	"net/http"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"
)

// selectielijstStandIn are its resources, by path.
var selectielijstStandIn = func() map[string]doc {
	path := func(ref string) string {
		return strings.Replace(ref, catalogdef.SelectielijstPlaceholder, selectielijstRoot, 1)
	}
	procestype := path(catalogdef.SandboxProcestype)
	resultaat := func(ref string, nummer int, naam, waardering, procestermijn string, bewaartermijn any) doc {
		return doc{"url": path(ref), "procesType": procestype, "nummer": nummer, "volledigNummer": "1." + string(rune('0'+nummer)),
			"naam": naam, "omschrijving": "", "herkomst": "Sandbox", "waardering": waardering, "procestermijn": procestermijn,
			"procestermijnWeergave": procestermijn, "bewaartermijn": bewaartermijn, "toelichting": "", "specifiek": false,
			"voorbeelden": []any{}}
	}
	docs := []doc{
		{"url": procestype, "nummer": 1, "jaar": 2020, "naam": "Sandbox: bezwaar tegen gebruik van gegevens",
			"omschrijving": "", "toelichting": "", "procesobject": "Het bezwaar"},
		resultaat(catalogdef.SandboxKlasseAfgehandeld, 1, "Afgehandeld", "blijvend_bewaren", "nihil", nil),
		resultaat(catalogdef.SandboxKlasseVastTeLeggen, 2, "Vervallen", "vernietigen", "vast_te_leggen_datum", "P5Y"),
		{"url": path(catalogdef.SandboxResultaattypeOmschr), "omschrijving": "Afgehandeld", "definitie": "Het bezwaar is afgehandeld.", "opmerking": ""},
	}
	out := map[string]doc{}
	for _, d := range docs {
		out[str(d, "url")] = d
	}
	return out
}()

// serveSelectielijst answers GET of one stand-in resource, or a list of a collection.
func serveSelectielijst(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeProblem(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "Methode niet toegestaan.", "Alleen lezen.", nil)
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if d, ok := selectielijstStandIn[path]; ok {
		render(w, r, http.StatusOK, d)
		return
	}
	var list []doc
	for p, d := range selectielijstStandIn {
		if strings.HasPrefix(p, path+"/") && !strings.Contains(p[len(path)+1:], "/") {
			list = append(list, d)
		}
	}
	if list == nil {
		writeNotFound(w, r)
		return
	}
	renderList(w, r, list)
}
