-- The case's history, and the files received with requests (a decision's document, evidence)
-- until they are in the zaaksysteem. An event's key makes recording it idempotent (a step's
-- event is recorded again, harmlessly, when its job is retried).
-- +goose Up
CREATE TABLE events (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	case_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	at      TEXT NOT NULL,
	actor   TEXT NOT NULL,
	type    TEXT NOT NULL,
	detail  TEXT NOT NULL,
	UNIQUE (case_id, key)
);
CREATE TABLE attachments (
	id           TEXT PRIMARY KEY,
	case_id      TEXT NOT NULL,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	data         BLOB NOT NULL,
	created_at   TEXT NOT NULL
);
