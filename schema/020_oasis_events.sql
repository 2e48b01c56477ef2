-- The OASIS event log's behaviour: append-only for every role, a notification per stored event, and
-- oasis_ingest() for both event shapes the platform has used (seeds 000, 002, 003).
-- Repeatable: re-applied whenever it changes, so every statement is CREATE OR REPLACE.
-- Sections: triggers, functions.

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

-- Notifies channel oasis_events with {id, seq, type, vtid} for every stored event, in seq order, delivered at
-- commit (so a listener never hears of an event it cannot read yet). One trigger call per statement, so a
-- multi-row insert pays one function call, not one per row.
CREATE OR REPLACE FUNCTION public.oasis_events_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_catalog.pg_notify('oasis_events',
            json_build_object('id', i.id, 'seq', i.seq, 'type', i.type, 'vtid', i.vtid)::text)
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

-- Stores one event given as JSON in either shape and returns the stored row. 22023 names the field that is
-- missing or of the wrong JSON type; nothing is stored on error.
--   column shape: {type, source, vtid?, topic?, service?, status?, message?, payload?, metadata?, id?, created_at?}
--   legacy shape (recognised by `event` without `type`): {service, event, tenant?, status?, notes?, metadata?}
--     event -> type; service -> source and service; notes -> message; tenant -> metadata.tenant;
--     metadata.vtid -> vtid (when no vtid is given); status, topic, vtid, payload as in the column shape.
--   Any other top-level key is kept, merged into payload, so no part of an event is lost.
CREATE OR REPLACE FUNCTION public.oasis_ingest(p_event jsonb) RETURNS public.oasis_events
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_legacy boolean;
  v_known text[];
  v_extra jsonb;
  v_type text;
  v_source text;
  v_payload jsonb;
  v_metadata jsonb;
  v_key text;
  v_id uuid;
  v_created_at timestamptz;
  v_row public.oasis_events;
BEGIN
  IF p_event IS NULL OR jsonb_typeof(p_event) <> 'object' THEN
    RAISE EXCEPTION 'oasis_ingest: an event must be a JSON object, not %', coalesce(jsonb_typeof(p_event), 'null')
      USING ERRCODE = '22023';
  END IF;
  v_legacy := p_event ? 'event' AND NOT p_event ? 'type';

  -- Text fields must be JSON strings: a number or an object where text belongs is a client bug worth naming.
  FOREACH v_key IN ARRAY ARRAY['type', 'source', 'event', 'service', 'vtid', 'topic', 'status', 'message', 'notes',
                               'tenant', 'id', 'created_at'] LOOP
    IF p_event ? v_key AND jsonb_typeof(p_event -> v_key) NOT IN ('string', 'null') THEN
      RAISE EXCEPTION 'oasis_ingest: field ''%'' must be a string, not %', v_key, jsonb_typeof(p_event -> v_key)
        USING ERRCODE = '22023';
    END IF;
  END LOOP;
  FOREACH v_key IN ARRAY ARRAY['payload', 'metadata'] LOOP
    IF p_event ? v_key AND jsonb_typeof(p_event -> v_key) NOT IN ('object', 'null') THEN
      RAISE EXCEPTION 'oasis_ingest: field ''%'' must be a JSON object, not %', v_key, jsonb_typeof(p_event -> v_key)
        USING ERRCODE = '22023';
    END IF;
  END LOOP;

  IF v_legacy THEN
    v_type := nullif(btrim(p_event ->> 'event'), '');
    v_source := nullif(btrim(coalesce(p_event ->> 'source', p_event ->> 'service')), '');
    IF v_type IS NULL THEN
      RAISE EXCEPTION 'oasis_ingest: field ''event'' is required' USING ERRCODE = '22023';
    END IF;
    IF v_source IS NULL THEN
      RAISE EXCEPTION 'oasis_ingest: field ''service'' is required' USING ERRCODE = '22023';
    END IF;
    v_known := ARRAY['event', 'service', 'source', 'tenant', 'status', 'notes', 'message', 'metadata', 'vtid',
                     'topic', 'payload', 'id', 'created_at'];
  ELSE
    v_type := nullif(btrim(p_event ->> 'type'), '');
    v_source := nullif(btrim(p_event ->> 'source'), '');
    IF v_type IS NULL THEN
      RAISE EXCEPTION 'oasis_ingest: field ''type'' is required'
        USING ERRCODE = '22023', HINT = 'legacy events name it ''event'' (with ''service'')';
    END IF;
    IF v_source IS NULL THEN
      RAISE EXCEPTION 'oasis_ingest: field ''source'' is required' USING ERRCODE = '22023';
    END IF;
    v_known := ARRAY['type', 'source', 'vtid', 'topic', 'service', 'status', 'message', 'payload', 'metadata', 'id',
                     'created_at'];
  END IF;

  -- Each exception block costs a subtransaction, so they are entered only when the field is present.
  IF p_event ->> 'id' IS NOT NULL THEN
    BEGIN
      v_id := (p_event ->> 'id')::uuid;
    EXCEPTION WHEN invalid_text_representation THEN
      RAISE EXCEPTION 'oasis_ingest: field ''id'' must be a UUID, not ''%''', p_event ->> 'id'
        USING ERRCODE = '22023';
    END;
  END IF;
  IF p_event ->> 'created_at' IS NOT NULL THEN
    BEGIN
      v_created_at := (p_event ->> 'created_at')::timestamptz;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
      RAISE EXCEPTION 'oasis_ingest: field ''created_at'' must be a timestamp, not ''%''', p_event ->> 'created_at'
        USING ERRCODE = '22023';
    END;
  END IF;

  v_extra := p_event - v_known;
  v_payload := CASE WHEN v_extra = '{}' THEN p_event -> 'payload'
                    ELSE coalesce(nullif(p_event -> 'payload', 'null'), '{}') || v_extra END;
  v_metadata := nullif(p_event -> 'metadata', 'null');
  IF v_legacy AND p_event ? 'tenant' THEN
    v_metadata := coalesce(v_metadata, '{}') || jsonb_build_object('tenant', p_event -> 'tenant');
  END IF;

  INSERT INTO public.oasis_events (id, type, source, vtid, topic, service, status, message, payload, metadata,
                                   created_at)
  VALUES (coalesce(v_id, gen_random_uuid()), v_type, v_source,
          coalesce(p_event ->> 'vtid', CASE WHEN v_legacy THEN v_metadata ->> 'vtid' END),
          p_event ->> 'topic',
          coalesce(p_event ->> 'service', CASE WHEN v_legacy THEN v_source END),
          p_event ->> 'status',
          coalesce(p_event ->> 'message', CASE WHEN v_legacy THEN p_event ->> 'notes' END),
          v_payload, v_metadata, coalesce(v_created_at, now()))
  RETURNING * INTO v_row;
  RETURN v_row;
END
$$;
