-- Personalization audit: one row per personalization decision, holding a non-sensitive summary only. The
-- snapshot's shape is the table's own rule (a trigger), so no writer — function, direct INSERT or UPDATE — can
-- store raw diary text or any other key. Append-only: no role is granted UPDATE or DELETE (policies/).

-- ── functions used by the table's trigger ───────────────────────────────────────────────────────────────────

-- Null when the snapshot holds only the allowed keys and shapes, else what is wrong, naming the key:
-- snapshot_id (string), weaknesses (array of strings), top_topics (array of {key: string, score: number}),
-- recommendation_count (integer >= 0), generated_at (string).
create or replace function public.personalization_snapshot_problem(p_snapshot jsonb)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
  v_value jsonb;
  v_item jsonb;
  v_index int;
  v_item_key text;
begin
  if p_snapshot is null or jsonb_typeof(p_snapshot) <> 'object' then
    return 'snapshot must be a JSON object';
  end if;
  for v_key, v_value in select e.key, e.value from jsonb_each(p_snapshot) e order by e.key loop
    case v_key
      when 'snapshot_id', 'generated_at' then
        if jsonb_typeof(v_value) <> 'string' then
          return format('snapshot key %s must be a string', v_key);
        end if;
      when 'recommendation_count' then
        if jsonb_typeof(v_value) <> 'number' or v_value::text::numeric < 0
           or v_value::text::numeric <> trunc(v_value::text::numeric) then
          return 'snapshot key recommendation_count must be a non-negative integer';
        end if;
      when 'weaknesses' then
        if jsonb_typeof(v_value) <> 'array'
           or exists (select 1 from jsonb_array_elements(v_value) w where jsonb_typeof(w) <> 'string') then
          return 'snapshot key weaknesses must be an array of strings';
        end if;
      when 'top_topics' then
        if jsonb_typeof(v_value) <> 'array' then
          return 'snapshot key top_topics must be an array of {key, score}';
        end if;
        v_index := 0;
        for v_item in select t from jsonb_array_elements(v_value) t loop
          if jsonb_typeof(v_item) <> 'object' then
            return format('snapshot key top_topics[%s] must be an object {key, score}', v_index);
          end if;
          for v_item_key in select k from jsonb_object_keys(v_item) k order by 1 loop
            if v_item_key not in ('key', 'score') then
              return format('snapshot key top_topics[%s].%s is not allowed (items hold only key and score)',
                            v_index, v_item_key);
            end if;
          end loop;
          if jsonb_typeof(v_item -> 'key') is distinct from 'string' then
            return format('snapshot key top_topics[%s].key must be a string', v_index);
          end if;
          if jsonb_typeof(v_item -> 'score') is distinct from 'number' then
            return format('snapshot key top_topics[%s].score must be a number', v_index);
          end if;
          v_index := v_index + 1;
        end loop;
      else
        return format('snapshot key %s is not allowed (allowed: snapshot_id, weaknesses, top_topics, '
                      'recommendation_count, generated_at)', v_key);
    end case;
  end loop;
  return null;
end
$$;

-- Refuses (22023) any row whose snapshot personalization_snapshot_problem() rejects, whoever writes it.
create or replace function public.personalization_audit_check_snapshot()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_problem text := public.personalization_snapshot_problem(new.snapshot);
begin
  if v_problem is not null then
    raise exception 'personalization_audit: %', v_problem
      using errcode = '22023',
            hint = 'store only non-sensitive summaries: snapshot_id, weaknesses, top_topics (key, score), '
                   'recommendation_count, generated_at';
  end if;
  return new;
end
$$;

-- ── triggers ─────────────────────────────────────────────────────────────────────────────────────────────────

create or replace trigger personalization_audit_check_snapshot
  before insert or update of snapshot on public.personalization_audit
  for each row execute function public.personalization_audit_check_snapshot();

-- ── functions ────────────────────────────────────────────────────────────────────────────────────────────────

-- Records one audit entry for the caller (service_role: for a named tenant/user) and emits
-- personalization.audit.written in the same transaction.
create or replace function public.personalization_audit_write(
  p_endpoint text,
  p_snapshot jsonb,
  p_user_id uuid default null,
  p_tenant_id uuid default null
)
returns public.personalization_audit
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_actor record;
  v_row public.personalization_audit;
begin
  if p_endpoint is null or btrim(p_endpoint) = '' then
    raise exception 'p_endpoint must name the API endpoint that applied the personalization'
      using errcode = '22023';
  end if;
  select a.tenant_id, a.user_id into v_actor from public.request_actor(p_user_id, p_tenant_id) a;
  insert into public.personalization_audit (tenant_id, user_id, endpoint, snapshot)
  values (v_actor.tenant_id, v_actor.user_id, p_endpoint, coalesce(p_snapshot, '{}'::jsonb))
  returning * into v_row;
  perform public.emit_oasis_event('personalization.audit.written', 'personalization',
    jsonb_build_object('audit_id', v_row.id, 'tenant_id', v_row.tenant_id, 'user_id', v_row.user_id,
                       'endpoint', v_row.endpoint, 'snapshot_id', v_row.snapshot ->> 'snapshot_id'),
    'personalization audit entry recorded');
  return v_row;
end
$$;

-- ── grants ───────────────────────────────────────────────────────────────────────────────────────────────────
-- The trigger function needs no grant: a trigger runs its function without checking EXECUTE.

revoke all on function public.personalization_snapshot_problem(jsonb) from public, anon, authenticated, service_role;
revoke all on function public.personalization_audit_check_snapshot() from public, anon, authenticated, service_role;
revoke all on function public.personalization_audit_write(text, jsonb, uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function public.personalization_snapshot_problem(jsonb) to authenticated, service_role;
grant execute on function public.personalization_audit_write(text, jsonb, uuid, uuid) to authenticated, service_role;
