-- Up Migration
-- Supabase compatibility: what a Supabase project already has, created on plain PostgreSQL so that the same
-- migrations, policies and functions run on both. Every step is guarded and does nothing where the object
-- exists, because on Supabase (and on a test server shared by many databases) it always will: roles are
-- cluster-wide, so a second database on the same server finds them already created.

-- Roles, as Supabase defines them: no login (PostgREST switches into them with SET ROLE), service_role bypasses
-- RLS. Two databases migrated at once may race to create a role; the loser's duplicate error is expected.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT * FROM (VALUES ('anon', 'NOLOGIN NOINHERIT'),
                          ('authenticated', 'NOLOGIN NOINHERIT'),
                          ('service_role', 'NOLOGIN NOINHERIT BYPASSRLS')) AS t (name, options)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I %s', r.name, r.options);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END
$$;

CREATE SCHEMA IF NOT EXISTS auth;

-- auth.uid(), auth.role() and auth.jwt() read the claims PostgREST puts in `request.jwt.claims` (and the older
-- per-claim settings such as `request.jwt.claim.sub`). Created only where missing, so Supabase's own
-- definitions are never replaced; the comment marks ours so that the Down section drops only those.
DO $$
BEGIN
  IF pg_catalog.to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid
      LANGUAGE sql STABLE
      AS $f$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
        )::uuid
      $f$;
    COMMENT ON FUNCTION auth.uid() IS 'dbcanon supabase-compat: the user id (sub claim) of the request, or null';
  END IF;
  IF pg_catalog.to_regprocedure('auth.role()') IS NULL THEN
    CREATE FUNCTION auth.role() RETURNS text
      LANGUAGE sql STABLE
      AS $f$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
        )::text
      $f$;
    COMMENT ON FUNCTION auth.role() IS 'dbcanon supabase-compat: the role claim of the request, or null';
  END IF;
  IF pg_catalog.to_regprocedure('auth.jwt()') IS NULL THEN
    CREATE FUNCTION auth.jwt() RETURNS jsonb
      LANGUAGE sql STABLE
      AS $f$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $f$;
    COMMENT ON FUNCTION auth.jwt() IS 'dbcanon supabase-compat: all claims of the request as jsonb, or null';
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth TO anon, authenticated, service_role;

-- Supabase grants the API roles every privilege on what the migrating role creates in public, and leaves the
-- real decision to row-level security (policies/). Mirroring it here means a policy that is wrong fails the
-- same way on both, instead of being masked by a missing grant on plain PostgreSQL.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO anon, authenticated, service_role;

-- Down Migration
-- The roles stay: they are cluster-wide, and other databases on the same server (or Supabase itself) use them.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM anon, authenticated, service_role;

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['auth.uid()', 'auth.role()', 'auth.jwt()'] LOOP
    IF pg_catalog.to_regprocedure(f) IS NOT NULL
       AND pg_catalog.obj_description(pg_catalog.to_regprocedure(f), 'pg_proc') LIKE 'dbcanon supabase-compat:%' THEN
      EXECUTE 'DROP FUNCTION ' || f;
    END IF;
  END LOOP;
  -- On Supabase the schema holds its own tables and stays; only an empty one is ours to drop.
  BEGIN
    DROP SCHEMA IF EXISTS auth;
  EXCEPTION WHEN dependent_objects_still_exist THEN
    REVOKE USAGE ON SCHEMA auth FROM anon, authenticated, service_role;
  END;
END
$$;

REVOKE USAGE ON SCHEMA public FROM anon, authenticated, service_role;
