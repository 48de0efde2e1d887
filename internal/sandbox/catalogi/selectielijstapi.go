package catalogi

import (
	"net/http"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// selectielijstStandIn are its resources, by path.
var selectielijstStandIn = func() map[string]core.Doc {
	path := func(ref string) string {
		return strings.Replace(ref, catalogdef.SelectielijstPlaceholder, core.SelectielijstRoot, 1)
	}
	procestype := path(catalogdef.SandboxProcestype)
	resultaat := func(ref string, nummer int, naam, waardering, procestermijn string, bewaartermijn any) core.Doc {
		return core.Doc{"url": path(ref), "procesType": procestype, "nummer": nummer, "volledigNummer": "1." + string(rune('0'+nummer)),
			"naam": naam, "omschrijving": "", "herkomst": "Sandbox", "waardering": waardering, "procestermijn": procestermijn,
			"procestermijnWeergave": procestermijn, "bewaartermijn": bewaartermijn, "toelichting": "", "specifiek": false,
			"voorbeelden": []any{}}
	}
	docs := []core.Doc{
		{"url": procestype, "nummer": 1, "jaar": 2020, "naam": "Sandbox: bezwaar tegen gebruik van gegevens",
			"omschrijving": "", "toelichting": "", "procesobject": "Het bezwaar"},
		resultaat(catalogdef.SandboxKlasseAfgehandeld, 1, "Afgehandeld", "blijvend_bewaren", "nihil", nil),
		resultaat(catalogdef.SandboxKlasseVastTeLeggen, 2, "Vervallen", "vernietigen", "vast_te_leggen_datum", "P5Y"),
		{"url": path(catalogdef.SandboxResultaattypeOmschr), "omschrijving": "Afgehandeld", "definitie": "Het bezwaar is afgehandeld.", "opmerking": ""},
	}
	out := map[string]core.Doc{}
	for _, d := range docs {
		out[core.Str(d, "url")] = d
	}
	return out
}()

// ServeSelectielijst answers GET of one stand-in resource, or a list of a collection.
func ServeSelectielijst(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		core.WriteProblem(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "Methode niet toegestaan.", "Alleen lezen.", nil)
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if d, ok := selectielijstStandIn[path]; ok {
		core.Render(w, r, http.StatusOK, d)
		return
	}
	var list []core.Doc
	for p, d := range selectielijstStandIn {
		if strings.HasPrefix(p, path+"/") && !strings.Contains(p[len(path)+1:], "/") {
			list = append(list, d)
		}
	}
	if list == nil {
		core.WriteNotFound(w, r)
		return
	}
	core.RenderList(w, r, list)
}
