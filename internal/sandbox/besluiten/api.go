// Package besluiten serves the sandbox's Besluiten API (1.0): besluiten and their
// besluitinformatieobjecten; a besluit's dates may settle its zaak's archive dates.
package besluiten

import (
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/documenten"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/zaken"
)

// API serves the Besluiten API over the sandbox's shared core.
type API struct {
	*core.Server
	documenten *documenten.API // mirrors a besluit's links to its documents
	zaken      *zaken.API      // derives a closed zaak's archive dates from its besluiten
}

// New returns the API on the shared core.
func New(s *core.Server, docs *documenten.API, zrc *zaken.API) *API {
	s.Register("besluit", core.ShapeOf[Besluit]())
	s.Register("bio", core.ShapeOf[BesluitInformatieObject]())
	return &API{Server: s, documenten: docs, zaken: zrc}
}
