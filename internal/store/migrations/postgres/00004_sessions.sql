-- The web console's sessions, kept on the server in the scs session library's layout (the
-- expiry as the session library's Postgres store keeps it): signing in on one replica holds on every other.
-- +goose Up
CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   BYTEA NOT NULL,
	expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions(expiry);
