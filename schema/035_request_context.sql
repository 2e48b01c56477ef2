-- Request context: who is calling — the database role the request runs as, and the user and tenant the JWT claims
-- in `request.jwt.claims` name (Supabase/PostgREST set them per transaction) — and the one way the offers, audit
-- and signal functions emit OASIS events. Authorisation by role reads the database role, never the role claim:
-- any session running as authenticated can set request.jwt.claims to {"role": "service_role"}.
-- Owned by the offers/signals domain; the policies read the claims through auth.* directly.

-- ── functions ────────────────────────────────────────────────────────────────────────────────────────────────

-- The caller's tenant for tables keyed by tenant_id; null when the claim is absent or not a uuid.
create or replace function public.request_tenant_id()
returns uuid
language sql
stable
set search_path = ''
as $$
  select case
    when (auth.jwt() ->> 'tenant_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then (auth.jwt() ->> 'tenant_id')::uuid
  end
$$;

-- The database role the request runs as: current_user, except inside a SECURITY DEFINER function, where
-- current_user is the function's owner and this is the role the session switched into with SET ROLE (PostgREST
-- does so for every request), else the session's own role. Postgres lets a session SET ROLE only to a role it is
-- a member of, and refuses SET ROLE inside a security definer function, so the answer cannot be claimed.
create or replace function public.request_role()
returns text
language sql
stable
set search_path = ''
as $$
  select case when pg_catalog.current_setting('role') <> 'none' then pg_catalog.current_setting('role')
              else session_user::text end
$$;

-- True when the request runs as the database role service_role (directly, or as the caller of a security definer
-- function). The role claim is not read.
create or replace function public.request_is_service_role()
returns boolean
language sql
stable
set search_path = ''
as $$
  select current_user = 'service_role' or public.request_role() = 'service_role'
$$;

-- True when the claims carry app_role = admin.
create or replace function public.request_is_admin()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'app_role' = 'admin', false)
$$;

-- Resolves the tenant and user a call acts for: the JWT's own, or, for service_role only, the named ones.
-- Raises 42501 when a non-service caller names someone else and 28000 when no identity can be found.
create or replace function public.request_actor(p_user_id uuid default null, p_tenant_id uuid default null)
returns table (tenant_id uuid, user_id uuid)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_service boolean := public.request_is_service_role();
begin
  user_id := auth.uid();
  tenant_id := public.request_tenant_id();
  if not v_service then
    if p_user_id is not null and p_user_id is distinct from user_id then
      raise exception 'p_user_id names another user; only service_role may act for a named user'
        using errcode = '42501', hint = 'omit p_user_id: the caller is the JWT''s sub';
    end if;
    if p_tenant_id is not null and p_tenant_id is distinct from tenant_id then
      raise exception 'p_tenant_id names another tenant; only service_role may act for a named tenant'
        using errcode = '42501', hint = 'omit p_tenant_id: the tenant is the JWT''s tenant_id claim';
    end if;
  end if;
  user_id := coalesce(p_user_id, user_id);
  tenant_id := coalesce(p_tenant_id, tenant_id);
  if user_id is null then
    raise exception 'no user: request.jwt.claims has no sub and no p_user_id was given'
      using errcode = '28000',
            hint = case when v_service then 'service_role must pass p_user_id' else 'authenticate first' end;
  end if;
  if tenant_id is null then
    raise exception 'no tenant: request.jwt.claims has no tenant_id (uuid) and no p_tenant_id was given'
      using errcode = '28000',
            hint = case when v_service then 'service_role must pass p_tenant_id or a tenant_id claim'
                        else 'the JWT must carry a tenant_id claim' end;
  end if;
  return next;
end
$$;

-- Appends one event to the OASIS log on behalf of the offers/audit/signal functions; returns its id.
create or replace function public.emit_oasis_event(
  p_type text,
  p_source text,
  p_payload jsonb,
  p_message text default null
)
returns uuid
language sql
volatile
set search_path = ''
as $$
  insert into public.oasis_events (type, source, status, message, payload, metadata)
  values (p_type, p_source, 'success', p_message, coalesce(p_payload, '{}'::jsonb),
          jsonb_build_object('actor', auth.uid(), 'role', public.request_role()))
  returning id
$$;

-- ── grants ───────────────────────────────────────────────────────────────────────────────────────────────────

revoke all on function public.request_role() from public, anon;
revoke all on function public.request_tenant_id() from public, anon;
revoke all on function public.request_is_service_role() from public, anon;
revoke all on function public.request_is_admin() from public, anon;
revoke all on function public.request_actor(uuid, uuid) from public, anon;
revoke all on function public.emit_oasis_event(text, text, jsonb, text) from public, anon;
grant execute on function public.request_role() to authenticated, service_role;
grant execute on function public.request_tenant_id() to authenticated, service_role;
grant execute on function public.request_is_service_role() to authenticated, service_role;
grant execute on function public.request_is_admin() to authenticated, service_role;
grant execute on function public.request_actor(uuid, uuid) to authenticated, service_role;
grant execute on function public.emit_oasis_event(text, text, jsonb, text) to authenticated, service_role;
