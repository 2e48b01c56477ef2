-- Row-level security and privileges of public.projection_offsets.
-- Bookkeeping of the ledger projection: only service_role (and the owner's functions) touch it; signed-in users
-- have no grant and no policy.
-- anon: nothing. service_role bypasses row-level security; its grants below are all it may do.

revoke all on table public.projection_offsets from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.projection_offsets to service_role;

alter table public.projection_offsets enable row level security;
