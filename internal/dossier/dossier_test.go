package dossier_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/citest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/sandboxtest"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

func ptr[T any](v T) *T { return &v }

// closedZaak builds a closed zaak in the sandbox with documents whose names are hostile.
func closedZaak(t *testing.T, env *sandboxtest.Env, docs map[string][]byte) (string, map[string][]byte) {
	t.Helper()
	ctx := context.Background()
	c := env.Client
	cat, err := c.Catalogi.Resolve(ctx, sandboxtest.Spec(), "2025-05-13")
	if err != nil {
		t.Fatal(err)
	}
	zaak, err := c.Zaken.CreateZaak(ctx, zgw.Zaak{Bronorganisatie: sandboxtest.RSIN, VerantwoordelijkeOrganisatie: sandboxtest.RSIN,
		ZaakType: cat.ZaakType.URL, Startdatum: "2025-05-13", Omschrijving: "Bezwaar <b>AI</b> & Meta",
		Kenmerken: []zgw.Kenmerk{{Kenmerk: "B&W-2025-0412", Bron: "meta-bezwaar-connector"}}})
	if err != nil {
		t.Fatal(err)
	}
	now := func() string { return time.Now().UTC().Add(-3 * time.Second).Format(time.RFC3339) }
	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.FirstStatus().URL, DatumStatusGezet: now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Besluiten.CreateBesluit(ctx, zgw.Besluit{VerantwoordelijkeOrganisatie: sandboxtest.RSIN, BesluitType: cat.BesluitType.URL,
		Zaak: zaak.URL, Datum: "2025-05-13", IngangsDatum: "2025-05-13"}); err != nil {
		t.Fatal(err)
	}
	byURL := map[string][]byte{}
	for name, content := range docs {
		d, err := c.Documenten.Create(ctx, zgw.InformatieObject{Bronorganisatie: sandboxtest.RSIN, CreatieDatum: "2025-05-14",
			Titel: "<script>alert('x')</script> " + name[:min(len(name), 20)], Auteur: "Meta", Taal: "eng", Formaat: "message/rfc822",
			Bestandsnaam: name, Inhoud: ptr(base64.StdEncoding.EncodeToString(content)), IndicatieGebruiksrecht: ptr(false),
			Integriteit: integriteit(content), InformatieObjectType: cat.InformatieObjectTypen["Bevestiging Meta"].URL})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Zaken.CreateZaakInformatieObject(ctx, zgw.ZaakInformatieObject{Zaak: zaak.URL, InformatieObject: d.URL}); err != nil {
			t.Fatal(err)
		}
		byURL[d.URL] = content
	}
	if _, err := c.Zaken.CreateResultaat(ctx, zgw.Resultaat{Zaak: zaak.URL, ResultaatType: cat.ResultaatType.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Zaken.CreateStatus(ctx, zgw.Status{Zaak: zaak.URL, StatusType: cat.EindStatus().URL, DatumStatusGezet: now()}); err != nil {
		t.Fatal(err)
	}
	return zaak.URL, byURL
}

func integriteit(b []byte) *zgw.Integriteit {
	return &zgw.Integriteit{Algoritme: "sha_256", Waarde: sha256Hex(b), Datum: "2025-05-14"}
}

func export(t *testing.T, env *sandboxtest.Env, zaakURL string) (string, *dossier.Manifest) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dossier.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	ex := &dossier.Exporter{ZGW: env.Client, Version: "test", Now: time.Now}
	m, err := ex.Export(context.Background(), zaakURL, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, m
}

// unzip extracts into a fresh directory, refusing any path that would leave it.
func unzip(t *testing.T, path string) string {
	t.Helper()
	dir := t.TempDir()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		target := filepath.Join(dir, f.Name)
		if !strings.HasPrefix(target, dir+string(os.PathSeparator)) {
			t.Fatalf("zip entry %q escapes the directory", f.Name)
		}
		os.MkdirAll(filepath.Dir(target), 0o755)
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		os.WriteFile(target, b, 0o644)
	}
	return dir
}

func TestExportIsCompleteAndVerifiableWithStandardTools(t *testing.T) {
	env := sandboxtest.StartForConnector(t)
	docs := map[string][]byte{
		"../../etc/passwd":                  []byte("From: a@b.nl\r\n\r\npasswd trick\r\n"),
		"name\x00with-nul.eml":              []byte("From: c@d.nl\r\n\r\nnul\r\n"),
		strings.Repeat("lang", 62) + ".eml": bytes.Repeat([]byte{0, 1, 2, 255}, 1000), // 252 characters (the standard allows 255), binary content
		"bevestiging.eml":                   []byte("From: noreply@facebookmail.com\r\nSubject: We'll honour your objection\r\n\r\nok\r\n"),
	}
	zaakURL, byURL := closedZaak(t, env, docs)
	path, m := export(t, env, zaakURL)

	if len(m.Documents) != 4 || len(m.Statussen) != 2 || m.Resultaat == nil || len(m.Besluiten) != 1 || len(m.Problems) != 0 {
		t.Fatalf("manifest: %d documents, %d statussen, resultaat %v, %d besluiten, problems %v", len(m.Documents), len(m.Statussen), m.Resultaat, len(m.Besluiten), m.Problems)
	}
	dir := unzip(t, path)
	for _, d := range m.Documents {
		if strings.Contains(d.File, "..") || strings.ContainsRune(d.File, 0) || len(filepath.Base(d.File)) > 110 || strings.Count(d.File, "/") != 1 {
			t.Errorf("unsafe name in the zip: %q", d.File)
		}
		got, err := os.ReadFile(filepath.Join(dir, d.File))
		if err != nil || !bytes.Equal(got, byURL[d.URL]) {
			t.Errorf("%s is not byte-exact (%v)", d.File, err)
		}
		if d.IntegrityCheck != "match" {
			t.Errorf("%s: integrity %s", d.File, d.IntegrityCheck)
		}
	}
	sha256sum, err := exec.LookPath("sha256sum")
	if err != nil {
		citest.Missing(t, "sha256sum is not installed")
	}
	cmd := exec.Command(sha256sum, "-c", "SHA256SUMS")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || strings.Count(string(out), ": OK") != 8 {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if bytes.Contains(bytes.ToLower(html), []byte("<script")) || bytes.Contains(html, []byte("http-equiv=\"refresh\"")) {
		t.Error("index.html contains a script")
	}
	if !bytes.Contains(html, []byte("&lt;script&gt;")) || !bytes.Contains(html, []byte("Bezwaar &lt;b&gt;AI&lt;/b&gt; &amp; Meta")) {
		t.Error("index.html does not escape what came from the zaaksysteem")
	}
	for _, want := range []string{"B&amp;W-2025-0412", "Afgehandeld", "Bezwaar gehonoreerd", "SHA256SUMS"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	trail, _ := os.ReadFile(filepath.Join(dir, "audittrail.json"))
	if !bytes.Contains(trail, []byte(`"actie": "create"`)) {
		t.Error("audittrail.json has no entries")
	}
}

func TestVerifyNamesEachAlteredMissingOrExtraFile(t *testing.T) {
	env := sandboxtest.StartForConnector(t)
	zaakURL, _ := closedZaak(t, env, map[string][]byte{"a.eml": []byte("From: a@b.nl\r\n\r\nA\r\n"), "b.eml": []byte("From: a@b.nl\r\n\r\nB\r\n")})
	path, m := export(t, env, zaakURL)
	ctx := context.Background()
	check := func(path string) []string {
		f, _ := os.Open(path)
		defer f.Close()
		st, _ := f.Stat()
		findings, _, err := dossier.Verify(ctx, f, st.Size(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range findings {
			out = append(out, x.File+":"+x.Problem)
		}
		return out
	}
	if got := check(path); len(got) != 0 {
		t.Fatalf("intact dossier: %v", got)
	}
	doc := m.Documents[0].File
	for _, tc := range []struct {
		name string
		edit func(name string, b []byte) (string, []byte, bool) // new name and content, keep
		add  bool
		want string
	}{
		{"flipped byte", func(n string, b []byte) (string, []byte, bool) {
			if n == doc {
				b = append([]byte(nil), b...)
				b[len(b)/2] ^= 1
			}
			return n, b, true
		}, false, doc + ":altered"},
		{"removed file", func(n string, b []byte) (string, []byte, bool) { return n, b, n != doc }, false, doc + ":missing"},
		{"added file", func(n string, b []byte) (string, []byte, bool) { return n, b, true }, true, "documenten/99-extra.txt:extra"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := rewrite(t, path, tc.edit, tc.add)
			got := check(out)
			if strings.Join(got, ",") != tc.want {
				t.Errorf("findings %v, want %s", got, tc.want)
			}
		})
	}

	// --live: a document changed in the zaaksysteem since the export is named.
	if _, err := env.Client.Documenten.Update(ctx, m.Documents[1].URL, map[string]any{"inhoud": base64.StdEncoding.EncodeToString([]byte("changed"))}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	st, _ := f.Stat()
	findings, _, err := dossier.Verify(ctx, f, st.Size(), env.Client)
	if err != nil || len(findings) != 1 || findings[0].Problem != "changed-in-zaaksysteem" || findings[0].File != m.Documents[1].File {
		t.Errorf("live findings %v, %v", findings, err)
	}
}

// rewrite copies a zip through edit, optionally adding a file.
func rewrite(t *testing.T, path string, edit func(string, []byte) (string, []byte, bool), add bool) string {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "edited.zip")
	f, _ := os.Create(out)
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, _ := e.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		name, b, keep := edit(e.Name, b)
		if !keep {
			continue
		}
		w, _ := zw.Create(name)
		w.Write(b)
	}
	if add {
		w, _ := zw.Create("documenten/99-extra.txt")
		w.Write([]byte("smuggled"))
	}
	zw.Close()
	f.Close()
	return out
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":          "passwd",
		"..\\..\\win.ini":           "win.ini",
		"/abs/path.txt":             "path.txt",
		"a\x00b\x1fc.eml":           "abc.eml",
		"evil\u202Efdp.exe":         "evilfdp.exe",
		"zero\u200Bwidth\u2066.pdf": "zerowidth.pdf",
		"tab\there.eml":             "tab here.eml",
		"":                          "document",
		"..":                        "document",
		"CON:<>|?*.txt":             "CON______.txt",
		"  spaced   name  ":         "spaced name",
		"a..b.eml":                  "a.b.eml",
	} {
		if got := dossier.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := dossier.SafeName(strings.Repeat("x", 300) + ".eml"); len(got) != 100 || !strings.HasSuffix(got, ".eml") {
		t.Errorf("long name: %q (%d)", got, len(got))
	}
}
