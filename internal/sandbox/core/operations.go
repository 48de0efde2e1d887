package core

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// operations indexes operationScopes by component and method, with each operation's path
// already in segments: the table is read once when the server is wired, not on every request.
type operations map[string][]operation // key: component + " " + method

type operation struct {
	segments []string // of the spec path; {name} is any one segment
	scopes   []string
}

func newOperations(table map[string][]string) operations {
	ops := operations{}
	for key, scopes := range table {
		comp, op, _ := strings.Cut(key, " ")
		method, pattern, _ := strings.Cut(op, " ")
		k := comp + " " + method
		ops[k] = append(ops[k], operation{segments: strings.Split(strings.Trim(pattern, "/"), "/"), scopes: scopes})
	}
	// Where a literal segment and a {name} both fit (applicaties/consumer and
	// applicaties/{uuid}), the literal is the operation, as in the spec's router.
	for _, list := range ops {
		slices.SortFunc(list, func(a, b operation) int {
			return cmp.Or(cmp.Compare(params(a.segments), params(b.segments)),
				slices.Compare(a.segments, b.segments))
		})
	}
	return ops
}

func params(segments []string) int {
	n := 0
	for _, s := range segments {
		if strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}

// scopesFor is the component of a request and the scopes any one of which allows it: its
// operation's in operationScopes. known is false for a path no API of the standard has (the
// sandbox answers it 404); a component without the operation gets no scopes (refused).
func (ops operations) scopesFor(r *http.Request) (component string, scopes []string, known bool) {
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for _, c := range components {
		rest, ok := strings.CutPrefix(r.URL.Path, c.root)
		if !ok {
			continue
		}
		path := strings.Split(strings.Trim(rest, "/"), "/")
		for _, op := range ops[c.component+" "+method] {
			if matchesPattern(path, op.segments) {
				return c.component, op.scopes, true
			}
		}
		return c.component, nil, true
	}
	return "", nil, false
}

// matchesPattern reports whether path segments fit a spec path's, where {name} is any one segment.
func matchesPattern(path, pattern []string) bool {
	if len(path) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if !strings.HasPrefix(p, "{") && p != path[i] {
			return false
		}
	}
	return true
}
