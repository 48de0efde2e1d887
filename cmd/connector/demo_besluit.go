package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// demoAccounts are the demo municipality's accounts.
var demoAccounts = []objection.Account{
	{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", URL: "https://www.facebook.com/voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
	{Platform: objection.Instagram, Name: "@voorbeeldstad", URL: "https://www.instagram.com/voorbeeldstad", Email: "social@voorbeeldstad.nl"},
}

// demoSubscribes configures the demo's connector to subscribe at its sandbox: a loopback address
// chosen now (the callback names it), a callback secret, and the accounts a besluit stands for.
func demoSubscribes(cfg *config.Config) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg.Addr = ln.Addr().String()
	ln.Close()
	var secret [24]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return err
	}
	cfg.PublicURL, cfg.NotificationsAuth = "http://"+cfg.Addr, "Bearer "+hex.EncodeToString(secret[:])
	cfg.Accounts.List = nil
	for _, a := range demoAccounts {
		cfg.Accounts.List = append(cfg.Accounts.List, config.Account{Platform: string(a.Platform), Name: a.Name, URL: a.URL, Email: a.Email})
	}
	return nil
}

// demoFromBesluit lets the decision start in the zaaksysteem: once the connector's abonnement is
// in place, a besluit is created there as a decision system would; its notification reaches the
// connector, which registers the decision. c becomes that case.
func demoFromBesluit(ctx context.Context, a *app, cfg *config.Config, client *apiClient, d objection.Decision, step func(string, ...any), c *objection.Case) error {
	if err := waitFor(ctx, time.Minute, "the abonnement at the sandbox's Notificaties API", func() (bool, error) { return a.engine.Subscribed(ctx) }); err != nil {
		return err
	}
	step("de connector is geabonneerd op de Notificaties API van het proef-zaaksysteem (callback %s/api/v1/notifications)", cfg.PublicURL)
	zc := zgwConfig(cfg)
	useSandbox(&zc, a.SandboxURL, cfg.Sandbox.ClientID, a.sandbox.Secret)
	zc.UserID, zc.UserRepresentation = "besluitvorming", "Besluitvormingssysteem"
	zs, err := zgw.New(zc)
	if err != nil {
		return err
	}
	cat, err := zs.Catalogi.Resolve(ctx, catalogueSpec(cfg), d.DecidedOn)
	if err != nil {
		return err
	}
	b, err := zs.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: cfg.RSIN, BesluitType: cat.BesluitType.URL,
		Identificatie: d.Reference, Datum: d.DecidedOn, IngangsDatum: d.DecidedOn, Toelichting: d.Title})
	if err != nil {
		return err
	}
	step("besluit %s aangemaakt in het zaaksysteem door het besluitensysteem (%s)", b.Identificatie, b.URL)
	err = waitFor(ctx, time.Minute, "the case of besluit "+b.Identificatie, func() (bool, error) {
		var list struct{ Results []objection.Case }
		if _, err := client.call("GET", "/api/v1/cases?pageSize=100", "", nil, &list); err != nil {
			return false, err
		}
		for _, x := range list.Results {
			if x.Decision.Reference == b.Identificatie {
				*c = x
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	step("de melding ervan bereikte de connector: besluit %s vastgelegd voor %d accounts, zaak %s in de connector", b.Identificatie, len(c.Accounts), c.ID)
	return nil
}

// waitFor polls until done says so, or the time is up.
func waitFor(ctx context.Context, limit time.Duration, what string, done func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s", limit, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
