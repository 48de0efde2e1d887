package zaken

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// validZaakRelations applies the Zaken API's rules for a zaak's groups and references, with
// Open Zaak's codes: opschorting and verlenging complete, no laatsteBetaaldatum when nothing is to
// be paid, products and services of the zaaktype, a communicatiekanaal from a referentielijst,
// related zaken and the hoofdzaak that exist.
func (s *API) validZaakRelations(r *http.Request, v *core.Validation, d, zt core.Doc) {
	if o, ok := d["opschorting"].(map[string]any); ok {
		if _, ok := o["indicatie"]; !ok {
			v.Add("opschorting.indicatie", "required", "Dit veld is vereist.")
		}
		if _, ok := o["reden"]; !ok {
			v.Add("opschorting.reden", "required", "Dit veld is vereist.")
		}
	}
	if g, ok := d["verlenging"].(map[string]any); ok {
		for _, f := range []string{"reden", "duur"} {
			if _, ok := g[f]; !ok {
				v.Add("verlenging."+f, "required", "Dit veld is vereist.")
			}
		}
	}
	if core.Str(d, "betalingsindicatie") == "nvt" && d["laatsteBetaaldatum"] != nil && core.Str(d, "laatsteBetaaldatum") != "" {
		v.Add("laatsteBetaaldatum", "betaling-nvt", "Er kan geen laatste betaaldatum zijn als er niets te betalen is.")
	}
	if zt != nil {
		for _, p := range core.Strs(d, "productenOfDiensten") {
			if !slices.Contains(core.Strs(zt, "productenOfDiensten"), p) {
				v.Add("productenOfDiensten", "invalid-products-services", "Producten of diensten horen bij het zaaktype.")
				break
			}
		}
	}
	if k := core.Str(d, "communicatiekanaal"); k != "" {
		u, err := url.Parse(k)
		body, ok := []byte(nil), false
		if err == nil {
			body, ok = s.Fetch(r.Context(), u)
		}
		var kanaal struct{ Naam string }
		switch {
		case !ok:
			v.Add("communicatiekanaal", "bad-url", "De URL is ongeldig of geeft geen antwoord.")
		case json.Unmarshal(body, &kanaal) != nil || kanaal.Naam == "":
			v.Add("communicatiekanaal", "invalid-resource", "De URL wijst niet naar een communicatiekanaal.")
		}
	}
	if rel, ok := d["relevanteAndereZaken"].([]any); ok {
		for i, x := range rel {
			m, _ := x.(map[string]any)
			field := fmt.Sprintf("relevanteAndereZaken.%d.url", i)
			if id, ok := core.UuidFrom(core.Str(m, "url"), core.ZakenRoot+"zaken/"); !ok {
				v.Add(field, "bad-url", "De URL wijst niet naar een zaak.")
			} else if _, err := s.DB.Get(r.Context(), "zaak", id); err != nil {
				v.Add(field, "bad-url", "De URL wijst niet naar een bestaande zaak.")
			}
		}
	}
	if h := core.Str(d, "hoofdzaak"); h != "" {
		id, ok := core.UuidFrom(h, core.ZakenRoot+"zaken/")
		if h == core.Str(d, "url") {
			v.Add("hoofdzaak", "self-forbidden", "Een zaak kan niet zijn eigen hoofdzaak zijn.")
		} else if !ok {
			v.Add("hoofdzaak", "no_match", "De URL wijst niet naar een zaak van dit systeem.")
		} else if hz, err := s.DB.Get(r.Context(), "zaak", id); err != nil {
			v.Add("hoofdzaak", "does_not_exist", "De hoofdzaak bestaat niet.")
		} else if core.Str(hz, "hoofdzaak") != "" {
			v.Add("hoofdzaak", "deelzaak-als-hoofdzaak", "Een deelzaak kan geen hoofdzaak zijn.")
		}
	}
}
