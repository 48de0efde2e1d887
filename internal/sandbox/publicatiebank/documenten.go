package publicatiebank

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgwtoken"

	"github.com/gemeenten/meta-bezwaar-connector/internal/sandbox/core"
)

func (s *API) listDocumenten(w http.ResponseWriter, r *http.Request) {
	docs, err := core.QueryAs[Document](r.Context(), s.DB, kindDocument, r.URL.Query().Get("publicatie"), "")
	if !s.found(w, err) {
		return
	}
	reads := make([]any, len(docs))
	for i, d := range docs {
		reads[i] = d.read()
	}
	page(w, r, reads, s.Cfg.PageSize)
}

func (s *API) getDocument(w http.ResponseWriter, r *http.Request) {
	d, err := core.GetAs[Document](r.Context(), s.DB, kindDocument, r.PathValue("uuid"))
	if !s.found(w, err) {
		return
	}
	writeJSON(w, http.StatusOK, d.read())
}

// deleteDocument removes a document and its content (204).
func (s *API) deleteDocument(w http.ResponseWriter, r *http.Request) {
	d, err := core.GetAs[Document](r.Context(), s.DB, kindDocument, r.PathValue("uuid"))
	if !s.found(w, err) {
		return
	}
	if err := s.DB.Remove(r.Context(), d.UUID); err != nil {
		writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
		return
	}
	os.Remove(s.contentPath(d.UUID))
	for _, p := range d.Bestandsdelen {
		os.Remove(s.contentPath(p.UUID))
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *API) createDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// What a client writes (DocumentCreate) is a Document's writable fields and its delivery;
	// what the publicatiebank owns is set below, whatever was sent.
	in := Document{AanleveringBestand: "ontvangen"}
	if !decode(w, r, &in) {
		return
	}
	v := invalid{}
	pub, err := core.GetAs[Publicatie](ctx, s.DB, kindPublicatie, in.Publicatie)
	switch {
	case in.Publicatie == "":
		v.add("publicatie", required)
	case err != nil:
		v.add("publicatie", notFoundPK(in.Publicatie))
	case pub.Publicatiestatus == statusIngetrokken:
		v.add("publicatie", "Aan een ingetrokken publicatie kunnen geen documenten toegevoegd worden.")
	}
	if strings.TrimSpace(in.OfficieleTitel) == "" {
		v.add("officieleTitel", required)
	}
	if _, err := time.Parse(time.DateOnly, in.Creatiedatum); err != nil {
		v.add("creatiedatum", "Datum heeft het verkeerde formaat. Gebruik het formaat JJJJ-MM-DD.")
	}
	switch in.AanleveringBestand {
	case "ontvangen":
		if in.DocumentURL != "" {
			v.add("documentUrl", "Dit veld moet leeg zijn wanneer het bestand ontvangen wordt.")
		}
	case "ophalen":
		if !strings.Contains(in.DocumentURL, core.DocumentenRoot+"enkelvoudiginformatieobjecten/") {
			v.add("documentUrl", "Dit veld is vereist en moet naar een document in de ingestelde Documenten-API verwijzen.")
		}
	default:
		v.add("aanleveringBestand", fmt.Sprintf("%q is een ongeldige keuze.", in.AanleveringBestand))
	}
	if in.Bestandsomvang < 0 || in.Bestandsomvang > s.cfg.MaxDocumentSize {
		v.add("bestandsomvang", fmt.Sprintf("Het bestand mag hoogstens %d bytes groot zijn.", s.cfg.MaxDocumentSize))
	}
	if v.answered(w) {
		return
	}
	now := s.now()
	d := in
	d.UUID, d.Publicatie, d.Publicatiestatus, d.GepubliceerdOp, d.IngetrokkenOp = core.NewUUID(), pub.UUID, pub.Publicatiestatus, pub.GepubliceerdOp, nil
	d.Eigenaar, d.Registratiedatum, d.LaatstGewijzigdDatum = eigenaar(r), now, now
	d.UploadVoltooid, d.Bestandsdelen, d.Ontvangen = false, nil, nil
	if d.Kenmerken == nil {
		d.Kenmerken = []Kenmerk{}
	}
	if d.AanleveringBestand == "ophalen" {
		// The real publicatiebank fetches in the background; here it is done before answering,
		// so that a document that cannot be fetched is refused rather than left incomplete.
		if err := s.fetch(ctx, &d); err != nil {
			v.add("documentUrl", "De inhoud kon niet opgehaald worden: "+err.Error())
			v.answered(w)
			return
		}
	} else {
		for i, off := 0, int64(0); off < d.Bestandsomvang; i, off = i+1, off+s.Cfg.PartSize {
			part := core.NewUUID()
			d.Bestandsdelen = append(d.Bestandsdelen, FilePart{UUID: part, Volgnummer: i + 1, Omvang: min(s.Cfg.PartSize, d.Bestandsomvang-off),
				URL: core.Base(r) + Root + "/api/v2/documenten/" + d.UUID + "/bestandsdelen/" + part})
			d.Ontvangen = append(d.Ontvangen, false)
		}
		if d.Bestandsdelen == nil {
			d.Bestandsdelen = []FilePart{}
			d.UploadVoltooid = os.WriteFile(s.contentPath(d.UUID), nil, 0o600) == nil
		}
	}
	if err := s.DB.Insert(ctx, kindDocument, d.UUID, d.Publicatie, "", d); err != nil {
		writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
		return
	}
	writeJSON(w, http.StatusCreated, d.created())
}

// fetch reads the content of d's documentUrl from the Documenten API, with the credentials the
// publicatiebank has for it, and keeps it as d's content.
func (s *API) fetch(ctx context.Context, d *Document) error {
	tok, err := zgwtoken.Sign(s.cfg.DocumentenClientID, s.cfg.DocumentenSecret, "gpp-publicatiebank", "GPP-publicatiebank", time.Now(), time.Minute)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(d.DocumentURL, "/")+"/download", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := s.Fetcher.Do(req)
	if err != nil {
		return errors.New("de Documenten-API antwoordde niet")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("de Documenten-API antwoordde %d", resp.StatusCode)
	}
	n, err := s.keep(s.contentPath(d.UUID), io.LimitReader(resp.Body, s.cfg.MaxDocumentSize+1))
	switch {
	case err != nil:
		return err
	case n > s.cfg.MaxDocumentSize:
		os.Remove(s.contentPath(d.UUID))
		return fmt.Errorf("het document is groter dan %d bytes", s.cfg.MaxDocumentSize)
	}
	d.Bestandsomvang, d.UploadVoltooid, d.Bestandsdelen = n, true, []FilePart{}
	return nil
}

// keep writes r to path atomically and returns its size.
func (s *API) keep(path string, r io.Reader) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return n, err
}

func (s *API) contentPath(id string) string { return filepath.Join(s.Files, "gpp-"+id) }

// putPart receives one part (multipart/form-data, field inhoud); once every part is there the
// content is put together and the document is complete.
func (s *API) putPart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := core.GetAs[Document](ctx, s.DB, kindDocument, r.PathValue("uuid"))
	if !s.found(w, err) {
		return
	}
	i := slices.IndexFunc(d.Bestandsdelen, func(p FilePart) bool { return p.UUID == r.PathValue("partUuid") })
	if i < 0 {
		writeDetail(w, http.StatusNotFound, "Niet gevonden.")
		return
	}
	if d.UploadVoltooid {
		writeJSON(w, http.StatusBadRequest, invalid{"nonFieldErrors": {"Het document is al volledig geüpload."}})
		return
	}
	part := d.Bestandsdelen[i]
	r.Body = http.MaxBytesReader(w, r.Body, part.Omvang+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, invalid{"inhoud": {"Verwacht multipart/form-data: " + err.Error()}})
		return
	}
	got := int64(-1)
	partPath := s.contentPath(part.UUID)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, invalid{"inhoud": {"Ongeldige multipart body: " + err.Error()}})
			return
		}
		if p.FormName() == "inhoud" {
			if got, err = s.keep(partPath, p); err != nil {
				writeJSON(w, http.StatusBadRequest, invalid{"inhoud": {"Het bestandsdeel kon niet gelezen worden."}})
				return
			}
		}
		p.Close()
	}
	switch {
	case got < 0:
		writeJSON(w, http.StatusBadRequest, invalid{"inhoud": {required}})
		return
	case got != part.Omvang:
		os.Remove(partPath)
		writeJSON(w, http.StatusBadRequest, invalid{"inhoud": {fmt.Sprintf("Het bestandsdeel is %d bytes, verwacht %d.", got, part.Omvang)}})
		return
	}
	d.Ontvangen[i] = true
	if !slices.Contains(d.Ontvangen, false) {
		if err := s.join(d); err != nil {
			writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
			return
		}
		d.UploadVoltooid = true
	}
	d.LaatstGewijzigdDatum = s.now()
	if err := s.DB.Update(ctx, d.UUID, d); err != nil {
		writeDetail(w, http.StatusInternalServerError, "Er is een serverfout opgetreden.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"documentUploadVoltooid": d.UploadVoltooid})
}

// join puts a document's parts together into its content, in order.
func (s *API) join(d Document) error {
	readers := make([]io.Reader, 0, len(d.Bestandsdelen))
	for _, p := range d.Bestandsdelen {
		f, err := os.Open(s.contentPath(p.UUID))
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	if _, err := s.keep(s.contentPath(d.UUID), io.MultiReader(readers...)); err != nil {
		return err
	}
	for _, p := range d.Bestandsdelen {
		os.Remove(s.contentPath(p.UUID))
	}
	return nil
}

// download streams a complete document's content; 409 while it is not complete.
func (s *API) download(w http.ResponseWriter, r *http.Request) {
	d, err := core.GetAs[Document](r.Context(), s.DB, kindDocument, r.PathValue("uuid"))
	if !s.found(w, err) {
		return
	}
	if !d.UploadVoltooid {
		writeDetail(w, http.StatusConflict, "Het document is (nog) niet beschikbaar voor download.")
		return
	}
	f, err := os.Open(s.contentPath(d.UUID))
	if err != nil {
		writeDetail(w, http.StatusBadGateway, "De inhoud kon niet gestreamd worden.")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		writeDetail(w, http.StatusBadGateway, "De inhoud kon niet gestreamd worden.")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Bestandsnaam}))
	_, _ = io.Copy(w, f)
}
