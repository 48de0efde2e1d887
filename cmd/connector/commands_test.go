package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
)

func TestDemo(t *testing.T) {
	cleanEnv(t)
	var out, errOut bytes.Buffer
	start := time.Now()
	if code := run(context.Background(), []string{"demo"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("demo exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	for _, want := range []string{"proef-zaaksysteem draait op http://", "vastgelegd, met de PDF van het college", "zaak ZAAK-",
		"als concept klaargezet in het publicatieplatform", "besluit gepubliceerd: http", "van het besluit vastgelegd in het zaaksysteem", "brief voor facebook", "brief voor instagram",
		"indiening van facebook", "ontvangstbevestiging van Meta als bewijs", "indiening van instagram", "bevestiging van Meta voor facebook", "Instagram niet bevestigd",
		`resultaat "Bezwaar niet bevestigd"`, "geschiedenis", "ingediend bij Meta", "afgesloten", "dossier uit het zaaksysteem gehaald", "de gegevens staan in"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	t.Logf("demo took %s", time.Since(start))
	zipPath := regexp.MustCompile(`dossier uit het zaaksysteem gehaald: (\S+\.zip)`).FindStringSubmatch(out.String())
	if zipPath == nil {
		t.Fatal("no dossier path")
	}
	out.Reset()
	if code := run(context.Background(), []string{"dossier", "verify", zipPath[1]}, nil, &out, &errOut); code != exitOK {
		t.Errorf("the demo's dossier does not verify: %s %s", out.String(), errOut.String())
	}
}

// demo --from-besluit starts in the zaaksysteem: a besluit made there reaches the connector as a
// notification, and the whole job runs from it to the closed zaak and a dossier that verifies.
func TestDemoFromBesluit(t *testing.T) {
	cleanEnv(t)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--from-besluit"}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("demo exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	for _, want := range []string{"geabonneerd op de Notificaties API van het proef-zaaksysteem", "aangemaakt in het zaaksysteem door het besluitensysteem",
		"de melding ervan bereikte de connector: besluit B&W-DEMO-", "het gemelde besluit eraan gekoppeld", "brief voor instagram",
		`resultaat "Bezwaar niet bevestigd"`, "dossier uit het zaaksysteem gehaald"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	zipPath := regexp.MustCompile(`dossier uit het zaaksysteem gehaald: (\S+\.zip)`).FindStringSubmatch(out.String())
	if zipPath == nil {
		t.Fatal("no dossier path")
	}
	if code := run(context.Background(), []string{"dossier", "verify", zipPath[1]}, nil, &out, &errOut); code != exitOK {
		t.Errorf("the dossier does not verify: %s", errOut.String())
	}
}

// demo --keep leaves the console running on the demo's data: its URL is printed, the
// development sign-in works there, and the demo's case is on the list. Beside it a case stays
// open for the e-mail step, with Meta's mails to try written next to it: a forged copy is
// refused, a genuine one accepted.
func TestDemoKeepLeavesTheConsole(t *testing.T) {
	cleanEnv(t)
	stdout, _, m, stop := start(t, `webconsole: (http://\S+)/ `, "demo", "--keep")
	defer stop()
	p := newPerson(t, m[1])
	p.devSignIn("Demo", "auditor")
	resp, page := p.get("/zaken?filter=alle", false)
	if resp.StatusCode != 200 || !strings.Contains(page, "Afgesloten") {
		t.Errorf("the demo's console: %d %s", resp.StatusCode, page)
	}
	try := regexp.MustCompile(`CONNECTOR_URL=(\S+) CONNECTOR_DATA_DIR=(\S+) connector confirm (\S+) (\S+)`).FindStringSubmatch(stdout.String())
	if try == nil {
		t.Fatalf("the demo does not say how to try the e-mail step: %s", stdout)
	}
	if resp, page := p.get("/zaken", false); resp.StatusCode != 200 || !strings.Contains(page, "B&amp;W-DEMO-OPEN") {
		t.Errorf("the console does not open on the open case: %s", page)
	}
	t.Setenv("CONNECTOR_URL", try[1])
	t.Setenv("CONNECTOR_DATA_DIR", try[2])
	var out, errOut bytes.Buffer
	forged := filepath.Join(filepath.Dir(try[4]), "nagemaakt-facebook.eml")
	if code := run(context.Background(), []string{"confirm", try[3], forged}, nil, &out, &errOut); code == exitOK {
		t.Errorf("the forged mail was accepted: %s", out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"confirm", try[3], try[4]}, nil, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "bevestiging (bezwaar gehonoreerd) aanvaard voor zaak "+try[3]) {
		t.Errorf("the genuine sample: %d %s %s", code, out.String(), errOut.String())
	}
}

func TestConfirmCommand(t *testing.T) {
	dir := cleanEnv(t)
	signer, err := meta.NewSampleSigner("cli")
	if err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(dir, "keys")
	os.WriteFile(keys, []byte(signer.KeyLines(meta.DefaultSenders())), 0o600)
	t.Setenv("META_DKIM_KEYS_FILE", keys)
	_, _, m, stop := start(t, `connector listening on (http://\S+)`, "serve")
	defer stop()
	t.Setenv("CONNECTOR_URL", m[1])

	client, err := newAPIClient() // the dev token from the data directory
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ ID, State string }
	if _, err := client.call("POST", "/api/v1/decisions", "application/json", decisionJSON("B&W-CLI", "instagram"), &c); err != nil {
		t.Fatal(err)
	}
	raw, _ := signer.Make(meta.Sample{Platform: "instagram", To: "instagram@voorbeeldstad.nl", Account: "x", Kind: meta.KindHonoured})
	eml := filepath.Join(dir, "bevestiging.eml")
	os.WriteFile(eml, raw, 0o600)

	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"confirm", c.ID, eml}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("confirm: %d %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "bevestiging (bezwaar gehonoreerd) aanvaard voor zaak "+c.ID) {
		t.Errorf("output %q", out.String())
	}
	out.Reset()
	run(context.Background(), []string{"confirm", eml}, nil, &out, &errOut)
	if !strings.Contains(out.String(), "al eerder ontvangen") {
		t.Errorf("second time: %q %q", out.String(), errOut.String())
	}
	os.WriteFile(eml, []byte("From: someone@example.nl\r\n\r\nhello"), 0o600)
	errOut.Reset()
	if code := run(context.Background(), []string{"confirm", c.ID, eml}, nil, &out, &errOut); code != exitFailure || !strings.Contains(errOut.String(), "422") {
		t.Errorf("forged mail: exit %d, %q", code, errOut.String())
	}
	if code := run(context.Background(), []string{"confirm"}, nil, &out, &errOut); code != exitUsage {
		t.Errorf("no file: exit %d", code)
	}
}
