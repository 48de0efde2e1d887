package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gemeenten/meta-bezwaar-connector/internal/meta"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// TestDossierCommandsAndEndpoint closes a case through the API, then exports its dossier three
// ways — through the connector's endpoint (case id), straight from the zaaksysteem by zaak URL
// and by identificatie — verifies each, and shows that verify names a tampered file.
func TestDossierCommandsAndEndpoint(t *testing.T) {
	w := newWorld(t)
	id := w.registered(t, "B&W-DOSSIER", "facebook")
	if status, _, _ := w.do(t, "GET", "/api/v1/cases/nope/dossier", w.auditor(t), "", nil); status != 404 {
		t.Fatalf("dossier of an unknown case: %d", status)
	}
	raw := w.mail(t, "facebook", "Gemeente Voorbeeldstad facebook", "facebook@voorbeeldstad.nl", true, meta.KindHonoured)
	if status, _, _ := w.do(t, "POST", "/api/v1/cases/"+id+"/confirmations", w.registrar(t), "message/rfc822", raw); status != 202 {
		t.Fatal(status)
	}
	closed := w.waitState(t, id, objection.StateClosed)

	dir := t.TempDir()
	t.Setenv("CONNECTOR_URL", w.app.URL)
	t.Setenv("CONNECTOR_TOKEN", strings.TrimPrefix(w.auditor(t), "Bearer "))
	ident := closed["zaakIdentificatie"].(string)
	for name, target := range map[string]string{"case": id, "url": closed["zaakUrl"].(string), "identificatie": ident} {
		out := filepath.Join(dir, name+".zip")
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"dossier", "export", target, "-o", out}, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("export by %s: %d %s", name, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "opgehaald: documenten/") && name != "case" {
			t.Errorf("no progress lines: %q", stderr.String())
		}
		stdout.Reset()
		if code := run(context.Background(), []string{"dossier", "verify", out, "--live"}, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("verify %s: %d %s %s", name, code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), "ongeschonden (2 documenten") {
			t.Errorf("verify: %q", stdout.String())
		}
		if _, err := os.Stat(out + ".part"); err == nil {
			t.Error("a .part file was left behind")
		}
	}

	// The real sha256sum accepts the dossier downloaded from the endpoint.
	zr, err := zip.OpenReader(filepath.Join(dir, "case.zip"))
	if err != nil {
		t.Fatal(err)
	}
	ex := filepath.Join(dir, "x")
	var eml []byte
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		os.MkdirAll(filepath.Join(ex, filepath.Dir(f.Name)), 0o755)
		os.WriteFile(filepath.Join(ex, f.Name), b.Bytes(), 0o644)
		if strings.HasSuffix(f.Name, ".eml") {
			eml = b.Bytes()
		}
	}
	zr.Close()
	// Exported by the connector, the manifest says how the e-mail was checked; the zaaksysteem's
	// own record (the document's beschrijving) says it too, for exports that bypass the connector.
	manifestJSON, _ := os.ReadFile(filepath.Join(ex, "manifest.json"))
	var manifest struct {
		Documents []struct {
			Formaat      string
			Metadata     struct{ Beschrijving string }
			Verification *struct {
				Verdict struct {
					Domain, Selector, KeyFingerprint string
					SignedHeaders                    []string
					SignedValues                     []struct{ Field, Value string }
				}
			}
		}
	}
	if err := json.Unmarshal(manifestJSON, &manifest); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range manifest.Documents {
		if d.Formaat != "message/rfc822" {
			continue
		}
		checked++
		if d.Verification == nil || d.Verification.Verdict.Domain != "facebookmail.com" || d.Verification.Verdict.Selector != "w1" ||
			!strings.HasPrefix(d.Verification.Verdict.KeyFingerprint, "sha256:") || len(d.Verification.Verdict.SignedHeaders) != 6 ||
			!slices.ContainsFunc(d.Verification.Verdict.SignedValues, func(v struct{ Field, Value string }) bool {
				return v.Field == "To" && v.Value == "facebook@voorbeeldstad.nl"
			}) {
			t.Errorf("the manifest does not record the check of the e-mail: %+v", d.Verification)
		}
		for _, want := range []string{"DKIM-handtekening van facebookmail.com", "selector w1", "To: facebook@voorbeeldstad.nl"} {
			if !strings.Contains(d.Metadata.Beschrijving, want) {
				t.Errorf("the document's beschrijving lacks %q: %q", want, d.Metadata.Beschrijving)
			}
		}
	}
	if checked != 1 {
		t.Errorf("%d e-mails in the manifest, want 1", checked)
	}
	if !bytes.Equal(eml, raw) {
		t.Error("the e-mail in the dossier is not the one received, byte for byte")
	}
	if path, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(path, "-c", "--quiet", "SHA256SUMS")
		cmd.Dir = ex
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sha256sum -c: %v %s", err, out)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("sha256sum is missing")
	}

	// Tampering is named, with exit 1.
	tampered := filepath.Join(dir, "tampered.zip")
	src, _ := zip.OpenReader(filepath.Join(dir, "case.zip"))
	f, _ := os.Create(tampered)
	zw := zip.NewWriter(f)
	var victim string
	for _, e := range src.File {
		rc, _ := e.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		data := b.Bytes()
		if strings.HasSuffix(e.Name, ".eml") {
			victim, data = e.Name, append(data, '\n')
		}
		fw, _ := zw.Create(e.Name)
		fw.Write(data)
	}
	zw.Close()
	f.Close()
	src.Close()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"dossier", "verify", tampered}, nil, &stdout, &stderr); code != exitFailure ||
		!strings.Contains(stdout.String(), victim+": altered") {
		t.Errorf("tampered: exit %d, %q %q", code, stdout.String(), stderr.String())
	}

	// The console's check says it in words, names the altered file at the top and marks its row.
	auditor := newPerson(t, w.app.URL)
	auditor.devSignIn("Ad Auditor", "auditor")
	zipped, err := os.ReadFile(tampered)
	if err != nil {
		t.Fatal(err)
	}
	resp, page := auditor.post("/dossier/controleren", nil, map[string][]byte{"dossier": zipped}, "")
	for _, want := range []string{"niet meer zoals het werd vastgelegd", ">" + victim + "</a>: gewijzigd", `class="problem"><td data-label="Bestand">` + victim + "</td>"} {
		if resp.StatusCode != 200 || !strings.Contains(page, want) {
			t.Errorf("the console's check of the tampered dossier (%d) lacks %q", resp.StatusCode, want)
		}
	}
}
