package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// validZaakRelations applies the Zaken API's rules for a zaak's groups and references, with
// Open Zaak's codes: opschorting and verlenging complete, no laatsteBetaaldatum when nothing is to
// be paid, products and services of the zaaktype, a communicatiekanaal from a referentielijst,
// related zaken and the hoofdzaak that exist.
func (s *Server) validZaakRelations(r *http.Request, v *validation, d, zt doc) {
	if o, ok := d["opschorting"].(map[string]any); ok {
		if _, ok := o["indicatie"]; !ok {
			v.add("opschorting.indicatie", "required", "Dit veld is vereist.")
		}
		if _, ok := o["reden"]; !ok {
			v.add("opschorting.reden", "required", "Dit veld is vereist.")
		}
	}
	if g, ok := d["verlenging"].(map[string]any); ok {
		for _, f := range []string{"reden", "duur"} {
			if _, ok := g[f]; !ok {
				v.add("verlenging."+f, "required", "Dit veld is vereist.")
			}
		}
	}
	if str(d, "betalingsindicatie") == "nvt" && d["laatsteBetaaldatum"] != nil && str(d, "laatsteBetaaldatum") != "" {
		v.add("laatsteBetaaldatum", "betaling-nvt", "Er kan geen laatste betaaldatum zijn als er niets te betalen is.")
	}
	if zt != nil {
		for _, p := range strs(d, "productenOfDiensten") {
			if !slices.Contains(strs(zt, "productenOfDiensten"), p) {
				v.add("productenOfDiensten", "invalid-products-services", "Producten of diensten horen bij het zaaktype.")
				break
			}
		}
	}
	if k := str(d, "communicatiekanaal"); k != "" {
		u, err := url.Parse(k)
		body, ok := []byte(nil), false
		if err == nil {
			body, ok = s.fetch(r.Context(), u)
		}
		var kanaal struct{ Naam string }
		switch {
		case !ok:
			v.add("communicatiekanaal", "bad-url", "De URL is ongeldig of geeft geen antwoord.")
		case json.Unmarshal(body, &kanaal) != nil || kanaal.Naam == "":
			v.add("communicatiekanaal", "invalid-resource", "De URL wijst niet naar een communicatiekanaal.")
		}
	}
	if rel, ok := d["relevanteAndereZaken"].([]any); ok {
		for i, x := range rel {
			m, _ := x.(map[string]any)
			field := fmt.Sprintf("relevanteAndereZaken.%d.url", i)
			if id, ok := uuidFrom(str(m, "url"), zakenRoot+"zaken/"); !ok {
				v.add(field, "bad-url", "De URL wijst niet naar een zaak.")
			} else if _, err := s.db.get(r.Context(), "zaak", id); err != nil {
				v.add(field, "bad-url", "De URL wijst niet naar een bestaande zaak.")
			}
		}
	}
	if h := str(d, "hoofdzaak"); h != "" {
		id, ok := uuidFrom(h, zakenRoot+"zaken/")
		if h == str(d, "url") {
			v.add("hoofdzaak", "self-forbidden", "Een zaak kan niet zijn eigen hoofdzaak zijn.")
		} else if !ok {
			v.add("hoofdzaak", "no_match", "De URL wijst niet naar een zaak van dit systeem.")
		} else if hz, err := s.db.get(r.Context(), "zaak", id); err != nil {
			v.add("hoofdzaak", "does_not_exist", "De hoofdzaak bestaat niet.")
		} else if str(hz, "hoofdzaak") != "" {
			v.add("hoofdzaak", "deelzaak-als-hoofdzaak", "Een deelzaak kan geen hoofdzaak zijn.")
		}
	}
}
