-- The OASIS event log's behaviour: append-only for every role, a notification per stored event, and
-- oasis_ingest() for both event shapes the platform has used (seeds 000, 002, 003).
-- Repeatable: re-applied whenever it changes, so every statement is CREATE OR REPLACE.
-- Sections: triggers, functions, grants.

-- triggers -------------------------------------------------------------------------------------------------------

-- Refuses UPDATE, DELETE and TRUNCATE of oasis_events for every role, the owner included: the log is the audit
-- trail and the ledger projection replays it, so a changed past would silently change the ledger.
-- Statement-level, so even a statement that matches no row is refused (and no per-row cost is paid).
CREATE OR REPLACE FUNCTION public.oasis_events_refuse_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'oasis_events is append-only: % is refused', TG_OP
    USING ERRCODE = '42501',
          HINT = 'events are the audit trail; record a correcting event with oasis_ingest() instead';
END
$$;

CREATE OR REPLACE TRIGGER oasis_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON public.oasis_events
  FOR EACH STATEMENT EXECUTE FUNCTION public.oasis_events_refuse_change();

-- What a writer may not choose (tx_id, seq, a far-future created_at, another tenant) is decided by column grants
-- (policies/oasis_events.sql), writer_tenant's default and a CHECK (migrations/20260201000000_least_privilege.sql).

-- Notifies channel oasis_events with {id, seq, type, vtid} for every stored event, in seq order, delivered at
-- commit (so a listener never hears of an event it cannot read yet). One trigger call per statement, so a
-- multi-row insert pays one function call, not one per row. type and vtid are cut to 200 characters: a NOTIFY
-- payload must stay under 8000 bytes, and an event with a long type failed to store at all; the listener reads
-- the whole row by id.
CREATE OR REPLACE FUNCTION public.oasis_events_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_catalog.pg_notify('oasis_events',
            json_build_object('id', i.id, 'seq', i.seq, 'type', left(i.type, 200), 'vtid', left(i.vtid, 200))::text)
     FROM inserted i
    ORDER BY i.seq;
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER oasis_events_notify
  AFTER INSERT ON public.oasis_events
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION public.oasis_events_notify();

-- functions ------------------------------------------------------------------------------------------------------

-- How an event given as JSON maps to columns, in either shape (validity is checked by the callers):
--   column shape: {type, source, vtid?, topic?, service?, status?, message?, payload?, metadata?, id?, created_at?}
--   legacy shape (recognised by `event` without `type`): {service, event, tenant?, status?, notes?, metadata?}
--     event -> type; service -> source and service; notes -> message; tenant -> metadata.tenant;
--     metadata.vtid -> vtid (when no vtid is given); status, topic, vtid, payload as in the column shape.
--   Any other top-level key is kept, merged into payload, so no part of an event is lost.
-- One SQL query, so the planner inlines it into the INSERT that uses it.
CREATE OR REPLACE FUNCTION public.oasis_event_columns(p_event jsonb)
  RETURNS TABLE (type text, source text, vtid text, topic text, service text, status text, message text,
                 payload jsonb, metadata jsonb)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
  SELECT btrim(CASE WHEN s.legacy THEN p_event ->> 'event' ELSE p_event ->> 'type' END),
         btrim(CASE WHEN s.legacy THEN coalesce(p_event ->> 'source', p_event ->> 'service') ELSE p_event ->> 'source' END),
         coalesce(p_event ->> 'vtid', CASE WHEN s.legacy THEN p_event -> 'metadata' ->> 'vtid' END),
         p_event ->> 'topic',
         coalesce(p_event ->> 'service',
                  CASE WHEN s.legacy THEN btrim(coalesce(p_event ->> 'source', p_event ->> 'service')) END),
         p_event ->> 'status',
         coalesce(p_event ->> 'message', CASE WHEN s.legacy THEN p_event ->> 'notes' END),
         CASE WHEN s.extra = '{}' THEN nullif(p_event -> 'payload', 'null')
              ELSE coalesce(nullif(p_event -> 'payload', 'null'), '{}') || s.extra END,
         CASE WHEN s.legacy AND p_event ? 'tenant'
              THEN coalesce(nullif(p_event -> 'metadata', 'null'), '{}') || jsonb_build_object('tenant', p_event -> 'tenant')
              ELSE nullif(p_event -> 'metadata', 'null') END
    FROM (SELECT l.legacy,
                 p_event - CASE WHEN l.legacy
                                THEN '{event,service,source,tenant,status,notes,message,metadata,vtid,topic,payload,id,created_at}'::text[]
                                ELSE '{type,source,vtid,topic,service,status,message,payload,metadata,id,created_at}'::text[] END
                   AS extra
            FROM (SELECT p_event ? 'event' AND NOT p_event ? 'type' AS legacy) l) s;
$$;

-- True when an event needs no further checking: an object whose text fields are strings or null, whose payload
-- and metadata are objects or null, whose required fields are present and not blank, with no id or created_at
-- to parse. The ingest functions store such events in one statement; any other event goes through
-- oasis_event_from_json, which names its problem.
CREATE OR REPLACE FUNCTION public.oasis_event_is_plain(p_event jsonb) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce(
    jsonb_typeof(p_event) = 'object'
    AND jsonb_typeof(coalesce(p_event -> 'type', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'source', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'event', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'service', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'vtid', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'topic', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'status', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'message', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'notes', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'tenant', 'null')) IN ('string', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'payload', 'null')) IN ('object', 'null')
    AND jsonb_typeof(coalesce(p_event -> 'metadata', 'null')) IN ('object', 'null')
    AND coalesce(p_event -> 'id', 'null') = 'null'
    AND coalesce(p_event -> 'created_at', 'null') = 'null'
    AND CASE WHEN p_event ? 'event' AND NOT p_event ? 'type'
             THEN btrim(coalesce(p_event ->> 'event', '')) <> ''
                  AND btrim(coalesce(p_event ->> 'source', p_event ->> 'service', '')) <> ''
             ELSE btrim(coalesce(p_event ->> 'type', '')) <> '' AND btrim(coalesce(p_event ->> 'source', '')) <> '' END,
    false);

-- The row one event given as JSON becomes (oasis_event_columns), checked; nothing is stored. 22023 names the
-- field that is missing or of the wrong JSON type (and, given p_position, which event of a batch it is).
-- seq and tx_id are left null for the table to assign.
CREATE OR REPLACE FUNCTION public.oasis_event_from_json(p_event jsonb, p_position integer DEFAULT NULL)
  RETURNS public.oasis_events
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_legacy boolean;
  v_type text;
  v_source text;
  v_key text;
  v_id uuid;
  v_created_at timestamptz;
  v_row public.oasis_events;
  v_who text := CASE WHEN p_position IS NULL THEN 'oasis_ingest' ELSE 'oasis_ingest: event ' || p_position END;
BEGIN
  IF p_event IS NULL OR jsonb_typeof(p_event) <> 'object' THEN
    RAISE EXCEPTION '%: an event must be a JSON object, not %', v_who, coalesce(jsonb_typeof(p_event), 'null')
      USING ERRCODE = '22023';
  END IF;
  v_legacy := p_event ? 'event' AND NOT p_event ? 'type';

  -- Text fields must be JSON strings and payload/metadata objects: a number where text belongs is a client bug
  -- worth naming. One expression checks every field (a loop over the keys cost ~20 us per event); the loops
  -- below run only to name the offender.
  IF NOT (jsonb_typeof(coalesce(p_event -> 'type', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'source', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'event', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'service', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'vtid', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'topic', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'status', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'message', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'notes', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'tenant', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'id', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'created_at', 'null')) IN ('string', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'payload', 'null')) IN ('object', 'null')
          AND jsonb_typeof(coalesce(p_event -> 'metadata', 'null')) IN ('object', 'null')) THEN
    FOREACH v_key IN ARRAY ARRAY['type', 'source', 'event', 'service', 'vtid', 'topic', 'status', 'message',
                                 'notes', 'tenant', 'id', 'created_at'] LOOP
      IF jsonb_typeof(coalesce(p_event -> v_key, 'null')) NOT IN ('string', 'null') THEN
        RAISE EXCEPTION '%: field ''%'' must be a string, not %', v_who, v_key, jsonb_typeof(p_event -> v_key)
          USING ERRCODE = '22023';
      END IF;
    END LOOP;
    FOREACH v_key IN ARRAY ARRAY['payload', 'metadata'] LOOP
      IF jsonb_typeof(coalesce(p_event -> v_key, 'null')) NOT IN ('object', 'null') THEN
        RAISE EXCEPTION '%: field ''%'' must be a JSON object, not %', v_who, v_key, jsonb_typeof(p_event -> v_key)
          USING ERRCODE = '22023';
      END IF;
    END LOOP;
  END IF;

  IF v_legacy THEN
    v_type := nullif(btrim(p_event ->> 'event'), '');
    v_source := nullif(btrim(coalesce(p_event ->> 'source', p_event ->> 'service')), '');
    IF v_type IS NULL THEN
      RAISE EXCEPTION '%: field ''event'' is required', v_who USING ERRCODE = '22023';
    END IF;
    IF v_source IS NULL THEN
      RAISE EXCEPTION '%: field ''service'' is required', v_who USING ERRCODE = '22023';
    END IF;
  ELSE
    v_type := nullif(btrim(p_event ->> 'type'), '');
    v_source := nullif(btrim(p_event ->> 'source'), '');
    IF v_type IS NULL THEN
      RAISE EXCEPTION '%: field ''type'' is required', v_who
        USING ERRCODE = '22023', HINT = 'legacy events name it ''event'' (with ''service'')';
    END IF;
    IF v_source IS NULL THEN
      RAISE EXCEPTION '%: field ''source'' is required', v_who USING ERRCODE = '22023';
    END IF;
  END IF;

  -- Each exception block costs a subtransaction, so they are entered only when the field is present.
  IF p_event ->> 'id' IS NOT NULL THEN
    BEGIN
      v_id := (p_event ->> 'id')::uuid;
    EXCEPTION WHEN invalid_text_representation THEN
      RAISE EXCEPTION '%: field ''id'' must be a UUID, not ''%''', v_who, p_event ->> 'id'
        USING ERRCODE = '22023';
    END;
  END IF;
  IF p_event ->> 'created_at' IS NOT NULL THEN
    BEGIN
      v_created_at := (p_event ->> 'created_at')::timestamptz;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
      RAISE EXCEPTION '%: field ''created_at'' must be a timestamp, not ''%''', v_who, p_event ->> 'created_at'
        USING ERRCODE = '22023';
    END;
  END IF;

  SELECT c.type, c.source, c.vtid, c.topic, c.service, c.status, c.message, c.payload, c.metadata
    INTO v_row.type, v_row.source, v_row.vtid, v_row.topic, v_row.service, v_row.status, v_row.message,
         v_row.payload, v_row.metadata
    FROM public.oasis_event_columns(p_event) c;
  v_row.id := coalesce(v_id, gen_random_uuid());
  v_row.created_at := coalesce(v_created_at, now());
  RETURN v_row;
END
$$;

-- Stores one event given as JSON in either shape (see oasis_event_from_json) and returns the stored row;
-- nothing is stored on error.
CREATE OR REPLACE FUNCTION public.oasis_ingest(p_event jsonb) RETURNS public.oasis_events
  LANGUAGE plpgsql
  AS $$
-- plpgsql rather than sql: plpgsql keeps the INSERT's plan for the session, a sql function plans it per call.
DECLARE
  e public.oasis_events;
BEGIN
  IF public.oasis_event_is_plain(p_event) THEN
    INSERT INTO public.oasis_events (type, source, vtid, topic, service, status, message, payload, metadata)
    SELECT c.type, c.source, c.vtid, c.topic, c.service, c.status, c.message, c.payload, c.metadata
      FROM public.oasis_event_columns(p_event) c
    RETURNING * INTO e;
  ELSE
    e := public.oasis_event_from_json(p_event);
    INSERT INTO public.oasis_events (id, type, source, vtid, topic, service, status, message, payload, metadata,
                                     created_at)
    VALUES (e.id, e.type, e.source, e.vtid, e.topic, e.service, e.status, e.message, e.payload, e.metadata,
            e.created_at)
    RETURNING * INTO e;
  END IF;
  RETURN e;
END
$$;

-- Stores a JSON array of events in one statement, in array order (seq follows it), and returns the stored
-- rows; all or nothing: one bad event (22023 naming its 1-based position and field) stores none. One
-- statement and one commit for the batch, so the notification trigger and the commit are paid once.
CREATE OR REPLACE FUNCTION public.oasis_ingest_many(p_events jsonb) RETURNS SETOF public.oasis_events
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF p_events IS NULL OR jsonb_typeof(p_events) <> 'array' THEN
    RAISE EXCEPTION 'oasis_ingest_many: p_events must be a JSON array, not %', coalesce(jsonb_typeof(p_events), 'null')
      USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_events) a (event)
                  WHERE NOT public.oasis_event_is_plain(a.event)) THEN
    RETURN QUERY
      INSERT INTO public.oasis_events (type, source, vtid, topic, service, status, message, payload, metadata)
      SELECT c.type, c.source, c.vtid, c.topic, c.service, c.status, c.message, c.payload, c.metadata
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS a (event, n)
       CROSS JOIN LATERAL public.oasis_event_columns(a.event) c
       ORDER BY a.n
      RETURNING *;
  ELSE
    RETURN QUERY
      INSERT INTO public.oasis_events (id, type, source, vtid, topic, service, status, message, payload, metadata,
                                       created_at)
      SELECT e.id, e.type, e.source, e.vtid, e.topic, e.service, e.status, e.message, e.payload, e.metadata,
             e.created_at
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS a (event, n)
       CROSS JOIN LATERAL public.oasis_event_from_json(a.event, a.n::integer) e
       ORDER BY a.n
      RETURNING *;
  END IF;
END
$$;

-- grants ---------------------------------------------------------------------------------------------------------

-- Signed-in users and service_role ingest (row-level security on oasis_events decides); anon ingests nothing.
-- The trigger functions need no grant: a trigger runs its function without checking EXECUTE.
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'public.oasis_events_refuse_change()', 'public.oasis_events_notify()'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, service_role', f);
  END LOOP;
  FOREACH f IN ARRAY ARRAY[
    'public.oasis_event_columns(jsonb)', 'public.oasis_event_is_plain(jsonb)', 'public.oasis_event_writer_tenant()',
    'public.oasis_event_from_json(jsonb, integer)', 'public.oasis_ingest(jsonb)', 'public.oasis_ingest_many(jsonb)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO authenticated, service_role', f);
  END LOOP;
END
$$;
