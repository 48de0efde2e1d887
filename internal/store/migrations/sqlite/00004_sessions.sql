-- The web console's sessions, kept on the server in the scs session library's layout (the
-- expiry a Julian day, as the session library's SQLite store keeps it): signing in on one replica holds on every other.
-- +goose Up
CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   BLOB NOT NULL,
	expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions(expiry);
