package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/console"
	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/mailbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/queueui"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// app is the running service: the place where concrete types are wired together.
type app struct {
	URL        string   // of the connector's HTTP server
	SandboxURL string   // "" with a real zaaksysteem
	TokenFile  string   // the dev token, when no clients are configured
	Routes     []string // every pattern served, in the order mounted (routes.go)

	log     *slog.Logger
	sandbox *runningSandbox
	store   *store.Store
	engine  *workflow.Engine
	console *console.Console
	// engineRunning: the workers were started and not yet stopped.
	engineRunning bool
	http          *http.Server
	done          chan error
	shutDown      bool
	stop          context.CancelFunc
}

// startApp starts everything `serve` runs and returns once the API listens. When a part cannot
// start, what did start is stopped again and the error says which part and why.
func startApp(ctx context.Context, cfg *config.Config, log *slog.Logger) (*app, error) {
	a := &app{log: log, done: make(chan error, 1)}
	started := false
	defer func() {
		if !started {
			a.close()
		}
	}()
	var err error
	if err := private.Dir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}

	zcfg := zgwConfig(cfg)
	if cfg.EmbeddedSandbox() {
		if a.sandbox, err = startSandbox(ctx, cfg.Sandbox, cfg.HTTP.Limits(), cfg.RSIN, cfg.Municipality, log); err != nil {
			return nil, err
		}
		a.SandboxURL = a.sandbox.URL
		log.Info("no ZGW_* URLs configured: using the embedded sandbox zaaksysteem", "url", a.sandbox.URL, "secret_file", a.sandbox.SecretFile)
		useSandbox(&zcfg, a.sandbox.URL, cfg.Sandbox.ClientID, a.sandbox.Secret)
		if cfg.Woo.APIRoot == "" {
			cfg.Woo.APIRoot, cfg.Woo.Token = a.sandbox.WooRoot(), a.sandbox.WooToken
			cfg.Woo.Delivery = cmp.Or(cfg.Woo.Delivery, "fetch")
		}
	} else if config.WeakSecret(cfg.ZGW.Secret) {
		log.Warn("ZGW_SECRET is shorter than 32 bytes; some zaaksystemen refuse such HS256 secrets")
	}
	client, err := zgw.New(zcfg)
	if err != nil {
		return nil, err
	}

	if a.store, err = openStore(ctx, cfg); err != nil {
		return nil, err
	}

	letters, err := documents.NewLetters(cfg.Municipality, cfg.LetterTemplate)
	if err != nil {
		return nil, err
	}
	checker, err := metaChecker(cfg)
	if err != nil {
		return nil, err
	}

	spec := catalogueSpec(cfg)
	notifier, err := newNotifier(cfg)
	if err != nil {
		return nil, err
	}
	fault := killAt(os.Getenv("CONNECTOR_TEST_KILL_AT"), log)
	publishing, err := publishingOf(cfg)
	if err != nil {
		return nil, err
	}
	if publishing != nil {
		log.Info("decisions are published on the Woo platform", "api_root", cfg.Woo.APIRoot, "directly", publishing.Directly, "fetch", publishing.Fetch)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.engine, err = workflow.New(engineConfig(cfg, spec, zcfg, fault, notifier, publishing), a.store, client, letters, checker, log, workflow.NewMetrics(reg))
	if err != nil {
		return nil, err
	}
	a.engine.RegisterGauges(reg)
	workCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stop = stop
	if err := a.engine.Start(workCtx); err != nil {
		return nil, err
	}
	a.engineRunning = true

	clients := cfg.Clients.List
	if len(clients) == 0 {
		dev, err := a.devClient(workCtx, cfg)
		if err != nil {
			return nil, err
		}
		clients = []config.Client{dev}
	}
	// River's own UI over the queue, for operators (its background tasks end with the workers).
	queue, err := queueui.New(a.engine.River(), log.With("component", "riverui"))
	if err != nil {
		return nil, err
	}
	if err := queue.Start(workCtx); err != nil {
		return nil, err
	}
	mux, err := a.routes(cfg, client, spec, zcfg, clients, checker, reg, queue)
	if err != nil {
		return nil, err
	}
	if !cfg.Console.OIDC() {
		log.Warn("no OIDC_ISSUER configured: the web console has a development sign-in, answering on loopback addresses only")
	}

	if cfg.Mailbox.Addr != "" {
		poller := mailbox.New(mailbox.Config{Addr: cfg.Mailbox.Addr, TLS: cfg.Mailbox.TLS, User: cfg.Mailbox.User,
			Password: cfg.Mailbox.Password, Folder: cfg.Mailbox.Folder, ProcessedFolder: cfg.Mailbox.ProcessedFolder,
			QuarantineFolder: cfg.Mailbox.QuarantineFolder, PollInterval: cfg.Mailbox.PollInterval.Duration,
			MaxSize: cfg.MaxEmailSize.Bytes, Fault: fault}, a.engine, log)
		go poller.Run(workCtx)
		log.Info("mailbox intake started", "addr", cfg.Mailbox.Addr, "user", cfg.Mailbox.User, "folder", cfg.Mailbox.Folder)
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("CONNECTOR_ADDR %s: %w", cfg.Addr, err)
	}
	a.URL = "http://" + ln.Addr().String()
	a.Routes = mux.Patterns
	a.http = httpserver.New(mux, cfg.HTTP.Limits(), log)
	go func() { a.done <- a.http.Serve(ln) }()
	log.Info("connector started", "url", a.URL, "zaken_api", zcfg.ZakenURL)
	if _, err := client.Catalogi.Resolve(ctx, spec, time.Now().Format(time.DateOnly)); err != nil {
		log.Warn("the catalogue does not resolve yet; /readyz stays false until it does", "error", err)
	}
	started = true
	return a, nil
}

// devClient makes the one registrar+auditor client used when none is configured, and keeps a
// fresh token for it in <data>/dev-token (tokens expire, so it is renewed in the background).
func (a *app) devClient(ctx context.Context, cfg *config.Config) (config.Client, error) {
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return config.Client{}, err
	}
	dev := config.Client{ID: "dev", Secret: hex.EncodeToString(raw[:]), Roles: []config.Role{config.RoleRegistrar, config.RoleAuditor}}
	a.TokenFile = filepath.Join(cfg.DataDir, "dev-token")
	write := func() error {
		tok, err := zgwtoken.Sign(dev.ID, dev.Secret, "dev", "Development client", time.Now(), cfg.TokenMaxAge.Duration)
		if err != nil {
			return err
		}
		return private.WriteFile(a.TokenFile, []byte(tok+"\n"))
	}
	if err := write(); err != nil {
		return config.Client{}, fmt.Errorf("writing the dev token: %w", err)
	}
	go func() {
		t := time.NewTicker(cfg.TokenMaxAge.Duration / 2)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := write(); err != nil {
					a.log.Error("renewing the dev token", "error", err)
				}
			}
		}
	}()
	a.log.Info("no CONNECTOR_CLIENTS configured: one registrar+auditor client; its token is kept fresh in a file", "token_file", a.TokenFile)
	return dev, nil
}

// shutdown stops accepting requests, lets running jobs finish and closes everything; once (a
// second call does nothing).
func (a *app) shutdown() error {
	if a.shutDown {
		return nil
	}
	a.shutDown = true
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var errs []error
	if a.http != nil {
		errs = append(errs, a.http.Shutdown(ctx))
		if err := <-a.done; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, a.stopEngine(ctx))
	a.close()
	return errors.Join(errs...)
}

// stopEngine lets running jobs finish (within ctx); once.
func (a *app) stopEngine(ctx context.Context) error {
	if !a.engineRunning {
		return nil
	}
	a.engineRunning = false
	return a.engine.Stop(ctx)
}

// close releases everything that was started, in reverse order.
func (a *app) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.stopEngine(ctx); err != nil {
		a.log.Warn("stopping the workers", "error", err)
	}
	if a.stop != nil {
		a.stop()
	}
	if a.console != nil {
		a.console.Close()
	}
	if a.store != nil {
		a.store.Close()
	}
	if a.sandbox != nil {
		a.sandbox.Shutdown()
		a.sandbox.Close()
	}
}
