package provision

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// compare reports every field of the definition's body that the catalogue holds otherwise. The
// fields the definition writes by name (relations) are compared as the URLs those names found.
func (p *run) compare(what string, body, found zgw.TypeDoc, rel relations) {
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if want, isRelation := rel[k]; isRelation {
			have := strList(found[k])
			if !sameSet(have, want) {
				p.differ(what, k, strings.Join(have, ", "), strings.Join(want, ", "))
			}
			continue
		}
		if _, written := body[k].([]any); written && k != "trefwoorden" && k != "productenOfDiensten" {
			continue // other relations (by name, as written) are answered as URLs: not comparable
		}
		if !same(found[k], body[k]) {
			p.differ(what, k, show(found[k]), show(body[k]))
		}
	}
}

func (p *run) differ(what, field, have, want string) {
	p.report.Differences = append(p.report.Differences,
		fmt.Sprintf("%s: %s is %s in the catalogue, %s in the definition", what, field, have, want))
}

// same compares two JSON values, taking a missing value, null and "" for the same (zaaksystemen
// differ in which they answer for an unset field).
func same(a, b any) bool {
	if empty(a) && empty(b) {
		return true
	}
	am, aIsMap := a.(map[string]any)
	bm, bIsMap := b.(map[string]any)
	if aIsMap && bIsMap {
		for k := range am {
			if !same(am[k], bm[k]) {
				return false
			}
		}
		for k := range bm {
			if !same(am[k], bm[k]) {
				return false
			}
		}
		return true
	}
	return show(a) == show(b)
}

func empty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case bool:
		return !t
	case []any:
		return len(t) == 0
	}
	return false
}

// show renders a value for a report (numbers as JSON writes them: 2, not 2.0).
func show(v any) string {
	if v == nil {
		return "(empty)"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func strList(v any) []string {
	raw, _ := v.([]any)
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func str(d zgw.TypeDoc, k string) string {
	s, _ := d[k].(string)
	return s
}
