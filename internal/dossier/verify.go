package dossier

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
)

// Finding is one thing wrong with a dossier.
type Finding struct {
	File    string `json:"file"`
	Problem string `json:"problem"` // missing, extra, altered, changed-in-zaaksysteem, removed-from-zaaksysteem, …
	Detail  string `json:"detail,omitempty"`
}

func (f Finding) String() string {
	if f.Detail == "" {
		return f.File + ": " + f.Problem
	}
	return f.File + ": " + f.Problem + " (" + f.Detail + ")"
}

// Verify checks a dossier zip: every file against SHA256SUMS, every document against the
// manifest; with live set, every document also against the zaaksysteem as it is now. It returns
// the findings (none: the dossier is intact) and the manifest.
func Verify(ctx context.Context, r io.ReaderAt, size int64, live *zgw.Client) ([]Finding, *Manifest, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("not a readable zip: %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	sumsFile, ok := files["SHA256SUMS"]
	if !ok {
		return []Finding{{File: "SHA256SUMS", Problem: "missing"}}, nil, nil
	}
	sums, err := readSums(sumsFile)
	if err != nil {
		return nil, nil, err
	}
	var findings []Finding
	hashes := map[string]string{}
	for _, name := range sortedKeys(sums) {
		f, ok := files[name]
		if !ok {
			findings = append(findings, Finding{File: name, Problem: "missing"})
			continue
		}
		got, err := hashFile(f)
		if err != nil {
			findings = append(findings, Finding{File: name, Problem: "unreadable", Detail: err.Error()})
			continue
		}
		hashes[name] = got
		if got != sums[name] {
			findings = append(findings, Finding{File: name, Problem: "altered", Detail: "sha256 " + got + ", SHA256SUMS says " + sums[name]})
		}
	}
	for _, f := range zr.File {
		if _, listed := sums[f.Name]; !listed && f.Name != "SHA256SUMS" {
			findings = append(findings, Finding{File: f.Name, Problem: "extra", Detail: "not in SHA256SUMS"})
		}
	}

	var m Manifest
	mf, ok := files["manifest.json"]
	if !ok {
		return findings, nil, nil // reported as missing above when listed; an unlisted manifest is extra
	}
	if err := readJSON(mf, &m); err != nil {
		return append(findings, Finding{File: "manifest.json", Problem: "unreadable", Detail: err.Error()}), nil, nil
	}
	for _, d := range m.Documents {
		if h, ok := hashes[d.File]; ok && h == sums[d.File] && h != d.SHA256 {
			findings = append(findings, Finding{File: d.File, Problem: "altered", Detail: "differs from the manifest"})
		}
		if _, ok := sums[d.File]; !ok {
			if _, inZip := files[d.File]; !inZip {
				findings = append(findings, Finding{File: d.File, Problem: "missing", Detail: "listed in the manifest"})
			}
		}
	}
	if live != nil {
		findings = append(findings, verifyLive(ctx, &m, live)...)
	}
	return findings, &m, nil
}

// verifyLive compares each document of the manifest with the zaaksysteem now.
func verifyLive(ctx context.Context, m *Manifest, c *zgw.Client) []Finding {
	var out []Finding
	for _, d := range m.Documents {
		body, err := c.Documenten.Download(ctx, d.URL)
		if zgw.IsNotFound(err) {
			out = append(out, Finding{File: d.File, Problem: "removed-from-zaaksysteem", Detail: d.URL})
			continue
		}
		if err != nil {
			out = append(out, Finding{File: d.File, Problem: "unreachable-in-zaaksysteem", Detail: err.Error()})
			continue
		}
		h := sha256.New()
		_, err = io.Copy(h, body)
		body.Close()
		if err != nil {
			out = append(out, Finding{File: d.File, Problem: "unreachable-in-zaaksysteem", Detail: err.Error()})
			continue
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != d.SHA256 {
			out = append(out, Finding{File: d.File, Problem: "changed-in-zaaksysteem", Detail: "sha256 there now " + got})
		}
	}
	zios, err := c.Zaken.ListZaakInformatieObjecten(ctx, m.ZaakURL)
	if err != nil {
		return append(out, Finding{File: "manifest.json", Problem: "unreachable-in-zaaksysteem", Detail: err.Error()})
	}
	for _, zio := range zios {
		if !slices.ContainsFunc(m.Documents, func(d Document) bool { return d.URL == zio.InformatieObject }) {
			out = append(out, Finding{File: "manifest.json", Problem: "added-in-zaaksysteem", Detail: zio.InformatieObject})
		}
	}
	return out
}

func readSums(f *zip.File) (map[string]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(io.LimitReader(rc, 16<<20))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("SHA256SUMS: unreadable line %q", sc.Text())
		}
		out[name] = sum
	}
	return out, sc.Err()
}

func hashFile(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readJSON(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return json.NewDecoder(io.LimitReader(rc, 256<<20)).Decode(v)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
