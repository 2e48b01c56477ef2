-- Row-level security and privileges of public.oasis_events.
-- The OASIS event log is append-only: nobody is granted UPDATE, DELETE or TRUNCATE (the table's own trigger
-- refuses them too). Every signed-in user reads and appends events.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.oasis_events from public, anon, authenticated, service_role;
grant select, insert on table public.oasis_events to authenticated;
grant select, insert on table public.oasis_events to service_role;

alter table public.oasis_events enable row level security;

drop policy if exists "Signed-in users can read every event" on public.oasis_events;
drop policy if exists "Signed-in users can append events" on public.oasis_events;

create policy "Signed-in users can read every event" on public.oasis_events
  for select to authenticated
  using (true);

create policy "Signed-in users can append events" on public.oasis_events
  for insert to authenticated
  with check (true);
