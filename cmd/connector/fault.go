package main

import (
	"log/slog"
	"os"
	"syscall"
)

// killAt is the crash tests' fault injection: with CONNECTOR_TEST_KILL_AT=<phase>:<step> (e.g.
// sent:zaak — after the zaaksysteem created the zaak, before the connector recorded it) the
// process kills itself with SIGKILL at that point, as a power cut would. Not for production.
func killAt(point string, log *slog.Logger) func(string) {
	if point == "" {
		return nil
	}
	log.Warn("fault injection armed: this process will kill itself", "at", point)
	return func(p string) {
		if p == point {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
}
