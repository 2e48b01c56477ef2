-- Row-level security and privileges of public.vtid_ledger.
-- The VTID ledger is an immutable audit trail: nobody is granted DELETE. Every signed-in user reads every VTID
-- (transparency across tenants); it creates and updates only its own tenant's (the `tenant` claim), an admin
-- (app_role = admin) any tenant's.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.vtid_ledger from public, anon, authenticated, service_role;
grant select, insert, update on table public.vtid_ledger to authenticated;
grant select, insert, update on table public.vtid_ledger to service_role;

alter table public.vtid_ledger enable row level security;

drop policy if exists "Signed-in users can read every VTID" on public.vtid_ledger;
drop policy if exists "Members can create their tenant's VTIDs and admins any tenant's" on public.vtid_ledger;
drop policy if exists "Members can update their tenant's VTIDs and admins any tenant's" on public.vtid_ledger;

create policy "Signed-in users can read every VTID" on public.vtid_ledger
  for select to authenticated
  using (true);

create policy "Members can create their tenant's VTIDs and admins any tenant's" on public.vtid_ledger
  for insert to authenticated
  with check (tenant = (select auth.jwt() ->> 'tenant') or (select public.request_is_admin()));

create policy "Members can update their tenant's VTIDs and admins any tenant's" on public.vtid_ledger
  for update to authenticated
  using (tenant = (select auth.jwt() ->> 'tenant') or (select public.request_is_admin()))
  with check (tenant = (select auth.jwt() ->> 'tenant') or (select public.request_is_admin()));
