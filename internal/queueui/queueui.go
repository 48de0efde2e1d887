// Package queueui serves River's own UI (riverui) over the connector's job queue, for
// operators: every job with its arguments, attempts and errors, and the queue's actions (retry,
// cancel, delete). It is English, as River makes it; the console's Dutch operators' page links
// to it and mounts it behind the operator role.
package queueui

import (
	"database/sql"
	"log/slog"

	"github.com/riverqueue/river"
	"riverqueue.com/riverui"
)

// Prefix is where the console mounts it.
const Prefix = "/beheer/wachtrij"

// New makes River's UI for client, served under Prefix. Its background tasks run once it is
// started (Start), until its context ends or it is stopped.
func New(client *river.Client[*sql.Tx], log *slog.Logger) (*riverui.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(client, nil),
		// The arguments hold case identifiers and who acted: shown only when asked for.
		JobListHideArgsByDefault: true,
		Logger:                   log,
		Prefix:                   Prefix,
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}
