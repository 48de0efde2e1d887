package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gemeenten/meta-bezwaar-connector/internal/config"
)

// serve runs the service until ctx ends (SIGINT/SIGTERM), then shuts down gracefully.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configFile := fs.String("config", "", "file with KEY=VALUE settings")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"serve takes only --config FILE"}
	}
	if *configFile != "" {
		values, err := config.ReadFile(*configFile)
		if err != nil {
			return fmt.Errorf("--config: %w", err)
		}
		if err := config.ApplyFile(values); err != nil {
			return err
		}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	a, err := startApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "connector listening on %s\n", a.URL)
	select {
	case err := <-a.done:
		a.close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return a.shutdown()
}
