-- Row-level security and privileges of public.oasis_ledger_event_status.
-- One of the ledger writer's status rules as data (DATABASE_SCHEMA.md "The ledger writer"). Signed-in users may
-- read the rules, so a client can show why a VTID got its status; only service_role (or the owner) changes them,
-- so no user can rewrite how everyone's events are projected.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.oasis_ledger_event_status from public, anon, authenticated, service_role;
grant select on table public.oasis_ledger_event_status to authenticated;
grant select, insert, update, delete on table public.oasis_ledger_event_status to service_role;

alter table public.oasis_ledger_event_status enable row level security;

drop policy if exists "Signed-in users can read the ledger's status rules" on public.oasis_ledger_event_status;

create policy "Signed-in users can read the ledger's status rules" on public.oasis_ledger_event_status
  for select to authenticated
  using (true);
