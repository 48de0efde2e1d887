// Package config reads the connector's configuration from the environment (envconfig) and
// checks all of it at once, so that a bad start names every bad variable in one message.
package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kelseyhightower/envconfig"

	"github.com/gemeenten/meta-bezwaar-connector/internal/httpserver"
	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/rsin"
)

// Config is every setting of `connector serve`. The envconfig tags name the variables; the
// defaults and descriptions are repeated, with comments, in config.env.example (a test keeps the
// two in step).
type Config struct {
	Addr        string   `envconfig:"CONNECTOR_ADDR" default:"127.0.0.1:8080" desc:"address of the HTTP API and web pages"`
	DataDir     string   `envconfig:"CONNECTOR_DATA_DIR" default:"./data" desc:"directory for the SQLite store, the dev token and the embedded sandbox"`
	DatabaseURL string   `envconfig:"CONNECTOR_DATABASE_URL" desc:"postgres:// URL for several replicas; empty: SQLite in the data directory"`
	Clients     Clients  `envconfig:"CONNECTOR_CLIENTS" desc:"API clients as id:secret:role[+role],…; empty: one registrar+auditor client with a dev token"`
	TokenMaxAge Duration `envconfig:"CONNECTOR_TOKEN_MAX_AGE" default:"1h" desc:"how old an API token's iat may be"`
	RSIN        string   `envconfig:"CONNECTOR_RSIN" desc:"RSIN of the municipality (bronorganisatie); required with a real zaaksysteem"`
	LogLevel    string   `envconfig:"CONNECTOR_LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	// Municipality signs the objection letters.
	Municipality   string `envconfig:"CONNECTOR_MUNICIPALITY" default:"Gemeente Voorbeeldstad" desc:"the municipality's name, used in the letters"`
	LetterTemplate string `envconfig:"CONNECTOR_LETTER_TEMPLATE" desc:"file with a text/template for the letters; empty: the built-in Dutch letter"`
	MaxEmailSize   Size   `envconfig:"CONNECTOR_MAX_EMAIL_SIZE" default:"25MiB" desc:"largest e-mail accepted (413 above it)"`
	// JobRescueAfter is how long a job may run; with Postgres, another replica takes over a job
	// still running then.
	JobRescueAfter Duration `envconfig:"CONNECTOR_JOB_RESCUE_AFTER" default:"1h" desc:"how long a job may run; with Postgres another replica then takes it over"`
	RetryBase      Duration `envconfig:"CONNECTOR_RETRY_BASE" default:"2s" desc:"first retry delay of a failed step; doubles per attempt, with jitter"`
	RetryCap       Duration `envconfig:"CONNECTOR_RETRY_CAP" default:"10m" desc:"longest retry delay"`
	// NotificationsAuth is the Authorization value the Notificaties API sends with callbacks
	// (the abonnement's auth); without it the callback refuses everything.
	NotificationsAuth string   `envconfig:"CONNECTOR_NOTIFICATIONS_AUTH" desc:"Authorization header value of Notificaties callbacks (the abonnement's auth); empty: callbacks refused"`
	Accounts          Accounts `envconfig:"CONNECTOR_ACCOUNTS" desc:"the municipality's accounts for decisions that arrive as a besluit notification: platform|name|url|email;…"`

	// PublicURL is how people and other systems reach the connector.
	PublicURL string `envconfig:"CONNECTOR_PUBLIC_URL" desc:"how others reach the connector (links in e-mails, callbacks); empty: none given"`
	// The life of an objection: reminders before the deadline, the wait for Meta's answer.
	RemindBefore     Wait     `envconfig:"CONNECTOR_REMIND_BEFORE" default:"72h" desc:"how long before the deadline a reminder goes out for accounts not filed (0: none)"`
	ConfirmationWait Wait     `envconfig:"CONNECTOR_CONFIRMATION_WAIT" default:"720h" desc:"how long after the last filing without every account confirmed the zaak closes as not confirmed (0: never by itself)"`
	SweepInterval    Duration `envconfig:"CONNECTOR_SWEEP_INTERVAL" default:"1m" desc:"how often reminders, deadlines and waits are looked for"`
	MaxEvidenceSize  Size     `envconfig:"CONNECTOR_MAX_EVIDENCE_SIZE" default:"25MiB" desc:"largest evidence file (screenshot, PDF, e-mail) accepted"`
	MaxDocumentSize  Size     `envconfig:"CONNECTOR_MAX_DOCUMENT_SIZE" default:"100MiB" desc:"largest decision document accepted with a decision"`

	HTTP    HTTP
	Console Console
	Notify  Notify
	ZGW     ZGW
	Sandbox Sandbox
	Meta    Meta
	Mailbox Mailbox
	Woo     Woo
}

// Limits are the HTTP settings as the servers take them.
func (h HTTP) Limits() httpserver.Limits {
	return httpserver.Limits{ReadHeaderTimeout: h.ReadHeaderTimeout.Duration, ReadTimeout: h.ReadTimeout.Duration,
		WriteTimeout: h.WriteTimeout.Duration, IdleTimeout: h.IdleTimeout.Duration, MaxHeaderBytes: int(h.MaxHeaderBytes.Bytes)}
}

// Notify configures the e-mails to people; off without SMTP_ADDR.
type Notify struct {
	SMTPAddr     string   `envconfig:"SMTP_ADDR" desc:"SMTP server host:port for notices to people; empty: no e-mail is sent"`
	SMTPUser     string   `envconfig:"SMTP_USER" desc:"SMTP user (empty: no authentication)"`
	SMTPPassword string   `envconfig:"SMTP_PASSWORD" desc:"SMTP password (never logged)"`
	SMTPFrom     string   `envconfig:"SMTP_FROM" desc:"sender address of the notices"`
	SMTPTLS      string   `envconfig:"SMTP_TLS" default:"starttls" desc:"starttls (required), tls (implicit, port 465), or none (only on a trusted network)"`
	To           []string `envconfig:"CONNECTOR_NOTIFY_TO" desc:"addresses told of what happens to cases, comma-separated"`
	Events       []string `envconfig:"CONNECTOR_NOTIFY_EVENTS" desc:"which events are told, comma-separated: registered, reminder, overdue, accepted, quarantined, closed, failed; empty: all"`
	Templates    string   `envconfig:"CONNECTOR_NOTIFY_TEMPLATES" desc:"directory with <event>.tmpl files replacing the built-in Dutch ones; empty: built-in"`
}

// HTTP bounds every client of the connector's HTTP server, and of the sandbox's.
type HTTP struct {
	ReadHeaderTimeout Duration `envconfig:"CONNECTOR_HTTP_READ_HEADER_TIMEOUT" default:"10s" desc:"how long a client may take to send its request header"`
	ReadTimeout       Duration `envconfig:"CONNECTOR_HTTP_READ_TIMEOUT" default:"5m" desc:"how long a client may take to send a whole request with its body (it must fit the largest upload on a slow line)"`
	WriteTimeout      Duration `envconfig:"CONNECTOR_HTTP_WRITE_TIMEOUT" default:"2m" desc:"how long an answer may stall; it moves on with every write, so a long dossier streams on"`
	IdleTimeout       Duration `envconfig:"CONNECTOR_HTTP_IDLE_TIMEOUT" default:"2m" desc:"how long an idle kept-alive connection is kept"`
	MaxHeaderBytes    Size     `envconfig:"CONNECTOR_HTTP_MAX_HEADER_BYTES" default:"64KiB" desc:"largest request line and header"`
}

// Mailbox configures the IMAP intake of confirmation e-mails; it is off without an address.
type Mailbox struct {
	Addr             string   `envconfig:"MAILBOX_ADDR" desc:"IMAP server host:port; empty: no mailbox intake"`
	TLS              string   `envconfig:"MAILBOX_TLS" default:"tls" desc:"tls (implicit, port 993), starttls, or none (only on a trusted network)"`
	User             string   `envconfig:"MAILBOX_USER" desc:"IMAP user"`
	Password         string   `envconfig:"MAILBOX_PASSWORD" desc:"IMAP password (never logged)"`
	Folder           string   `envconfig:"MAILBOX_FOLDER" default:"INBOX" desc:"folder to read"`
	ProcessedFolder  string   `envconfig:"MAILBOX_PROCESSED_FOLDER" default:"Verwerkt" desc:"where accepted mail goes, once durably stored"`
	QuarantineFolder string   `envconfig:"MAILBOX_QUARANTINE_FOLDER" default:"Quarantaine" desc:"where refused mail goes"`
	PollInterval     Duration `envconfig:"MAILBOX_POLL_INTERVAL" default:"1m" desc:"how often the folder is read"`
}

// Meta configures what the connector knows of Meta.
type Meta struct {
	DKIMKeysFile  string  `envconfig:"META_DKIM_KEYS_FILE" desc:"file of lines '<selector>._domainkey.<domain> <TXT record>'; when set, DKIM keys come from it instead of DNS"`
	SenderDomains Senders `envconfig:"META_SENDER_DOMAINS" default:"facebookmail.com=facebook,mail.instagram.com=instagram" desc:"Meta's sending domains and their platform"`
	FormFacebook  string  `envconfig:"META_FORM_FACEBOOK" default:"https://www.facebook.com/help/contact/6359191084165019" desc:"Meta's objection form for Facebook accounts"`
	FormInstagram string  `envconfig:"META_FORM_INSTAGRAM" default:"https://help.instagram.com/contact/233964459562201" desc:"Meta's objection form for Instagram accounts"`
	// UnverifiedPolicy decides over mail that is not authentic: quarantine keeps it for review
	// (and answers 422), reject only answers 422.
	UnverifiedPolicy string `envconfig:"META_UNVERIFIED_POLICY" default:"quarantine" desc:"quarantine or reject"`
	PhrasesHonoured  string `envconfig:"META_PHRASES_HONOURED" desc:"|-separated phrases meaning Meta will honour the objection; empty: the built-in Dutch and English ones"`
	PhrasesReceived  string `envconfig:"META_PHRASES_RECEIVED" desc:"|-separated phrases meaning Meta received the objection; empty: built-in"`
	PhrasesRejected  string `envconfig:"META_PHRASES_REJECTED" desc:"|-separated phrases meaning Meta could not process or will not honour the objection; empty: built-in"`
	// ClockSkew is how much later than its arrival a mail's signed Date may be: clocks differ.
	ClockSkew       Duration `envconfig:"META_CLOCK_SKEW" default:"15m" desc:"how much later than its arrival a mail's signed Date may be; later goes to review"`
	MaxHeaders      Count    `envconfig:"META_MAX_HEADERS" default:"500" desc:"most header fields in one MIME entity"`
	MaxHeaderLength Count    `envconfig:"META_MAX_HEADER_LENGTH" default:"16384" desc:"longest header field (bytes)"`
	MaxMIMEDepth    Count    `envconfig:"META_MAX_MIME_DEPTH" default:"8" desc:"deepest nesting of multiparts and forwarded messages"`
	MaxMIMEParts    Count    `envconfig:"META_MAX_MIME_PARTS" default:"200" desc:"most MIME parts in one e-mail"`
}

// ZGW says where the zaaksysteem is and which catalogue types to use.
type ZGW struct {
	CatalogiURL        string   `envconfig:"ZGW_CATALOGI_URL" desc:"Catalogi API root, e.g. https://zaken.example.nl/catalogi/api/v1"`
	ZakenURL           string   `envconfig:"ZGW_ZAKEN_URL" desc:"Zaken API root"`
	DocumentenURL      string   `envconfig:"ZGW_DOCUMENTEN_URL" desc:"Documenten API root"`
	BesluitenURL       string   `envconfig:"ZGW_BESLUITEN_URL" desc:"Besluiten API root (optional: no besluit is registered without it)"`
	NotificatiesURL    string   `envconfig:"ZGW_NOTIFICATIES_URL" desc:"Notificaties API root (optional)"`
	ClientID           string   `envconfig:"ZGW_CLIENT_ID" desc:"client id for the ZGW JWT"`
	Secret             string   `envconfig:"ZGW_SECRET" desc:"secret for the ZGW JWT (at least 32 bytes recommended)"`
	UserID             string   `envconfig:"ZGW_USER_ID" default:"meta-bezwaar-connector" desc:"user_id claim, shown in the audit trail"`
	UserRepresentation string   `envconfig:"ZGW_USER_REPRESENTATION" default:"Meta-bezwaar connector" desc:"user_representation claim, shown in the audit trail"`
	Timeout            Duration `envconfig:"ZGW_TIMEOUT" default:"30s" desc:"timeout of one ZGW request"`
	CircuitCooldown    Duration `envconfig:"ZGW_CIRCUIT_COOLDOWN" default:"30s" desc:"after 5 failures in a row, how long requests are held back"`
	Catalogus          string   `envconfig:"ZGW_CATALOGUS" default:"MBZ" desc:"catalogue URL or domein"`
	ZaakType           string   `envconfig:"ZGW_ZAAKTYPE" default:"BEZWAAR-META-AI" desc:"zaaktype identificatie; the version valid on the decision date is used"`
	LetterType         string   `envconfig:"ZGW_INFORMATIEOBJECTTYPE_LETTER" default:"Bezwaarschrift" desc:"informatieobjecttype omschrijving of the objection letters"`
	ConfirmationType   string   `envconfig:"ZGW_INFORMATIEOBJECTTYPE_CONFIRMATION" default:"Bevestiging Meta" desc:"informatieobjecttype omschrijving of Meta's e-mails"`
	ResultaatType      string   `envconfig:"ZGW_RESULTAATTYPE" default:"Bezwaar gehonoreerd" desc:"resultaattype omschrijving recorded when the zaak closes"`
	NotConfirmedType   string   `envconfig:"ZGW_RESULTAATTYPE_NOT_CONFIRMED" default:"Bezwaar niet bevestigd" desc:"resultaattype omschrijving recorded when the zaak closes without every account confirmed"`
	FiledStatusType    string   `envconfig:"ZGW_STATUSTYPE_FILED" default:"Bezwaar ingediend bij Meta" desc:"statustype omschrijving set once every account is filed at Meta; empty: none"`
	EvidenceType       string   `envconfig:"ZGW_INFORMATIEOBJECTTYPE_EVIDENCE" default:"Bewijs indiening" desc:"informatieobjecttype omschrijving of evidence (Meta's receipt of a filing, other proof of confirmation)"`
	DecisionType       string   `envconfig:"ZGW_INFORMATIEOBJECTTYPE_DECISION" default:"Besluitdocument" desc:"informatieobjecttype omschrijving of the decision's own document"`
	// The vertrouwelijkheidaanduiding of each kind of document; empty: the one the beheerder set
	// on its informatieobjecttype (the Documenten API derives it).
	LetterConfidentiality       string `envconfig:"ZGW_VERTROUWELIJKHEID_LETTER" desc:"vertrouwelijkheidaanduiding of the letters; empty: their informatieobjecttype's"`
	ConfirmationConfidentiality string `envconfig:"ZGW_VERTROUWELIJKHEID_CONFIRMATION" desc:"vertrouwelijkheidaanduiding of Meta's e-mails; empty: their informatieobjecttype's"`
	EvidenceConfidentiality     string `envconfig:"ZGW_VERTROUWELIJKHEID_EVIDENCE" desc:"vertrouwelijkheidaanduiding of evidence; empty: its informatieobjecttype's"`
	DecisionConfidentiality     string `envconfig:"ZGW_VERTROUWELIJKHEID_DECISION" desc:"vertrouwelijkheidaanduiding of the decision's document; empty: its informatieobjecttype's"`
	SelectielijstURL            string `envconfig:"ZGW_SELECTIELIJST_URL" desc:"root of the Selectielijst API the zaaksysteem uses (provision); default: the sandbox's stand-in when the sandbox is embedded"`
	BesluitType                 string `envconfig:"ZGW_BESLUITTYPE" default:"Collegebesluit bezwaar AI-training" desc:"besluittype omschrijving; empty: no besluit is registered"`
}

// Woo says where the municipality's Woo publicatiebank (GPP-publicatiebank) is and how the
// decisions are published there.
type Woo struct {
	APIRoot   string   `envconfig:"WOO_PUBLICATIEBANK_URL" desc:"GPP-publicatiebank API root, e.g. https://publicaties.example.nl/api/v2; empty: decisions are not published (with the embedded sandbox: its publicatiebank); none: not published at all"`
	Token     string   `envconfig:"WOO_TOKEN" desc:"the connector's API key at the publicatiebank (never logged)"`
	Publisher string   `envconfig:"WOO_PUBLISHER" desc:"the publishing organisation, by name or uuid; empty: CONNECTOR_MUNICIPALITY"`
	Category  string   `envconfig:"WOO_INFORMATIECATEGORIE" default:"agenda's en besluitenlijsten bestuurscolleges" desc:"the informatiecategorie of the publications, by name or uuid"`
	Publish   string   `envconfig:"WOO_PUBLISH" default:"concept" desc:"concept (the communication advisor publishes it in the GPP app) or direct (published at once)"`
	Delivery  string   `envconfig:"WOO_DOCUMENT_DELIVERY" desc:"fetch (the publicatiebank reads the document from the Documenten API) or upload (the connector sends it in parts); empty: fetch with the embedded sandbox, else upload"`
	LookEvery Duration `envconfig:"WOO_LOOK_INTERVAL" default:"15m" desc:"how often a publication in concept or published is looked at again (published? withdrawn?)"`
	Timeout   Duration `envconfig:"WOO_TIMEOUT" default:"30s" desc:"timeout of one request to the publicatiebank"`
}

// Configured reports whether decisions are published: a publicatiebank is named (or the
// embedded sandbox's is used).
func (w Woo) Configured() bool { return w.APIRoot != "" && w.APIRoot != "none" }

// vertrouwelijkheden are the ZGW's vertrouwelijkheidaanduidingen, from open to closed.
var vertrouwelijkheden = []string{"openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk", "confidentieel", "geheim", "zeer_geheim"}

// Sandbox configures the embedded sandbox zaaksysteem.
type Sandbox struct {
	Addr     string `envconfig:"SANDBOX_ADDR" default:"127.0.0.1:8000" desc:"address of the sandbox zaaksysteem"`
	DataDir  string `envconfig:"SANDBOX_DATA_DIR" desc:"sandbox data; default: <CONNECTOR_DATA_DIR>/sandbox"`
	ClientID string `envconfig:"SANDBOX_CLIENT_ID" default:"sandbox" desc:"the sandbox's one client"`
	Secret   string `envconfig:"SANDBOX_SECRET" desc:"its secret; generated (and kept in the data directory) when unset"`
	WooToken string `envconfig:"SANDBOX_WOO_TOKEN" desc:"API key of the sandbox's publicatiebank; generated (and kept in the data directory) when unset"`
	// ClientScopes is "all" (every right) or "connector" (exactly the connector's scopes).
	ClientScopes string `envconfig:"SANDBOX_CLIENT_SCOPES" default:"all" desc:"what the sandbox's client may do: all, or connector (exactly the scopes README lists)"`
	// SelectielijstURL narrows the Selectielijst the sandbox reads resultaattypen against.
	SelectielijstURL string `envconfig:"SANDBOX_SELECTIELIJST_URL" desc:"the only Selectielijst API root the sandbox accepts in catalogue writes; empty: any (and its own stand-in)"`
	// AcceptConceptZaaktypen is Open Zaak's switch to accept zaken on unpublished zaaktypen.
	AcceptConceptZaaktypen bool `envconfig:"SANDBOX_ACCEPT_CONCEPT_ZAAKTYPEN" default:"false" desc:"accept zaken on a zaaktype that is still a concept, as Open Zaak can be configured to; false: refused (not-published), as the standard says"`
}

// EmbeddedSandbox reports whether no zaaksysteem is configured, so the sandbox runs in-process.
func (c *Config) EmbeddedSandbox() bool {
	z := c.ZGW
	return z.CatalogiURL == "" && z.ZakenURL == "" && z.DocumentenURL == "" && z.BesluitenURL == "" && z.NotificatiesURL == ""
}

// Load reads the environment and validates everything, returning one error that names every
// bad variable.
func Load() (*Config, error) {
	var c Config
	if err := envconfig.Process("", &c); err != nil {
		return nil, err
	}
	if c.Sandbox.DataDir == "" {
		c.Sandbox.DataDir = filepath.Join(c.DataDir, "sandbox")
	}
	if c.RSIN == "" && c.EmbeddedSandbox() {
		c.RSIN = "002220647" // the sandbox's demo organisation
	}
	return &c, c.Validate()
}

// Validate checks every setting and names each bad variable.
func (c *Config) Validate() error {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("CONNECTOR_ADDR", "%q is not host:port", c.Addr)
	}
	if _, _, err := net.SplitHostPort(c.Sandbox.Addr); err != nil {
		bad("SANDBOX_ADDR", "%q is not host:port", c.Sandbox.Addr)
	}
	if c.Sandbox.ClientScopes != "all" && c.Sandbox.ClientScopes != "connector" {
		bad("SANDBOX_CLIENT_SCOPES", "%q is neither all nor connector", c.Sandbox.ClientScopes)
	}
	if c.DataDir == "" {
		bad("CONNECTOR_DATA_DIR", "must not be empty")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("CONNECTOR_DATABASE_URL", "must be a postgres:// URL (or empty for SQLite)")
	}
	for _, e := range []struct {
		name string
		err  error
	}{{"CONNECTOR_CLIENTS", c.Clients.err}, {"CONNECTOR_TOKEN_MAX_AGE", c.TokenMaxAge.err}, {"ZGW_TIMEOUT", c.ZGW.Timeout.err},
		{"CONNECTOR_MAX_EMAIL_SIZE", c.MaxEmailSize.err}, {"META_SENDER_DOMAINS", c.Meta.SenderDomains.err},
		{"META_MAX_HEADERS", c.Meta.MaxHeaders.err}, {"META_MAX_HEADER_LENGTH", c.Meta.MaxHeaderLength.err},
		{"META_MAX_MIME_DEPTH", c.Meta.MaxMIMEDepth.err}, {"META_MAX_MIME_PARTS", c.Meta.MaxMIMEParts.err}, {"META_CLOCK_SKEW", c.Meta.ClockSkew.err},
		{"MAILBOX_POLL_INTERVAL", c.Mailbox.PollInterval.err}, {"CONNECTOR_JOB_RESCUE_AFTER", c.JobRescueAfter.err},
		{"CONNECTOR_RETRY_BASE", c.RetryBase.err}, {"CONNECTOR_RETRY_CAP", c.RetryCap.err}, {"ZGW_CIRCUIT_COOLDOWN", c.ZGW.CircuitCooldown.err}, {"CONNECTOR_ACCOUNTS", c.Accounts.err},
		{"CONNECTOR_HTTP_READ_HEADER_TIMEOUT", c.HTTP.ReadHeaderTimeout.err}, {"CONNECTOR_HTTP_READ_TIMEOUT", c.HTTP.ReadTimeout.err},
		{"CONNECTOR_HTTP_WRITE_TIMEOUT", c.HTTP.WriteTimeout.err}, {"CONNECTOR_HTTP_IDLE_TIMEOUT", c.HTTP.IdleTimeout.err},
		{"CONNECTOR_HTTP_MAX_HEADER_BYTES", c.HTTP.MaxHeaderBytes.err}, {"CONNECTOR_REMIND_BEFORE", c.RemindBefore.err},
		{"CONNECTOR_CONFIRMATION_WAIT", c.ConfirmationWait.err}, {"CONNECTOR_SWEEP_INTERVAL", c.SweepInterval.err},
		{"CONNECTOR_MAX_EVIDENCE_SIZE", c.MaxEvidenceSize.err}, {"CONNECTOR_MAX_DOCUMENT_SIZE", c.MaxDocumentSize.err},
		{"WOO_LOOK_INTERVAL", c.Woo.LookEvery.err}, {"WOO_TIMEOUT", c.Woo.Timeout.err}} {
		if e.err != nil {
			bad(e.name, "%v", e.err)
		}
	}
	switch {
	case c.RSIN == "":
		bad("CONNECTOR_RSIN", "required when a zaaksysteem is configured")
	case !rsin.Valid(c.RSIN):
		bad("CONNECTOR_RSIN", "%q is not an RSIN: nine digits passing the elfproef", c.RSIN)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		bad("CONNECTOR_LOG_LEVEL", "%q is not debug, info, warn or error", c.LogLevel)
	}
	if !c.EmbeddedSandbox() {
		for _, u := range []struct {
			name, value string
			required    bool
		}{
			{"ZGW_CATALOGI_URL", c.ZGW.CatalogiURL, true}, {"ZGW_ZAKEN_URL", c.ZGW.ZakenURL, true},
			{"ZGW_DOCUMENTEN_URL", c.ZGW.DocumentenURL, true}, {"ZGW_BESLUITEN_URL", c.ZGW.BesluitenURL, c.ZGW.BesluitType != ""},
			{"ZGW_NOTIFICATIES_URL", c.ZGW.NotificatiesURL, false},
		} {
			switch {
			case u.value == "" && u.required:
				bad(u.name, "required when a zaaksysteem is configured")
			case u.value != "" && !httpURL(u.value):
				bad(u.name, "%q is not an http(s) URL", u.value)
			}
		}
		if c.ZGW.ClientID == "" {
			bad("ZGW_CLIENT_ID", "required when a zaaksysteem is configured")
		}
		if c.ZGW.Secret == "" {
			bad("ZGW_SECRET", "required when a zaaksysteem is configured")
		}
	}
	for _, f := range []struct{ name, value string }{
		{"ZGW_VERTROUWELIJKHEID_LETTER", c.ZGW.LetterConfidentiality}, {"ZGW_VERTROUWELIJKHEID_CONFIRMATION", c.ZGW.ConfirmationConfidentiality},
		{"ZGW_VERTROUWELIJKHEID_EVIDENCE", c.ZGW.EvidenceConfidentiality}, {"ZGW_VERTROUWELIJKHEID_DECISION", c.ZGW.DecisionConfidentiality},
	} {
		if f.value != "" && !slices.Contains(vertrouwelijkheden, f.value) {
			bad(f.name, "%q is not one of %s", f.value, strings.Join(vertrouwelijkheden, ", "))
		}
	}
	for _, f := range []struct{ name, value string }{
		{"ZGW_CATALOGUS", c.ZGW.Catalogus}, {"ZGW_ZAAKTYPE", c.ZGW.ZaakType},
		{"ZGW_INFORMATIEOBJECTTYPE_LETTER", c.ZGW.LetterType}, {"ZGW_INFORMATIEOBJECTTYPE_CONFIRMATION", c.ZGW.ConfirmationType},
		{"ZGW_RESULTAATTYPE", c.ZGW.ResultaatType},
	} {
		if strings.TrimSpace(f.value) == "" {
			bad(f.name, "must not be empty")
		}
	}
	for _, f := range []struct{ name, value string }{{"META_FORM_FACEBOOK", c.Meta.FormFacebook}, {"META_FORM_INSTAGRAM", c.Meta.FormInstagram}} {
		if !httpURL(f.value) {
			bad(f.name, "%q is not an http(s) URL", f.value)
		}
	}
	for _, f := range []struct{ name, path string }{{"META_DKIM_KEYS_FILE", c.Meta.DKIMKeysFile}, {"CONNECTOR_LETTER_TEMPLATE", c.LetterTemplate}} {
		if f.path != "" {
			if _, err := os.Stat(f.path); err != nil {
				bad(f.name, "cannot read %s", f.path)
			}
		}
	}
	if a := c.NotificationsAuth; a != "" && len(a) < 16 {
		bad("CONNECTOR_NOTIFICATIONS_AUTH", "shorter than 16 characters: too easy to guess")
	}
	if p := c.Meta.UnverifiedPolicy; p != "quarantine" && p != "reject" {
		bad("META_UNVERIFIED_POLICY", "%q is not quarantine or reject", p)
	}
	if c.Mailbox.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Mailbox.Addr); err != nil {
			bad("MAILBOX_ADDR", "%q is not host:port", c.Mailbox.Addr)
		}
		if t := c.Mailbox.TLS; t != "tls" && t != "starttls" && t != "none" {
			bad("MAILBOX_TLS", "%q is not tls, starttls or none", t)
		}
		if c.Mailbox.User == "" {
			bad("MAILBOX_USER", "required with MAILBOX_ADDR")
		}
		if c.Mailbox.Password == "" {
			bad("MAILBOX_PASSWORD", "required with MAILBOX_ADDR")
		}
		for _, f := range []struct{ name, value string }{{"MAILBOX_FOLDER", c.Mailbox.Folder},
			{"MAILBOX_PROCESSED_FOLDER", c.Mailbox.ProcessedFolder}, {"MAILBOX_QUARANTINE_FOLDER", c.Mailbox.QuarantineFolder}} {
			if strings.TrimSpace(f.value) == "" {
				bad(f.name, "must not be empty")
			}
		}
	}
	if n := c.HTTP.MaxHeaderBytes.Bytes; c.HTTP.MaxHeaderBytes.err == nil && (n < 4<<10 || n > 1<<20) {
		bad("CONNECTOR_HTTP_MAX_HEADER_BYTES", "must lie between 4KiB and 1MiB")
	}
	if c.PublicURL != "" && !httpURL(c.PublicURL) {
		bad("CONNECTOR_PUBLIC_URL", "%q is not an http(s) URL", c.PublicURL)
	}
	c.validateNotify(bad)
	c.validateConsole(bad)
	c.validateWoo(bad)
	if strings.TrimSpace(c.Municipality) == "" {
		bad("CONNECTOR_MUNICIPALITY", "must not be empty")
	}
	if len(errs) == 0 {
		return nil
	}
	return &Error{Problems: errs}
}

func (c *Config) validateNotify(bad func(name, format string, args ...any)) {
	n := c.Notify
	for _, ev := range n.Events {
		if !slices.Contains(notify.Events, strings.TrimSpace(ev)) {
			bad("CONNECTOR_NOTIFY_EVENTS", "%q is not one of %s", ev, strings.Join(notify.Events, ", "))
		}
	}
	if n.SMTPAddr == "" {
		if len(n.To) > 0 {
			bad("SMTP_ADDR", "required with CONNECTOR_NOTIFY_TO")
		}
		return
	}
	if _, _, err := net.SplitHostPort(n.SMTPAddr); err != nil {
		bad("SMTP_ADDR", "%q is not host:port", n.SMTPAddr)
	}
	if t := n.SMTPTLS; t != "starttls" && t != "tls" && t != "none" {
		bad("SMTP_TLS", "%q is not starttls, tls or none", t)
	}
	if a, err := mail.ParseAddress(n.SMTPFrom); err != nil || a.Address == "" {
		bad("SMTP_FROM", "a sender address is required with SMTP_ADDR")
	}
	if len(n.To) == 0 {
		bad("CONNECTOR_NOTIFY_TO", "at least one address is required with SMTP_ADDR")
	}
	for _, to := range n.To {
		if _, err := mail.ParseAddress(strings.TrimSpace(to)); err != nil {
			bad("CONNECTOR_NOTIFY_TO", "%q is not an e-mail address", to)
		}
	}
	if n.SMTPUser != "" && n.SMTPPassword == "" {
		bad("SMTP_PASSWORD", "required with SMTP_USER")
	}
}

// Error lists every configuration problem.
type Error struct{ Problems []error }

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return "invalid configuration: " + strings.Join(parts, "; ")
}

func (e *Error) Unwrap() []error { return e.Problems }

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// WeakSecret reports whether a secret is shorter than some ZGW stacks accept for HS256.
func WeakSecret(s string) bool { return s != "" && len(s) < 32 }
