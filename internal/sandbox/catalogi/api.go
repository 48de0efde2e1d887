// Package catalogi serves the sandbox's Catalogi API (1.3): catalogussen and the types a zaak is
// made of, with the rules of publishing (concept, published, geforceerd-schrijven) and of the
// relations between types, and a stand-in of the Selectielijst API they name.
package catalogi

import (
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// API serves the Catalogi API over the sandbox's shared core.
type API struct {
	*core.Server
}

// New returns the API on the shared core.
func New(s *core.Server) *API {
	for kind, rules := range CatalogRules {
		s.Register(kind, rules.Shape)
	}
	return &API{Server: s}
}
