-- Row-level security and privileges of public.products_catalog.
-- A tenant's catalog of products. Members read their tenant's entries; an admin (app_role = admin) writes its
-- own tenant's; service_role writes any (catalog_add_* check the same).
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.products_catalog from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.products_catalog to authenticated;
grant select, insert, update, delete on table public.products_catalog to service_role;

alter table public.products_catalog enable row level security;

drop policy if exists "Members can read their tenant's products" on public.products_catalog;
drop policy if exists "Admins can add to their tenant's products" on public.products_catalog;
drop policy if exists "Admins can change their tenant's products" on public.products_catalog;
drop policy if exists "Admins can remove their tenant's products" on public.products_catalog;

create policy "Members can read their tenant's products" on public.products_catalog
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()));

create policy "Admins can add to their tenant's products" on public.products_catalog
  for insert to authenticated
  with check (tenant_id = (select public.request_tenant_id()) and (select public.request_is_admin()));

create policy "Admins can change their tenant's products" on public.products_catalog
  for update to authenticated
  using (tenant_id = (select public.request_tenant_id()) and (select public.request_is_admin()))
  with check (tenant_id = (select public.request_tenant_id()) and (select public.request_is_admin()));

create policy "Admins can remove their tenant's products" on public.products_catalog
  for delete to authenticated
  using (tenant_id = (select public.request_tenant_id()) and (select public.request_is_admin()));
