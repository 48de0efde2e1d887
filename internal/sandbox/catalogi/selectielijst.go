package catalogi

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// The Catalogi API checks the archive fields of zaaktypen and resultaattypen against VNG's
// Selectielijst API, as Open Zaak does: a reference must be a resource of the right kind there,
// and the resultaattype's archive rules must fit the selectielijst's resultaat.

// selectielijstRef reads the resource a field points at in the Selectielijst (or Referentielijsten)
// API and checks that it has the keys of the expected kind. An unreachable URL is `bad-url`;
// one that answers with something else is `invalid-resource`.
func (s *API) selectielijstRef(ctx context.Context, v *core.Validation, d core.Doc, field string, keys ...string) core.Doc {
	ref := core.Str(d, field)
	if ref == "" {
		return nil
	}
	res, found := selectielijstStandIn[ref]
	if !found {
		u, err := url.Parse(ref)
		if err != nil || core.IsLocalPath(ref) || !s.selectielijstAllowed(ref) {
			v.Add(field, "bad-url", "De URL wijst niet naar de Selectielijst API van deze omgeving.")
			return nil
		}
		body, ok := s.Fetch(ctx, u)
		if !ok {
			v.Add(field, "bad-url", "De URL kon niet worden opgehaald.")
			return nil
		}
		if json.Unmarshal(body, &res) != nil {
			res = nil
		}
	}
	if res == nil {
		v.Add(field, "invalid-resource", "De URL wijst niet naar een resource van de verwachte soort.")
		return nil
	}
	for _, k := range keys {
		if _, has := res[k]; !has {
			v.Add(field, "invalid-resource", "De URL wijst niet naar een resource van de verwachte soort.")
			return nil
		}
	}
	return res
}

// selectielijstAllowed reports whether a URL lies under the configured Selectielijst API (any,
// when none is configured).
func (s *API) selectielijstAllowed(ref string) bool {
	return s.Cfg.SelectielijstURL == "" || strings.HasPrefix(ref, strings.TrimSuffix(s.Cfg.SelectielijstURL, "/")+"/")
}

// The keys that tell the Selectielijst's resources apart.
var (
	procestypeKeys                = []string{"nummer", "jaar", "naam"}
	selectielijstResultaatKeys    = []string{"procesType", "procestermijn", "waardering"}
	resultaattypeomschrijvingKeys = []string{"omschrijving", "definitie"}
)

// brondatumRules says, per afleidingswijze, which fields of brondatumArchiefprocedure must be
// given and which must stay empty (the rules of the Catalogi standard).
var brondatumRules = map[string]struct{ required, empty []string }{
	"afgehandeld":          {nil, []string{"procestermijn", "datumkenmerk", "einddatumBekend", "objecttype", "registratie"}},
	"termijn":              {[]string{"procestermijn"}, []string{"datumkenmerk", "einddatumBekend", "objecttype", "registratie"}},
	"eigenschap":           {[]string{"datumkenmerk"}, []string{"procestermijn", "objecttype", "registratie"}},
	"zaakobject":           {[]string{"datumkenmerk", "objecttype"}, []string{"procestermijn", "registratie"}},
	"ander_datumkenmerk":   {[]string{"datumkenmerk", "objecttype", "registratie"}, []string{"procestermijn"}},
	"gerelateerde_zaak":    {nil, []string{"procestermijn", "datumkenmerk", "objecttype", "registratie"}},
	"hoofdzaak":            {nil, []string{"procestermijn", "datumkenmerk", "objecttype", "registratie"}},
	"ingangsdatum_besluit": {nil, []string{"procestermijn", "datumkenmerk", "objecttype", "registratie"}},
	"vervaldatum_besluit":  {nil, []string{"procestermijn", "datumkenmerk", "objecttype", "registratie"}},
}

// onlyAfleidingswijze names the one afleidingswijze a selectielijst procestermijn allows.
var onlyAfleidingswijze = map[string]string{"nihil": "afgehandeld", "ingeschatte_bestaansduur_procesobject": "termijn"}

// CheckResultaattypeArchive checks a resultaattype against its selectielijstklasse and zaaktype
// and fills in what the selectielijst decides when the request leaves it out.
func (s *API) CheckResultaattypeArchive(ctx context.Context, v *core.Validation, d, zt core.Doc) {
	if omschrijving := s.selectielijstRef(ctx, v, d, "resultaattypeomschrijving", resultaattypeomschrijvingKeys...); omschrijving != nil {
		d["omschrijvingGeneriek"] = core.Str(omschrijving, "omschrijving")
	}
	klasse := s.selectielijstRef(ctx, v, d, "selectielijstklasse", selectielijstResultaatKeys...)
	bron, _ := d["brondatumArchiefprocedure"].(map[string]any)
	wijze := core.Str(bron, "afleidingswijze")
	if rules, known := brondatumRules[wijze]; bron != nil && known {
		filled := func(f string) bool {
			switch x := bron[f].(type) {
			case nil:
				return false
			case string:
				return x != ""
			case bool:
				return x
			}
			return true
		}
		for _, f := range []string{"procestermijn", "datumkenmerk", "einddatumBekend", "objecttype", "registratie"} {
			switch {
			case slices.Contains(rules.required, f) && !filled(f):
				v.Add("brondatumArchiefprocedure."+f, "required", "Dit veld is vereist bij afleidingswijze "+wijze+".")
			case slices.Contains(rules.empty, f) && filled(f):
				v.Add("brondatumArchiefprocedure."+f, "must-be-empty", "Dit veld moet leeg zijn bij afleidingswijze "+wijze+".")
			}
		}
	} else if bron != nil {
		v.Add("brondatumArchiefprocedure.afleidingswijze", "invalid_choice", "Onbekende afleidingswijze.")
	}
	if klasse == nil {
		return
	}
	if only, ok := onlyAfleidingswijze[core.Str(klasse, "procestermijn")]; ok && bron != nil && wijze != only {
		v.Add("nonFieldErrors", "invalid-afleidingswijze-for-procestermijn",
			"Bij procestermijn "+core.Str(klasse, "procestermijn")+" van de selectielijstklasse hoort afleidingswijze "+only+".")
	}
	if pt := core.Str(zt, "selectielijstProcestype"); pt != "" && core.Str(klasse, "procesType") != pt {
		v.Add("nonFieldErrors", "procestype-mismatch", "De selectielijstklasse hoort niet bij het selectielijstProcestype van het zaaktype.")
	}
	if d["archiefnominatie"] == nil || d["archiefnominatie"] == "" {
		d["archiefnominatie"] = core.Str(klasse, "waardering")
	}
	if d["archiefactietermijn"] == nil || d["archiefactietermijn"] == "" {
		d["archiefactietermijn"] = klasse["bewaartermijn"]
	}
}
