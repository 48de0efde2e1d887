// Package zaken serves the sandbox's Zaken API (1.5): zaken and their parts — statussen,
// resultaten, rollen, zaakinformatieobjecten, zaakobjecten, zaakeigenschappen, klantcontacten —
// with Open Zaak's rules for closing a zaak and deriving its archive dates.
package zaken

import (
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/catalogi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/documenten"
)

// API serves the Zaken API over the sandbox's shared core.
type API struct {
	*core.Server
	catalogi   *catalogi.API
	documenten *documenten.API // mirrors a zaak's links to its documents
}

// New returns the API on the shared core: its zaken are of the types in cat and link the documents of docs.
func New(s *core.Server, cat *catalogi.API, docs *documenten.API) *API {
	for kind, sh := range map[string]core.Shape{"zaak": core.ShapeOf[Zaak](), "status": core.ShapeOf[Status](),
		"resultaat": core.ShapeOf[Resultaat](), "zio": core.ShapeOf[ZaakInformatieObject](), "rol": core.ShapeOf[Rol](),
		"zaakobject": core.ShapeOf[ZaakObject](), "klantcontact": core.ShapeOf[KlantContact](),
		"zaakeigenschap": core.ShapeOf[ZaakEigenschap]()} {
		s.Register(kind, sh)
	}
	return &API{Server: s, catalogi: cat, documenten: docs}
}
