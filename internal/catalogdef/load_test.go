package catalogdef

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	base := Default("002220647")
	for _, tc := range []struct {
		name, file, wantErr string
		check               func(Definition) bool
	}{
		{"YAML overrides a field, keeps the rest", "zaaktype:\n  doorlooptijd: P20D\n", "",
			func(d Definition) bool {
				return d.Zaaktype.Doorlooptijd == "P20D" && d.Zaaktype.Identificatie == ZaakTypeIdentificatie
			}},
		{"JSON too", `{"catalogus": {"domein": "GEM"}}`, "",
			func(d Definition) bool { return d.Catalogus.Domein == "GEM" && d.Catalogus.RSIN == "002220647" }},
		{"an unknown field is refused", "zaaktype:\n  doorloptijd: P20D\n", "doorloptijd", nil},
		{"a list replaces the default's", "zaaktype:\n  statustypen: [{omschrijving: Enig, volgnummer: 1}]\n", "at least two", nil},
		{"relations must name defined types", "zaaktype:\n  besluittypen: [Onbekend]\n", `"Onbekend"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "def.yaml")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			d, err := Load(path, base)
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one naming %q", err, tc.wantErr)
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.check != nil && !tc.check(d):
				t.Errorf("loaded %+v", d)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	d := Default("002220647")
	if !d.UsesPlaceholder() {
		t.Fatal("the default names the Selectielijst by placeholder")
	}
	e := d.Expand("https://selectielijst.example/api/v1/")
	if e.UsesPlaceholder() || !strings.HasPrefix(e.Zaaktype.Resultaattypen[0].Selectielijstklasse, "https://selectielijst.example/api/v1/resultaten/") {
		t.Errorf("expanded: %+v", e.Zaaktype.Resultaattypen[0])
	}
}
