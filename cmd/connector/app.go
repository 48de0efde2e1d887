package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/console"
	"github.com/gemeenten/meta-bezwaar-connector/internal/documents"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpapi"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/mailbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/version"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// app is the running service: the place where concrete types are wired together.
type app struct {
	URL        string // of the connector's HTTP server
	SandboxURL string // "" with a real zaaksysteem
	TokenFile  string // the dev token, when no clients are configured

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
	keys := meta.KeyLookup(meta.DNSKeys)
	if cfg.Meta.DKIMKeysFile != "" {
		if keys, err = meta.FileKeys(cfg.Meta.DKIMKeysFile); err != nil {
			return nil, fmt.Errorf("META_DKIM_KEYS_FILE: %w", err)
		}
	}
	senders := meta.Senders{}
	for d, p := range cfg.Meta.SenderDomains.Domains {
		senders[d] = objection.Platform(p)
	}
	limits := meta.DefaultLimits()
	limits.MaxSize, limits.MaxHeaders, limits.MaxHeaderLen = cfg.MaxEmailSize.Bytes, cfg.Meta.MaxHeaders.N, cfg.Meta.MaxHeaderLength.N
	limits.MaxDepth, limits.MaxParts = cfg.Meta.MaxMIMEDepth.N, cfg.Meta.MaxMIMEParts.N
	phrases := meta.DefaultPhrases()
	if cfg.Meta.PhrasesHonoured != "" {
		phrases.Honoured = splitPhrases(cfg.Meta.PhrasesHonoured)
	}
	if cfg.Meta.PhrasesReceived != "" {
		phrases.Received = splitPhrases(cfg.Meta.PhrasesReceived)
	}
	if cfg.Meta.PhrasesRejected != "" {
		phrases.Rejected = splitPhrases(cfg.Meta.PhrasesRejected)
	}
	checker := &meta.Checker{Limits: limits, Senders: senders, Phrases: phrases, Keys: keys, ClockSkew: cfg.Meta.ClockSkew.Duration}

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
	a.engine, err = workflow.New(workflow.Config{
		RSIN: cfg.RSIN, Catalogue: spec, LetterType: cfg.ZGW.LetterType, ConfirmationType: cfg.ZGW.ConfirmationType,
		Forms:            meta.FormLinks{objection.Facebook: cfg.Meta.FormFacebook, objection.Instagram: cfg.Meta.FormInstagram},
		Fault:            fault,
		RejectUnverified: cfg.Meta.UnverifiedPolicy == "reject",
		RescueAfter:      cfg.JobRescueAfter.Duration,
		Accounts:         accountsOf(cfg),
		RetryBase:        cfg.RetryBase.Duration,
		RetryCap:         cfg.RetryCap.Duration,
		RequestTimeout:   cfg.ZGW.Timeout.Duration,
		EvidenceType:     cfg.ZGW.EvidenceType,
		DecisionType:     cfg.ZGW.DecisionType,
		Confidentiality: map[string]string{cfg.ZGW.LetterType: cfg.ZGW.LetterConfidentiality, cfg.ZGW.ConfirmationType: cfg.ZGW.ConfirmationConfidentiality,
			cfg.ZGW.EvidenceType: cfg.ZGW.EvidenceConfidentiality, cfg.ZGW.DecisionType: cfg.ZGW.DecisionConfidentiality},
		MaxDocument:      cfg.MaxDocumentSize.Bytes,
		MaxEvidence:      cfg.MaxEvidenceSize.Bytes,
		RemindBefore:     cfg.RemindBefore.Duration,
		ConfirmationWait: cfg.ConfirmationWait.Duration,
		SweepInterval:    cfg.SweepInterval.Duration,
		Notifier:         notifier,
		Subscription:     subscription(cfg, zcfg),
		Woo:              publishing,
	}, a.store, client, letters, checker, log, workflow.NewMetrics(reg))
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
	mux := http.NewServeMux()
	checks := []httpapi.Check{
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
		checks = append(checks, httpapi.Check{Name: "notificaties", Fn: func(ctx context.Context) error {
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
	httpapi.Operational(mux, reg, checks)
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "connector_zgw_circuit_open",
		Help: "1 while requests to the zaaksysteem are held back after repeated failures."}, func() float64 {
		if client.CircuitOpen() {
			return 1
		}
		return 0
	}))
	exporter := &dossier.Exporter{ZGW: client, Version: version.Version, Now: time.Now, Records: a.engine}
	api := &httpapi.API{Service: a.engine, Dossiers: dossier.ZipExporter{Exporter: exporter}, Auth: &httpapi.Auth{Clients: clients, MaxAge: cfg.TokenMaxAge.Duration, Now: time.Now},
		Log: log, MaxEmail: cfg.MaxEmailSize.Bytes, MaxEvidence: cfg.MaxEvidenceSize.Bytes, MaxDocument: cfg.MaxDocumentSize.Bytes, NotificationsAuth: cfg.NotificationsAuth}
	api.Routes(mux)
	if a.console, err = console.New(console.Config{Service: a.engine, Dossiers: api.Dossiers, Reader: checker,
		Verify: func(ctx context.Context, r io.ReaderAt, size int64) ([]dossier.Finding, *dossier.Manifest, error) {
			return dossier.Verify(ctx, r, size, nil)
		},
		Checks: checks, CircuitOpen: client.CircuitOpen, Settings: cfg.Console, PublicURL: cfg.PublicURL, Municipality: cfg.Municipality,
		DB: a.store.DB(), Dialect: a.store.Dialect(), MaxEmail: cfg.MaxEmailSize.Bytes, MaxEvidence: cfg.MaxEvidenceSize.Bytes,
		MaxDocument: cfg.MaxDocumentSize.Bytes, Log: log}); err != nil {
		return nil, err
	}
	a.console.Routes(mux)
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
		tok, err := zgw.SignToken(dev.ID, dev.Secret, "dev", "Development client", time.Now(), cfg.TokenMaxAge.Duration)
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

// zgwConfig is the ZGW client configuration of cfg.
func zgwConfig(cfg *config.Config) zgw.Config {
	return zgw.Config{
		CatalogiURL: cfg.ZGW.CatalogiURL, ZakenURL: cfg.ZGW.ZakenURL, DocumentenURL: cfg.ZGW.DocumentenURL,
		BesluitenURL: cfg.ZGW.BesluitenURL, NotificatiesURL: cfg.ZGW.NotificatiesURL,
		ClientID: cfg.ZGW.ClientID, Secret: cfg.ZGW.Secret, UserID: cfg.ZGW.UserID,
		UserRepresentation: cfg.ZGW.UserRepresentation, Timeout: cfg.ZGW.Timeout.Duration, ReadRetries: 2,
		CircuitCooldown: cfg.ZGW.CircuitCooldown.Duration,
	}
}

// useSandbox points a ZGW configuration at a sandbox zaaksysteem.
func useSandbox(z *zgw.Config, base, clientID, secret string) {
	for api, u := range map[string]*string{"catalogi": &z.CatalogiURL, "zaken": &z.ZakenURL, "documenten": &z.DocumentenURL,
		"besluiten": &z.BesluitenURL, "notificaties": &z.NotificatiesURL} {
		*u = base + "/" + api + "/api/v1"
	}
	z.ClientID, z.Secret = clientID, secret
}

func splitPhrases(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// openStore opens Postgres when CONNECTOR_DATABASE_URL is set, else SQLite in the data directory.
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	if cfg.DatabaseURL != "" {
		return store.OpenPostgres(ctx, cfg.DatabaseURL)
	}
	return store.OpenSQLite(ctx, filepath.Join(cfg.DataDir, "connector.db"))
}

func accountsOf(cfg *config.Config) []objection.Account {
	var out []objection.Account
	for _, a := range cfg.Accounts.List {
		out = append(out, objection.Account{Platform: objection.Platform(a.Platform), Name: a.Name, URL: a.URL, Email: a.Email})
	}
	return out
}

// catalogueSpec names the catalogue types the connector uses; the optional ones only when set.
func catalogueSpec(cfg *config.Config) zgw.CatalogueSpec {
	spec := zgw.CatalogueSpec{
		Catalogus: cfg.ZGW.Catalogus, ZaakType: cfg.ZGW.ZaakType, ResultaatType: cfg.ZGW.ResultaatType,
		ResultaatTypeNotConfirmed: cfg.ZGW.NotConfirmedType, StatusTypeFiled: cfg.ZGW.FiledStatusType,
		InformatieObjectTypen: []string{cfg.ZGW.LetterType, cfg.ZGW.ConfirmationType}, BesluitType: cfg.ZGW.BesluitType,
	}
	for _, t := range []string{cfg.ZGW.EvidenceType, cfg.ZGW.DecisionType} {
		if t != "" {
			spec.InformatieObjectTypen = append(spec.InformatieObjectTypen, t)
		}
	}
	if cfg.ZGW.BesluitenURL == "" && !cfg.EmbeddedSandbox() {
		spec.BesluitType = ""
	}
	return spec
}

// subscription is the abonnement to make at the Notificaties API: with a Notificaties API (the
// sandbox's, or ZGW_NOTIFICATIES_URL), a public URL for the callback and the Authorization it is
// to carry; nil otherwise.
func subscription(cfg *config.Config, z zgw.Config) *workflow.Subscription {
	if z.NotificatiesURL == "" || cfg.PublicURL == "" || cfg.NotificationsAuth == "" {
		return nil
	}
	return &workflow.Subscription{CallbackURL: strings.TrimRight(cfg.PublicURL, "/") + "/api/v1/notifications", Auth: cfg.NotificationsAuth}
}

// newNotifier makes the e-mail notices; nil without SMTP_ADDR.
func newNotifier(cfg *config.Config) (*notify.Notifier, error) {
	n := cfg.Notify
	if n.SMTPAddr == "" {
		return nil, nil
	}
	templates, err := notify.LoadTemplates(n.Templates)
	if err != nil {
		return nil, fmt.Errorf("CONNECTOR_NOTIFY_TEMPLATES: %w", err)
	}
	var to []string
	for _, t := range n.To {
		to = append(to, strings.TrimSpace(t))
	}
	return &notify.Notifier{Templates: templates, PublicURL: cfg.PublicURL, Events: n.Events,
		Sender: &notify.SMTP{Addr: n.SMTPAddr, TLS: n.SMTPTLS, User: n.SMTPUser, Password: n.SMTPPassword, From: n.SMTPFrom, To: to, Timeout: 30 * time.Second}}, nil
}
