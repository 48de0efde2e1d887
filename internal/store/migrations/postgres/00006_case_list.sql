-- What the case list filters and orders by, as columns, so that the database answers a page of
-- it: the deadline (due_at, fixed-width UTC, empty when none) and whether every account is filed
-- (all_filed); the state and the creation time are columns already. Version 7 fills them for the
-- cases there are.
-- +goose Up
ALTER TABLE cases ADD COLUMN due_at TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN all_filed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_state_created ON cases(state, created_at);
CREATE INDEX cases_due ON cases(due_at);
CREATE INDEX cases_created ON cases(created_at, id);
