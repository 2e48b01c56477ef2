-- Up Migration
-- Least privilege for the API roles. Supabase (and 20260101000000_supabase_compat.sql after it) lets anon,
-- authenticated and service_role execute every function and use every sequence created in `public`, and
-- PostgREST serves every function of `public` at /rpc/. Row-level security guards the tables' rows, but not
-- functions, sequences or views; an attack on the migrated database found three ways through:
--   * anon reset the event log's and the VTID counters' sequences (setval), which stopped oasis_ingest and made
--     vtid_create hit duplicate keys;
--   * anon called the SECURITY DEFINER vtid_year_sequence() through /rpc/ and created a sequence per call;
--   * a tenant's user ingested an event for another tenant's VTID, and the ledger writer projected it there.
-- This migration closes what needs DDL; the grants of each function stand in its schema/ file.

-- The schema of internal helpers: functions that other functions call, never a client. It is not among the
-- schemas PostgREST exposes (public), and no API role has USAGE on it, so it cannot be named even through SQL;
-- a function of `public` whose body was fixed at creation (RETURN/BEGIN ATOMIC) still calls into it.
CREATE SCHEMA IF NOT EXISTS private;
REVOKE ALL ON SCHEMA private FROM PUBLIC;
COMMENT ON SCHEMA private IS
  'Internal helpers of the platform''s SQL API: not exposed through PostgREST, no API role has USAGE.';

-- Functions: nobody may execute a new function just because it exists. Supabase's default keeps EXECUTE for
-- authenticated and service_role in `public`; anon (a request without a signed-in user) and PUBLIC get nothing.
-- Each schema/ file revokes and grants its functions explicitly, so a database migrated before this file and a
-- new one end with the same privileges.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM anon;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, anon;
-- A trigger runs its function without checking EXECUTE, so the trigger function of this migration's tables
-- needs no grant (those of schema/ are revoked there).
REVOKE EXECUTE ON FUNCTION set_updated_at() FROM authenticated, service_role;

-- Sequences: counters are changed only by the functions that allocate from them. nextval needs USAGE, setval
-- needs UPDATE: the API roles get USAGE (and SELECT) on the VTID counters they allocate from, never UPDATE.
-- oasis_events.seq is an identity column, whose sequence Postgres advances for the inserting role without any
-- privilege on it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated, service_role;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, anon, authenticated, service_role;
DO $$
DECLARE
  s record;
BEGIN
  FOR s IN SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'S'
             AND (c.relname = 'vtid_global_seq' OR c.relname ~ '^vtid_year_seq_[0-9]{4}$')
  LOOP
    EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE public.%I TO authenticated, service_role', s.relname);
  END LOOP;
END
$$;

-- oasis_events: what the writer of an event must not choose (DATABASE_SCHEMA.md "oasis_events").
-- writer_tenant says whose ledger rows an event may move. A request through the API runs as anon or
-- authenticated: its events get the `tenant` claim ('' without one: such an event moves no row), or null for a
-- tenant admin (app_role admin, who may write any tenant's VTIDs, as vtid_ledger's policies allow). Any other role
-- is trusted (service_role, the owner, the platform's SECURITY DEFINER functions) and may name a tenant or leave
-- it null. The decision reads the database role, never the role claim. API users cannot name the column (their
-- INSERT grant in policies/oasis_events.sql leaves it out), so the default is what they get. A default and a
-- column grant rather than a row trigger: a trigger cost a quarter of the insert rate of 100-event batches.
CREATE FUNCTION oasis_event_writer_tenant() RETURNS text
  LANGUAGE sql STABLE
  AS $$
  SELECT CASE WHEN current_user IN ('anon', 'authenticated') THEN
           CASE WHEN coalesce(auth.jwt() ->> 'app_role' = 'admin', false) THEN NULL
                ELSE coalesce(auth.jwt() ->> 'tenant', '') END
         END
$$;
COMMENT ON FUNCTION oasis_event_writer_tenant() IS
  'Default of oasis_events.writer_tenant: the tenant claim of an API user (null for a tenant admin), null otherwise.';
REVOKE ALL ON FUNCTION oasis_event_writer_tenant() FROM PUBLIC, anon;
ALTER TABLE oasis_events ADD COLUMN writer_tenant TEXT DEFAULT oasis_event_writer_tenant();
-- created_at orders a VTID's events in the ledger writer: a far-future or infinite one would win over every real
-- event for good. A past time is an event reported late, and a little clock skew is allowed. The condition only
-- grows truer with time, so rows that passed it always will; NOT VALID leaves rows stored before it unchecked.
ALTER TABLE oasis_events ADD CONSTRAINT oasis_events_created_at_not_future
  CHECK (created_at > '-infinity' AND created_at <= now() + interval '5 minutes') NOT VALID;

-- Down Migration
ALTER TABLE oasis_events DROP CONSTRAINT IF EXISTS oasis_events_created_at_not_future;
GRANT EXECUTE ON FUNCTION set_updated_at() TO authenticated, service_role;
ALTER TABLE oasis_events DROP COLUMN IF EXISTS writer_tenant;
DROP FUNCTION IF EXISTS oasis_event_writer_tenant();
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO anon;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
-- CASCADE: the repeatable helpers of schema/ live here and go with it (and the functions whose bodies call
-- them); the next `migrate up` re-applies every repeatable.
DROP SCHEMA IF EXISTS private CASCADE;
