-- Row-level security and privileges of public.d44_predictive_signals.
-- Signals are written by the detection engine (service_role) and moved by their owner only through the d44_*
-- functions, which also write the history and the event; a user reads only its own tenant's and user's rows.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.d44_predictive_signals from public, anon, authenticated, service_role;
grant select on table public.d44_predictive_signals to authenticated;
grant select, insert, update, delete on table public.d44_predictive_signals to service_role;

alter table public.d44_predictive_signals enable row level security;

drop policy if exists "Users can read their own predictive signals" on public.d44_predictive_signals;

create policy "Users can read their own predictive signals" on public.d44_predictive_signals
  for select to authenticated
  using (tenant_id = (select public.request_tenant_id()) and user_id = (select auth.uid()));
