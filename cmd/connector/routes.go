package main

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/console"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpapi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/version"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// routes is the service's one route table: the operational endpoints (/healthz, /readyz,
// /metrics), the HTTP API (/api/v1) and the web console (/, with River's UI for operators under
// /beheer/wachtrij/), each mounted by its package on one mux, behind one server.
func (a *app) routes(cfg *config.Config, client *zgw.Client, spec zgw.CatalogueSpec, zcfg zgw.Config, clients []config.Client,
	checker *meta.Checker, reg *prometheus.Registry, queue http.Handler) (*httpserver.RouteTable, error) {
	var err error
	mux := httpserver.NewRouteTable()
	checks := []httpserver.Check{
		{Name: "store", Fn: func(ctx context.Context) error { return a.store.DB().PingContext(ctx) }},
		{Name: "zaaksysteem", Fn: func(ctx context.Context) error {
			if client.CircuitOpen() {
				return zgw.ErrCircuitOpen
			}
			_, err := client.Catalogi.Resolve(ctx, spec, time.Now().Format(time.DateOnly))
			return err
		}},
	}
	if sub := subscription(cfg, zcfg); sub != nil {
		checks = append(checks, httpserver.Check{Name: "notificaties", Fn: func(ctx context.Context) error {
			ok, err := a.engine.Subscribed(ctx)
			if err == nil && !ok {
				err = workflow.ErrNotSubscribed
			}
			return err
		}})
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "connector_notifications_subscribed",
			Help: "1 while the connector's abonnement at the Notificaties API is in place for its configuration."}, func() float64 {
			if ok, err := a.engine.Subscribed(context.Background()); ok && err == nil {
				return 1
			}
			return 0
		}))
	}
	httpserver.Operational(mux, reg, checks)
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "connector_zgw_circuit_open",
		Help: "1 while requests to the zaaksysteem are held back after repeated failures."}, func() float64 {
		if client.CircuitOpen() {
			return 1
		}
		return 0
	}))
	exporter := &dossier.Exporter{ZGW: client, Version: version.Version, Now: time.Now, Records: a.engine}
	api := &httpapi.API{Service: a.engine, Dossiers: dossier.ZipExporter{Exporter: exporter}, Auth: &httpapi.Auth{Clients: clients, MaxAge: cfg.TokenMaxAge.Duration, Now: time.Now},
		Log: a.log, MaxEmail: cfg.MaxEmailSize.Bytes, MaxEvidence: cfg.MaxEvidenceSize.Bytes, MaxDocument: cfg.MaxDocumentSize.Bytes, NotificationsAuth: cfg.NotificationsAuth}
	api.Routes(mux)
	if a.console, err = console.New(console.Config{Service: a.engine, Dossiers: api.Dossiers, Reader: checker,
		Verify: func(ctx context.Context, r io.ReaderAt, size int64) ([]dossier.Finding, *dossier.Manifest, error) {
			return dossier.Verify(ctx, r, size, nil)
		},
		Checks: checks, CircuitOpen: client.CircuitOpen, Settings: cfg.Console, PublicURL: cfg.PublicURL, Municipality: cfg.Municipality,
		DB: a.store.DB(), Dialect: a.store.Dialect(), MaxEmail: cfg.MaxEmailSize.Bytes, MaxEvidence: cfg.MaxEvidenceSize.Bytes,
		MaxDocument: cfg.MaxDocumentSize.Bytes, QueueUI: queue, Log: a.log}); err != nil {
		return nil, err
	}
	a.console.Routes(mux)
	return mux, nil
}
