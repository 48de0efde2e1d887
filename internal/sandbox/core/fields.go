package core

import (
	"encoding/json"
	"maps"
	"strings"
)

func FirstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Public drops the sandbox's internal fields (lock, part bookkeeping).
func Public(d Doc) Doc {
	out := make(Doc, len(d))
	for k, v := range d {
		if !strings.HasPrefix(k, "__") {
			out[k] = v
		}
	}
	return out
}

func Str(d Doc, k string) string {
	s, _ := d[k].(string)
	return s
}

func Boolean(d Doc, k string) bool {
	b, _ := d[k].(bool)
	return b
}

func Strs(d Doc, k string) []string {
	raw, _ := d[k].([]any)
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// WithChanges is old with the fields in sends (of those that may change).
func WithChanges(old, in Doc, fields ...string) Doc {
	d := maps.Clone(old)
	for _, f := range fields {
		if x, sent := in[f]; sent {
			d[f] = x
		}
	}
	return d
}

// Fixed refuses, with wijzigen-niet-toegelaten, an update that sends another value for a field
// that never changes; it reports which fields it refused.
func Fixed(v *Validation, in, old Doc, fields ...string) map[string]bool {
	refused := map[string]bool{}
	for _, f := range fields {
		if _, sent := in[f]; sent && Str(in, f) != Str(old, f) {
			v.Add(f, "wijzigen-niet-toegelaten", "Dit veld mag niet gewijzigd worden.")
			refused[f] = true
		}
	}
	return refused
}

func AnyList(v any) []any {
	l, _ := v.([]any)
	return l
}

// Num reads a number field: as a request sent it (decoded with UseNumber) or as stored; 0 when
// there is none.
func Num(d Doc, k string) float64 {
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
