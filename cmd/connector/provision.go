package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/catalogdef"
	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
	"github.com/gemeenten/meta-bezwaar-connector/internal/provision"
)

// provisionCmd is `connector provision [--definition FILE] [--publish] [--print-definition]`:
// the connector's zaaktype into the configured zaaksysteem's catalogue (the running sandbox's
// when no ZGW_* URLs are set).
func provisionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.String("definition", "", "a YAML or JSON file with what differs from the default definition")
	publish := fs.Bool("publish", false, "publish the types that are still concepts")
	printDef := fs.Bool("print-definition", false, "print the definition that would be provisioned, and stop")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"provision takes [--definition FILE] [--publish] [--print-definition]"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	def := catalogdef.Default(cfg.RSIN)
	if *file != "" {
		if def, err = catalogdef.Load(*file, def); err != nil {
			return err
		}
	}
	selectielijst := cfg.ZGW.SelectielijstURL
	if selectielijst == "" && cfg.EmbeddedSandbox() {
		selectielijst = "http://" + cfg.Sandbox.Addr + "/selectielijst/api/v1"
	}
	if def.UsesPlaceholder() && selectielijst == "" {
		return errors.New("the definition names its Selectielijst resources by " + catalogdef.SelectielijstPlaceholder +
			": set ZGW_SELECTIELIJST_URL to the Selectielijst API your zaaksysteem uses, or give --definition a file with the selectielijstklassen your records officer chose")
	}
	def = def.Expand(selectielijst)
	if *printDef {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(def)
	}
	client, err := directClient(cfg)
	if err != nil {
		return err
	}
	report, err := provision.Run(ctx, client.Catalogi, def, provision.Options{Publish: *publish,
		Progress: func(step string) { fmt.Fprintln(stderr, "  "+step) }})
	if report != nil {
		printReport(stdout, report)
	}
	if err == nil && len(report.Differences) > 0 {
		return catalogueDiffers(len(report.Differences))
	}
	return err
}

// catalogueDiffers is provision's outcome when the catalogue holds the zaaktype otherwise than
// the definition says: n differences, listed on stdout (exit status 3).
type catalogueDiffers int

func (n catalogueDiffers) Error() string {
	return fmt.Sprintf("the catalogue differs from the definition in %d ways (listed above); nothing that exists was changed", int(n))
}

func printReport(w io.Writer, r *provision.Report) {
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(lines))
		for _, l := range lines {
			fmt.Fprintln(w, "  "+l)
		}
	}
	section("created", r.Created)
	section("already in the catalogue", r.Existing)
	section("published", r.Published)
	section("differences, not changed", r.Differences)
	switch {
	case len(r.Differences) > 0:
		fmt.Fprintln(w, "The catalogue differs from the definition; provision changes nothing that exists. Review the differences with the functional administrator.")
	case len(r.Created) == 0:
		fmt.Fprintln(w, "The catalogue already holds the definition: nothing to do.")
	}
	if r.ZaaktypeURL != "" {
		fmt.Fprintln(w, "zaaktype: "+r.ZaaktypeURL)
	}
	if len(r.Created) > 0 && len(r.Published) == 0 {
		fmt.Fprintln(w, strings.TrimSpace(`
The new types are concepts: the functional administrator reviews and publishes them (or run
provision again with --publish). The connector resolves only published zaaktypen.`))
	}
}
