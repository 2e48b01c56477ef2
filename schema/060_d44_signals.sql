-- Predictive signals (D44): the detection engine records signals with their evidence (service_role); the
-- signal's owner moves it through its lifecycle and gives feedback; a scheduler expires stale ones. Every user
-- action writes d44_intervention_history and a d44.signal.* OASIS event in the same transaction.
--
-- Lifecycle (enforced by the table's trigger, so direct UPDATEs obey it too):
--   active       → acknowledged | dismissed | actioned | expired
--   acknowledged → actioned | dismissed | expired
--   dismissed, actioned, expired: final

-- ── functions used by the table's trigger ───────────────────────────────────────────────────────────────────

-- True when a signal may move from p_from to p_to.
create or replace function public.d44_transition_allowed(p_from text, p_to text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select (p_from, p_to) in (
    ('active', 'acknowledged'), ('active', 'dismissed'), ('active', 'actioned'), ('active', 'expired'),
    ('acknowledged', 'actioned'), ('acknowledged', 'dismissed'), ('acknowledged', 'expired'))
$$;

-- New signals start active; a status change must be a lifecycle transition (55000 otherwise); the lifecycle
-- timestamps follow the status (updated_at is set_updated_at()'s job).
create or replace function public.d44_predictive_signals_lifecycle()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'active' then
      raise exception 'a new predictive signal starts active, not %', new.status using errcode = '22023';
    end if;
    return new;
  end if;
  if new.status is distinct from old.status then
    if not public.d44_transition_allowed(old.status, new.status) then
      raise exception 'predictive signal % is %; it cannot become %', old.id, old.status, new.status
        using errcode = '55000',
              hint = 'active → acknowledged|dismissed|actioned|expired; acknowledged → actioned|dismissed|expired; '
                     'the others are final';
    end if;
    if new.status = 'acknowledged' then
      new.acknowledged_at := coalesce(new.acknowledged_at, now());
    elsif new.status = 'actioned' then
      new.actioned_at := coalesce(new.actioned_at, now());
    end if;
  end if;
  return new;
end
$$;

-- ── triggers ─────────────────────────────────────────────────────────────────────────────────────────────────

create or replace trigger d44_predictive_signals_lifecycle
  before insert or update on public.d44_predictive_signals
  for each row execute function public.d44_predictive_signals_lifecycle();

-- ── functions ────────────────────────────────────────────────────────────────────────────────────────────────

-- Raises 22023 naming the first key of p_object that is not in p_allowed.
create or replace function public.d44_check_keys(p_object jsonb, p_allowed text[], p_where text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  if p_object is null or jsonb_typeof(p_object) <> 'object' then
    raise exception '% must be a JSON object', p_where using errcode = '22023';
  end if;
  select k into v_key from jsonb_object_keys(p_object) k where k <> all (p_allowed) order by 1 limit 1;
  if v_key is not null then
    raise exception '%: key % is not allowed (allowed: %)', p_where, v_key, array_to_string(p_allowed, ', ')
      using errcode = '22023';
  end if;
end
$$;

-- The text at p_key of p_object; raises 22023 naming the key when it is missing or empty.
create or replace function public.d44_required_text(p_object jsonb, p_key text, p_where text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_object ->> p_key is null or btrim(p_object ->> p_key) = '' then
    raise exception '%: key % is required', p_where, p_key using errcode = '22023';
  end if;
  return p_object ->> p_key;
end
$$;

-- A jsonb array of strings as text[] (null stays null); raises 22023 naming the key otherwise.
create or replace function public.d44_text_array(p_value jsonb, p_key text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) = 'null' then
    return null;
  end if;
  if jsonb_typeof(p_value) <> 'array'
     or exists (select 1 from jsonb_array_elements(p_value) v where jsonb_typeof(v) <> 'string') then
    raise exception 'p_signal: key % must be an array of strings', p_key using errcode = '22023';
  end if;
  return array(select v from jsonb_array_elements_text(p_value) v);
end
$$;

-- Records a detected signal and its evidence (service_role only); evidence_count is the evidence given.
-- Emits d44.signal.detected.
create or replace function public.d44_record_signal(p_signal jsonb)
returns public.d44_predictive_signals
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_signal public.d44_predictive_signals;
  v_evidence jsonb;
  v_item jsonb;
  v_index int := 0;
  v_where text;
  v_tenant uuid;
  v_user uuid;
begin
  if not public.request_is_service_role() then
    raise exception 'only service_role (the detection engine) may record predictive signals'
      using errcode = '42501';
  end if;
  perform public.d44_check_keys(p_signal, array[
    'tenant_id', 'user_id', 'signal_type', 'confidence', 'time_window', 'detected_change', 'user_impact',
    'suggested_action', 'explainability_text', 'detection_source', 'domains_analyzed', 'data_points_analyzed',
    'linked_drift_event_id', 'linked_memory_refs', 'linked_health_refs', 'linked_context_refs', 'detected_at',
    'expires_at', 'evidence'], 'p_signal');
  v_tenant := coalesce((p_signal ->> 'tenant_id')::uuid, public.request_tenant_id());
  v_user := (public.d44_required_text(p_signal, 'user_id', 'p_signal'))::uuid;
  if v_tenant is null then
    raise exception 'p_signal: key tenant_id is required (or a tenant_id claim)' using errcode = '22023';
  end if;
  v_evidence := coalesce(p_signal -> 'evidence', '[]'::jsonb);
  if jsonb_typeof(v_evidence) <> 'array' then
    raise exception 'p_signal: key evidence must be an array of evidence objects' using errcode = '22023';
  end if;

  insert into public.d44_predictive_signals (
    tenant_id, user_id, signal_type, confidence, time_window, detected_change, user_impact, suggested_action,
    explainability_text, evidence_count, detection_source, domains_analyzed, data_points_analyzed,
    linked_drift_event_id, linked_memory_refs, linked_health_refs, linked_context_refs, detected_at, expires_at)
  values (
    v_tenant, v_user,
    public.d44_required_text(p_signal, 'signal_type', 'p_signal'),
    (public.d44_required_text(p_signal, 'confidence', 'p_signal'))::int,
    public.d44_required_text(p_signal, 'time_window', 'p_signal'),
    public.d44_required_text(p_signal, 'detected_change', 'p_signal'),
    public.d44_required_text(p_signal, 'user_impact', 'p_signal'),
    public.d44_required_text(p_signal, 'suggested_action', 'p_signal'),
    public.d44_required_text(p_signal, 'explainability_text', 'p_signal'),
    jsonb_array_length(v_evidence),
    coalesce(p_signal ->> 'detection_source', 'engine'),
    coalesce(public.d44_text_array(p_signal -> 'domains_analyzed', 'domains_analyzed'), '{}'),
    coalesce((p_signal ->> 'data_points_analyzed')::int, 0),
    (p_signal ->> 'linked_drift_event_id')::uuid,
    coalesce(public.d44_text_array(p_signal -> 'linked_memory_refs', 'linked_memory_refs'), '{}'),
    coalesce(public.d44_text_array(p_signal -> 'linked_health_refs', 'linked_health_refs'), '{}'),
    coalesce(public.d44_text_array(p_signal -> 'linked_context_refs', 'linked_context_refs'), '{}'),
    coalesce((p_signal ->> 'detected_at')::timestamptz, now()),
    (p_signal ->> 'expires_at')::timestamptz)
  returning * into v_signal;

  for v_item in select e from jsonb_array_elements(v_evidence) e loop
    v_where := format('p_signal.evidence[%s]', v_index);
    perform public.d44_check_keys(v_item,
      array['evidence_type', 'source_ref', 'source_table', 'weight', 'summary', 'recorded_at'], v_where);
    insert into public.d44_signal_evidence
      (tenant_id, user_id, signal_id, evidence_type, source_ref, source_table, weight, summary, recorded_at)
    values (
      v_signal.tenant_id, v_signal.user_id, v_signal.id,
      public.d44_required_text(v_item, 'evidence_type', v_where),
      public.d44_required_text(v_item, 'source_ref', v_where),
      public.d44_required_text(v_item, 'source_table', v_where),
      coalesce((v_item ->> 'weight')::int, 50),
      public.d44_required_text(v_item, 'summary', v_where),
      (public.d44_required_text(v_item, 'recorded_at', v_where))::timestamptz);
    v_index := v_index + 1;
  end loop;

  perform public.emit_oasis_event('d44.signal.detected', 'd44-signal-engine',
    jsonb_build_object('signal_id', v_signal.id, 'tenant_id', v_signal.tenant_id, 'user_id', v_signal.user_id,
                       'signal_type', v_signal.signal_type, 'confidence', v_signal.confidence,
                       'evidence_count', v_signal.evidence_count),
    'predictive signal detected');
  return v_signal;
end
$$;

-- The one path for a user action on a signal: finds the caller's own signal (service_role: any), applies the
-- status change (if any) through the lifecycle trigger, writes d44_intervention_history and emits the event.
-- Runs as the owner because authenticated may only read the D44 tables; the ownership check is here. It lives in
-- `private` with no grant to any API role: only the four action functions (security definer, so they run as the
-- owner) call it. Before 2026-12 it was public.d44_apply_action, executable by authenticated through /rpc/.
drop function if exists public.d44_apply_action(uuid, text, text, text, jsonb);
create or replace function private.d44_apply_action(
  p_signal_id uuid,
  p_to_status text,
  p_action_type text,
  p_event_type text,
  p_details jsonb
)
returns public.d44_predictive_signals
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_signal public.d44_predictive_signals;
  v_from text;
  v_service boolean := public.request_is_service_role();
begin
  if p_details is null or jsonb_typeof(p_details) <> 'object' then
    raise exception 'p_details must be a JSON object' using errcode = '22023';
  end if;
  select * into v_signal from public.d44_predictive_signals s where s.id = p_signal_id for update;
  if not found or (not v_service and (v_signal.user_id is distinct from auth.uid()
                                      or v_signal.tenant_id is distinct from public.request_tenant_id())) then
    raise exception 'no predictive signal % for this user', coalesce(p_signal_id::text, 'null')
      using errcode = 'P0002', hint = 'only the signal''s owner (or service_role) may act on it';
  end if;
  v_from := v_signal.status;
  if p_to_status is not null then
    if not public.d44_transition_allowed(v_from, p_to_status) then
      raise exception 'predictive signal % is %; it cannot become %', v_signal.id, v_from, p_to_status
        using errcode = '55000',
              hint = 'active → acknowledged|dismissed|actioned|expired; acknowledged → actioned|dismissed|expired; '
                     'the others are final';
    end if;
    update public.d44_predictive_signals s set status = p_to_status where s.id = v_signal.id
    returning * into v_signal;
  end if;
  if p_action_type in ('marked_helpful', 'marked_not_helpful') then
    update public.d44_predictive_signals s
       set user_feedback = coalesce(p_details ->> 'comment', p_action_type)
     where s.id = v_signal.id
    returning * into v_signal;
  end if;
  insert into public.d44_intervention_history (tenant_id, user_id, signal_id, action_type, action_details)
  values (v_signal.tenant_id, v_signal.user_id, v_signal.id, p_action_type,
          p_details || jsonb_build_object('from_status', v_from, 'to_status', v_signal.status,
                                          'by', coalesce(auth.uid()::text, 'service_role')));
  perform public.emit_oasis_event(p_event_type, 'd44-signal-engine',
    jsonb_build_object('signal_id', v_signal.id, 'tenant_id', v_signal.tenant_id, 'user_id', v_signal.user_id,
                       'action_type', p_action_type, 'from_status', v_from, 'to_status', v_signal.status),
    format('predictive signal %s', p_action_type));
  return v_signal;
end
$$;

-- The owner acknowledges a signal (active → acknowledged). Emits d44.signal.acknowledged.
create or replace function public.d44_acknowledge_signal(p_signal_id uuid, p_details jsonb default '{}')
returns public.d44_predictive_signals
language sql
volatile
security definer
set search_path = ''
as $$
  select * from private.d44_apply_action(p_signal_id, 'acknowledged', 'acknowledged', 'd44.signal.acknowledged',
                                        p_details)
$$;

-- The owner dismisses a signal (active|acknowledged → dismissed). Emits d44.signal.dismissed.
create or replace function public.d44_dismiss_signal(p_signal_id uuid, p_details jsonb default '{}')
returns public.d44_predictive_signals
language sql
volatile
security definer
set search_path = ''
as $$
  select * from private.d44_apply_action(p_signal_id, 'dismissed', 'dismissed', 'd44.signal.dismissed', p_details)
$$;

-- The owner acted on a signal (active|acknowledged → actioned); history action took_action.
-- Emits d44.signal.actioned.
create or replace function public.d44_mark_actioned(p_signal_id uuid, p_details jsonb default '{}')
returns public.d44_predictive_signals
language sql
volatile
security definer
set search_path = ''
as $$
  select * from private.d44_apply_action(p_signal_id, 'actioned', 'took_action', 'd44.signal.actioned', p_details)
$$;

-- The owner's feedback on a signal in any status (marked_helpful, marked_not_helpful, reminder_set, shared);
-- the status does not change. Emits d44.signal.feedback.
create or replace function public.d44_record_feedback(
  p_signal_id uuid,
  p_feedback text,
  p_details jsonb default '{}'
)
returns public.d44_predictive_signals
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if p_feedback is null or p_feedback not in ('marked_helpful', 'marked_not_helpful', 'reminder_set', 'shared') then
    raise exception 'p_feedback must be one of marked_helpful, marked_not_helpful, reminder_set, shared, not %',
      coalesce(quote_literal(p_feedback), 'null') using errcode = '22023';
  end if;
  return private.d44_apply_action(p_signal_id, null, p_feedback, 'd44.signal.feedback', p_details);
end
$$;

-- Expires every active or acknowledged signal whose expires_at has passed (service_role: the scheduler);
-- emits d44.signal.expired for each and returns how many. Expiry is no user action, so no history row.
create or replace function public.d44_expire_signals()
returns int
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_count int := 0;
  v_signal record;
begin
  if not public.request_is_service_role() then
    raise exception 'only service_role (the scheduler) may expire predictive signals' using errcode = '42501';
  end if;
  for v_signal in
    update public.d44_predictive_signals s
       set status = 'expired'
     where s.status in ('active', 'acknowledged') and s.expires_at <= now()
    returning s.id, s.tenant_id, s.user_id, s.signal_type, s.expires_at
  loop
    perform public.emit_oasis_event('d44.signal.expired', 'd44-signal-engine',
      jsonb_build_object('signal_id', v_signal.id, 'tenant_id', v_signal.tenant_id, 'user_id', v_signal.user_id,
                         'signal_type', v_signal.signal_type, 'expires_at', v_signal.expires_at),
      'predictive signal expired');
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

-- Counts of the signals the caller can see (row-level security: its own; service_role: all, or one tenant):
-- {total, by_status, by_type, feedback, average_confidence}.
create or replace function public.d44_signal_stats(p_tenant_id uuid default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with visible as (
    select s.* from public.d44_predictive_signals s
    where p_tenant_id is null or s.tenant_id = p_tenant_id
  )
  select jsonb_build_object(
    'total', (select count(*) from visible),
    'by_status', (
      select jsonb_object_agg(st, (select count(*) from visible v where v.status = st))
      from unnest(array['active', 'acknowledged', 'dismissed', 'actioned', 'expired']) st),
    'by_type', coalesce((
      select jsonb_object_agg(t.signal_type, t.n order by t.signal_type)
      from (select v.signal_type, count(*) as n from visible v group by v.signal_type) t), '{}'::jsonb),
    'feedback', (
      select jsonb_object_agg(a, (
        select count(*) from public.d44_intervention_history h
        join visible v on v.id = h.signal_id
        where h.action_type = a))
      from unnest(array['marked_helpful', 'marked_not_helpful', 'reminder_set', 'shared']) a),
    'average_confidence', (select round(avg(v.confidence), 1) from visible v))
$$;

-- ── grants ───────────────────────────────────────────────────────────────────────────────────────────────────

-- Everything is revoked first (Supabase's default privileges grant authenticated and service_role every new
-- function), then granted as declared: the trigger function and private.d44_apply_action get no grant at all.
do $$
declare
  f text;
begin
  foreach f in array array[
    'public.d44_transition_allowed(text, text)',
    'public.d44_predictive_signals_lifecycle()',
    'public.d44_check_keys(jsonb, text[], text)',
    'public.d44_required_text(jsonb, text, text)',
    'public.d44_text_array(jsonb, text)',
    'public.d44_record_signal(jsonb)',
    'private.d44_apply_action(uuid, text, text, text, jsonb)',
    'public.d44_acknowledge_signal(uuid, jsonb)',
    'public.d44_dismiss_signal(uuid, jsonb)',
    'public.d44_mark_actioned(uuid, jsonb)',
    'public.d44_record_feedback(uuid, text, jsonb)',
    'public.d44_expire_signals()',
    'public.d44_signal_stats(uuid)'
  ] loop
    execute format('revoke all on function %s from public, anon, authenticated, service_role', f);
  end loop;
end
$$;
grant execute on function public.d44_transition_allowed(text, text) to authenticated, service_role;
grant execute on function public.d44_check_keys(jsonb, text[], text) to service_role;
grant execute on function public.d44_required_text(jsonb, text, text) to service_role;
grant execute on function public.d44_text_array(jsonb, text) to service_role;
grant execute on function public.d44_record_signal(jsonb) to service_role;
grant execute on function public.d44_acknowledge_signal(uuid, jsonb) to authenticated, service_role;
grant execute on function public.d44_dismiss_signal(uuid, jsonb) to authenticated, service_role;
grant execute on function public.d44_mark_actioned(uuid, jsonb) to authenticated, service_role;
grant execute on function public.d44_record_feedback(uuid, text, jsonb) to authenticated, service_role;
grant execute on function public.d44_expire_signals() to service_role;
grant execute on function public.d44_signal_stats(uuid) to authenticated, service_role;
