-- Row-level security and privileges of public.oasis_ledger_errors.
-- The ledger writer's own data (status mapping rules or failed events): only service_role and the owner's
-- functions and views touch it; signed-in users have no grant and no policy.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.oasis_ledger_errors from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.oasis_ledger_errors to service_role;

alter table public.oasis_ledger_errors enable row level security;
