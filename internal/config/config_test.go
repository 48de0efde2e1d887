package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clearEnv unsets every variable of the configuration for the test.
func clearEnv(t *testing.T) {
	for _, v := range Variables() {
		t.Setenv(v.Name, "")
		os.Unsetenv(v.Name)
	}
}

func TestDefaultsRunTheSandbox(t *testing.T) {
	clearEnv(t)
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !c.EmbeddedSandbox() || c.Addr != "127.0.0.1:8080" || c.RSIN != "002220647" || c.ZGW.Timeout.Duration != 30*time.Second ||
		c.Sandbox.DataDir != filepath.Join("data", "sandbox") || c.TokenMaxAge.Duration != time.Hour {
		t.Errorf("defaults: %+v", c)
	}
}

func TestEachBadVariableIsNamed(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONNECTOR_ADDR": "8080"}, "CONNECTOR_ADDR"},
		{map[string]string{"SANDBOX_ADDR": "nope"}, "SANDBOX_ADDR"},
		{map[string]string{"CONNECTOR_DATABASE_URL": "mysql://x"}, "CONNECTOR_DATABASE_URL"},
		{map[string]string{"CONNECTOR_CLIENTS": "a:b"}, "CONNECTOR_CLIENTS"},
		{map[string]string{"CONNECTOR_CLIENTS": "a:short:registrar"}, "CONNECTOR_CLIENTS"},
		{map[string]string{"CONNECTOR_CLIENTS": "a:0123456789abcdef:admin"}, "CONNECTOR_CLIENTS"},
		{map[string]string{"CONNECTOR_TOKEN_MAX_AGE": "soon"}, "CONNECTOR_TOKEN_MAX_AGE"},
		{map[string]string{"CONNECTOR_RSIN": "123456789"}, "CONNECTOR_RSIN"},
		{map[string]string{"CONNECTOR_LOG_LEVEL": "loud"}, "CONNECTOR_LOG_LEVEL"},
		{map[string]string{"ZGW_TIMEOUT": "-1s"}, "ZGW_TIMEOUT"},
		{map[string]string{"ZGW_ZAAKTYPE": " "}, "ZGW_ZAAKTYPE"},
		{map[string]string{"ZGW_ZAKEN_URL": "http://z/zaken/api/v1"}, "ZGW_CATALOGI_URL"},
		{map[string]string{"ZGW_ZAKEN_URL": "http://z/zaken/api/v1"}, "ZGW_SECRET"},
		{map[string]string{"ZGW_ZAKEN_URL": "http://z/zaken/api/v1"}, "CONNECTOR_RSIN"},
		{map[string]string{"ZGW_ZAKEN_URL": "zaken"}, "ZGW_ZAKEN_URL"},
		{map[string]string{"CONNECTOR_MAX_EMAIL_SIZE": "big"}, "CONNECTOR_MAX_EMAIL_SIZE"},
		{map[string]string{"META_SENDER_DOMAINS": "facebookmail.com=twitter"}, "META_SENDER_DOMAINS"},
		{map[string]string{"META_UNVERIFIED_POLICY": "ignore"}, "META_UNVERIFIED_POLICY"},
		{map[string]string{"META_MAX_MIME_DEPTH": "0"}, "META_MAX_MIME_DEPTH"},
		{map[string]string{"META_FORM_FACEBOOK": "facebook.com/help"}, "META_FORM_FACEBOOK"},
		{map[string]string{"META_DKIM_KEYS_FILE": "/nonexistent/keys"}, "META_DKIM_KEYS_FILE"},
		{map[string]string{"MAILBOX_ADDR": "imap.example.nl:993"}, "MAILBOX_USER"},
		{map[string]string{"MAILBOX_ADDR": "imap.example.nl:993", "MAILBOX_USER": "u"}, "MAILBOX_PASSWORD"},
		{map[string]string{"MAILBOX_ADDR": "imap.example.nl"}, "MAILBOX_ADDR"},
		{map[string]string{"MAILBOX_ADDR": "imap.example.nl:993", "MAILBOX_TLS": "maybe"}, "MAILBOX_TLS"},
		{map[string]string{"MAILBOX_POLL_INTERVAL": "often"}, "MAILBOX_POLL_INTERVAL"},
		{map[string]string{"WOO_PUBLICATIEBANK_URL": "https://publicaties.example.nl/api/v2"}, "WOO_TOKEN"},
		{map[string]string{"WOO_PUBLICATIEBANK_URL": "publicaties.example.nl", "WOO_TOKEN": "k"}, "WOO_PUBLICATIEBANK_URL"},
		{map[string]string{"WOO_DOCUMENT_DELIVERY": "mail"}, "WOO_DOCUMENT_DELIVERY"},
		{map[string]string{"WOO_PUBLISH": "soon"}, "WOO_PUBLISH"},
		{map[string]string{"WOO_PUBLICATIEBANK_URL": "https://p.example.nl/api/v2", "WOO_TOKEN": "k", "WOO_LOOK_INTERVAL": "10ms"}, "WOO_LOOK_INTERVAL"},
		{map[string]string{"CONNECTOR_HTTP_READ_TIMEOUT": "0s"}, "CONNECTOR_HTTP_READ_TIMEOUT"},
		{map[string]string{"CONNECTOR_HTTP_MAX_HEADER_BYTES": "10MiB"}, "CONNECTOR_HTTP_MAX_HEADER_BYTES"},
		{map[string]string{"CONNECTOR_PUBLIC_URL": "connector.example.nl"}, "CONNECTOR_PUBLIC_URL"},
		{map[string]string{"OIDC_ISSUER": "https://login.example.nl"}, "OIDC_CLIENT_ID"},
		{map[string]string{"OIDC_ISSUER": "https://login.example.nl", "OIDC_CLIENT_ID": "c"}, "OIDC_REDIRECT_URL"},
		{map[string]string{"OIDC_ISSUER": "login.example.nl", "OIDC_CLIENT_ID": "c", "CONNECTOR_PUBLIC_URL": "https://c.example.nl"}, "OIDC_ISSUER"},
		{map[string]string{"OIDC_ISSUER": "https://login.example.nl", "OIDC_CLIENT_ID": "c", "CONNECTOR_PUBLIC_URL": "https://c.example.nl", "OIDC_ROLE_AUDITOR": " "}, "OIDC_ROLE_AUDITOR"},
		{map[string]string{"CONNECTOR_SESSION_IDLE_TIMEOUT": "11h"}, "CONNECTOR_SESSION_IDLE_TIMEOUT"},
		{map[string]string{"CONNECTOR_SESSION_LIFETIME": "forever"}, "CONNECTOR_SESSION_LIFETIME"},
		{map[string]string{"CONNECTOR_ZAAK_UI_URL": "zaken/{uuid}"}, "CONNECTOR_ZAAK_UI_URL"},
		{map[string]string{"CONNECTOR_CHANGE_POLL": "10ms"}, "CONNECTOR_CHANGE_POLL"},
		{map[string]string{"CONNECTOR_THEME_CLASS": "x\" onload=\"y"}, "CONNECTOR_THEME_CLASS"},
		{map[string]string{"CONSOLE_THEME": "/no/such/theme.css"}, "CONSOLE_THEME"},
		{map[string]string{"CONNECTOR_CONFIRMATION_WAIT": "-1h"}, "CONNECTOR_CONFIRMATION_WAIT"},
		{map[string]string{"CONNECTOR_REMIND_BEFORE": "soon"}, "CONNECTOR_REMIND_BEFORE"},
		{map[string]string{"CONNECTOR_NOTIFY_TO": "a@b.nl"}, "SMTP_ADDR"},
		{map[string]string{"SMTP_ADDR": "smtp.example.nl:587", "SMTP_FROM": "c@b.nl"}, "CONNECTOR_NOTIFY_TO"},
		{map[string]string{"SMTP_ADDR": "smtp.example.nl:587", "CONNECTOR_NOTIFY_TO": "a@b.nl"}, "SMTP_FROM"},
		{map[string]string{"SMTP_ADDR": "smtp.example.nl:587", "SMTP_FROM": "c@b.nl", "CONNECTOR_NOTIFY_TO": "a@b.nl", "SMTP_TLS": "maybe"}, "SMTP_TLS"},
		{map[string]string{"SMTP_ADDR": "smtp.example.nl:587", "SMTP_FROM": "c@b.nl", "CONNECTOR_NOTIFY_TO": "a@b.nl", "SMTP_USER": "u"}, "SMTP_PASSWORD"},
		{map[string]string{"CONNECTOR_NOTIFY_EVENTS": "registered,gossip"}, "CONNECTOR_NOTIFY_EVENTS"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := Load()
			if err == nil || !strings.Contains(err.Error(), tc.want+":") {
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	clearEnv(t)
	t.Setenv("CONNECTOR_ADDR", "x")
	t.Setenv("CONNECTOR_RSIN", "1")
	t.Setenv("ZGW_TIMEOUT", "x")
	t.Setenv("CONNECTOR_CLIENTS", "a:verysecretverysecret:registrar:oops")
	_, err := Load()
	for _, name := range []string{"CONNECTOR_ADDR", "CONNECTOR_RSIN", "ZGW_TIMEOUT", "CONNECTOR_CLIENTS"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v does not name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), "verysecret") {
		t.Error("a client secret appears in the error")
	}
}

func TestSizesAndSenders(t *testing.T) {
	clearEnv(t)
	t.Setenv("CONNECTOR_MAX_EMAIL_SIZE", "512KiB")
	t.Setenv("META_SENDER_DOMAINS", "facebookmail.com=facebook, Mail.Instagram.com=instagram")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxEmailSize.Bytes != 512<<10 || c.Meta.SenderDomains.Domains["mail.instagram.com"] != "instagram" || c.Meta.MaxMIMEDepth.N != 8 {
		t.Errorf("%d %v %d", c.MaxEmailSize.Bytes, c.Meta.SenderDomains.Domains, c.Meta.MaxMIMEDepth.N)
	}
}

func TestClients(t *testing.T) {
	clearEnv(t)
	t.Setenv("CONNECTOR_CLIENTS", "intake:s3cret-s3cret-s3cret:registrar, audit:an0ther-an0ther-1:auditor+registrar")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Clients.List) != 2 || !c.Clients.List[0].Has(RoleRegistrar) || c.Clients.List[0].Has(RoleAuditor) ||
		!c.Clients.List[1].Has(RoleAuditor) || !c.Clients.List[1].Has(RoleRegistrar) || c.Clients.List[1].ID != "audit" {
		t.Errorf("clients: %+v", c.Clients.List)
	}
}

func TestConfigFileAndEnvironment(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "c.env")
	os.WriteFile(path, []byte("# comment\nCONNECTOR_ADDR=127.0.0.1:9999\nexport ZGW_ZAAKTYPE=\"OTHER\"\nCONNECTOR_LOG_LEVEL='debug'\n"), 0o600)
	t.Setenv("CONNECTOR_LOG_LEVEL", "warn")
	values, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ApplyFile(values); err != nil {
		t.Fatal(err)
	}
	for k := range values {
		t.Cleanup(func() { os.Unsetenv(k) })
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.ZGW.ZaakType != "OTHER" || c.LogLevel != "warn" {
		t.Errorf("file + env: addr %s zaaktype %s level %s", c.Addr, c.ZGW.ZaakType, c.LogLevel)
	}
	os.WriteFile(path, []byte("NOT A LINE\n"), 0o600)
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("bad line: %v", err)
	}
}

// TestExampleFileMatches keeps config.env.example in step with the parser: every variable
// appears with its default, and nothing else.
func TestExampleFileMatches(t *testing.T) {
	values, err := ReadFile(filepath.Join("..", "..", "config.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, v := range Variables() {
		known[v.Name] = true
		got, ok := values[v.Name]
		if !ok {
			t.Errorf("%s is missing from config.env.example", v.Name)
		} else if got != v.Default {
			t.Errorf("%s=%q in config.env.example, default is %q", v.Name, got, v.Default)
		}
	}
	for k := range values {
		if !known[k] {
			t.Errorf("config.env.example has %s, which the connector does not read", k)
		}
	}
}
