// Package notificaties serves the sandbox's Notificaties API (1.0): kanalen, abonnementen (whose
// callback is tried before it is stored, as Open Notificaties does) and notificaties posted by
// clients; the sandbox's own notifications are published and delivered by the core.
package notificaties

import (
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// API serves the Notificaties API over the sandbox's shared core.
type API struct {
	*core.Server
}

// New returns the API on the shared core.
func New(s *core.Server) *API {
	s.Register("abonnement", core.ShapeOf[Abonnement]())
	return &API{Server: s}
}
