package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/dossier"
	"github.com/gemeenten/meta-bezwaar-connector/internal/version"
	"github.com/gemeenten/meta-bezwaar-connector/internal/zgw"
	"github.com/schollz/progressbar/v3"
)

var caseIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// dossierCmd is `connector dossier export CASE -o FILE.zip` and `connector dossier verify FILE.zip [--live]`.
func dossierCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"dossier takes export or verify"}
	}
	switch args[0] {
	case "export":
		return dossierExport(ctx, args[1:], stdout, stderr)
	case "verify":
		return dossierVerify(ctx, args[1:], stdout)
	}
	return usageError{fmt.Sprintf("unknown dossier command %q (export, verify)", args[0])}
}

// parseInterspersed lets flags follow the positional arguments (connector dossier export X -o f).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) > 0 {
			pos, args = append(pos, args[0]), args[1:]
		}
	}
	return pos, nil
}

func dossierExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dossier export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "the zip to write (default dossier-<zaak-identificatie>.zip)")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		return usageError{"dossier export takes CASE -o FILE.zip (CASE: case id, zaak URL or zaak identificatie)"}
	}
	target := pos[0]
	bar := newProgressBar(stderr)
	var problems []string
	write := func(path string, fill func(w io.Writer) error) error {
		tmp := path + ".part"
		f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		err = fill(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
			return err
		}
		return os.Rename(tmp, path)
	}

	if caseIDPattern.MatchString(target) {
		// A case of a running connector: the connector exports it from its zaaksysteem.
		c, err := newAPIClient()
		if err != nil {
			return err
		}
		path := *out
		if path == "" {
			path = "dossier-" + target + ".zip"
		}
		err = write(path, func(w io.Writer) error { return c.download("/api/v1/cases/"+target+"/dossier", w, bar.bytesDone) })
		if err != nil {
			return err
		}
		bar.finish()
		fmt.Fprintf(stdout, "dossier van zaak %s geschreven naar %s\n", target, path)
		return nil
	}

	cfg, err := config.Load()
	if err != nil {
		return err
	}
	client, err := directClient(cfg)
	if err != nil {
		return err
	}
	zaakURL, ident, err := findZaak(ctx, client, cfg, target)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = "dossier-" + dossier.SafeName(ident) + ".zip"
	}
	ex := &dossier.Exporter{ZGW: client, Version: version.Version, Now: time.Now}
	err = write(path, func(w io.Writer) error {
		m, err := ex.Export(ctx, zaakURL, w, bar.document)
		if m != nil {
			problems = m.Problems
		}
		return err
	})
	if err != nil {
		return err
	}
	bar.finish()
	fmt.Fprintf(stdout, "dossier van zaak %s geschreven naar %s\n", ident, path)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "probleem: %s\n", p)
		}
		return fmt.Errorf("the dossier was written, but %d problem(s) were found (listed above and in its manifest)", len(problems))
	}
	return nil
}

// directClient reads the zaaksysteem with the ZGW_* settings, or the sandbox's when none are set.
func directClient(cfg *config.Config) (*zgw.Client, error) {
	zc := zgwConfig(cfg)
	if cfg.EmbeddedSandbox() {
		secret := cfg.Sandbox.Secret
		if secret == "" {
			b, err := os.ReadFile(filepath.Join(cfg.Sandbox.DataDir, "client-secret"))
			if err != nil {
				return nil, fmt.Errorf("no ZGW_* settings and no sandbox secret in %s: %w", cfg.Sandbox.DataDir, err)
			}
			secret = strings.TrimSpace(string(b))
		}
		useSandbox(&zc, "http://"+cfg.Sandbox.Addr, cfg.Sandbox.ClientID, secret)
	}
	return zgw.New(zc)
}

// findZaak takes a zaak URL or identificatie.
func findZaak(ctx context.Context, c *zgw.Client, cfg *config.Config, target string) (string, string, error) {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		z, err := c.Zaken.GetZaak(ctx, target)
		if err != nil {
			return "", "", err
		}
		return z.URL, z.Identificatie, nil
	}
	for z, err := range c.Zaken.ListZaken(ctx, zgw.ZaakFilter{Identificatie: target, Bronorganisatie: cfg.RSIN}) {
		if err != nil {
			return "", "", err
		}
		return z.URL, z.Identificatie, nil
	}
	return "", "", fmt.Errorf("no zaak with identificatie %q of bronorganisatie %s", target, cfg.RSIN)
}

func dossierVerify(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dossier verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	live := fs.Bool("live", false, "also compare with the zaaksysteem as it is now")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		return usageError{"dossier verify takes FILE.zip [--live]"}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var client *zgw.Client
	if *live {
		cfg, err := config.Load()
		if err != nil {
			return err
		}
		if client, err = directClient(cfg); err != nil {
			return err
		}
	}
	findings, m, err := dossier.Verify(ctx, f, st.Size(), client)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	for _, x := range findings {
		fmt.Fprintln(stdout, x.String())
	}
	if len(findings) > 0 {
		return fmt.Errorf("%s: %d bestand(en) wijken af", pos[0], len(findings))
	}
	n := 0
	if m != nil {
		n = len(m.Documents)
	}
	fmt.Fprintf(stdout, "%s: ongeschonden (%d documenten; elk bestand klopt met SHA256SUMS en het manifest)\n", pos[0], n)
	return nil
}

// progressBar shows an export's progress: on a terminal schollz/progressbar's bars (documents
// of a zaak, or the bytes of a case's dossier through the connector), otherwise a plain line per
// document, for logs and scripts.
type progressBar struct {
	w     io.Writer
	tty   bool
	docs  *progressbar.ProgressBar // one step per document, made at the first one
	bytes *progressbar.ProgressBar // bytes of a download of unknown size
}

func newProgressBar(w io.Writer) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, tty: tty}
}

func (p *progressBar) options(description string) []progressbar.Option {
	return []progressbar.Option{progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(description),
		progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100 * time.Millisecond), progressbar.OptionSetPredictTime(false)}
}

// document reports a document of a zaak's dossier.
func (p *progressBar) document(pr dossier.Progress) {
	if !p.tty {
		if pr.Done {
			fmt.Fprintf(p.w, "opgehaald: %s (%d van %d, %d bytes)\n", pr.Name, pr.Document, pr.Documents, pr.Bytes)
		}
		return
	}
	if p.docs == nil {
		p.docs = progressbar.NewOptions(pr.Documents, append(p.options("documenten"), progressbar.OptionShowCount())...)
	}
	p.docs.Describe(pr.Name)
	if pr.Done {
		_ = p.docs.Set(pr.Document)
	}
}

// bytesDone reports the bytes of a dossier received so far.
func (p *progressBar) bytesDone(n int64) {
	if !p.tty {
		return
	}
	if p.bytes == nil {
		p.bytes = progressbar.NewOptions64(-1, append(p.options("dossier ophalen"), progressbar.OptionShowBytes(true), progressbar.OptionShowCount())...)
	}
	_ = p.bytes.Set64(n)
}

func (p *progressBar) finish() {
	for _, b := range []*progressbar.ProgressBar{p.docs, p.bytes} {
		if b != nil {
			_ = b.Finish()
			fmt.Fprintln(p.w)
		}
	}
}

// download streams an answer into w, reporting progress.
func (c *apiClient) download(path string, w io.Writer, progress func(int64)) error {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := (&http.Client{}).Do(req) // no overall timeout: a dossier may be large
	if err != nil {
		return fmt.Errorf("the connector at %s does not answer: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, err := c.decodeError(resp)
		return err
	}
	var total int64
	_, err = io.Copy(io.MultiWriter(w, writerFunc(func(n int64) { total += n; progress(total) })), resp.Body)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the dossier stream was cut short; the connector logged why")
	}
	return err
}
