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
	"slices"
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

// command is one subcommand: how it is called, what it does, and the function that runs it.
type command struct {
	name    string
	usage   []string // its synopses (one per form), after "connector "
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

// commands are the CLI's subcommands, declared in one place: dispatch, the overview and every
// command's --help come from here.
var commands = []command{
	{"serve", []string{"serve [--config FILE]"}, "the service: HTTP API, web pages, workers (embedded sandbox when no ZGW_* URLs are set)",
		func(ctx context.Context, a []string, _ io.Reader, o, e io.Writer) error { return serve(ctx, a, o, e) }},
	{"sandbox", []string{"sandbox"}, "the sandbox zaaksysteem alone, on SANDBOX_ADDR",
		func(ctx context.Context, a []string, _ io.Reader, o, e io.Writer) error {
			return sandboxCmd(ctx, a, o, e)
		}},
	{"confirm", []string{"confirm [CASE] FILE.eml"}, "hand Meta's e-mail to a running connector (CONNECTOR_URL, CONNECTOR_TOKEN)",
		func(_ context.Context, a []string, _ io.Reader, o, _ io.Writer) error { return confirmCmd(a, o) }},
	{"demo", []string{"demo [--keep] [--from-besluit]"}, "the whole job end to end on the embedded defaults",
		func(ctx context.Context, a []string, _ io.Reader, o, e io.Writer) error { return demoCmd(ctx, a, o, e) }},
	{"dossier", []string{"dossier export CASE -o FILE.zip", "dossier verify FILE.zip [--live]"},
		"export the dossier of a case (case id, zaak URL or zaak identificatie) from the zaaksysteem, or check every file of one against SHA256SUMS and the manifest (--live: and the zaaksysteem)",
		func(ctx context.Context, a []string, _ io.Reader, o, e io.Writer) error {
			return dossierCmd(ctx, a, o, e)
		}},
	{"migrate", []string{"migrate"}, "create or update the database (SQLite or CONNECTOR_DATABASE_URL) and exit",
		func(ctx context.Context, a []string, _ io.Reader, o, _ io.Writer) error { return migrateCmd(ctx, a, o) }},
	{"provision", []string{"provision [--definition FILE] [--publish] [--print-definition]"},
		"create the connector's zaaktype in the zaaksysteem's catalogue (as concepts; --publish: published); what exists is compared, not changed (exit 3 when it differs)",
		func(ctx context.Context, a []string, _ io.Reader, o, e io.Writer) error {
			return provisionCmd(ctx, a, o, e)
		}},
	{"version", []string{"version"}, "version and build information",
		func(_ context.Context, _ []string, _ io.Reader, o, _ io.Writer) error {
			fmt.Fprintln(o, versionLine())
			return nil
		}},
}

// usage is the overview of every command.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: connector <command> [arguments]   (connector <command> --help: that command)\n\ncommands:\n")
	for _, c := range commands {
		for _, u := range c.usage {
			fmt.Fprintf(&b, "  connector %s\n", u)
		}
		fmt.Fprintf(&b, "      %s\n", c.summary)
	}
	b.WriteString("\nConfiguration comes from the environment; see config.env.example.\n")
	return b.String()
}

// help is one command's --help.
func (c command) help() string {
	var b strings.Builder
	for i, u := range c.usage {
		prefix := "usage: "
		if i > 0 {
			prefix = "       "
		}
		fmt.Fprintf(&b, "%sconnector %s\n", prefix, u)
	}
	fmt.Fprintf(&b, "\n%s\n\nConfiguration comes from the environment; see config.env.example.\n", c.summary)
	return b.String()
}

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
		fmt.Fprintf(stderr, "connector: %s\n\n%s", ue.msg, usage())
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
	case "--version":
		args[0] = "version"
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage())
		return nil
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		if slices.ContainsFunc(args[1:], func(a string) bool { return a == "--help" || a == "-h" }) {
			fmt.Fprint(stdout, c.help())
			return nil
		}
		return c.run(ctx, args[1:], stdin, stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
