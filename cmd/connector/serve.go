package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpapi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// serve runs the service until ctx ends (SIGINT/SIGTERM), then shuts down gracefully.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configFile := fs.String("config", "", "file with KEY=VALUE settings")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"serve takes only --config FILE"}
	}
	if *configFile != "" {
		values, err := config.ReadFile(*configFile)
		if err != nil {
			return fmt.Errorf("--config: %w", err)
		}
		if err := config.ApplyFile(values); err != nil {
			return err
		}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)

	zcfg := zgw.Config{
		CatalogiURL: cfg.ZGW.CatalogiURL, ZakenURL: cfg.ZGW.ZakenURL, DocumentenURL: cfg.ZGW.DocumentenURL,
		BesluitenURL: cfg.ZGW.BesluitenURL, NotificatiesURL: cfg.ZGW.NotificatiesURL,
		ClientID: cfg.ZGW.ClientID, Secret: cfg.ZGW.Secret, UserID: cfg.ZGW.UserID,
		UserRepresentation: cfg.ZGW.UserRepresentation, Timeout: cfg.ZGW.Timeout.Duration, ReadRetries: 2,
	}
	if cfg.EmbeddedSandbox() {
		sb, err := startSandbox(ctx, cfg.Sandbox, cfg.RSIN, log)
		if err != nil {
			return err
		}
		defer sb.Close()
		defer sb.Shutdown()
		log.Info("no ZGW_* URLs configured: using the embedded sandbox zaaksysteem", "url", sb.URL, "secret_file", sb.SecretFile)
		for api, u := range map[string]*string{"catalogi": &zcfg.CatalogiURL, "zaken": &zcfg.ZakenURL, "documenten": &zcfg.DocumentenURL,
			"besluiten": &zcfg.BesluitenURL, "notificaties": &zcfg.NotificatiesURL} {
			*u = sb.URL + "/" + api + "/api/v1"
		}
		zcfg.ClientID, zcfg.Secret = cfg.Sandbox.ClientID, sb.Secret
	} else if config.WeakSecret(cfg.ZGW.Secret) {
		log.Warn("ZGW_SECRET is shorter than 32 bytes; some zaaksystemen refuse such HS256 secrets")
	}
	client, err := zgw.New(zcfg)
	if err != nil {
		return err
	}
	spec := zgw.CatalogueSpec{
		Catalogus: cfg.ZGW.Catalogus, ZaakType: cfg.ZGW.ZaakType, ResultaatType: cfg.ZGW.ResultaatType,
		InformatieObjectTypen: []string{cfg.ZGW.LetterType, cfg.ZGW.ConfirmationType}, BesluitType: cfg.ZGW.BesluitType,
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	httpapi.Operational(mux, reg, []httpapi.Check{{Name: "catalogue", Fn: func(ctx context.Context) error {
		_, err := client.Catalogi.Resolve(ctx, spec, time.Now().Format(time.DateOnly))
		return err
	}}})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("connector started", "url", "http://"+ln.Addr().String(), "zaken_api", zcfg.ZakenURL)
	fmt.Fprintf(stdout, "connector listening on http://%s\n", ln.Addr())

	if _, err := client.Catalogi.Resolve(ctx, spec, time.Now().Format(time.DateOnly)); err != nil {
		log.Warn("the catalogue does not resolve yet; /readyz stays false until it does", "error", err)
	}

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
