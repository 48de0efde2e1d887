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
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/rsin"
)

// Open opens (or creates and seeds) the sandbox's data in cfg.DataDir.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.ClientID == "" || cfg.Secret == "" {
		return nil, errors.New("sandbox: a client id and secret are required")
	}
	if cfg.DataDir == "" {
		return nil, errors.New("sandbox: a data directory is required")
	}
	if cfg.RSIN == "" {
		cfg.RSIN = "002220647"
	}
	if !rsin.Valid(cfg.RSIN) {
		return nil, fmt.Errorf("sandbox: RSIN %q fails the elfproef", cfg.RSIN)
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if cfg.PartSize <= 0 {
		cfg.PartSize = 4 << 20
	}
	if cfg.JWTExpiry == 0 {
		cfg.JWTExpiry = time.Hour
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&cfg.NotifyRetryBase, time.Second}, {&cfg.NotifyRetryCap, time.Minute}, {&cfg.NotifyTimeout, 10 * time.Second}, {&cfg.NotifyPoll, time.Second}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if cfg.NotifyAttempts <= 0 {
		cfg.NotifyAttempts = 100
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	files := filepath.Join(cfg.DataDir, "files")
	if err := private.Dir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if err := private.Dir(files); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	db, err := openStore(ctx, filepath.Join(cfg.DataDir, "sandbox.db"))
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, db: db, files: files, notifier: &http.Client{},
		fetcher: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, wakeUp: make(chan struct{}, 1), delivered: make(chan struct{})}
	if err := s.seed(ctx); err != nil {
		db.close()
		return nil, err
	}
	deliveryCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stopDelivery = stop
	go s.deliver(deliveryCtx)
	return s, nil
}

// Close stops the deliverer (what it has not sent stays for the next start) and releases the
// database.
func (s *Server) Close() error {
	s.stopDelivery()
	<-s.delivered
	return s.db.close()
}

// Handler serves the APIs. Every route needs the client's JWT.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.catalogiRoutes(mux)
	s.zakenRoutes(mux)
	s.zaakObjectenRoutes(mux)
	s.documentenRoutes(mux)
	s.besluitenRoutes(mux)
	s.notificatiesRoutes(mux)
	s.autorisatiesRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeNotFound(w, r) })
	outer := http.NewServeMux()
	outer.HandleFunc(selectielijstRoot+"/", serveSelectielijst)
	outer.Handle("/", s.authenticate(mux))
	return outer
}
