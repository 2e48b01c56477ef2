-- Row-level security and privileges of public.d44_signal_evidence.
-- Evidence is written with its signal by service_role; a user reads only its own tenant's and user's rows.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.d44_signal_evidence from public, anon, authenticated, service_role;
grant select on table public.d44_signal_evidence to authenticated;
grant select, insert, update, delete on table public.d44_signal_evidence to service_role;

alter table public.d44_signal_evidence enable row level security;

drop policy if exists "Users can read their own signal evidence" on public.d44_signal_evidence;

create policy "Users can read their own signal evidence" on public.d44_signal_evidence
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
