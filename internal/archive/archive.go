// Package archive derives a closed zaak's archive fields from its resultaattype, as the Zaken API
// standard prescribes (zrc-021): the brondatum by the resultaattype's afleidingswijze, and the
// archiefactiedatum as brondatum plus the archiefactietermijn. The sandbox computes them when a
// zaak closes and, as Open Zaak does since 1.24, closes a zaak that lacks what the derivation
// needs (a besluit's vervaldatum, an eigenschap, a closed hoofdzaak) with the archiefactiedatum
// left open, deriving it once that fact is recorded.
package archive

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/sosodev/duration"
)

// Procedure is a resultaattype's brondatumArchiefprocedure.
type Procedure struct {
	Afleidingswijze string `json:"afleidingswijze"`
	Datumkenmerk    string `json:"datumkenmerk,omitempty"`
	Objecttype      string `json:"objecttype,omitempty"`
	Procestermijn   string `json:"procestermijn,omitempty"`
}

// Facts are what a zaak offers the derivation.
type Facts struct {
	Einddatum time.Time
	// HoofdzaakEinddatum is the einddatum of the zaak's hoofdzaak (nil: none, or not closed).
	HoofdzaakEinddatum *time.Time
	// Eigenschappen are the zaak's eigenschappen with a date value, by name.
	Eigenschappen map[string]time.Time
	// BesluitIngangsdata and BesluitVervaldata are those of the zaak's besluiten (a besluit
	// without a vervaldatum adds none).
	BesluitIngangsdata, BesluitVervaldata []time.Time
	// GerelateerdeEinddata are the einddata of related zaken; ZaakobjectData the dates read from
	// its zaakobjecten of the procedure's objecttype.
	GerelateerdeEinddata, ZaakobjectData []time.Time
}

// ErrManual: the afleidingswijze ander_datumkenmerk leaves the archiefactiedatum to a person.
var ErrManual = errors.New("the archiefactiedatum is set by hand (afleidingswijze ander_datumkenmerk)")

// MissingError says what the zaak lacks for the derivation: a fact that may be recorded later.
type MissingError struct {
	Afleidingswijze string
	Missing         string // what the zaak should have
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("the archive dates cannot be derived (afleidingswijze %s): the zaak has no %s", e.Afleidingswijze, e.Missing)
}

// Brondatum derives the start of the archiefactietermijn.
func Brondatum(p Procedure, f Facts) (time.Time, error) {
	missing := func(what string) (time.Time, error) {
		return time.Time{}, &MissingError{Afleidingswijze: p.Afleidingswijze, Missing: what}
	}
	latest := func(dates []time.Time, what string) (time.Time, error) {
		if len(dates) == 0 {
			return missing(what)
		}
		return slices.MaxFunc(dates, func(a, b time.Time) int { return a.Compare(b) }), nil
	}
	switch p.Afleidingswijze {
	case "afgehandeld", "":
		return f.Einddatum, nil
	case "termijn":
		if p.Procestermijn == "" {
			// The catalogue's fault, not the zaak's: nothing recorded later derives it.
			return time.Time{}, errors.New("the resultaattype's afleidingswijze termijn has no procestermijn")
		}
		return Add(f.Einddatum, p.Procestermijn)
	case "hoofdzaak":
		if f.HoofdzaakEinddatum == nil {
			return missing("closed hoofdzaak")
		}
		return *f.HoofdzaakEinddatum, nil
	case "eigenschap":
		d, ok := f.Eigenschappen[p.Datumkenmerk]
		if !ok {
			return missing(fmt.Sprintf("eigenschap %q with a date", p.Datumkenmerk))
		}
		return d, nil
	case "ingangsdatum_besluit":
		return latest(f.BesluitIngangsdata, "besluit")
	case "vervaldatum_besluit":
		return latest(f.BesluitVervaldata, "besluit with a vervaldatum")
	case "gerelateerde_zaak":
		return latest(f.GerelateerdeEinddata, "closed related zaak")
	case "zaakobject":
		return latest(f.ZaakobjectData, fmt.Sprintf("zaakobject of type %q with %q", p.Objecttype, p.Datumkenmerk))
	case "ander_datumkenmerk":
		return time.Time{}, ErrManual
	}
	return time.Time{}, fmt.Errorf("unknown afleidingswijze %q", p.Afleidingswijze)
}

// Add adds an ISO 8601 period of years, months, weeks and days (P10Y, P1Y6M, P2W) to a day.
func Add(day time.Time, period string) (time.Time, error) {
	d, err := duration.Parse(period)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 period: %w", period, err)
	}
	whole := func(f float64) bool { return f == math.Trunc(f) }
	if d.Negative || !whole(d.Years) || !whole(d.Months) || !whole(d.Weeks) || !whole(d.Days) || d.Hours != 0 || d.Minutes != 0 || d.Seconds != 0 {
		return time.Time{}, fmt.Errorf("%q is not a period of whole years, months, weeks and days", period)
	}
	return day.AddDate(int(d.Years), int(d.Months), int(d.Weeks)*7+int(d.Days)), nil
}

// Dates are a closed zaak's archive fields.
type Dates struct {
	Nominatie  string
	ActieDatum *time.Time // nil: not derived (no archiefactietermijn, or set by hand)
}

// Derive works out a closing zaak's archive fields from its resultaattype: the nominatie, and
// with an archiefactietermijn the actiedatum. A *MissingError says the zaak lacks what the
// procedure needs; the nominatie is answered with it.
func Derive(nominatie, termijn string, p Procedure, f Facts) (Dates, error) {
	out := Dates{Nominatie: nominatie}
	if termijn == "" {
		return out, nil
	}
	bron, err := Brondatum(p, f)
	if errors.Is(err, ErrManual) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	at, err := Add(bron, termijn)
	if err != nil {
		return out, err
	}
	out.ActieDatum = &at
	return out, nil
}
