// Command connector carries a college decision to object to Meta's AI training through the
// zaaksysteem. See README.md and DESIGN.md for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of DESIGN §3.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	// exitDiffers: provision found the catalogue different from the definition (and changed
	// nothing that exists): not a failure, but not done either.
	exitDiffers = 3
)

const usage = `usage: connector <command> [arguments]

commands:
  serve [--config FILE]   the service: HTTP API, web pages, workers (embedded sandbox when no ZGW_* URLs are set)
  sandbox                 the sandbox zaaksysteem alone, on SANDBOX_ADDR
  confirm [CASE] FILE.eml hand Meta's e-mail to a running connector (CONNECTOR_URL, CONNECTOR_TOKEN)
  demo [--keep]           the whole job end to end on the embedded defaults
  dossier export CASE -o FILE.zip
                          the dossier of a case (case id, zaak URL or zaak identificatie), from the zaaksysteem
  dossier verify FILE.zip [--live]
                          check every file against SHA256SUMS and the manifest (--live: and the zaaksysteem)
  migrate                 create or update the database (SQLite or CONNECTOR_DATABASE_URL) and exit
  provision [--definition FILE] [--publish] [--print-definition]
                          create the connector's zaaktype in the zaaksysteem's catalogue (as concepts;
                          --publish: published); what exists is compared, not changed
  version                 version and build information

Configuration comes from the environment; see config.env.example.
`

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program, testable: it returns the exit code and writes errors as one line.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	var ue usageError
	var differs catalogueDiffers
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "connector: %s\n\n%s", ue.msg, usage)
		return exitUsage
	case errors.As(err, &differs):
		fmt.Fprintf(stderr, "connector: %s\n", differs)
		return exitDiffers
	default:
		fmt.Fprintf(stderr, "connector: %s\n", oneLine(err.Error()))
		return exitFailure
	}
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "sandbox":
		return sandboxCmd(ctx, args[1:], stdout, stderr)
	case "confirm":
		return confirmCmd(args[1:], stdout)
	case "demo":
		return demoCmd(ctx, args[1:], stdout, stderr)
	case "dossier":
		return dossierCmd(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args[1:], stdout)
	case "provision":
		return provisionCmd(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, versionLine())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
