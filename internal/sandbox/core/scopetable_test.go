package core

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/specs"
)

// TestScopesFollowTheSpecs builds the scope table from the security blocks of the standard's
// spec files and compares it with the sandbox's, both ways: no operation missing, none extra,
// no scope more or less.
func TestScopesFollowTheSpecs(t *testing.T) {
	dir, err := specs.Dir()
	if err != nil {
		citest.Missing(t, err.Error())
	}
	ops, err := specs.SecurityScopes(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for _, o := range ops {
		want[o.Component+" "+o.Method+" "+o.Path] = o.Scopes
	}
	for key, scopes := range want {
		if got, ok := operationScopes[key]; !ok || !slices.Equal(got, scopes) {
			t.Errorf("operationScopes[%q] = %q, the spec says %q:\n\t%q: {%s},", key, got, scopes, key, quoted(scopes))
		}
	}
	for key := range operationScopes {
		if _, ok := want[key]; !ok {
			t.Errorf("operationScopes has %q, which no spec has", key)
		}
	}
	if len(want) < 150 {
		t.Errorf("only %d operations read from the specs", len(want))
	}
}

func quoted(scopes []string) string {
	q := make([]string, len(scopes))
	for i, s := range scopes {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
