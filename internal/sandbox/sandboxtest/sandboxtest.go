// Package sandboxtest starts the sandbox zaaksysteem for tests: on a real loopback HTTP server,
// behind the ZGW spec validator, with a zgw client configured for it.
package sandboxtest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
	"github.com/gemeenten/meta-bezwaar-connector/internal/specs"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Credentials of the test client.
const (
	ClientID = "sandbox-test"
	Secret   = "a-test-secret-of-at-least-32-bytes!!"
	RSIN     = "002220647"
	// WooToken is the API key of the sandbox's publicatiebank.
	WooToken = "a-test-api-key-of-the-publicatiebank"
)

// Env is a running sandbox.
type Env struct {
	URL     string
	Sandbox *sandbox.Server
	Spec    *specs.Validator // nil when started without validation
	ZGW     zgw.Config
	Client  *zgw.Client
}

// Option changes the sandbox configuration.
type Option func(*sandbox.Config)

// Start runs a sandbox with every request and response validated against the ZGW specs; the
// test fails on any violation.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return start(t, specs.ForTest(t), opts)
}

// StartForConnector runs a sandbox as the connector's zaaksysteem: validated, and its client —
// the connector's and the test's — holds exactly the scopes the connector needs
// (zgw.ConnectorScopes), so that every connector test also proves least privilege.
func StartForConnector(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return Start(t, append([]Option{LeastPrivilege}, opts...)...)
}

// LeastPrivilege gives the sandbox's client exactly the connector's scopes.
func LeastPrivilege(c *sandbox.Config) {
	c.ClientScopes = zgw.ScopesByComponent(zgw.ConnectorScopes())
}

// StartUnvalidated runs a sandbox without spec validation, for benchmarks whose transfers are
// too large to buffer.
func StartUnvalidated(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return start(t, nil, opts)
}

func start(t testing.TB, spec *specs.Validator, opts []Option) *Env {
	cfg := sandbox.Config{DataDir: t.TempDir(), ClientID: ClientID, Secret: Secret, RSIN: RSIN, WooToken: WooToken}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sb, err := sandbox.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("opening the sandbox: %v", err)
	}
	h := sb.Handler()
	if spec != nil {
		h = spec.Middleware(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	zc := ClientConfig(srv.URL)
	client, err := zgw.New(zc)
	if err != nil {
		t.Fatalf("zgw client: %v", err)
	}
	return &Env{URL: srv.URL, Sandbox: sb, Spec: spec, ZGW: zc, Client: client}
}

// OtherSystem is a client of another system with every right (a decision system publishing a
// notification, someone closing a zaak in the zaaksysteem), for tests whose own client has least
// privilege.
func (e *Env) OtherSystem(t testing.TB) *zgw.Client {
	t.Helper()
	if err := e.Sandbox.GrantAll(context.Background(), "other-system", "Another system (tests)"); err != nil {
		t.Fatal(err)
	}
	zc := e.ZGW
	zc.ClientID = "other-system"
	c, err := zgw.New(zc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// WooConfig is the configuration of a client of the sandbox's publicatiebank.
func (e *Env) WooConfig() woo.Config {
	return woo.Config{APIRoot: e.URL + "/publicatiebank/api/v2", Token: WooToken, Timeout: 10 * time.Second}
}

// Woo is a client of the sandbox's publicatiebank, acting for a test user.
func (e *Env) Woo(t testing.TB) *woo.Client {
	t.Helper()
	c, err := woo.New(e.WooConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c.As(woo.User{ID: "tester", Representation: "Test user"})
}

// ClientConfig is the zgw configuration for a sandbox at base.
func ClientConfig(base string) zgw.Config {
	return zgw.Config{
		CatalogiURL:        base + "/catalogi/api/v1",
		ZakenURL:           base + "/zaken/api/v1",
		DocumentenURL:      base + "/documenten/api/v1",
		BesluitenURL:       base + "/besluiten/api/v1",
		NotificatiesURL:    base + "/notificaties/api/v1",
		ClientID:           ClientID,
		Secret:             Secret,
		UserID:             "tester",
		UserRepresentation: "Test user",
		Timeout:            10 * time.Second,
	}
}

// Spec is the catalogue configuration matching the sandbox's seed.
func Spec() zgw.CatalogueSpec {
	return zgw.CatalogueSpec{
		Catalogus:                 sandbox.CatalogusDomein,
		ZaakType:                  sandbox.ZaakTypeIdentificatie,
		InformatieObjectTypen:     []string{sandbox.IOTypeLetter, sandbox.IOTypeConfirmation, sandbox.IOTypeBesluit, sandbox.IOTypeEvidence},
		ResultaatType:             sandbox.ResultaatTypeHonoured,
		ResultaatTypeNotConfirmed: sandbox.ResultaatTypeNotConfirmed,
		StatusTypeFiled:           sandbox.StatusTypeFiled,
		BesluitType:               sandbox.BesluitTypeCollege,
	}
}
