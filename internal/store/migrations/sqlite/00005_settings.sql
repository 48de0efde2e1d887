-- What the connector knows of its own place in the zaaksysteem, such as its abonnement at the
-- Notificaties API.
-- +goose Up
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
