package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/history"
	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/private"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox"
)

// demoCmd runs the whole job on the embedded defaults, printing each step: a decision with the
// college's document → zaak, besluit and letters → each letter filed at Meta (one with Meta's
// receipt) → Meta's signed confirmation for Facebook, none for Instagram (filed in the app) → the
// zaak closed as not confirmed for that account, on a registrar's word → the history and the
// dossier.
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	keep := fs.Bool("keep", false, "keep the sandbox and connector running after the demo, until interrupted")
	fromBesluit := fs.Bool("from-besluit", false, "start from a besluit created in the zaaksysteem, reaching the connector as a notification")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"demo takes only --keep and --from-besluit"}
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
		NotConfirmedType: sandbox.ResultaatTypeNotConfirmed, FiledStatusType: sandbox.StatusTypeFiled,
		EvidenceType: sandbox.IOTypeEvidence, DecisionType: sandbox.IOTypeBesluit,
		UserID: cfg.ZGW.UserID, UserRepresentation: cfg.ZGW.UserRepresentation}
	cfg.RSIN, cfg.Meta.DKIMKeysFile = "002220647", keys
	// The sandbox's publicatiebank, fetching the document from the Documenten API; looked at
	// every second, so that the advisor's publishing is seen at once.
	cfg.Woo = config.Woo{Category: cfg.Woo.Category, Publish: "concept", Delivery: "fetch", LookEvery: config.Duration{Duration: time.Second}, Timeout: cfg.Woo.Timeout}
	cfg.SweepInterval = config.Duration{Duration: time.Second}
	// The console of a demo is on this machine only: the development sign-in.
	cfg.Console.OIDCIssuer, cfg.PublicURL = "", ""
	if *fromBesluit {
		// The sandbox calls back: the connector's address must be known before it starts.
		if err := demoSubscribes(cfg); err != nil {
			return err
		}
	}
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
	step("proef-zaaksysteem draait op %s (Zaken API: %s/zaken/api/v1)", a.SandboxURL, a.SandboxURL)
	step("connector draait op %s", a.URL)
	tok, err := os.ReadFile(a.TokenFile)
	if err != nil {
		return err
	}
	client := &apiClient{base: a.URL, token: strings.TrimSpace(string(tok)), http: &http.Client{Timeout: time.Minute}}

	today := time.Now().In(objection.Amsterdam)
	d := objection.Decision{Reference: "B&W-DEMO-" + today.Format("20060102-150405"),
		Title: "Bezwaar tegen gebruik van openbare content voor AI-training door Meta", DecidedOn: today.Format(time.DateOnly),
		Deadline: today.AddDate(0, 0, 14).Format(time.DateOnly), Accounts: demoAccounts}
	var c objection.Case
	if *fromBesluit {
		if err := demoFromBesluit(ctx, a, cfg, client, d, step, &c); err != nil {
			return err
		}
	} else {
		decisionJSON, _ := json.Marshal(d)
		body, contentType := demoForm([][2]string{{"decision", string(decisionJSON)}}, "document", "collegebesluit.pdf", demoPDF(d))
		if _, err := client.call("POST", "/api/v1/decisions", contentType, body, &c); err != nil {
			return err
		}
		step("besluit %s vastgelegd, met de PDF van het college: zaak %s in de connector", d.Reference, c.ID)
	}
	if err := waitCase(ctx, client, c.ID, objection.StateAwaitingConfirmation, &c); err != nil {
		return err
	}
	besluit := "besluit vastgelegd met het document"
	if *fromBesluit {
		besluit = "het gemelde besluit eraan gekoppeld"
	}
	step("zaak %s aangemaakt (%s), %s, eerste status gezet", c.ZaakIdentificatie, c.ZaakURL, besluit)
	if !*fromBesluit {
		if err := demoPublication(ctx, a, client, &c, step); err != nil {
			return err
		}
	}
	for i, acc := range c.Accounts {
		var letter strings.Builder
		if err := client.download(fmt.Sprintf("/api/v1/cases/%s/accounts/%d/letter", c.ID, i), &letter, func(int64) {}); err != nil {
			return err
		}
		first, _, _ := strings.Cut(strings.TrimSpace(letter.String()), "\n")
		step("brief voor %s %s opgeslagen (%d bytes, %q …) — om te plakken in %s", acc.Platform, acc.Name, letter.Len(), first, acc.FormURL)
	}
	// A person files each letter in Meta's form and records it: Facebook through the web form
	// with a screenshot of Meta's receipt, Instagram in the app (which sends no mail).
	body, contentType := demoForm([][2]string{{"channel", "web-form"}, {"note", "Ingediend via het formulier; ontvangstbevestiging bewaard"}}, "evidence", "ontvangst.png", demoPNG())
	if _, err := client.call("POST", "/api/v1/cases/"+c.ID+"/accounts/0/filing", contentType, body, &c); err != nil {
		return err
	}
	step("indiening van %s %s vastgelegd, met de ontvangstbevestiging van Meta als bewijs", c.Accounts[0].Platform, c.Accounts[0].Name)
	if _, err := client.call("POST", "/api/v1/cases/"+c.ID+"/accounts/1/filing", "application/json", []byte(`{"channel":"app","note":"Alleen een melding in de app, geen e-mail"}`), &c); err != nil {
		return err
	}
	step("indiening van %s %s vastgelegd (app); alle accounts ingediend: status %q", c.Accounts[1].Platform, c.Accounts[1].Name, sandbox.StatusTypeFiled)
	acc := c.Accounts[0]
	raw, err := signer.Make(meta.Sample{Platform: acc.Platform, To: acc.Email, Account: acc.Name, Dutch: true, Kind: meta.KindHonoured})
	if err != nil {
		return err
	}
	var conf objection.Confirmation
	if _, err := client.call("POST", "/api/v1/cases/"+c.ID+"/confirmations", "message/rfc822", raw, &conf); err != nil {
		return err
	}
	step("ondertekende bevestiging van Meta voor %s %s gecontroleerd en aanvaard (%d bytes, ongewijzigd opgeslagen)", acc.Platform, acc.Name, conf.Size)
	if err := waitConfirmed(ctx, client, c.ID, 0, &c); err != nil {
		return err
	}
	reason := "Instagram: via de app ingediend, Meta stuurde geen bevestiging; besloten in het teamoverleg"
	if _, err := client.call("POST", "/api/v1/cases/"+c.ID+"/close", "application/json", []byte(`{"reason":"`+reason+`"}`), &c); err != nil {
		return err
	}
	step("een medewerker sluit de zaak af: Facebook bevestigd, Instagram niet bevestigd (%s)", reason)
	if err := waitCase(ctx, client, c.ID, objection.StateClosed, &c); err != nil {
		return err
	}
	step("resultaat %q vastgelegd, eindstatus gezet, zaak %s afgesloten", sandbox.ResultaatTypeNotConfirmed, c.ZaakIdentificatie)
	var events struct{ Results []objection.Event }
	if _, err := client.call("GET", "/api/v1/cases/"+c.ID+"/events", "", nil, &events); err != nil {
		return err
	}
	step("de geschiedenis van de zaak (%d gebeurtenissen):", len(events.Results))
	for _, l := range history.Lines(events.Results) {
		fmt.Fprintf(stdout, "    %s  %-10s %s\n", l.At.In(objection.Amsterdam).Format("15:04:05"), l.Actor, l.What)
	}
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
	step("dossier uit het zaaksysteem gehaald: %s (controleren: connector dossier verify %s)", zipPath, zipPath)
	step("klaar in %.1f s; de gegevens staan in %s", time.Since(started).Seconds(), dir)
	if *keep {
		if err := demoOpenCase(ctx, client, signer, dir, a.URL, step); err != nil {
			return err
		}
		step("webconsole: %s/ (ontwikkel-aanmelding, alleen op deze computer); proef-zaaksysteem: %s", a.URL, a.SandboxURL)
		step("het proef-zaaksysteem en de connector blijven draaien tot u Ctrl-C drukt (ontwikkeltoken: %s)", a.TokenFile)
		<-ctx.Done()
	}
	return nil
}

// waitConfirmed waits until account n of a case is confirmed.
func waitConfirmed(ctx context.Context, c *apiClient, id string, n int, out *objection.Case) error {
	return waitUntil(ctx, c, id, fmt.Sprintf("account %d confirmed", n), func(c *objection.Case) bool { return c.Accounts[n].ConfirmedBy != "" }, out)
}

// demoForm makes a multipart form with text fields and one file.
func demoForm(fields [][2]string, fileField, fileName string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	fw, _ := mw.CreateFormFile(fileField, fileName)
	fw.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// demoPDF is a small PDF standing in for the college's decision.
func demoPDF(d objection.Decision) []byte {
	text := fmt.Sprintf("Besluit %s van %s: %s", d.Reference, d.DecidedOn, d.Title)
	stream := fmt.Sprintf("BT /F1 12 Tf 50 780 Td (%s) Tj ET", strings.NewReplacer("(", "[", ")", "]", "\\", "/").Replace(text))
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// demoPNG is a small image standing in for a screenshot of Meta's receipt.
func demoPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{R: 24, G: 119, B: 242, A: 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func waitCase(ctx context.Context, c *apiClient, id string, want objection.State, out *objection.Case) error {
	return waitUntil(ctx, c, id, string(want), func(c *objection.Case) bool { return c.State() == want }, out)
}

// waitUntil waits (a minute at most) until cond holds for the case; a failed case ends the wait.
func waitUntil(ctx context.Context, c *apiClient, id, what string, cond func(*objection.Case) bool, out *objection.Case) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if _, err := c.call("GET", "/api/v1/cases/"+id, "", nil, out); err != nil {
			return err
		}
		switch {
		case cond(out):
			return nil
		case out.State() == objection.StateFailed:
			return fmt.Errorf("case %s failed: %s", id, out.FailureReason)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("case %s: %s did not happen within a minute (now %s, last error %q)", id, what, out.State(), out.LastError)
}
