package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
)

// demoCmd runs the whole job on the embedded defaults: decision → zaak and letters → a signed
// sample confirmation per account → the zaak closed, printing each step.
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	keep := fs.Bool("keep", false, "keep the sandbox and connector running after the demo, until interrupted")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"demo takes only --keep"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(cfg.DataDir, "demo-")
	if os.IsNotExist(err) {
		if err = private.Dir(cfg.DataDir); err == nil {
			dir, err = os.MkdirTemp(cfg.DataDir, "demo-")
		}
	}
	if err != nil {
		return err
	}
	// The demo signs its sample mails with its own key, published through a keys file as
	// META_DKIM_KEYS_FILE would for an offline installation.
	signer, err := meta.NewSampleSigner("demo")
	if err != nil {
		return err
	}
	keys := filepath.Join(dir, "dkim-keys")
	if err := os.WriteFile(keys, []byte(signer.KeyLines(meta.DefaultSenders())), 0o600); err != nil {
		return err
	}
	cfg.DataDir, cfg.Addr, cfg.Clients = dir, "127.0.0.1:0", config.Clients{}
	cfg.Sandbox.Addr, cfg.Sandbox.DataDir, cfg.Sandbox.Secret = "127.0.0.1:0", filepath.Join(dir, "sandbox"), ""
	// The embedded sandbox and its seeded catalogue, whatever ZGW_* says.
	cfg.ZGW = config.ZGW{Timeout: cfg.ZGW.Timeout, CircuitCooldown: cfg.ZGW.CircuitCooldown,
		Catalogus: sandbox.CatalogusDomein, ZaakType: sandbox.ZaakTypeIdentificatie, LetterType: sandbox.IOTypeLetter,
		ConfirmationType: sandbox.IOTypeConfirmation, ResultaatType: sandbox.ResultaatTypeHonoured, BesluitType: sandbox.BesluitTypeCollege,
		UserID: cfg.ZGW.UserID, UserRepresentation: cfg.ZGW.UserRepresentation}
	cfg.RSIN, cfg.Meta.DKIMKeysFile = "002220647", keys
	if err := cfg.Validate(); err != nil {
		return err
	}
	step := func(format string, a ...any) { fmt.Fprintf(stdout, "• "+format+"\n", a...) }
	started := time.Now()
	a, err := startApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer a.shutdown()
	step("sandbox zaaksysteem running at %s (Zaken API: %s/zaken/api/v1)", a.SandboxURL, a.SandboxURL)
	step("connector running at %s", a.URL)
	tok, err := os.ReadFile(a.TokenFile)
	if err != nil {
		return err
	}
	client := &apiClient{base: a.URL, token: strings.TrimSpace(string(tok)), http: &http.Client{Timeout: time.Minute}}

	d := objection.Decision{Reference: "B&W-DEMO-" + time.Now().Format("20060102-150405"),
		Title: "Bezwaar tegen gebruik van openbare content voor AI-training door Meta", DecidedOn: "2025-05-13", Deadline: "2025-05-27",
		Accounts: []objection.Account{
			{Platform: objection.Facebook, Name: "Gemeente Voorbeeldstad", URL: "https://www.facebook.com/voorbeeldstad", Email: "communicatie@voorbeeldstad.nl"},
			{Platform: objection.Instagram, Name: "@voorbeeldstad", URL: "https://www.instagram.com/voorbeeldstad", Email: "social@voorbeeldstad.nl"},
		}}
	body, _ := json.Marshal(d)
	var c objection.Case
	if _, err := client.call("POST", "/api/v1/decisions", "application/json", body, &c); err != nil {
		return err
	}
	step("decision %s registered: case %s", d.Reference, c.ID)
	if err := waitCase(ctx, client, c.ID, objection.StateAwaitingConfirmation, &c); err != nil {
		return err
	}
	step("zaak %s created (%s), besluit registered, first status set", c.ZaakIdentificatie, c.ZaakURL)
	for _, acc := range c.Accounts {
		step("letter for %s %s stored: %s — file it at %s", acc.Platform, acc.Name, acc.LetterURL, acc.FormURL)
	}
	for i, acc := range c.Accounts {
		raw, err := signer.Make(meta.Sample{Platform: acc.Platform, To: acc.Email, Account: acc.Name, Dutch: i == 0, Kind: meta.KindHonoured})
		if err != nil {
			return err
		}
		var conf objection.Confirmation
		if _, err := client.call("POST", "/api/v1/cases/"+c.ID+"/confirmations", "message/rfc822", raw, &conf); err != nil {
			return err
		}
		step("Meta's signed confirmation for %s %s checked and accepted (%d bytes, stored unchanged)", acc.Platform, acc.Name, conf.Size)
	}
	if err := waitCase(ctx, client, c.ID, objection.StateClosed, &c); err != nil {
		return err
	}
	step("every account confirmed: resultaat recorded, eindstatus set, zaak %s closed", c.ZaakIdentificatie)
	zipPath := filepath.Join(dir, "dossier-"+dossier.SafeName(c.ZaakIdentificatie)+".zip")
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	err = client.download("/api/v1/cases/"+c.ID+"/dossier", f, func(int64) {})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	step("dossier exported from the zaaksysteem: %s (check it: connector dossier verify %s)", zipPath, zipPath)
	step("done in %.1fs; the data is in %s", time.Since(started).Seconds(), dir)
	if *keep {
		step("the sandbox and connector stay up until you press Ctrl-C (dev token: %s)", a.TokenFile)
		<-ctx.Done()
	}
	return nil
}

func waitCase(ctx context.Context, c *apiClient, id string, want objection.State, out *objection.Case) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, err := c.call("GET", "/api/v1/cases/"+id, "", nil, out); err != nil {
			return err
		}
		switch out.State {
		case want:
			return nil
		case objection.StateFailed:
			return fmt.Errorf("case %s failed: %s", id, out.FailureReason)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("case %s did not reach %s within a minute (now %s, last error %q)", id, want, out.State, out.LastError)
}
