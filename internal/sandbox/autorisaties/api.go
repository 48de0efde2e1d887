// Package autorisaties serves the sandbox's Autorisaties API (1.0): the applicaties whose client
// ids and autorisaties decide, in the core, what each caller may do.
package autorisaties

import (
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// API serves the Autorisaties API over the sandbox's shared core.
type API struct {
	*core.Server
}

// New returns the API on the shared core.
func New(s *core.Server) *API {
	s.Register("applicatie", core.ShapeOf[Applicatie]())
	return &API{Server: s}
}
