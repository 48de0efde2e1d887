package archive

import (
	"errors"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDerive(t *testing.T) {
	end := day("2025-06-02")
	hoofd := day("2025-07-01")
	facts := Facts{Einddatum: end, HoofdzaakEinddatum: &hoofd, Eigenschappen: map[string]time.Time{"besluitdatum": day("2025-05-13")},
		BesluitIngangsdata: []time.Time{day("2025-05-14"), day("2025-05-20")}, BesluitVervaldata: []time.Time{day("2030-01-01")}}
	for _, tc := range []struct {
		name    string
		termijn string
		p       Procedure
		f       Facts
		want    string // "" : no actiedatum
		missing string // the MissingError's afleidingswijze, when one is expected; "catalogue": another error
	}{
		{"afgehandeld", "P10Y", Procedure{Afleidingswijze: "afgehandeld"}, facts, "2035-06-02", ""},
		{"no termijn: no date", "", Procedure{Afleidingswijze: "vervaldatum_besluit"}, Facts{}, "", ""},
		{"termijn", "P1Y", Procedure{Afleidingswijze: "termijn", Procestermijn: "P6M"}, facts, "2026-12-02", ""},
		{"termijn without procestermijn", "P1Y", Procedure{Afleidingswijze: "termijn"}, facts, "", "catalogue"},
		{"hoofdzaak", "P5Y", Procedure{Afleidingswijze: "hoofdzaak"}, facts, "2030-07-01", ""},
		{"no hoofdzaak", "P5Y", Procedure{Afleidingswijze: "hoofdzaak"}, Facts{Einddatum: end}, "", "hoofdzaak"},
		{"eigenschap", "P2W", Procedure{Afleidingswijze: "eigenschap", Datumkenmerk: "besluitdatum"}, facts, "2025-05-27", ""},
		{"eigenschap missing", "P2W", Procedure{Afleidingswijze: "eigenschap", Datumkenmerk: "other"}, facts, "", "eigenschap"},
		{"ingangsdatum_besluit: the latest", "P1M", Procedure{Afleidingswijze: "ingangsdatum_besluit"}, facts, "2025-06-20", ""},
		{"no besluit", "P1M", Procedure{Afleidingswijze: "ingangsdatum_besluit"}, Facts{Einddatum: end}, "", "ingangsdatum_besluit"},
		{"vervaldatum_besluit", "P1D", Procedure{Afleidingswijze: "vervaldatum_besluit"}, facts, "2030-01-02", ""},
		{"ander_datumkenmerk: by hand", "P10Y", Procedure{Afleidingswijze: "ander_datumkenmerk"}, facts, "", ""},
	} {
		got, err := Derive("vernietigen", tc.termijn, tc.p, tc.f)
		var m *MissingError
		switch {
		case tc.missing == "catalogue":
			if err == nil || errors.As(err, &m) {
				t.Errorf("%s: %v, want an error that is no MissingError", tc.name, err)
			}
		case tc.missing != "":
			if !errors.As(err, &m) || m.Afleidingswijze != tc.missing {
				t.Errorf("%s: %v, want a MissingError for %s", tc.name, err, tc.missing)
			}
			if got.Nominatie != "vernietigen" {
				t.Errorf("%s: the nominatie %q is not answered with what is missing", tc.name, got.Nominatie)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case got.Nominatie != "vernietigen":
			t.Errorf("%s: nominatie %q", tc.name, got.Nominatie)
		case tc.want == "" && got.ActieDatum != nil, tc.want != "" && (got.ActieDatum == nil || got.ActieDatum.Format(time.DateOnly) != tc.want):
			t.Errorf("%s: actiedatum %v, want %q", tc.name, got.ActieDatum, tc.want)
		}
	}
	for _, bad := range []string{"10Y", "PT1H", "P1.5Y", "-P1Y"} {
		if _, err := Add(end, bad); err == nil {
			t.Errorf("Add(%q) accepted", bad)
		}
	}
}
