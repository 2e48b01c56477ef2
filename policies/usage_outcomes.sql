-- Row-level security and privileges of public.usage_outcomes.
-- Outcomes a user stated. A user reaches only the rows of its own tenant and user, for every operation.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.usage_outcomes from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.usage_outcomes to authenticated;
grant select, insert, update, delete on table public.usage_outcomes to service_role;

alter table public.usage_outcomes enable row level security;

drop policy if exists "Users can read their own outcomes" on public.usage_outcomes;
drop policy if exists "Users can record their own outcomes" on public.usage_outcomes;
drop policy if exists "Users can change their own outcomes" on public.usage_outcomes;
drop policy if exists "Users can delete their own outcomes" on public.usage_outcomes;

create policy "Users can read their own outcomes" on public.usage_outcomes
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can record their own outcomes" on public.usage_outcomes
  for insert to authenticated
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can change their own outcomes" on public.usage_outcomes
  for update to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()))
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can delete their own outcomes" on public.usage_outcomes
  for delete to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
