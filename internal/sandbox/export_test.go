package sandbox

import (
	"context"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/catalogi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// ImportCatalogueType stores a catalogue resource as a recording of another zaaksysteem shows it,
// for the replay test (replay_test.go): d's url and relations are paths of this sandbox. It
// bypasses the Catalogi API's checks on purpose: a recording's catalogue names a Selectielijst
// and types that were valid where it was made, not necessarily here.
func (s *Server) ImportCatalogueType(ctx context.Context, kind string, d map[string]any) error {
	rules, ok := catalogi.CatalogRules[kind]
	if !ok {
		return fmt.Errorf("no catalogue kind %q", kind)
	}
	ref, ident := "", ""
	if rules.Owner != "" {
		ref = core.Str(d, rules.Owner)
	}
	if rules.Ident != "" {
		ident = core.Str(d, rules.Ident)
	}
	return s.DB.Insert(ctx, kind, core.LastSegment(core.Str(d, "url")), ref, ident, d)
}

// StoreAsEarlierRelease stores a resource's JSON as an earlier release of the sandbox wrote it,
// bypassing the typed resources, for the test that such data is still answered whole.
func (s *Server) StoreAsEarlierRelease(ctx context.Context, kind, uuid, ref, ident string, d map[string]any) error {
	return s.DB.Insert(ctx, kind, uuid, ref, ident, d)
}
