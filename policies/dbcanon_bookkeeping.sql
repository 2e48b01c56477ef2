-- Row-level security and privileges of the migration runner's bookkeeping tables (pgmigrations,
-- dbcanon_migrations and dbcanon_repeatables, in public by default). Supabase's default privileges give the API
-- roles every privilege on new tables in public, which would let any client read or rewrite the migration
-- history through the API. No API role needs them: none keeps a privilege, and row-level security without a
-- policy leaves them to their owner, the role that runs the migrations. Tables moved elsewhere by
-- `migrationsSchema`/`migrationsTable` are not public and are left alone.

do $$
declare
  t text;
begin
  foreach t in array array['pgmigrations', 'dbcanon_migrations', 'dbcanon_repeatables'] loop
    if to_regclass('public.' || quote_ident(t)) is not null then
      execute format('revoke all on table public.%I from public, anon, authenticated, service_role', t);
      execute format('alter table public.%I enable row level security', t);
    end if;
  end loop;
end
$$;
