// Package sandbox is an embedded zaaksysteem: a faithful subset of the Catalogi, Zaken,
// Documenten, Besluiten and Notificaties APIs at Open Zaak's paths, persisted in SQLite and
// seeded with a published catalogue for the objection job.
//
// It validates the way Open Zaak does where this connector relies on it (required fields, RSIN
// elfproef, published types, the zaaktype–informatieobjecttype relation, resultaat and
// indicatieGebruiksrecht before the eindstatus, locks, unique pairs) and answers problem+json.
// It is for development, demos and tests; production points at a real zaaksysteem.
package sandbox

import (
	"context"
	"net/http"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/autorisaties"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/besluiten"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/catalogi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/documenten"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/notificaties"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/publicatiebank"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/zaken"
)

// Config configures a sandbox.
type Config = core.Config

// Delivery is one notification as the deliverer sent it (or tries to).
type Delivery = core.Delivery

// Server is a running sandbox zaaksysteem: one package per API over a shared core (storage,
// authorisation, audit trail, notifications). Its handler is safe for concurrent use.
type Server struct {
	*core.Server
	catalogi     *catalogi.API
	autorisaties *autorisaties.API
	// publicatiebank serves GPP-publicatiebank's API beside the ZGW APIs (its own
	// authentication: an API key).
	publicatiebank *publicatiebank.API
	apis           []api
}

// api is what each API package offers the sandbox: its routes.
type api interface{ Routes(mux *http.ServeMux) }

// Open opens (or creates and seeds) the sandbox's data in cfg.DataDir.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	c, err := core.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cat, docs := catalogi.New(c), documenten.New(c)
	zrc := zaken.New(c, cat, docs)
	s := &Server{Server: c, catalogi: cat, autorisaties: autorisaties.New(c),
		publicatiebank: publicatiebank.New(c, publicatiebank.Config{Token: cfg.WooToken, Municipality: c.Cfg.Municipality,
			MaxDocumentSize: cfg.WooMaxDocumentSize, DocumentenClientID: cfg.ClientID, DocumentenSecret: cfg.Secret})}
	s.apis = []api{cat, zrc, docs, besluiten.New(c, docs, zrc), notificaties.New(c), s.autorisaties}
	if err := s.seed(ctx); err != nil {
		c.Close()
		return nil, err
	}
	c.StartDelivery(ctx)
	return s, nil
}

// GrantAll registers an applicatie with every right for clientID (tests: another system).
func (s *Server) GrantAll(ctx context.Context, clientID, label string) error {
	return s.autorisaties.GrantAll(ctx, clientID, label)
}

// Publicatiebank is the publicatiebank it serves (tests: what its beheerder does).
func (s *Server) Publicatiebank() *publicatiebank.API { return s.publicatiebank }

// Handler serves the APIs. Every route needs the client's JWT.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, a := range s.apis {
		a.Routes(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { core.WriteNotFound(w, r) })
	outer := http.NewServeMux()
	outer.HandleFunc(core.SelectielijstRoot+"/", catalogi.ServeSelectielijst)
	outer.Handle(publicatiebank.Root+"/", s.publicatiebank.Handler())
	outer.Handle(publicatiebank.PublicRoot, s.publicatiebank.Handler())
	outer.Handle("/", s.Authenticate(mux))
	return outer
}
