-- Row-level security and privileges of public.user_offers_memory.
-- Each user's state per offer. A user reaches only the rows of its own tenant and user, for every operation.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.user_offers_memory from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.user_offers_memory to authenticated;
grant select, insert, update, delete on table public.user_offers_memory to service_role;

alter table public.user_offers_memory enable row level security;

drop policy if exists "Users can read their own offers memory" on public.user_offers_memory;
drop policy if exists "Users can record their own offers memory" on public.user_offers_memory;
drop policy if exists "Users can change their own offers memory" on public.user_offers_memory;
drop policy if exists "Users can delete their own offers memory" on public.user_offers_memory;

create policy "Users can read their own offers memory" on public.user_offers_memory
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can record their own offers memory" on public.user_offers_memory
  for insert to authenticated
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can change their own offers memory" on public.user_offers_memory
  for update to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()))
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can delete their own offers memory" on public.user_offers_memory
  for delete to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
