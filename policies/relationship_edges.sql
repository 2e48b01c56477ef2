-- Row-level security and privileges of public.relationship_edges.
-- A user's relationship graph. A user reaches only the rows of its own tenant and user, for every operation.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.relationship_edges from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.relationship_edges to authenticated;
grant select, insert, update, delete on table public.relationship_edges to service_role;

alter table public.relationship_edges enable row level security;

drop policy if exists "Users can read their own relationship edges" on public.relationship_edges;
drop policy if exists "Users can record their own relationship edges" on public.relationship_edges;
drop policy if exists "Users can change their own relationship edges" on public.relationship_edges;
drop policy if exists "Users can delete their own relationship edges" on public.relationship_edges;

create policy "Users can read their own relationship edges" on public.relationship_edges
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can record their own relationship edges" on public.relationship_edges
  for insert to authenticated
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can change their own relationship edges" on public.relationship_edges
  for update to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()))
  with check (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));

create policy "Users can delete their own relationship edges" on public.relationship_edges
  for delete to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
