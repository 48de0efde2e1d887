package sandbox

import (
	"context"
	"fmt"
)

// ImportCatalogueType stores a catalogue resource as a recording of another zaaksysteem shows it,
// for the replay test (replay_test.go): d's url and relations are paths of this sandbox. It
// bypasses the Catalogi API's checks on purpose: a recording's catalogue names a Selectielijst
// and types that were valid where it was made, not necessarily here.
func (s *Server) ImportCatalogueType(ctx context.Context, kind string, d map[string]any) error {
	rules, ok := catalogRules[kind]
	if !ok {
		return fmt.Errorf("no catalogue kind %q", kind)
	}
	ref, ident := "", ""
	if rules.owner != "" {
		ref = str(d, rules.owner)
	}
	if rules.ident != "" {
		ident = str(d, rules.ident)
	}
	return s.db.insert(ctx, kind, lastSegment(str(d, "url")), ref, ident, d)
}
