package zaken

import (
	"strconv"

	"github.com/gemeenten/meta-bezwaar-connector/internal/rsin"
	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

// A rol as Open Zaak renders it: its betrokkeneIdentificatie holds exactly the fields of its
// betrokkeneType's schema — a text not given as "", a list as [], an address not given as null,
// an address given with every field — and whatever else a client sent is dropped; the Zaken 1.5
// fields (beginGeldigheid, eindeGeldigheid, authenticatieContext) are null until set, and
// contactpersoonRol is an object of empty texts.

// betrokkeneTexts are, per betrokkeneType, the text fields of its identificatie.
var betrokkeneTexts = map[string][]string{
	"natuurlijk_persoon": {"inpBsn", "anpIdentificatie", "inpA_nummer", "geslachtsnaam", "voorvoegselGeslachtsnaam", "voorletters",
		"voornamen", "geslachtsaanduiding", "geboortedatum"},
	"niet_natuurlijk_persoon":  {"innNnpId", "annIdentificatie", "kvkNummer", "vestigingsNummer", "statutaireNaam", "innRechtsvorm", "bezoekadres"},
	"vestiging":                {"vestigingsNummer", "kvkNummer"},
	"organisatorische_eenheid": {"identificatie", "naam", "isGehuisvestIn"},
	"medewerker":               {"identificatie", "achternaam", "voorletters", "voorvoegselAchternaam"},
}

// betrokkeneAddresses are the types whose identificatie has a verblijfsadres and a
// subVerblijfBuitenland.
var betrokkeneAddresses = map[string]bool{"natuurlijk_persoon": true, "niet_natuurlijk_persoon": true, "vestiging": true}

var (
	verblijfsadresTexts = []string{"aoaIdentificatie", "wplWoonplaatsNaam", "gorOpenbareRuimteNaam", "aoaPostcode", "aoaHuisletter",
		"aoaHuisnummertoevoeging", "inpLocatiebeschrijving"}
	buitenlandTexts = []string{"lndLandcode", "lndLandnaam", "subAdresBuitenland_1", "subAdresBuitenland_2", "subAdresBuitenland_3"}
)

// renderedRol completes a new rol's betrokkeneIdentificatie as Open Zaak stores and renders it
// (the rest of a rol is typed: Rol).
func renderedRol(d core.Doc) {
	in, ok := d["betrokkeneIdentificatie"].(map[string]any)
	typ := core.Str(d, "betrokkeneType")
	if !ok || betrokkeneTexts[typ] == nil {
		return
	}
	out := texts(in, betrokkeneTexts[typ])
	if typ == "vestiging" {
		out["handelsnaam"] = core.AnyList(in["handelsnaam"])
		if out["handelsnaam"] == nil {
			out["handelsnaam"] = []any{}
		}
	}
	if betrokkeneAddresses[typ] {
		out["verblijfsadres"], out["subVerblijfBuitenland"] = nil, nil
		if a, ok := in["verblijfsadres"].(map[string]any); ok {
			adres := texts(a, verblijfsadresTexts)
			adres["aoaHuisnummer"] = a["aoaHuisnummer"]
			if n, err := strconv.Atoi(core.Str(a, "aoaHuisnummer")); err == nil { // a number sent as text, as Open Zaak reads it
				adres["aoaHuisnummer"] = n
			}
			out["verblijfsadres"] = adres
		}
		if b, ok := in["subVerblijfBuitenland"].(map[string]any); ok {
			out["subVerblijfBuitenland"] = texts(b, buitenlandTexts)
		}
	}
	d["betrokkeneIdentificatie"] = out
}

// texts takes the named text fields of in (nil: none), "" for those it lacks.
func texts(in map[string]any, fields []string) core.Doc {
	out := core.Doc{}
	for _, f := range fields {
		if s, ok := in[f].(string); ok {
			out[f] = s
		} else {
			out[f] = ""
		}
	}
	return out
}

// checkBetrokkene applies Open Zaak's checks to a rol's betrokkeneIdentificatie: the innNnpId of
// a niet-natuurlijk persoon is an RSIN (9 digits, elfproef).
func checkBetrokkene(v *core.Validation, d core.Doc) {
	bi, _ := d["betrokkeneIdentificatie"].(map[string]any)
	id, _ := bi["innNnpId"].(string)
	if core.Str(d, "betrokkeneType") != "niet_natuurlijk_persoon" || id == "" {
		return
	}
	if !rsin.Valid(id) {
		v.Add("betrokkeneIdentificatie.innNnpId", "invalid", "Onjuist RSIN nummer")
	}
	if len(id) < 9 {
		v.Add("betrokkeneIdentificatie.innNnpId", "min_length", "Dit veld moet ten minste 9 karakters bevatten.")
	}
}
