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

-- oasis_events.writer_tenant: whose ledger rows an event may move. Set by the table's trigger
-- (schema/020_oasis_events.sql) from the writer's database role and `tenant` claim; see DATABASE_SCHEMA.md.
ALTER TABLE oasis_events ADD COLUMN writer_tenant TEXT;
COMMENT ON COLUMN oasis_events.writer_tenant IS
  'Tenant of the API user who wrote the event ('''' without a tenant claim); null for a trusted writer. Set by trigger.';

-- Down Migration
GRANT EXECUTE ON FUNCTION set_updated_at() TO authenticated, service_role;
ALTER TABLE oasis_events DROP COLUMN IF EXISTS writer_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO anon;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
-- CASCADE: the repeatable helpers of schema/ live here and go with it (and the functions whose bodies call
-- them); the next `migrate up` re-applies every repeatable.
DROP SCHEMA IF EXISTS private CASCADE;
