-- Row-level security and privileges of public.d44_intervention_history.
-- Append-only history of user actions on signals, written by the d44_* functions; nobody is granted UPDATE or
-- DELETE (rows go only with their signal, by its foreign key's cascade). A user reads only its own rows.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.d44_intervention_history from public, anon, authenticated, service_role;
grant select on table public.d44_intervention_history to authenticated;
grant select, insert on table public.d44_intervention_history to service_role;

alter table public.d44_intervention_history enable row level security;

drop policy if exists "Users can read their own intervention history" on public.d44_intervention_history;

create policy "Users can read their own intervention history" on public.d44_intervention_history
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
