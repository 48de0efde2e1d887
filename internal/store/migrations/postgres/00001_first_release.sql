-- The first release's schema. That release created its tables without a version table; the
-- statements are idempotent, so such a database takes version 1 as it is.
-- +goose Up
CREATE TABLE IF NOT EXISTS cases (
	id          TEXT PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,
	fingerprint TEXT NOT NULL,
	state       TEXT NOT NULL,
	body        TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
	case_id    TEXT NOT NULL,
	name       TEXT NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0,
	result     TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	PRIMARY KEY (case_id, name)
);
CREATE TABLE IF NOT EXISTS confirmations (
	id         TEXT PRIMARY KEY,
	case_id    TEXT NOT NULL DEFAULT '',
	key        TEXT NOT NULL UNIQUE,
	state      TEXT NOT NULL,
	body       TEXT NOT NULL,
	eml        BYTEA NOT NULL,
	forward    BYTEA,
	created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS confirmations_case ON confirmations(case_id);
CREATE INDEX IF NOT EXISTS confirmations_state ON confirmations(state);
