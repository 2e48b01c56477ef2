-- Row-level security and privileges of public.personalization_audit.
-- Append-only audit of personalization decisions: nobody is granted UPDATE or DELETE. A user reads and records
-- only its own tenant's and user's entries; the snapshot's shape is checked by the table's trigger.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.personalization_audit from public, anon, authenticated, service_role;
grant select, insert on table public.personalization_audit to authenticated;
grant select, insert on table public.personalization_audit to service_role;

alter table public.personalization_audit enable row level security;

drop policy if exists "Users can read their own personalization audit entries" on public.personalization_audit;
drop policy if exists "Users can record their own personalization audit entries" on public.personalization_audit;

create policy "Users can read their own personalization audit entries" on public.personalization_audit
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can record their own personalization audit entries" on public.personalization_audit
  for insert to authenticated
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
