package dossier

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestIndexGolden renders index.html for a fixed dossier, hostile values included, and compares
// it with testdata/index.golden.html (run with -update to accept a change).
func TestIndexGolden(t *testing.T) {
	published := time.Date(2025, 5, 15, 8, 0, 0, 0, time.UTC)
	m := &Manifest{Format: Format, ExportedAt: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), ConnectorVersion: "1.0.0",
		ZaakURL: "https://zaken.example.nl/zaken/api/v1/zaken/1", Identificatie: "ZAAK-2025-0000000001",
		Zaak: json.RawMessage(`{"omschrijving":"Bezwaar <script>alert(1)</script> & Meta","startdatum":"2025-05-13","einddatum":"2025-05-20",
			"uiterlijkeEinddatumAfdoening":"2025-05-27","kenmerken":[{"kenmerk":"B&W-2025-0412","bron":"meta-bezwaar-connector"}]}`),
		Statussen: []Status{{Omschrijving: "Geregistreerd", DatumStatusGezet: "2025-05-13T09:00:00Z"},
			{Omschrijving: "Afgehandeld", IsEindstatus: true, DatumStatusGezet: "2025-05-20T09:00:00Z"}},
		Resultaat: &Resultaat{Omschrijving: "Bezwaar gehonoreerd"},
		Besluiten: []json.RawMessage{json.RawMessage(`{"identificatie":"BESLUIT-1","datum":"2025-05-13","ingangsdatum":"2025-05-13","publicatiedatum":"2025-05-15"}`)},
		Publication: &objection.Publication{State: objection.PublicationPublished, UUID: "p-1", PublishedAt: &published,
			PublicURL: "https://open.example.nl/publicaties/p-1?<b>", Publicatiedatum: "2025-05-15"},
		Documents: []Document{
			{File: "documenten/01-bezwaar.txt", Titel: "Bezwaarschrift", Formaat: "text/plain", Size: 1900, SHA256: "ab", IntegrityCheck: "match"},
			{File: "documenten/02-meta.eml", Titel: "<img src=x onerror=alert(1)>", Formaat: "message/rfc822", Size: 3 << 20, SHA256: "cd",
				OntvangstDatum: "2025-05-14", IntegrityCheck: "mismatch"},
		},
		Problems: []string{"documenten/02-meta.eml: sha256 cd differs from the zaaksysteem's integriteit ef"},
	}
	trails := &AuditTrails{Zaak: []zgw.AuditTrail{{AanmaakDatum: "2025-05-13T09:00:00Z", Actie: "create", Resource: "zaak",
		ResourceWeergave: "ZAAK-2025-0000000001", GebruikersWeergave: "Meta-bezwaar connector"}}}
	var buf bytes.Buffer
	events := []objection.Event{{Seq: 1, At: time.Date(2025, 5, 13, 7, 30, 0, 0, time.UTC), Actor: "intake", Type: "registered", Detail: "decision B&W-2025-0412 registered with 1 accounts"},
		{Seq: 2, At: time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC), Actor: "jan<b>", Type: "filed", Detail: "filed <script>x()</script>"}}
	if err := renderIndex(&buf, m, trails, events); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "index.golden.html")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("index.html differs from %s (run with -update to accept)", golden)
	}
	// Summer and winter time: 07:30 UTC in May is 09:30 in Amsterdam, 09:00 UTC in December is 10:00.
	for _, want := range []string{"13-5-2025 09:30:00", "1-12-2025 10:00:00", "13-5-2025 11:00:00"} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("index.html lacks the Amsterdam time %q", want)
		}
	}
	for _, bad := range []string{"<script", "<img", "<b>"} {
		if bytes.Contains(buf.Bytes(), []byte(bad)) {
			t.Errorf("index.html contains %q", bad)
		}
	}
}
