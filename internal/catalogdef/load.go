package catalogdef

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// maxDefinitionSize bounds a definition file: a few kilobytes in practice.
const maxDefinitionSize = 1 << 20

// definitionWait bounds how long a definition may take to arrive: a pipe whose writer never
// ends must not hold the command.
const definitionWait = 5 * time.Second

// Load reads a definition from a YAML or JSON file. Fields it leaves out keep the default
// definition's values, so a file only says what differs; unknown fields are refused (a typo
// must not pass silently).
func Load(path string, base Definition) (Definition, error) {
	raw, err := readBounded(path, maxDefinitionSize, definitionWait)
	if err != nil {
		return Definition{}, fmt.Errorf("definition: %w", err)
	}
	def := base
	if err := yaml.UnmarshalStrict(raw, &def); err != nil {
		return Definition{}, fmt.Errorf("definition %s: %w", path, err)
	}
	return def, def.Validate()
}

// Validate refuses a definition the connector or a zaaksysteem could not work with, naming
// every problem.
func (d Definition) Validate() error {
	var problems []string
	need := func(what, value string) {
		if strings.TrimSpace(value) == "" {
			problems = append(problems, what+" is empty")
		}
	}
	need("catalogus.domein", d.Catalogus.Domein)
	need("catalogus.rsin", d.Catalogus.RSIN)
	z := d.Zaaktype
	need("zaaktype.identificatie", z.Identificatie)
	need("zaaktype.omschrijving", z.Omschrijving)
	need("zaaktype.beginGeldigheid", z.BeginGeldigheid)
	if len(z.Statustypen) < 2 {
		problems = append(problems, "zaaktype.statustypen needs at least two (a first and an eindstatus)")
	}
	if len(z.Resultaattypen) == 0 {
		problems = append(problems, "zaaktype.resultaattypen is empty")
	}
	for i, r := range z.Resultaattypen {
		need(fmt.Sprintf("zaaktype.resultaattypen[%d].selectielijstklasse", i), r.Selectielijstklasse)
		need(fmt.Sprintf("zaaktype.resultaattypen[%d].brondatumArchiefprocedure.afleidingswijze", i), r.BrondatumArchiefprocedure.Afleidingswijze)
	}
	iots := make([]string, 0, len(d.Informatieobjecttypen))
	for _, t := range d.Informatieobjecttypen {
		iots = append(iots, t.Omschrijving)
	}
	for _, l := range z.Informatieobjecttypen {
		if !slices.Contains(iots, l.Omschrijving) {
			problems = append(problems, fmt.Sprintf("zaaktype.informatieobjecttypen names %q, which informatieobjecttypen does not define", l.Omschrijving))
		}
	}
	for _, b := range d.Besluittypen {
		for _, name := range b.Informatieobjecttypen {
			if !slices.Contains(iots, name) {
				problems = append(problems, fmt.Sprintf("besluittype %q names informatieobjecttype %q, which informatieobjecttypen does not define", b.Omschrijving, name))
			}
		}
	}
	for _, name := range z.Besluittypen {
		if !slices.ContainsFunc(d.Besluittypen, func(b Besluittype) bool { return b.Omschrijving == name }) {
			problems = append(problems, fmt.Sprintf("zaaktype.besluittypen names %q, which besluittypen does not define", name))
		}
	}
	if len(problems) > 0 {
		return errors.New("definition: " + strings.Join(problems, "; "))
	}
	return nil
}

// Expand replaces the Selectielijst placeholder in the definition's URLs with a root.
func (d Definition) Expand(selectielijst string) Definition {
	b, _ := json.Marshal(d)
	root, _ := json.Marshal(strings.TrimSuffix(selectielijst, "/"))
	b = []byte(strings.ReplaceAll(string(b), SelectielijstPlaceholder, strings.Trim(string(root), `"`)))
	var out Definition
	_ = json.Unmarshal(b, &out)
	return out
}

// UsesPlaceholder reports whether the definition still names the Selectielijst by placeholder.
func (d Definition) UsesPlaceholder() bool {
	b, _ := json.Marshal(d)
	return strings.Contains(string(b), SelectielijstPlaceholder)
}
