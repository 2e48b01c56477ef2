-- Up Migration
-- The ledger writer's tables (seed 003 "VTID-0521: Automatic VTID Ledger Writer"): its status rules as data, so
-- an operator adds a mapping with one INSERT; the events it could not project, with the reason; and the columns
-- of vtid_ledger that make its merge a function of the event set (see DATABASE_SCHEMA.md "The ledger writer").
-- Its functions and views are repeatable and live in schema/030_ledger.sql.

-- Status priority (seed 003 section 5): pending (1) < active (2) < blocked (3) < cancelled (4) < complete (5).
-- Every status a rule may produce must have a priority, so the merge never meets an unranked status.
CREATE TABLE oasis_ledger_status_priority (
  status TEXT PRIMARY KEY CHECK (status <> '' AND status = lower(status)),
  priority SMALLINT NOT NULL UNIQUE CHECK (priority > 0)
);
INSERT INTO oasis_ledger_status_priority (status, priority) VALUES
  ('pending', 1), ('active', 2), ('blocked', 3), ('cancelled', 4), ('complete', 5);

-- Event kind -> ledger status (seed 003 section 4). An event's kind is its type, else its topic; keys are
-- lower case and matched against the lower-cased kind.
CREATE TABLE oasis_ledger_event_status (
  event_kind TEXT PRIMARY KEY CHECK (event_kind <> '' AND event_kind = lower(event_kind)),
  ledger_status TEXT NOT NULL REFERENCES oasis_ledger_status_priority (status) ON UPDATE CASCADE,
  category TEXT NOT NULL CHECK (category <> '')  -- deployment, task, pr, build, workflow, or an operator's own
);
CREATE INDEX idx_oasis_ledger_event_status_ledger_status ON oasis_ledger_event_status (ledger_status);
INSERT INTO oasis_ledger_event_status (event_kind, ledger_status, category) VALUES
  ('deployment_started', 'active', 'deployment'),
  ('deployment_succeeded', 'complete', 'deployment'),
  ('deployment_failed', 'blocked', 'deployment'),
  ('deployment_validated', 'complete', 'deployment'),
  ('task_created', 'pending', 'task'),
  ('task_started', 'active', 'task'),
  ('task_completed', 'complete', 'task'),
  ('task_failed', 'blocked', 'task'),
  ('task_cancelled', 'cancelled', 'task'),
  ('pr_created', 'active', 'pr'),
  ('pr_merged', 'complete', 'pr'),
  ('pr_closed', 'cancelled', 'pr'),
  ('build_started', 'active', 'build'),
  ('build_succeeded', 'complete', 'build'),
  ('build_failed', 'blocked', 'build'),
  ('workflow_started', 'active', 'workflow'),
  ('workflow_completed', 'complete', 'workflow'),
  ('workflow_failed', 'blocked', 'workflow');

-- Event status -> ledger status, used when neither the type nor the topic has a rule (seed 003 section 4,
-- "Status-Based Fallback"). Keys are lower case and matched against the lower-cased event status.
CREATE TABLE oasis_ledger_status_fallback (
  event_status TEXT PRIMARY KEY CHECK (event_status <> '' AND event_status = lower(event_status)),
  ledger_status TEXT NOT NULL REFERENCES oasis_ledger_status_priority (status) ON UPDATE CASCADE
);
CREATE INDEX idx_oasis_ledger_status_fallback_ledger_status ON oasis_ledger_status_fallback (ledger_status);
INSERT INTO oasis_ledger_status_fallback (event_status, ledger_status) VALUES
  ('success', 'complete'), ('complete', 'complete'),
  ('fail', 'blocked'), ('failure', 'blocked'), ('error', 'blocked'),
  ('cancelled', 'cancelled'),
  ('start', 'active'), ('in_progress', 'active'),
  ('queued', 'pending'), ('pending', 'pending');

-- Events the writer could not project because vtid_ledger refused the row (a constraint, a trigger). One row per
-- event with its latest reason; the event itself stays in oasis_events, so a replay after the fix projects it.
CREATE TABLE oasis_ledger_errors (
  -- No foreign key: oasis_events is append-only, so the event stays, and a reference would turn the log's own
  -- TRUNCATE refusal into a foreign-key error.
  event_id UUID PRIMARY KEY,
  event_seq BIGINT NOT NULL,
  event_tx_id XID8 NOT NULL,
  vtid TEXT,
  ledger_status TEXT,
  sqlstate TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts > 0),
  first_failed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_failed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_oasis_ledger_errors_last_failed_at ON oasis_ledger_errors (last_failed_at DESC);

-- The merge keys of vtid_ledger rows. The winner of a VTID is its event with the greatest
-- (created_at, priority, id); a row the writer created takes its creation fields from the event with the least
-- (created_at, id). Storing both keys lets one set-based upsert compare a batch against the row.
ALTER TABLE vtid_ledger ADD COLUMN IF NOT EXISTS last_event_priority SMALLINT;
ALTER TABLE vtid_ledger ADD COLUMN IF NOT EXISTS source_event_id TEXT;
ALTER TABLE vtid_ledger ADD COLUMN IF NOT EXISTS source_event_at TIMESTAMPTZ;

-- The writer's checkpoint exists from the start, so status and metrics report it before the first sync.
INSERT INTO projection_offsets (projector_name, last_tx_id, last_seq, events_processed)
VALUES ('vtid_ledger_writer', '0', 0, 0)
ON CONFLICT (projector_name) DO NOTHING;

ALTER TABLE oasis_ledger_status_priority ENABLE ROW LEVEL SECURITY;
ALTER TABLE oasis_ledger_event_status ENABLE ROW LEVEL SECURITY;
ALTER TABLE oasis_ledger_status_fallback ENABLE ROW LEVEL SECURITY;
ALTER TABLE oasis_ledger_errors ENABLE ROW LEVEL SECURITY;

-- Down Migration
DELETE FROM projection_offsets WHERE projector_name = 'vtid_ledger_writer';
ALTER TABLE vtid_ledger DROP COLUMN IF EXISTS source_event_at;
ALTER TABLE vtid_ledger DROP COLUMN IF EXISTS source_event_id;
ALTER TABLE vtid_ledger DROP COLUMN IF EXISTS last_event_priority;
-- CASCADE: the repeatable views of schema/030_ledger.sql read these tables; the next `migrate up` re-applies them.
DROP TABLE IF EXISTS oasis_ledger_errors CASCADE;
DROP TABLE IF EXISTS oasis_ledger_status_fallback CASCADE;
DROP TABLE IF EXISTS oasis_ledger_event_status CASCADE;
DROP TABLE IF EXISTS oasis_ledger_status_priority CASCADE;
