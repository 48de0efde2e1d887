// Package documenten serves the sandbox's Documenten API (1.5): enkelvoudiginformatieobjecten
// with their content (inline or in bestandsdelen), locks, gebruiksrechten and the
// objectinformatieobjecten that mirror a zaak's or besluit's links to a document.
package documenten

import (
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// API serves the Documenten API over the sandbox's shared core.
type API struct {
	*core.Server
}

// New returns the API on the shared core.
func New(s *core.Server) *API {
	s.Register("eio", core.ShapeOf[EnkelvoudigInformatieObject]())
	s.Register("deel", core.ShapeOf[BestandsDeel]())
	s.Register("gebruiksrecht", core.ShapeOf[Gebruiksrechten]())
	s.Register("oio", core.ShapeOf[ObjectInformatieObject]())
	return &API{Server: s}
}
