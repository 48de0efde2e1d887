package dossier

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Exporter reads dossiers from a zaaksysteem.
type Exporter struct {
	ZGW     *zgw.Client
	Version string
	Now     func() time.Time
	// Records, when set, are the connector's own records of the zaak: how each e-mail was checked
	// and the case's history. nil when the dossier is read from the zaaksysteem alone.
	Records Records
}

// Records are what the connector knows of a zaak beyond the zaaksysteem.
type Records interface {
	// Evidence is the record of how each document was checked, by document URL.
	Evidence(ctx context.Context, zaakURL string) (map[string]json.RawMessage, error)
	// ZaakEvents is the history of the case of the zaak.
	ZaakEvents(ctx context.Context, zaakURL string) ([]objection.Event, error)
	// ZaakPublication is the publication of the zaak's decision on the Woo platform (nil: none).
	ZaakPublication(ctx context.Context, zaakURL string) (*objection.Publication, error)
}

// Progress reports an export under way.
type Progress struct {
	Document, Documents int    // the n-th of the documents, from 1; 0 before the first
	Name                string // its file in the zip
	Bytes               int64  // bytes of it written so far
	Total               int64  // its size, when the zaaksysteem said (0 if unknown)
	Done                bool   // this document is complete
}

// Export writes the dossier of the zaak at zaakURL as a zip to w, streaming every document
// from the zaaksysteem into the zip: memory does not grow with document size. progress may be
// nil. The manifest is returned for the caller to report problems.
func (e *Exporter) Export(ctx context.Context, zaakURL string, w io.Writer, progress func(Progress)) (*Manifest, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	c := e.ZGW
	m := &Manifest{Format: Format, ExportedAt: e.Now().UTC(), ConnectorVersion: e.Version, ZaakURL: zaakURL,
		AuditTrail: "audittrail.json", Problems: []string{}, Besluiten: []json.RawMessage{}, Rollen: []json.RawMessage{}}
	var err error
	if m.Zaak, err = c.Raw(ctx, zaakURL); err != nil {
		return nil, fmt.Errorf("reading the zaak: %w", err)
	}
	var zaak zgw.Zaak
	if err := json.Unmarshal(m.Zaak, &zaak); err != nil {
		return nil, err
	}
	m.Identificatie = zaak.Identificatie
	if err := e.readCase(ctx, m, &zaak); err != nil {
		return nil, err
	}
	trails := AuditTrails{Besluiten: map[string][]zgw.AuditTrail{}, Documents: map[string][]zgw.AuditTrail{}}
	if trails.Zaak, err = c.Zaken.AuditTrail(ctx, zaakURL); err != nil {
		return nil, fmt.Errorf("reading the zaak's audit trail: %w", err)
	}
	for _, b := range m.Besluiten {
		var ref struct{ URL string }
		json.Unmarshal(b, &ref)
		if t, err := c.Besluiten.AuditTrail(ctx, ref.URL); err == nil {
			trails.Besluiten[ref.URL] = t
		} else {
			m.Problems = append(m.Problems, fmt.Sprintf("the audit trail of besluit %s could not be read: %v", ref.URL, err))
		}
	}

	zios, err := c.Zaken.ListZaakInformatieObjecten(ctx, zaakURL)
	if err != nil {
		return nil, fmt.Errorf("listing the documents: %w", err)
	}
	evidence := map[string]json.RawMessage{}
	events := []objection.Event{}
	m.Events, m.EventsSource = "events.json", "none: exported from the zaaksysteem alone, without the connector's records"
	if e.Records != nil {
		if evidence, err = e.Records.Evidence(ctx, zaakURL); err != nil {
			return nil, fmt.Errorf("reading the connector's records of the documents: %w", err)
		}
		if events, err = e.Records.ZaakEvents(ctx, zaakURL); err != nil {
			return nil, fmt.Errorf("reading the case's history: %w", err)
		}
		if m.Publication, err = e.Records.ZaakPublication(ctx, zaakURL); err != nil {
			return nil, fmt.Errorf("reading the decision's publication: %w", err)
		}
		m.EventsSource = "connector"
	}
	zw := zip.NewWriter(w)
	sums := map[string]string{}
	for i, zio := range zios {
		doc, err := e.exportDocument(ctx, zw, i+1, len(zios), zio, progress)
		if err != nil {
			return nil, err
		}
		sums[doc.File] = doc.SHA256
		if doc.IntegrityCheck == "mismatch" {
			m.Problems = append(m.Problems, fmt.Sprintf("%s: sha256 %s differs from the zaaksysteem's integriteit %s", doc.File, doc.SHA256, doc.Integriteit.Waarde))
		}
		if t, err := c.Documenten.AuditTrail(ctx, doc.URL); err == nil {
			trails.Documents[doc.URL] = t
		} else {
			m.Problems = append(m.Problems, fmt.Sprintf("the audit trail of %s could not be read: %v", doc.File, err))
		}
		doc.Verification = evidence[doc.URL]
		m.Documents = append(m.Documents, *doc)
	}

	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"manifest.json", func(w io.Writer) error { return writeJSON(w, m) }},
		{"audittrail.json", func(w io.Writer) error { return writeJSON(w, trails) }},
		{"events.json", func(w io.Writer) error { return writeJSON(w, events) }},
		{"index.html", func(w io.Writer) error { return renderIndex(w, m, &trails, events) }},
	} {
		sum, err := addFile(zw, f.name, m.ExportedAt, f.write)
		if err != nil {
			return nil, err
		}
		sums[f.name] = sum
	}
	if _, err := addFile(zw, "SHA256SUMS", m.ExportedAt, func(w io.Writer) error { return writeSums(w, sums) }); err != nil {
		return nil, err
	}
	return m, zw.Close()
}

// readCase reads the statussen (with their types), resultaat, besluiten and rollen.
func (e *Exporter) readCase(ctx context.Context, m *Manifest, zaak *zgw.Zaak) error {
	c := e.ZGW
	statussen, err := c.Zaken.ListStatussen(ctx, zaak.URL)
	if err != nil {
		return fmt.Errorf("reading the statussen: %w", err)
	}
	types := map[string]*zgw.StatusType{}
	for _, s := range statussen {
		st, ok := types[s.StatusType]
		if !ok {
			if st, err = c.Catalogi.GetStatusType(ctx, s.StatusType); err != nil {
				return fmt.Errorf("reading statustype %s: %w", s.StatusType, err)
			}
			types[s.StatusType] = st
		}
		m.Statussen = append(m.Statussen, Status{URL: s.URL, StatusType: s.StatusType, Omschrijving: st.Omschrijving,
			Volgnummer: st.Volgnummer, IsEindstatus: st.IsEindstatus, DatumStatusGezet: s.DatumStatusGezet, Toelichting: s.StatusToelichting})
	}
	sort.SliceStable(m.Statussen, func(i, j int) bool { return m.Statussen[i].DatumStatusGezet < m.Statussen[j].DatumStatusGezet })
	if zaak.Resultaat != nil && *zaak.Resultaat != "" {
		r, err := c.Zaken.GetResultaat(ctx, *zaak.Resultaat)
		if err != nil {
			return fmt.Errorf("reading the resultaat: %w", err)
		}
		rt, err := c.Catalogi.GetResultaatType(ctx, r.ResultaatType)
		if err != nil {
			return fmt.Errorf("reading the resultaattype: %w", err)
		}
		m.Resultaat = &Resultaat{URL: r.URL, ResultaatType: r.ResultaatType, Omschrijving: rt.Omschrijving, Toelichting: r.Toelichting}
	}
	besluiten, err := c.Besluiten.ListBesluiten(ctx, zaak.URL, "")
	if err != nil {
		return fmt.Errorf("reading the besluiten: %w", err)
	}
	for _, b := range besluiten {
		raw, err := c.Raw(ctx, b.URL)
		if err != nil {
			return err
		}
		m.Besluiten = append(m.Besluiten, raw)
	}
	rollen, err := c.Zaken.ListRollen(ctx, zaak.URL)
	if err != nil {
		return fmt.Errorf("reading the rollen: %w", err)
	}
	for _, r := range rollen {
		raw, _ := json.Marshal(r)
		m.Rollen = append(m.Rollen, raw)
	}
	return nil
}

func (e *Exporter) exportDocument(ctx context.Context, zw *zip.Writer, n, total int, zio zgw.ZaakInformatieObject, progress func(Progress)) (*Document, error) {
	c := e.ZGW
	raw, err := c.Raw(ctx, zio.InformatieObject)
	if err != nil {
		return nil, fmt.Errorf("reading document %s: %w", zio.InformatieObject, err)
	}
	var eio zgw.InformatieObject
	if err := json.Unmarshal(raw, &eio); err != nil {
		return nil, err
	}
	name := eio.Bestandsnaam
	if name == "" {
		name = eio.Titel
	}
	doc := &Document{File: documentPath(n, name), URL: eio.URL, ZaakInformatieObject: zio.URL, Identificatie: eio.Identificatie,
		Titel: eio.Titel, Bestandsnaam: eio.Bestandsnaam, Formaat: eio.Formaat, CreatieDatum: eio.CreatieDatum,
		Versie: eio.Versie, Integriteit: eio.Integriteit, Metadata: raw}
	if eio.OntvangstDatum != nil {
		doc.OntvangstDatum = *eio.OntvangstDatum
	}
	var size int64
	if eio.Bestandsomvang != nil {
		size = *eio.Bestandsomvang
	}
	body, err := c.Documenten.Download(ctx, eio.URL)
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", eio.URL, err)
	}
	defer body.Close()
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: doc.File, Method: zip.Deflate, Modified: e.Now().UTC()})
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	counter := &progressWriter{report: func(b int64) {
		progress(Progress{Document: n, Documents: total, Name: doc.File, Bytes: b, Total: size})
	}}
	if doc.Size, err = io.Copy(io.MultiWriter(fw, h, counter), body); err != nil {
		return nil, fmt.Errorf("copying %s: %w", eio.URL, err)
	}
	doc.SHA256 = hex.EncodeToString(h.Sum(nil))
	progress(Progress{Document: n, Documents: total, Name: doc.File, Bytes: doc.Size, Total: size, Done: true})
	switch {
	case doc.Integriteit == nil || doc.Integriteit.Waarde == "":
		doc.IntegrityCheck = "absent"
	case doc.Integriteit.Algoritme != "sha_256":
		doc.IntegrityCheck = "not-sha256"
	case strings.EqualFold(doc.Integriteit.Waarde, doc.SHA256):
		doc.IntegrityCheck = "match"
	default:
		doc.IntegrityCheck = "mismatch"
	}
	return doc, nil
}

// progressWriter reports progress at most every 4 MiB.
type progressWriter struct {
	n, last int64
	report  func(int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if p.n-p.last >= 4<<20 {
		p.last = p.n
		p.report(p.n)
	}
	return len(b), nil
}

// addFile writes one small file to the zip and returns its sha256.
func addFile(zw *zip.Writer, name string, mod time.Time, write func(io.Writer) error) (string, error) {
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if err := write(io.MultiWriter(fw, h)); err != nil {
		return "", fmt.Errorf("writing %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeSums writes SHA256SUMS in the format of sha256sum (two spaces, text mode).
func writeSums(w io.Writer, sums map[string]string) error {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%s  %s\n", sums[n], n); err != nil {
			return err
		}
	}
	return nil
}

// ZipExporter adapts an Exporter to the HTTP API (no progress; problems returned for the log).
type ZipExporter struct{ *Exporter }

// Export writes the zip of the zaak to w.
func (z ZipExporter) Export(ctx context.Context, zaakURL string, w io.Writer) ([]string, error) {
	m, err := z.Exporter.Export(ctx, zaakURL, w, nil)
	if err != nil {
		return nil, err
	}
	return m.Problems, nil
}
