package sandbox

import (
	"encoding/json"
	"maps"
	"strings"
)

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// public drops the sandbox's internal fields (lock, part bookkeeping).
func public(d doc) doc {
	out := make(doc, len(d))
	for k, v := range d {
		if !strings.HasPrefix(k, "__") {
			out[k] = v
		}
	}
	return out
}

func str(d doc, k string) string {
	s, _ := d[k].(string)
	return s
}

func boolean(d doc, k string) bool {
	b, _ := d[k].(bool)
	return b
}

func strs(d doc, k string) []string {
	raw, _ := d[k].([]any)
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// withChanges is old with the fields in sends (of those that may change).
func withChanges(old, in doc, fields ...string) doc {
	d := maps.Clone(old)
	for _, f := range fields {
		if x, sent := in[f]; sent {
			d[f] = x
		}
	}
	return d
}

// fixed refuses, with wijzigen-niet-toegelaten, an update that sends another value for a field
// that never changes; it reports which fields it refused.
func fixed(v *validation, in, old doc, fields ...string) map[string]bool {
	refused := map[string]bool{}
	for _, f := range fields {
		if _, sent := in[f]; sent && str(in, f) != str(old, f) {
			v.add(f, "wijzigen-niet-toegelaten", "Dit veld mag niet gewijzigd worden.")
			refused[f] = true
		}
	}
	return refused
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}

// num reads a number field: as a request sent it (decoded with UseNumber) or as stored; 0 when
// there is none.
func num(d doc, k string) float64 {
	switch n := d[k].(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case float64:
		return n
	case int:
		return float64(n)
	}
	return 0
}

// defaults sets the fields of def that d does not have.
func defaults(d, def doc) {
	for k, v := range def {
		if _, ok := d[k]; !ok {
			d[k] = v
		}
	}
}
