package dossier

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/history"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// index.html: the dossier at a glance, for people. Static: no script, no external resources;
// html/template escapes every value that came from the zaaksysteem.
var indexTemplate = template.Must(template.New("index").Funcs(template.FuncMap{
	"field": func(raw json.RawMessage, name string) string {
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			return ""
		}
		if s, ok := m[name].(string); ok {
			return s
		}
		return ""
	},
	"kenmerken": func(raw json.RawMessage) []map[string]string {
		var z struct {
			Kenmerken []map[string]string `json:"kenmerken"`
		}
		json.Unmarshal(raw, &z)
		return z.Kenmerken
	},
	"mib":        func(n int64) string { return humanSize(n) },
	"tijd":       dutchTime,
	"publicatie": dutch.PublicationState,
	"nr":         func(i int) int { return i + 1 }, // as in the file names: documenten/01-…
}).Parse(`<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Dossier {{.M.Identificatie}}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { text-align: left; vertical-align: top; padding: .25em .5em; border-bottom: 1px solid #ddd; }
th { background: #f2f2f2; }
code { font-size: 12px; word-break: break-all; }
.problem { color: #a00; font-weight: bold; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Dossier zaak {{.M.Identificatie}}</h1>
<table>
<tr><th>Omschrijving</th><td>{{field .M.Zaak "omschrijving"}}</td></tr>
<tr><th>Toelichting</th><td>{{field .M.Zaak "toelichting"}}</td></tr>
<tr><th>Startdatum</th><td>{{field .M.Zaak "startdatum"}}</td></tr>
<tr><th>Uiterlijke einddatum afdoening</th><td>{{field .M.Zaak "uiterlijkeEinddatumAfdoening"}}</td></tr>
<tr><th>Einddatum</th><td>{{field .M.Zaak "einddatum"}}</td></tr>
<tr><th>Resultaat</th><td>{{if .M.Resultaat}}{{.M.Resultaat.Omschrijving}}{{else}}(nog geen){{end}}</td></tr>
{{range kenmerken .M.Zaak}}<tr><th>Kenmerk ({{.bron}})</th><td>{{.kenmerk}}</td></tr>
{{end}}<tr><th>Zaak</th><td><code>{{.M.ZaakURL}}</code></td></tr>
<tr><th>Geëxporteerd</th><td>{{tijd .M.ExportedAt}} door connector {{.M.ConnectorVersion}}</td></tr>
</table>
{{if .M.Problems}}<h2>Bevindingen</h2>
<ul>{{range .M.Problems}}<li class="problem">{{.}}</li>{{end}}</ul>{{end}}

<h2>Statussen</h2>
<table><tr><th>Datum</th><th>Status</th><th>Toelichting</th></tr>
{{range .M.Statussen}}<tr><td>{{tijd .DatumStatusGezet}}</td><td>{{.Omschrijving}}{{if .IsEindstatus}} (eindstatus){{end}}</td><td>{{.Toelichting}}</td></tr>
{{end}}</table>

<h2>Besluiten</h2>
<table><tr><th>Identificatie</th><th>Datum</th><th>Ingangsdatum</th><th>Publicatiedatum</th><th>Toelichting</th></tr>
{{range .M.Besluiten}}<tr><td>{{field . "identificatie"}}</td><td>{{field . "datum"}}</td><td>{{field . "ingangsdatum"}}</td><td>{{field . "publicatiedatum"}}</td><td>{{field . "toelichting"}}</td></tr>
{{end}}</table>
{{with .M.Publication}}
<h2>Publicatie (Woo)</h2>
<table>
<tr><th>Stand</th><td>{{publicatie .State}}</td></tr>
{{with .PublishedAt}}<tr><th>Gepubliceerd</th><td>{{tijd .}}</td></tr>{{end}}
{{with .WithdrawnAt}}<tr><th>Ingetrokken</th><td>{{tijd .}}</td></tr>{{end}}
{{with .PublicURL}}<tr><th>Openbare pagina</th><td><a href="{{.}}">{{.}}</a></td></tr>{{end}}
{{with .Publicatiedatum}}<tr><th>Publicatiedatum van het besluit</th><td>{{.}}</td></tr>{{end}}
{{with .UUID}}<tr><th>Publicatie in het publicatieplatform</th><td><code>{{.}}</code></td></tr>{{end}}
{{with .Problem}}<tr><th>Opmerking</th><td>{{.}}</td></tr>{{end}}
</table>{{end}}

<h2>Documenten</h2>
<table><tr><th>#</th><th>Titel</th><th>Bestand</th><th>Formaat</th><th>Grootte</th><th>Ontvangen</th><th>SHA-256</th><th>Integriteit</th></tr>
{{range $i, $d := .M.Documents}}<tr><td>{{nr $i}}</td><td>{{$d.Titel}}</td><td><code>{{$d.File}}</code></td><td>{{$d.Formaat}}</td><td>{{mib $d.Size}}</td><td>{{$d.OntvangstDatum}}</td><td><code>{{$d.SHA256}}</code></td><td{{if eq $d.IntegrityCheck "mismatch"}} class="problem"{{end}}>{{$d.IntegrityCheck}}</td></tr>
{{end}}</table>

<h2>Geschiedenis (connector)</h2>
{{if .Events}}<table><tr><th>Tijdstip</th><th>Wie</th><th>Wat</th></tr>
{{range .Events}}{{$l := .}}<tr><td>{{tijd .At}}</td><td>{{.Actor}}</td><td>{{.What}}{{if .Link}} (<a href="{{.Link}}">{{.LinkLabel}}</a>){{end}}{{with .Note}}: {{if eq $l.NoteLang "en"}}<span lang="en">{{.}}</span>{{else}}{{.}}{{end}}{{end}}</td></tr>
{{end}}</table>{{else}}<p>{{.M.EventsSource}}</p>{{end}}

<h2>Audittrail</h2>
<table><tr><th>Tijdstip</th><th>Actie</th><th>Resource</th><th>Wie</th><th>Toelichting</th></tr>
{{range .Trail}}<tr><td>{{tijd .AanmaakDatum}}</td><td>{{.Actie}}</td><td>{{.Resource}} {{.ResourceWeergave}}</td><td>{{.GebruikersWeergave}}</td><td>{{.Toelichting}}</td></tr>
{{end}}</table>
<p>Tijden in Nederlandse tijd (Europe/Amsterdam). Controleer de bestanden na uitpakken met <code>sha256sum -c SHA256SUMS</code>.</p>
</body>
</html>
`))

func renderIndex(w io.Writer, m *Manifest, t *AuditTrails, events []objection.Event) error {
	trail := append([]any(nil), toAny(t.Zaak)...)
	for _, d := range m.Documents {
		trail = append(trail, toAny(t.Documents[d.URL])...)
	}
	for _, b := range t.Besluiten {
		trail = append(trail, toAny(b)...)
	}
	return indexTemplate.Execute(w, map[string]any{"M": m, "Trail": sortTrail(trail), "Events": history.Lines(events)})
}

// dutchTime shows a moment (a time.Time, or a date-time string from the zaaksysteem) as a Dutch
// reader expects it: day-month-year and the time in Amsterdam. What is not a moment is shown as it is.
func dutchTime(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return ""
		}
		t = *x
	case string:
		parsed, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return x
		}
		t = parsed
	default:
		return fmt.Sprint(v)
	}
	return t.In(objection.Amsterdam).Format("2-1-2006 15:04:05")
}
