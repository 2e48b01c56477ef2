-- Row-level security and privileges of public.oasis_ledger_status_priority.
-- One of the ledger writer's status rules as data (DATABASE_SCHEMA.md "The ledger writer"). Signed-in users may
-- read the rules, so a client can show why a VTID got its status; only service_role (or the owner) changes them,
-- so no user can rewrite how everyone's events are projected.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.oasis_ledger_status_priority from public, anon, authenticated, service_role;
grant select on table public.oasis_ledger_status_priority to authenticated;
grant select, insert, update, delete on table public.oasis_ledger_status_priority to service_role;

alter table public.oasis_ledger_status_priority enable row level security;

drop policy if exists "Signed-in users can read the ledger's status rules" on public.oasis_ledger_status_priority;

create policy "Signed-in users can read the ledger's status rules" on public.oasis_ledger_status_priority
  for select to authenticated
  using (true);
