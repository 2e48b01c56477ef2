-- Offers: the catalogs, each user's state per offer (user_offers_memory), stated outcomes (usage_outcomes) and
-- the relationship graph they move (relationship_edges). Every function runs as its caller (security invoker),
-- so row-level security decides what it may touch; service_role may act for a named tenant and user.
-- The state → relationship table lives in offers_state_effect() and is documented in DATABASE_SCHEMA.md.

-- ── functions ────────────────────────────────────────────────────────────────────────────────────────────────

-- The deterministic effect of an offer state on its relationship edge. relationship_type null = keep the
-- edge's type (a new edge then gets new_edge_type). Same inputs, same result: the recommendations rely on it.
create or replace function public.offers_state_effect(p_state text, p_trust_score int default null)
returns table (relationship_type text, new_edge_type text, strength_delta int)
language sql
immutable
set search_path = ''
as $$
  select
    case p_state
      when 'viewed' then null
      when 'saved' then 'saved'
      when 'used' then 'using'
      when 'rated' then case when p_trust_score >= 50 then 'trusted' end
      when 'dismissed' then 'dismissed'
    end,
    case p_state
      when 'viewed' then 'following'
      when 'saved' then 'saved'
      when 'used' then 'using'
      when 'rated' then case when p_trust_score >= 50 then 'trusted' else 'using' end
      when 'dismissed' then 'dismissed'
    end,
    case p_state
      when 'viewed' then 2
      when 'saved' then 10
      when 'used' then 20
      when 'rated' then (coalesce(p_trust_score, 50) - 50) / 2
      when 'dismissed' then -50
    end
$$;

-- The edge strength change a stated outcome causes: better raises, worse lowers, same leaves.
create or replace function public.offers_outcome_delta(p_perceived_impact text)
returns int
language sql
immutable
set search_path = ''
as $$
  select case p_perceived_impact when 'better' then 10 when 'worse' then -10 when 'same' then 0 end
$$;

-- Strength is kept within -100..100 whatever sequence of changes arrives.
create or replace function public.offers_clamp_strength(p_strength bigint)
returns int
language sql
immutable
set search_path = ''
as $$
  select greatest(-100, least(100, p_strength))::int
$$;

-- Raises 22023 unless p_target_type is an offer type (service or product).
create or replace function public.offers_check_target_type(p_target_type text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_target_type is null or p_target_type not in ('service', 'product') then
    raise exception 'p_target_type must be service or product, not %', coalesce(quote_literal(p_target_type), 'null')
      using errcode = '22023';
  end if;
end
$$;

-- Raises P0002 unless the target is in the matching catalog of the tenant.
create or replace function public.offers_assert_target(p_tenant_id uuid, p_target_type text, p_target_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  perform public.offers_check_target_type(p_target_type);
  if p_target_id is null then
    raise exception 'p_target_id is required' using errcode = '22023';
  end if;
  if p_target_type = 'service' then
    perform 1 from public.services_catalog c where c.id = p_target_id and c.tenant_id = p_tenant_id;
  else
    perform 1 from public.products_catalog c where c.id = p_target_id and c.tenant_id = p_tenant_id;
  end if;
  if not found then
    raise exception '% % is not in the %s_catalog of tenant %', p_target_type, p_target_id, p_target_type, p_tenant_id
      using errcode = 'P0002', hint = 'add it with catalog_add_' || p_target_type || '() or pass an id from that tenant''s catalog';
  end if;
end
$$;

-- Applies a strength change (and optionally a new type) to the caller's edge for a target, creating the edge
-- when absent; the result is always within -100..100.
create or replace function public.offers_move_edge(
  p_tenant_id uuid,
  p_user_id uuid,
  p_target_type text,
  p_target_id uuid,
  p_relationship_type text,
  p_new_edge_type text,
  p_delta int,
  p_context jsonb
)
returns public.relationship_edges
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_edge public.relationship_edges;
begin
  insert into public.relationship_edges as e
    (tenant_id, user_id, target_type, target_id, relationship_type, strength, context)
  values (p_tenant_id, p_user_id, p_target_type, p_target_id, coalesce(p_relationship_type, p_new_edge_type),
          public.offers_clamp_strength(p_delta), p_context)
  on conflict (tenant_id, user_id, target_type, target_id) do update
    set relationship_type = coalesce(p_relationship_type, e.relationship_type),
        strength = public.offers_clamp_strength(e.strength::bigint + p_delta),
        context = e.context || p_context,
        updated_at = now()
  returning * into v_edge;
  return v_edge;
end
$$;

-- Records the caller's state for an offer (one row per tenant/user/target) and moves the matching edge by
-- offers_state_effect(). Returns {"memory": …, "edge": …}.
create or replace function public.offers_set_state(
  p_target_type text,
  p_target_id uuid,
  p_state text,
  p_trust_score int default null,
  p_notes text default null,
  p_user_id uuid default null,
  p_tenant_id uuid default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_actor record;
  v_effect record;
  v_memory public.user_offers_memory;
  v_edge public.relationship_edges;
begin
  perform public.offers_check_target_type(p_target_type);
  if p_state is null or p_state not in ('viewed', 'saved', 'used', 'dismissed', 'rated') then
    raise exception 'p_state must be one of viewed, saved, used, dismissed, rated, not %',
      coalesce(quote_literal(p_state), 'null') using errcode = '22023';
  end if;
  if p_state = 'rated' and p_trust_score is null then
    raise exception 'state rated needs p_trust_score (0..100)' using errcode = '22023';
  end if;
  if p_trust_score is not null and (p_trust_score < 0 or p_trust_score > 100) then
    raise exception 'p_trust_score must be within 0..100, not %', p_trust_score using errcode = '22023';
  end if;
  select a.tenant_id, a.user_id into v_actor from public.request_actor(p_user_id, p_tenant_id) a;
  perform public.offers_assert_target(v_actor.tenant_id, p_target_type, p_target_id);

  insert into public.user_offers_memory as m (tenant_id, user_id, target_type, target_id, state, trust_score, notes)
  values (v_actor.tenant_id, v_actor.user_id, p_target_type, p_target_id, p_state, p_trust_score, p_notes)
  on conflict (tenant_id, user_id, target_type, target_id) do update
    set state = excluded.state,
        trust_score = coalesce(excluded.trust_score, m.trust_score),
        notes = coalesce(excluded.notes, m.notes),
        updated_at = now()
  returning * into v_memory;

  select * into v_effect from public.offers_state_effect(p_state, p_trust_score);
  v_edge := public.offers_move_edge(v_actor.tenant_id, v_actor.user_id, p_target_type, p_target_id,
    v_effect.relationship_type, v_effect.new_edge_type, v_effect.strength_delta,
    jsonb_build_object('last_state', p_state, 'last_state_at', now()));
  return jsonb_build_object('memory', to_jsonb(v_memory), 'edge', to_jsonb(v_edge));
end
$$;

-- Stores a stated outcome for an offer and moves the edge by offers_outcome_delta(). Returns
-- {"outcome": …, "edge": …}.
create or replace function public.offers_record_outcome(
  p_target_type text,
  p_target_id uuid,
  p_outcome_type text,
  p_perceived_impact text,
  p_outcome_date date default current_date,
  p_evidence jsonb default '{}',
  p_user_id uuid default null,
  p_tenant_id uuid default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_actor record;
  v_outcome public.usage_outcomes;
  v_edge public.relationship_edges;
begin
  perform public.offers_check_target_type(p_target_type);
  if p_outcome_type is null
     or p_outcome_type not in ('sleep', 'stress', 'movement', 'nutrition', 'social', 'energy', 'other') then
    raise exception 'p_outcome_type must be one of sleep, stress, movement, nutrition, social, energy, other, not %',
      coalesce(quote_literal(p_outcome_type), 'null') using errcode = '22023';
  end if;
  if p_perceived_impact is null or p_perceived_impact not in ('better', 'same', 'worse') then
    raise exception 'p_perceived_impact must be better, same or worse, not %',
      coalesce(quote_literal(p_perceived_impact), 'null') using errcode = '22023';
  end if;
  if p_outcome_date is null or p_outcome_date > current_date then
    raise exception 'p_outcome_date must be today or earlier, not %', coalesce(p_outcome_date::text, 'null')
      using errcode = '22023', hint = 'an outcome is stated after it happened';
  end if;
  if p_evidence is null or jsonb_typeof(p_evidence) <> 'object' then
    raise exception 'p_evidence must be a JSON object' using errcode = '22023';
  end if;
  select a.tenant_id, a.user_id into v_actor from public.request_actor(p_user_id, p_tenant_id) a;
  perform public.offers_assert_target(v_actor.tenant_id, p_target_type, p_target_id);

  insert into public.usage_outcomes
    (tenant_id, user_id, target_type, target_id, outcome_date, outcome_type, perceived_impact, evidence)
  values (v_actor.tenant_id, v_actor.user_id, p_target_type, p_target_id, p_outcome_date, p_outcome_type,
          p_perceived_impact, p_evidence)
  returning * into v_outcome;

  v_edge := public.offers_move_edge(v_actor.tenant_id, v_actor.user_id, p_target_type, p_target_id,
    null, 'using', public.offers_outcome_delta(p_perceived_impact),
    jsonb_build_object('last_outcome', p_perceived_impact, 'last_outcome_id', v_outcome.id));
  return jsonb_build_object('outcome', to_jsonb(v_outcome), 'edge', to_jsonb(v_edge));
end
$$;

-- Ranks the tenant's catalog for the caller: 10 points per topic shared with p_topic_keys plus the edge's
-- strength / 10; never what the caller dismissed; ties broken by target_type then target_id.
create or replace function public.offers_recommendations(
  p_target_type text default null,
  p_topic_keys text[] default null,
  p_limit int default 10,
  p_user_id uuid default null,
  p_tenant_id uuid default null
)
returns table (
  target_type text,
  target_id uuid,
  name text,
  topic_keys text[],
  score numeric,
  reasons jsonb
)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_actor record;
begin
  if p_target_type is not null then
    perform public.offers_check_target_type(p_target_type);
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception 'p_limit must be within 1..1000, not %', coalesce(p_limit::text, 'null') using errcode = '22023';
  end if;
  select a.tenant_id, a.user_id into v_actor from public.request_actor(p_user_id, p_tenant_id) a;

  return query
  with catalog as (
    select 'service'::text as target_type, s.id as target_id, s.name, s.topic_keys
    from public.services_catalog s
    where s.tenant_id = v_actor.tenant_id and (p_target_type is null or p_target_type = 'service')
    union all
    select 'product'::text, p.id, p.name, p.topic_keys
    from public.products_catalog p
    where p.tenant_id = v_actor.tenant_id and (p_target_type is null or p_target_type = 'product')
  ),
  scored as (
    select c.target_type, c.target_id, c.name, c.topic_keys, m.state, e.relationship_type,
           coalesce(e.strength, 0) as strength,
           array(select k from unnest(c.topic_keys) k intersect select k from unnest(p_topic_keys) k order by 1)
             as overlap
    from catalog c
    left join public.user_offers_memory m
      on m.tenant_id = v_actor.tenant_id and m.user_id = v_actor.user_id
     and m.target_type = c.target_type and m.target_id = c.target_id
    left join public.relationship_edges e
      on e.tenant_id = v_actor.tenant_id and e.user_id = v_actor.user_id
     and e.target_type = c.target_type and e.target_id = c.target_id
    where m.state is distinct from 'dismissed' and e.relationship_type is distinct from 'dismissed'
  )
  select s.target_type, s.target_id, s.name, s.topic_keys,
         (cardinality(s.overlap) * 10 + s.strength / 10.0)::numeric(8, 1),
         jsonb_build_object(
           'topic_overlap', to_jsonb(s.overlap),
           'topic_score', cardinality(s.overlap) * 10,
           'relationship_type', s.relationship_type,
           'strength', s.strength,
           'relationship_score', (s.strength / 10.0)::numeric(8, 1),
           'state', s.state)
  from scored s
  order by 5 desc, 1, 2
  limit p_limit;
end
$$;

-- Raises 42501 unless the caller is service_role or carries app_role = admin; returns the tenant to write to.
create or replace function public.catalog_writer_tenant(p_tenant_id uuid)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_tenant uuid := public.request_tenant_id();
begin
  if public.request_is_service_role() then
    v_tenant := coalesce(p_tenant_id, v_tenant);
  elsif public.request_is_admin() then
    if p_tenant_id is not null and p_tenant_id is distinct from v_tenant then
      raise exception 'an admin may add to its own tenant''s catalog only (tenant %)', v_tenant
        using errcode = '42501';
    end if;
  else
    raise exception 'only service_role or an admin (app_role = admin) may add to the catalogs'
      using errcode = '42501';
  end if;
  if v_tenant is null then
    raise exception 'no tenant: pass p_tenant_id or a tenant_id claim' using errcode = '28000';
  end if;
  return v_tenant;
end
$$;

-- Raises 22023 unless a catalog entry's name and topic keys are usable.
create or replace function public.catalog_check_entry(p_name text, p_topic_keys text[])
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_name is null or btrim(p_name) = '' then
    raise exception 'p_name must not be empty' using errcode = '22023';
  end if;
  if p_topic_keys is null or array_position(p_topic_keys, null) is not null
     or exists (select 1 from unnest(p_topic_keys) k where btrim(k) = '') then
    raise exception 'p_topic_keys must be an array of non-empty keys' using errcode = '22023';
  end if;
end
$$;

-- Adds a service to a tenant's catalog (service_role, or an admin for its own tenant).
create or replace function public.catalog_add_service(
  p_name text,
  p_service_type text,
  p_topic_keys text[] default '{}',
  p_provider_name text default null,
  p_metadata jsonb default '{}',
  p_tenant_id uuid default null
)
returns public.services_catalog
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_tenant uuid := public.catalog_writer_tenant(p_tenant_id);
  v_row public.services_catalog;
begin
  perform public.catalog_check_entry(p_name, p_topic_keys);
  if p_service_type is null
     or p_service_type not in ('coach', 'doctor', 'lab', 'wellness', 'nutrition', 'fitness', 'therapy', 'other') then
    raise exception 'p_service_type must be one of coach, doctor, lab, wellness, nutrition, fitness, therapy, other, not %',
      coalesce(quote_literal(p_service_type), 'null') using errcode = '22023';
  end if;
  insert into public.services_catalog (tenant_id, name, service_type, topic_keys, provider_name, metadata)
  values (v_tenant, btrim(p_name), p_service_type, p_topic_keys, p_provider_name, coalesce(p_metadata, '{}'))
  returning * into v_row;
  return v_row;
end
$$;

-- Adds a product to a tenant's catalog (service_role, or an admin for its own tenant).
create or replace function public.catalog_add_product(
  p_name text,
  p_product_type text,
  p_topic_keys text[] default '{}',
  p_metadata jsonb default '{}',
  p_tenant_id uuid default null
)
returns public.products_catalog
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_tenant uuid := public.catalog_writer_tenant(p_tenant_id);
  v_row public.products_catalog;
begin
  perform public.catalog_check_entry(p_name, p_topic_keys);
  if p_product_type is null
     or p_product_type not in ('supplement', 'device', 'food', 'wearable', 'app', 'other') then
    raise exception 'p_product_type must be one of supplement, device, food, wearable, app, other, not %',
      coalesce(quote_literal(p_product_type), 'null') using errcode = '22023';
  end if;
  insert into public.products_catalog (tenant_id, name, product_type, topic_keys, metadata)
  values (v_tenant, btrim(p_name), p_product_type, p_topic_keys, coalesce(p_metadata, '{}'))
  returning * into v_row;
  return v_row;
end
$$;

-- ── grants ───────────────────────────────────────────────────────────────────────────────────────────────────

do $$
declare
  f text;
begin
  foreach f in array array[
    'public.offers_state_effect(text, int)',
    'public.offers_outcome_delta(text)',
    'public.offers_clamp_strength(bigint)',
    'public.offers_check_target_type(text)',
    'public.offers_assert_target(uuid, text, uuid)',
    'public.offers_move_edge(uuid, uuid, text, uuid, text, text, int, jsonb)',
    'public.offers_set_state(text, uuid, text, int, text, uuid, uuid)',
    'public.offers_record_outcome(text, uuid, text, text, date, jsonb, uuid, uuid)',
    'public.offers_recommendations(text, text[], int, uuid, uuid)',
    'public.catalog_writer_tenant(uuid)',
    'public.catalog_check_entry(text, text[])',
    'public.catalog_add_service(text, text, text[], text, jsonb, uuid)',
    'public.catalog_add_product(text, text, text[], jsonb, uuid)'
  ] loop
    execute format('revoke all on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end
$$;
