package main

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/notify"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/store"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
	"github.com/gemeenten/meta-bezwaar-connector/internal/workflow"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// The parts of the service as the configuration makes them; startApp (app.go) builds and starts
// them in order, and routes (routes.go) serves them.

// metaChecker checks Meta's e-mails as configured: its DKIM keys (DNS, or a keys file), its
// sending domains, the limits on a mail and the phrases that say what Meta answered.
func metaChecker(cfg *config.Config) (*meta.Checker, error) {
	var err error
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
	return checker, nil
}

// engineConfig is the workflow's configuration.
func engineConfig(cfg *config.Config, spec zgw.CatalogueSpec, zcfg zgw.Config, fault func(string), notifier *notify.Notifier, publishing *workflow.Publishing) workflow.Config {
	return workflow.Config{
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

// publishingOf is the publication on the Woo platform as configured (nil: none).
func publishingOf(cfg *config.Config) (*workflow.Publishing, error) {
	w := cfg.Woo
	if !w.Configured() {
		return nil, nil
	}
	client, err := woo.New(woo.Config{APIRoot: w.APIRoot, Token: w.Token, Timeout: w.Timeout.Duration, ReadRetries: 2})
	if err != nil {
		return nil, fmt.Errorf("WOO_PUBLICATIEBANK_URL: %w", err)
	}
	return &workflow.Publishing{Client: client, Publisher: cmp.Or(w.Publisher, cfg.Municipality), Category: w.Category,
		Directly: w.Publish == "direct", Fetch: w.Delivery == "fetch", LookEvery: w.LookEvery.Duration, Municipality: cfg.Municipality}, nil
}
