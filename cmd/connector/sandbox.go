package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/publicatiebank"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// sandboxCmd runs the sandbox zaaksysteem alone.
func sandboxCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"sandbox takes no arguments"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	sb, err := startSandbox(ctx, cfg.Sandbox, cfg.HTTP.Limits(), cfg.RSIN, cfg.Municipality, newLogger(stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer sb.Close()
	fmt.Fprintf(stdout, "sandbox zaaksysteem listening on %s\n", sb.URL)
	for _, api := range []string{"catalogi", "zaken", "documenten", "besluiten", "notificaties"} {
		fmt.Fprintf(stdout, "  %-13s %s/%s/api/v1\n", api, sb.URL, api)
	}
	fmt.Fprintf(stdout, "  %-13s %s\n", "publicatiebank", sb.WooRoot())
	fmt.Fprintf(stdout, "client id: %s\n", cfg.Sandbox.ClientID)
	if sb.Generated {
		fmt.Fprintf(stdout, "secret:    %s (generated; kept in %s)\n", sb.Secret, sb.SecretFile)
		fmt.Fprintf(stdout, "API key of the publicatiebank: %s (generated; kept in %s)\n", sb.WooToken, filepath.Join(cfg.Sandbox.DataDir, "woo-token"))
	}
	<-ctx.Done()
	return sb.Shutdown()
}

// runningSandbox is a sandbox zaaksysteem served on its own listener.
type runningSandbox struct {
	URL        string
	Secret     string
	SecretFile string
	// WooToken is the API key of its publicatiebank.
	WooToken  string
	Generated bool
	server    *sandbox.Server
	http      *http.Server
	done      chan error
}

func startSandbox(ctx context.Context, cfg config.Sandbox, limits httpserver.Limits, rsin, municipality string, log *slog.Logger) (*runningSandbox, error) {
	if err := private.Dir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("sandbox data directory: %w", err)
	}
	rs := &runningSandbox{Secret: cfg.Secret, SecretFile: filepath.Join(cfg.DataDir, "client-secret")}
	if rs.Secret == "" {
		secret, generated, err := loadOrCreateSecret(rs.SecretFile)
		if err != nil {
			return nil, err
		}
		rs.Secret, rs.Generated = secret, generated
	}
	if rs.WooToken = cfg.WooToken; rs.WooToken == "" {
		token, _, err := loadOrCreateSecret(filepath.Join(cfg.DataDir, "woo-token"))
		if err != nil {
			return nil, err
		}
		rs.WooToken = token
	}
	var scopes map[string][]string
	if cfg.ClientScopes == "connector" {
		scopes = zgw.ScopesByComponent(zgw.ConnectorScopes())
	}
	sb, err := sandbox.Open(ctx, sandbox.Config{DataDir: cfg.DataDir, ClientID: cfg.ClientID, Secret: rs.Secret, RSIN: rsin,
		WooToken: rs.WooToken, Municipality: municipality,
		SelectielijstURL: cfg.SelectielijstURL, ClientScopes: scopes, AcceptConceptZaaktypen: cfg.AcceptConceptZaaktypen})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		sb.Close()
		return nil, fmt.Errorf("SANDBOX_ADDR %s: %w", cfg.Addr, err)
	}
	rs.server = sb
	rs.URL = "http://" + ln.Addr().String()
	rs.http = httpserver.New(sb.Handler(), limits, log)
	rs.done = make(chan error, 1)
	go func() { rs.done <- rs.http.Serve(ln) }()
	log.Info("sandbox zaaksysteem started", "url", rs.URL, "data", cfg.DataDir, "client_id", cfg.ClientID)
	return rs, nil
}

// WooRoot is the API root of its publicatiebank.
func (rs *runningSandbox) WooRoot() string { return rs.URL + publicatiebank.Root + "/api/v2" }

// Shutdown stops serving, letting requests in flight finish.
func (rs *runningSandbox) Shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := rs.http.Shutdown(ctx)
	if serveErr := <-rs.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// Close releases the sandbox's database.
func (rs *runningSandbox) Close() error { return rs.server.Close() }

// loadOrCreateSecret keeps a generated secret across restarts, readable only by the owner.
func loadOrCreateSecret(path string) (secret string, generated bool, err error) {
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), false, private.File(path)
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", false, err
	}
	secret = hex.EncodeToString(raw[:])
	if err := private.WriteFile(path, []byte(secret+"\n")); err != nil {
		return "", false, fmt.Errorf("keeping the sandbox secret: %w", err)
	}
	return secret, true, nil
}
