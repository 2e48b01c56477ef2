-- Row-level security and privileges of public.oasis_ledger_errors.
-- Events the ledger writer could not project, with the reason: operational bookkeeping of the writer, which runs
-- as service_role. Signed-in users have no grant and no policy (reasons can quote other tenants' events).
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.oasis_ledger_errors from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.oasis_ledger_errors to service_role;

alter table public.oasis_ledger_errors enable row level security;
