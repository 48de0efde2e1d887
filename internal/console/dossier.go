package console

import (
	"archive/zip"
	"cmp"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/webform"
)

// downloadDossier streams the dossier of a case's zaak, as GET /api/v1/cases/{id}/dossier does.
func (c *Console) downloadDossier(w http.ResponseWriter, r *http.Request, _ *Person) {
	cs, err := c.cfg.Service.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	if cs.ZaakURL == "" {
		c.failPage(w, r, nil, http.StatusConflict, "Deze zaak staat nog niet in het zaaksysteem; er is nog geen dossier.")
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "dossier-" + webform.SafeName(cs.ZaakIdentificatie) + ".zip"}))
	problems, err := c.cfg.Dossiers.Export(r.Context(), cs.ZaakURL, w)
	if err != nil {
		// The zip has started: it can only be cut short (a truncated zip does not open).
		c.cfg.Log.Error("dossier export failed while streaming", "case", cs.ID, "error", err)
		panic(http.ErrAbortHandler)
	}
	for _, p := range problems {
		c.cfg.Log.Warn("dossier export found a problem", "case", cs.ID, "problem", p)
	}
}

func (c *Console) verifyForm(w http.ResponseWriter, r *http.Request, _ *Person) {
	c.render(w, r, http.StatusOK, "verify", view{Title: "Dossier controleren"})
}

// fileCheck is one file of a verified dossier and what the check found.
type fileCheck struct {
	N        int // its row, which the summary of findings links to
	Name     string
	Problems []problemView
}

// problemView is one finding on a file: what it means, in words, and the check's own detail
// (the hashes compared).
type problemView struct{ Text, Detail string }

// problemTexts say what each kind of finding means for the dossier.
var problemTexts = map[string]string{
	"missing":                    "ontbreekt in het dossier",
	"extra":                      "toegevoegd: dit bestand staat niet in SHA256SUMS",
	"altered":                    "gewijzigd: de inhoud is niet meer wat het dossier vastlegde",
	"unreadable":                 "onleesbaar",
	"changed-in-zaaksysteem":     "in het zaaksysteem sindsdien gewijzigd",
	"removed-from-zaaksysteem":   "niet meer in het zaaksysteem",
	"unreachable-in-zaaksysteem": "nu niet te controleren in het zaaksysteem",
	"added-in-zaaksysteem":       "in het zaaksysteem sindsdien een document bijgekomen",
}

type verifyReport struct {
	Name      string
	Files     []fileCheck
	Findings  int
	Documents int
	Zaak      string
}

// maxDossier bounds an uploaded dossier: it is written to a temporary file, not kept in memory.
const maxDossier = 2 << 30

// postVerify checks an uploaded dossier zip (as `connector dossier verify` does) and reports on
// every file.
func (c *Console) postVerify(w http.ResponseWriter, r *http.Request, _ *Person) {
	if !webform.IsMultipart(r) {
		c.failPage(w, r, nil, http.StatusUnsupportedMediaType, "Dit formulier wordt als multipart/form-data verstuurd.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDossier+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		c.failPage(w, r, objection.Errorf(objection.CodeInvalid, "het formulier is niet leesbaar"), 0, "")
		return
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "dossier" || part.FileName() == "" {
		c.render(w, r, http.StatusBadRequest, "verify", view{Title: "Dossier controleren", Error: "Kies het dossier (zip) om te controleren."})
		return
	}
	tmp, err := os.CreateTemp("", "dossier-*.zip")
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	size, err := io.Copy(tmp, part)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		c.failPage(w, r, nil, http.StatusRequestEntityTooLarge, "Het dossier is groter dan 2 GiB.")
		return
	}
	if err != nil {
		c.failPage(w, r, err, 0, "")
		return
	}
	report := verifyReport{Name: part.FileName()}
	findings, m, err := c.cfg.Verify(r.Context(), tmp, size)
	if err != nil {
		c.render(w, r, http.StatusUnprocessableEntity, "verify", view{Title: "Dossier controleren", Error: "Dit is geen leesbaar dossier: " + err.Error()})
		return
	}
	report.Findings = len(findings)
	if m != nil {
		report.Documents, report.Zaak = len(m.Documents), m.Identificatie
	}
	report.Files = filesOf(tmp, size, findings)
	c.render(w, r, http.StatusOK, "verify", view{Title: "Dossier controleren", Data: report})
}

// filesOf lists every file of the zip with the findings about it (also files the zip lacks).
func filesOf(r io.ReaderAt, size int64, findings []dossier.Finding) []fileCheck {
	byName := map[string][]problemView{}
	for _, f := range findings {
		byName[f.File] = append(byName[f.File], problemView{Text: cmp.Or(problemTexts[f.Problem], f.Problem), Detail: f.Detail})
	}
	var out []fileCheck
	seen := map[string]bool{}
	if zr, err := zip.NewReader(r, size); err == nil {
		for _, f := range zr.File {
			out = append(out, fileCheck{N: len(out), Name: f.Name, Problems: byName[f.Name]})
			seen[f.Name] = true
		}
	}
	var missing []string
	for name := range byName {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	for _, name := range missing {
		out = append(out, fileCheck{N: len(out), Name: name, Problems: byName[name]})
	}
	return out
}
