package documents

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestDefaultLetterGolden(t *testing.T) {
	l, err := NewLetters("Gemeente Voorbeeldstad", "")
	if err != nil {
		t.Fatal(err)
	}
	d := objection.Decision{Reference: "B&W-2025-0412", Title: "Bezwaar", DecidedOn: "2025-05-13", Deadline: "2025-05-27"}
	a := objection.Account{Platform: objection.Instagram, Name: "@voorbeeldstad", URL: "https://www.instagram.com/voorbeeldstad"}
	got, err := l.Render(d, a, time.Date(2025, 5, 14, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "letter-instagram.golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("letter differs from %s (run with -update to accept):\n%s", golden, got)
	}
}

func TestObjectionTextReplacesTheTemplate(t *testing.T) {
	l, _ := NewLetters("Gemeente X", "")
	got, _ := l.Render(objection.Decision{ObjectionText: "  Eigen tekst van juridische zaken.  "}, objection.Account{}, time.Now())
	if string(got) != "Eigen tekst van juridische zaken.\n" {
		t.Errorf("%q", got)
	}
}

func TestTemplateFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.tmpl")
	os.WriteFile(path, []byte("{{.Municipality}} / {{.PlatformName}} / {{.AccountName}}"), 0o600)
	l, err := NewLetters("Gemeente Y", path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := l.Render(objection.Decision{}, objection.Account{Platform: objection.Facebook, Name: "Y"}, time.Now())
	if string(got) != "Gemeente Y / Facebook / Y" {
		t.Errorf("%q", got)
	}
	os.WriteFile(path, []byte("{{.Nope"), 0o600)
	if _, err := NewLetters("x", path); err == nil || !strings.Contains(err.Error(), "letter template") {
		t.Errorf("broken template: %v", err)
	}
}

func TestIdentificatieAndFileName(t *testing.T) {
	id := Identificatie("B&W-2025-0412", "C"+ShortHash([]byte("x")))
	if len(id) > 40 || id != Identificatie("B&W-2025-0412", "C"+ShortHash([]byte("x"))) || !strings.HasPrefix(id, "MBZ-") {
		t.Errorf("identificatie %q (%d chars)", id, len(id))
	}
	for in, want := range map[string]string{"../../etc/passwd": "etc-passwd", "Gemeente Voorbeeldstad!": "gemeente-voorbeeldstad", "": "document"} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}
