-- Row-level security and privileges of public.oasis_events.
-- The OASIS event log is append-only. Signed-in users are granted only SELECT and INSERT: they read and append
-- every event; an event moves only ledger rows of its writer's tenant (oasis_events.writer_tenant). service_role
-- keeps Supabase's UPDATE, DELETE and TRUNCATE because the table's own trigger (schema/020_oasis_events.sql)
-- refuses them for every role, the owner included, with one clear message.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.oasis_events from public, anon, authenticated, service_role;
-- Writers insert only the columns an event is made of. seq (an identity, which OVERRIDING SYSTEM VALUE could
-- set) and tx_id are the table's: a chosen tx_id hid an event from the incremental ledger sync while a replay
-- projected it. writer_tenant is the table's for users (its default reads their tenant claim); service_role, a
-- trusted writer, may name one.
grant select on table public.oasis_events to authenticated;
grant insert (id, type, source, vtid, topic, service, status, message, payload, metadata, created_at)
  on table public.oasis_events to authenticated;
grant select, update, delete, truncate on table public.oasis_events to service_role;
grant insert (id, type, source, vtid, topic, service, status, message, payload, metadata, created_at, writer_tenant)
  on table public.oasis_events to service_role;

alter table public.oasis_events enable row level security;

drop policy if exists "Signed-in users can read every event" on public.oasis_events;
drop policy if exists "Signed-in users can append events" on public.oasis_events;

create policy "Signed-in users can read every event" on public.oasis_events
  for select to authenticated
  using (true);

create policy "Signed-in users can append events" on public.oasis_events
  for insert to authenticated
  with check (true);
