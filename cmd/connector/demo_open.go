package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// demoSampleMail is one of Meta's mails `demo --keep` writes for a newcomer to try.
type demoSampleMail struct {
	file   string
	sample meta.Sample
	forged bool // its text changed after signing: refused, kept in quarantine
}

// demoOpenCase leaves a case open for the e-mail step (demo --keep): a decision of today with
// both accounts filed, and beside it Meta's mails signed with the demo's key — which this
// connector trusts, and no other — to upload on the case's page or with `connector confirm`.
func demoOpenCase(ctx context.Context, client *apiClient, signer *meta.SampleSigner, dir, appURL string, step func(string, ...any)) error {
	today := time.Now().In(objection.Amsterdam)
	d := objection.Decision{Reference: "B&W-DEMO-OPEN-" + today.Format("20060102-150405"),
		Title: "Bezwaar tegen gebruik van openbare content voor AI-training door Meta", DecidedOn: today.Format(time.DateOnly),
		Deadline: today.AddDate(0, 0, 14).Format(time.DateOnly), Accounts: demoAccounts}
	body, _ := json.Marshal(d)
	var c objection.Case
	if _, err := client.call("POST", "/api/v1/decisions", "application/json", body, &c); err != nil {
		return err
	}
	if err := waitCase(ctx, client, c.ID, objection.StateAwaitingConfirmation, &c); err != nil {
		return err
	}
	for i := range c.Accounts {
		if _, err := client.call("POST", fmt.Sprintf("/api/v1/cases/%s/accounts/%d/filing", c.ID, i), "application/json", []byte(`{"channel":"web-form"}`), &c); err != nil {
			return err
		}
	}
	fb, ig := c.Accounts[0], c.Accounts[1]
	mails := []demoSampleMail{
		{file: "meta-bevestiging-facebook.eml", sample: meta.Sample{Platform: fb.Platform, To: fb.Email, Account: fb.Name, Dutch: true, Kind: meta.KindHonoured}},
		{file: "meta-ontvangen-instagram.eml", sample: meta.Sample{Platform: ig.Platform, To: ig.Email, Account: ig.Name, Dutch: true, Kind: meta.KindReceived}},
		{file: "meta-bevestiging-instagram.eml", sample: meta.Sample{Platform: ig.Platform, To: ig.Email, Account: ig.Name, Dutch: true, Kind: meta.KindHonoured}},
		{file: "nagemaakt-facebook.eml", sample: meta.Sample{Platform: fb.Platform, To: fb.Email, Account: fb.Name, Dutch: true, Kind: meta.KindHonoured}, forged: true},
	}
	var files []string
	for _, m := range mails {
		raw, err := signer.Make(m.sample)
		if err != nil {
			return err
		}
		if m.forged {
			// Signed, then changed: what an attacker who copied a real mail would send.
			raw = []byte(strings.Replace(string(raw), "\r\n\r\n", "\r\n\r\nLet op: dit is een aangepaste kopie.\r\n", 1))
		}
		path := filepath.Join(dir, m.file)
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return err
		}
		files = append(files, path)
	}
	step("zaak %s (%s) staat open en wacht op de e-mail van Meta: beide accounts zijn ingediend", c.ID, c.ZaakIdentificatie)
	step("e-mails van Meta om te proberen, ondertekend met de sleutel van deze demo (alleen deze demo vertrouwt hem): %s", strings.Join(files, ", "))
	step("upload er een op %s/zaken/%s, of: CONNECTOR_URL=%s CONNECTOR_DATA_DIR=%s connector confirm %s %s",
		appURL, c.ID, appURL, dir, c.ID, files[0])
	return nil
}
