-- The ledger writer of seed 003 (VTID-0521), inside Postgres: OASIS events projected into vtid_ledger.
-- Repeatable: re-applied whenever it changes, so every statement is CREATE OR REPLACE.
-- Sections: views, functions (internal, then the SQL API), grants.
--
-- Reading rule. An event's (tx_id, seq) are assigned before its transaction commits, so events become visible
-- out of order. The writer reads only events whose transaction is older than every running transaction
-- (tx_id < pg_snapshot_xmin(pg_current_snapshot())): that set can no longer change, because every later
-- transaction gets a larger xid. It reads them in (tx_id, seq) order after its checkpoint, and moves the
-- checkpoint in the same transaction as the ledger writes, under the checkpoint row's lock.
--
-- Merge rule (DATABASE_SCHEMA.md "The ledger writer" states it in full). Per VTID, the event with the greatest
-- (created_at, priority, id) sets status, service, environment and last_event_*; a row the writer created takes
-- task_family, task_type, description, layer, module, created_at and metadata.source* from the event with the
-- least (created_at, id). Both are maxima over the event set, so the ledger does not depend on the order in
-- which events are stored, read, batched or read again.

-- views ----------------------------------------------------------------------------------------------------------

-- What the writer makes of each stored event: its VTID (seed 003 section 5.1), its kind and ledger status
-- (section 4), the fields it projects, and why it is skipped (null when it is projected; an event may still be
-- left out of a row of another tenant than its writer's, which only the merge can tell).
-- security_invoker: the view reads oasis_events with its reader's rights, so it shows no more than the table.
DROP VIEW IF EXISTS public.oasis_ledger_event_projection;
CREATE VIEW public.oasis_ledger_event_projection WITH (security_invoker = true) AS
SELECT e.seq,
       e.tx_id,
       e.id,
       e.type,
       e.created_at,
       c.candidate AS vtid_candidate,
       CASE WHEN public.vtid_is_valid(c.candidate) THEN c.candidate END AS vtid,
       k.kind,
       k.ledger_status,
       k.priority,
       -- The writer's own notes and the VTID API's audit events describe ledger changes already made:
       -- projecting them would loop (ledger_sync) or undo them (vtid.updated maps to complete by its status).
       (e.type = 'ledger_sync' OR e.type LIKE 'vtid.%') AS own_event,
       coalesce(e.service, e.source) AS service,
       coalesce(e.metadata ->> 'environment', e.payload ->> 'environment') AS environment,
       coalesce(e.metadata ->> 'taskFamily', e.metadata ->> 'task_family') AS task_family,
       coalesce(e.metadata ->> 'taskType', e.metadata ->> 'task_type') AS task_type,
       e.message AS description,
       e.metadata ->> 'layer' AS layer,
       e.metadata ->> 'module' AS module,
       e.writer_tenant,
       CASE
         WHEN e.type = 'ledger_sync' OR e.type LIKE 'vtid.%' THEN 'own_event'
         WHEN NOT public.vtid_is_valid(c.candidate) THEN 'no_vtid'
         WHEN k.ledger_status IS NULL THEN 'no_mapping'
         WHEN e.writer_tenant = '' THEN 'no_tenant'
       END AS skip_reason
  FROM public.oasis_events e
 CROSS JOIN LATERAL (
   -- Section 5.1 order: the column, metadata.vtid, a `ref` that is a valid VTID, the first VTID in the message.
   -- The first candidate found is the event's VTID only if it is valid: a malformed vtid is not replaced by a
   -- guess from the message. (oasis_ledger_merge_range validates once per distinct candidate, not per event.)
   SELECT CASE
            WHEN nullif(e.vtid, '') IS NOT NULL THEN e.vtid
            WHEN nullif(e.metadata ->> 'vtid', '') IS NOT NULL THEN e.metadata ->> 'vtid'
            WHEN public.vtid_is_valid(e.metadata ->> 'ref') THEN e.metadata ->> 'ref'
            WHEN public.vtid_is_valid(e.payload ->> 'ref') THEN e.payload ->> 'ref'
            ELSE substring(e.message FROM
              '(?:^|[^A-Za-z0-9_-])((?:VTID-[0-9]{4}-[0-9]{4,18}|VTID-[0-9]{4,18}|[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*-[0-9]{4,18}))(?![A-Za-z0-9_-])')
          END AS candidate
 ) c
  LEFT JOIN (SELECT r.event_kind, r.ledger_status, p.priority
               FROM public.oasis_ledger_event_status r
               JOIN public.oasis_ledger_status_priority p ON p.status = r.ledger_status) mt
         ON mt.event_kind = lower(e.type)
  LEFT JOIN (SELECT r.event_kind, r.ledger_status, p.priority
               FROM public.oasis_ledger_event_status r
               JOIN public.oasis_ledger_status_priority p ON p.status = r.ledger_status) mp
         ON mp.event_kind = lower(e.topic)
  LEFT JOIN (SELECT r.event_status, r.ledger_status, p.priority
               FROM public.oasis_ledger_status_fallback r
               JOIN public.oasis_ledger_status_priority p ON p.status = r.ledger_status) f
         ON f.event_status = lower(e.status)
 CROSS JOIN LATERAL (
   -- The kind is the type when it has a rule, else the topic when it has one (seed 003 section 8 carries
   -- deployment_succeeded in topic), else the type; the status fallback applies when neither has a rule.
   SELECT coalesce(mt.ledger_status, mp.ledger_status, f.ledger_status) AS ledger_status,
          coalesce(mt.priority, mp.priority, f.priority) AS priority,
          CASE WHEN mt.event_kind IS NOT NULL THEN e.type
               WHEN mp.event_kind IS NOT NULL THEN e.topic
               ELSE coalesce(e.type, e.topic) END AS kind
 ) k;

COMMENT ON VIEW public.oasis_ledger_event_projection IS
  'Each OASIS event as the ledger writer sees it: VTID, kind, ledger status, priority, projected fields, writer_tenant, skip_reason.';

-- Seed 003 section 6 /metrics: one row per projector. security_invoker, like the view above.
CREATE OR REPLACE VIEW public.oasis_projector_metrics WITH (security_invoker = true) AS
SELECT o.projector_name,
       o.events_processed,
       CASE WHEN o.last_seq > 0 THEN o.updated_at END AS last_processed_at,
       o.last_event_time
  FROM public.projection_offsets o;

COMMENT ON VIEW public.oasis_projector_metrics IS
  'Seed 003 /metrics: events_processed, last_processed_at and last_event_time of every projector.';

-- functions: internal --------------------------------------------------------------------------------------------

-- ISO 8601 in UTC with milliseconds, as seed 003's JSON shows times ("2025-11-29T10:00:00.000Z").
CREATE OR REPLACE FUNCTION public.oasis_ledger_iso(p_at timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

-- Merges the events of one range ((after) < (tx_id, seq) <= (upto)) into vtid_ledger with one set-based upsert.
-- An event moves only a row of its writer's tenant (writer_tenant; null: any row). A VTID's row keeps the tenant
-- it was created with; a row the writer creates takes the tenant of its earliest event ('system' for a trusted
-- writer), and that batch's events of other tenants are left out.
-- Raises when vtid_ledger refuses a row; the caller then splits the range. Merging a range twice, or ranges in
-- any order, gives the same rows (the merge keeps maxima).
-- Returns {created, updated, skipped, ledger_sync notes read}.
DROP FUNCTION IF EXISTS public.oasis_ledger_merge_range(xid8, bigint, xid8, bigint);
CREATE FUNCTION public.oasis_ledger_merge_range(p_after_tx xid8, p_after_seq bigint, p_upto_tx xid8,
                                                p_upto_seq bigint) RETURNS bigint[]
  LANGUAGE plpgsql
  -- The planner estimates one row for a (tx_id, seq) range (it has no statistics for row comparisons) and then
  -- joins the batch to itself with nested loops: quadratic, hours for a 100,000-event batch. Every join here is
  -- an equi-join of whole batches, so hashing is always right. work_mem bounds each batch's hash tables and
  -- sorts (64 MB holds a 100,000-event batch without spilling); memory does not grow with the event log.
  SET enable_nestloop = off
  SET work_mem = '64MB'
  AS $$
DECLARE
  v_counts bigint[];
BEGIN
  WITH batch AS MATERIALIZED (
    -- Classified once here: joining the chosen events back to the view later made the planner classify the
    -- whole event log on every batch.
    SELECT e.id, e.type, e.created_at, e.vtid_candidate, e.kind, e.ledger_status, e.priority, e.service,
           e.environment, e.task_family, e.task_type, e.description, e.layer, e.module, e.writer_tenant,
           (NOT e.own_event AND e.ledger_status IS NOT NULL AND e.vtid_candidate IS NOT NULL
            AND e.writer_tenant IS DISTINCT FROM '') AS projects
      FROM public.oasis_ledger_event_projection e
     WHERE (e.tx_id, e.seq) > (p_after_tx, p_after_seq)
       AND (e.tx_id, e.seq) <= (p_upto_tx, p_upto_seq)
  ),
  -- Validating once per distinct candidate and hashing instead of sorting the batch: at ten events per VTID
  -- this is several times faster than DISTINCT ON over the batch.
  candidates AS (
    SELECT b.vtid_candidate AS vtid, min(b.created_at) AS first_at
      FROM batch b
     WHERE b.projects
     GROUP BY b.vtid_candidate
    HAVING public.vtid_is_valid(b.vtid_candidate)
  ),
  -- Whose row each VTID is: the stored row's tenant, else the tenant of the earliest event that would create it.
  owner AS (
    SELECT DISTINCT ON (c.vtid) c.vtid, coalesce(l.tenant, b.writer_tenant, 'system') AS tenant
      FROM candidates c
      JOIN batch b ON b.vtid_candidate = c.vtid AND b.created_at = c.first_at AND b.projects
      LEFT JOIN public.vtid_ledger l ON l.vtid = c.vtid
     ORDER BY c.vtid, b.id
  ),
  eligible AS (
    SELECT b.*
      FROM batch b
      JOIN owner o ON o.vtid = b.vtid_candidate
     WHERE b.projects AND (b.writer_tenant IS NULL OR b.writer_tenant = o.tenant)
  ),
  vtids AS (
    SELECT b.vtid_candidate AS vtid, max(b.created_at) AS last_at, min(b.created_at) AS first_at,
           count(*) AS events
      FROM eligible b
     GROUP BY b.vtid_candidate
  ),
  winner AS (
    SELECT DISTINCT ON (v.vtid) v.vtid, b.*
      FROM vtids v
      JOIN eligible b ON b.vtid_candidate = v.vtid AND b.created_at = v.last_at
     ORDER BY v.vtid, b.priority DESC, b.id DESC
  ),
  source AS (
    SELECT DISTINCT ON (v.vtid) v.vtid, b.*
      FROM vtids v
      JOIN eligible b ON b.vtid_candidate = v.vtid AND b.created_at = v.first_at
     ORDER BY v.vtid, b.id
  ),
  upserted AS (
    INSERT INTO public.vtid_ledger AS l
           (vtid, status, task_family, task_type, description, layer, module, service, environment, tenant,
            metadata, last_event_id, last_event_at, last_event_priority, source_event_id, source_event_at,
            created_at)
    SELECT w.vtid, w.ledger_status, s.task_family, s.task_type, s.description, s.layer, s.module, w.service,
           w.environment, o.tenant,
           jsonb_strip_nulls(jsonb_build_object('autoCreated', true, 'sourceEvent', s.id::text,
                                                'sourceType', s.kind, 'environment', s.environment)),
           w.id::text, w.created_at, w.priority, s.id::text, s.created_at, s.created_at
      FROM winner w
      JOIN source s ON s.vtid = w.vtid
      JOIN owner o ON o.vtid = w.vtid
    ON CONFLICT (vtid) DO UPDATE SET
      (status, service, environment, last_event_id, last_event_at, last_event_priority,
       task_family, task_type, description, layer, module, created_at, metadata, source_event_id, source_event_at)
      = (SELECT CASE WHEN m.wins THEN excluded.status ELSE l.status END,
                CASE WHEN m.wins THEN excluded.service ELSE l.service END,
                CASE WHEN m.wins THEN excluded.environment ELSE l.environment END,
                CASE WHEN m.wins THEN excluded.last_event_id ELSE l.last_event_id END,
                CASE WHEN m.wins THEN excluded.last_event_at ELSE l.last_event_at END,
                CASE WHEN m.wins THEN excluded.last_event_priority ELSE l.last_event_priority END,
                CASE WHEN m.earlier THEN excluded.task_family ELSE l.task_family END,
                CASE WHEN m.earlier THEN excluded.task_type ELSE l.task_type END,
                CASE WHEN m.earlier THEN excluded.description ELSE l.description END,
                CASE WHEN m.earlier THEN excluded.layer ELSE l.layer END,
                CASE WHEN m.earlier THEN excluded.module ELSE l.module END,
                CASE WHEN m.earlier THEN excluded.created_at ELSE l.created_at END,
                CASE WHEN m.earlier
                     THEN (l.metadata - 'sourceEvent' - 'sourceType' - 'environment') || excluded.metadata
                     ELSE l.metadata END,
                CASE WHEN m.earlier THEN excluded.source_event_id ELSE l.source_event_id END,
                CASE WHEN m.earlier THEN excluded.source_event_at ELSE l.source_event_at END
           FROM (SELECT
                   -- The batch's winner beats the stored one. A row nobody projected into yet (vtid_create's)
                   -- counts its creation, with its status's priority, as its first event.
                   (excluded.last_event_at, excluded.last_event_priority, excluded.last_event_id COLLATE "C")
                   > (coalesce(l.last_event_at, l.created_at),
                      coalesce(l.last_event_priority,
                               (SELECT p.priority FROM public.oasis_ledger_status_priority p
                                 WHERE p.status = l.status), 0),
                      coalesce(l.last_event_id, '') COLLATE "C") AS wins,
                   -- The batch has an earlier source event for a row the writer created (others have none).
                   coalesce((excluded.source_event_at, excluded.source_event_id COLLATE "C")
                            < (l.source_event_at, l.source_event_id COLLATE "C"), false) AS earlier) m)
    WHERE (excluded.last_event_at, excluded.last_event_priority, excluded.last_event_id COLLATE "C")
          > (coalesce(l.last_event_at, l.created_at),
             coalesce(l.last_event_priority,
                      (SELECT p.priority FROM public.oasis_ledger_status_priority p WHERE p.status = l.status), 0),
             coalesce(l.last_event_id, '') COLLATE "C")
       OR (excluded.source_event_at, excluded.source_event_id COLLATE "C")
          < (l.source_event_at, l.source_event_id COLLATE "C")
    RETURNING (l.xmax = 0) AS inserted
  )
  SELECT ARRAY[(SELECT count(*) FILTER (WHERE u.inserted) FROM upserted u),
               (SELECT count(*) FILTER (WHERE NOT u.inserted) FROM upserted u),
               (SELECT count(*) FROM batch b) - (SELECT coalesce(sum(v.events), 0)::bigint FROM vtids v),
               (SELECT count(*) FILTER (WHERE b.type = 'ledger_sync') FROM batch b)]
    INTO v_counts;
  RETURN v_counts;
END
$$;

COMMENT ON FUNCTION public.oasis_ledger_merge_range(xid8, bigint, xid8, bigint) IS
  'Internal to oasis_ledger_sync: merges the events of one (tx_id, seq) range into vtid_ledger; idempotent.';

-- True while a `dbcanon ledger watch` session holds the writer's advisory lock ('dbcn', 'ledg').
CREATE OR REPLACE FUNCTION public.oasis_ledger_watcher_running() RETURNS boolean
  LANGUAGE sql STABLE
  RETURN EXISTS (
    SELECT 1
      FROM pg_catalog.pg_locks k
     WHERE k.locktype = 'advisory' AND k.granted
       AND k.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
       AND k.classid = 1684169582 AND k.objid = 1818584167 AND k.objsubid = 2);

-- Claims the watcher's advisory lock for this session (released when the session ends). False when another
-- watcher holds it; two watchers are still safe, since every sync serialises on the checkpoint row.
CREATE OR REPLACE FUNCTION public.oasis_ledger_claim_watcher() RETURNS boolean
  LANGUAGE sql VOLATILE
  RETURN pg_catalog.pg_try_advisory_lock(1684169582, 1818584167);

-- The transaction horizon of this database: every transaction that could have stored an event with a smaller
-- tx_id has ended, so the events below it are final. It is pg_snapshot_xmin(pg_current_snapshot()) except that
-- a running transaction known to belong to another database is left out: no transaction writes another
-- database's tables, and on a shared server (tests, Supabase branches) one long transaction elsewhere would
-- otherwise hold every ledger back. Only a positive attribution removes an xid (pg_stat_activity.backend_xid with
-- another datid); an xid that cannot be attributed (hidden from this role, already ended, prepared) stays in,
-- which can only delay projection, never skip an event. Our own xid, when we have one, always counts.
CREATE OR REPLACE FUNCTION public.oasis_ledger_horizon() RETURNS xid8
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  v_snapshot pg_catalog.pg_snapshot;
  v_horizon xid8;
BEGIN
  -- pg_stat_activity is cached per transaction; a stale copy could miss a transaction that started since.
  PERFORM pg_catalog.pg_stat_clear_snapshot();
  v_snapshot := pg_catalog.pg_current_snapshot();
  SELECT coalesce(min(r.xid), pg_catalog.pg_snapshot_xmax(v_snapshot))
    INTO v_horizon
    FROM pg_catalog.pg_snapshot_xip(v_snapshot) AS r(xid)
   WHERE NOT EXISTS (
     SELECT 1
       FROM pg_catalog.pg_stat_activity a
      WHERE a.backend_xid = pg_catalog.xid(r.xid)
        AND a.datid <> (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database()));
  RETURN least(v_horizon, pg_catalog.pg_current_xact_id_if_assigned());
END
$$;

COMMENT ON FUNCTION public.oasis_ledger_horizon() IS
  'Smallest xid that may still commit an event in this database: events with a smaller tx_id are final.';

-- Releases the watcher's advisory lock held by this session (a pooled session outlives the watcher).
CREATE OR REPLACE FUNCTION public.oasis_ledger_release_watcher() RETURNS boolean
  LANGUAGE sql VOLATILE
  RETURN pg_catalog.pg_advisory_unlock(1684169582, 1818584167);

-- functions: SQL API ---------------------------------------------------------------------------------------------

-- Projects the next p_max_events stored events (every pending one when null) into vtid_ledger and returns
-- {processed, created, updated, skipped, errors, last_event_id, last_event_time}. Guarantees: every event is
-- read exactly once, in (tx_id, seq) order, never before every older transaction has ended; the checkpoint moves
-- in this transaction, so a rolled-back or killed sync leaves nothing behind; concurrent syncs wait for each
-- other. An event that vtid_ledger refuses is recorded in oasis_ledger_errors and the rest of its batch is
-- projected. Emits one ledger_sync event (seed 003 section 7) when it processed anything but ledger_sync events.
CREATE OR REPLACE FUNCTION public.oasis_ledger_sync(p_max_events integer DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  c_projector CONSTANT text := 'vtid_ledger_writer';
  v_after_tx xid8;
  v_after_seq bigint;
  v_last_id uuid;
  v_last_time timestamptz;
  v_horizon xid8;
  v_end record;
  v_part bigint[];
  v_created bigint := 0;
  v_updated bigint := 0;
  v_skipped bigint := 0;
  v_sync_notes bigint := 0;
  v_errors bigint := 0;
  v_txs xid8[];
  v_seqs bigint[];
  v_lo integer[];
  v_hi integer[];
  v_from integer;
  v_to integer;
  v_mid integer;
  v_state text;
  v_message text;
  v_result jsonb;
BEGIN
  IF p_max_events IS NOT NULL AND p_max_events < 1 THEN
    RAISE EXCEPTION 'oasis_ledger_sync: p_max_events must be 1 or more, not %', p_max_events
      USING ERRCODE = '22023', HINT = 'pass null (the default) to project every pending event';
  END IF;

  INSERT INTO public.projection_offsets (projector_name, last_tx_id, last_seq, events_processed)
  VALUES (c_projector, '0', 0, 0)
  ON CONFLICT (projector_name) DO NOTHING;
  -- The row lock makes concurrent syncs take turns; the second one reads the checkpoint the first one wrote.
  SELECT coalesce(o.last_tx_id, '0'), coalesce(o.last_seq, 0), o.last_event_id, o.last_event_time
    INTO v_after_tx, v_after_seq, v_last_id, v_last_time
    FROM public.projection_offsets o
   WHERE o.projector_name = c_projector
     FOR UPDATE;

  v_horizon := public.oasis_ledger_horizon();
  SELECT b.tx_id, b.seq, b.id, b.created_at, b.n
    INTO v_end
    FROM (SELECT e.tx_id, e.seq, e.id, e.created_at, row_number() OVER (ORDER BY e.tx_id, e.seq) AS n
            FROM public.oasis_events e
           WHERE (e.tx_id, e.seq) > (v_after_tx, v_after_seq)
             AND e.tx_id < v_horizon
           ORDER BY e.tx_id, e.seq
           LIMIT p_max_events) b
   ORDER BY b.n DESC
   LIMIT 1;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('processed', 0, 'created', 0, 'updated', 0, 'skipped', 0, 'errors', 0,
                              'last_event_id', v_last_id, 'last_event_time', public.oasis_ledger_iso(v_last_time));
  END IF;

  BEGIN
    v_part := public.oasis_ledger_merge_range(v_after_tx, v_after_seq, v_end.tx_id, v_end.seq);
    v_created := v_part[1];
    v_updated := v_part[2];
    v_skipped := v_part[3];
    v_sync_notes := v_part[4];
  EXCEPTION WHEN integrity_constraint_violation OR data_exception OR raise_exception THEN
    -- Some row was refused. Split the batch in halves until each refused event stands alone: k bad events
    -- cost about 2k·log2(batch) merges instead of one exception block per event on every batch.
    SELECT array_agg(e.tx_id ORDER BY e.tx_id, e.seq), array_agg(e.seq ORDER BY e.tx_id, e.seq)
      INTO v_txs, v_seqs
      FROM public.oasis_events e
     WHERE (e.tx_id, e.seq) > (v_after_tx, v_after_seq) AND (e.tx_id, e.seq) <= (v_end.tx_id, v_end.seq);
    v_lo := ARRAY[1];
    v_hi := ARRAY[cardinality(v_txs)];
    WHILE cardinality(v_lo) > 0 LOOP
      v_from := v_lo[cardinality(v_lo)];
      v_to := v_hi[cardinality(v_hi)];
      v_lo := trim_array(v_lo, 1);
      v_hi := trim_array(v_hi, 1);
      BEGIN
        v_part := public.oasis_ledger_merge_range(
                    CASE WHEN v_from = 1 THEN v_after_tx ELSE v_txs[v_from - 1] END,
                    CASE WHEN v_from = 1 THEN v_after_seq ELSE v_seqs[v_from - 1] END,
                    v_txs[v_to], v_seqs[v_to]);
        v_created := v_created + v_part[1];
        v_updated := v_updated + v_part[2];
        v_skipped := v_skipped + v_part[3];
        v_sync_notes := v_sync_notes + v_part[4];
      EXCEPTION WHEN integrity_constraint_violation OR data_exception OR raise_exception THEN
        IF v_from = v_to THEN
          GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
          INSERT INTO public.oasis_ledger_errors AS r (event_id, event_seq, event_tx_id, vtid, ledger_status,
                                                       sqlstate, reason)
          SELECT p.id, p.seq, p.tx_id, p.vtid, p.ledger_status, v_state, v_message
            FROM public.oasis_ledger_event_projection p
           WHERE p.tx_id = v_txs[v_from] AND p.seq = v_seqs[v_from]
          ON CONFLICT (event_id) DO UPDATE
            SET sqlstate = excluded.sqlstate, reason = excluded.reason, vtid = excluded.vtid,
                ledger_status = excluded.ledger_status, attempts = r.attempts + 1, last_failed_at = now();
          v_errors := v_errors + 1;
        ELSE
          v_mid := (v_from + v_to) / 2;
          v_lo := v_lo || ARRAY[v_mid + 1, v_from];
          v_hi := v_hi || ARRAY[v_to, v_mid];
        END IF;
      END;
    END LOOP;
  END;

  -- Compare-and-set: the checkpoint must still be where this sync started (it is, under the row lock; the
  -- check turns a broken assumption into an error instead of a skipped or doubled range).
  UPDATE public.projection_offsets o
     SET last_tx_id = v_end.tx_id, last_seq = v_end.seq, last_event_id = v_end.id,
         last_event_time = v_end.created_at, events_processed = o.events_processed + v_end.n
   WHERE o.projector_name = c_projector
     AND coalesce(o.last_tx_id, '0') = v_after_tx AND coalesce(o.last_seq, 0) = v_after_seq;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'oasis_ledger_sync: the checkpoint of % moved during the sync', c_projector
      USING ERRCODE = '40001', HINT = 'run the sync again';
  END IF;

  v_result := jsonb_build_object('processed', v_end.n, 'created', v_created, 'updated', v_updated,
                                 'skipped', v_skipped, 'errors', v_errors, 'last_event_id', v_end.id,
                                 'last_event_time', public.oasis_ledger_iso(v_end.created_at));
  -- A batch of nothing but earlier ledger_sync notes is not worth a note: noting it would wake every watcher
  -- for another round, forever.
  IF v_end.n > v_sync_notes THEN
    PERFORM public.oasis_ingest(jsonb_build_object(
      'service', 'oasis-projector',
      'event', 'ledger_sync',
      'tenant', 'system',
      'status', CASE WHEN v_errors > 0 THEN 'warning' ELSE 'success' END,
      'notes', format('Processed %s events: %s updated, %s created, %s errors', v_end.n, v_updated, v_created,
                      v_errors),
      'metadata', jsonb_build_object('processed', v_end.n, 'updated', v_updated, 'created', v_created,
                                     'errors', v_errors, 'skipped', v_skipped, 'lastEventId', v_end.id,
                                     'lastEventTime', public.oasis_ledger_iso(v_end.created_at),
                                     'vtid', NULL)));
  END IF;
  RETURN v_result;
END
$$;

COMMENT ON FUNCTION public.oasis_ledger_sync(integer) IS
  'Seed 003 ledger writer: projects the next p_max_events events (all when null) into vtid_ledger, exactly once.';

-- Moves the checkpoint back to the first event, so that the next syncs read every event again. The merge keeps
-- maxima, so re-reading changes only rows that an event newly projects (a rule added since, an error fixed).
CREATE OR REPLACE FUNCTION public.oasis_ledger_replay() RETURNS jsonb
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_before public.projection_offsets;
BEGIN
  INSERT INTO public.projection_offsets (projector_name, last_tx_id, last_seq, events_processed)
  VALUES ('vtid_ledger_writer', '0', 0, 0)
  ON CONFLICT (projector_name) DO NOTHING;
  SELECT * INTO v_before FROM public.projection_offsets WHERE projector_name = 'vtid_ledger_writer' FOR UPDATE;
  UPDATE public.projection_offsets
     SET last_tx_id = '0', last_seq = 0, last_event_id = NULL, last_event_time = NULL, events_processed = 0
   WHERE projector_name = 'vtid_ledger_writer';
  RETURN jsonb_build_object('reset', true, 'events_processed_before', v_before.events_processed,
                            'last_event_id_before', v_before.last_event_id);
END
$$;

COMMENT ON FUNCTION public.oasis_ledger_replay() IS
  'Resets the ledger writer''s checkpoint to the first event; the next oasis_ledger_sync calls re-project all.';

-- Seed 003 section 6 status, plus pending: events stored after the checkpoint (the writer's own ledger_sync
-- notes excluded), whether or not their transactions have ended.
CREATE OR REPLACE FUNCTION public.oasis_ledger_status() RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$
  SELECT jsonb_build_object(
           'running', public.oasis_ledger_watcher_running(),
           'events_processed', coalesce(o.events_processed, 0),
           'last_processed_at', public.oasis_ledger_iso(m.last_processed_at),
           'last_event_id', o.last_event_id,
           'last_event_time', public.oasis_ledger_iso(o.last_event_time),
           'pending', (SELECT count(*)
                         FROM public.oasis_events e
                        WHERE (e.tx_id, e.seq) > (coalesce(o.last_tx_id, '0'), coalesce(o.last_seq, 0))
                          AND e.type <> 'ledger_sync'),
           'recent_syncs', coalesce((
             SELECT jsonb_agg(jsonb_build_object('id', s.id, 'status', s.status, 'notes', s.message,
                                                 'metadata', s.metadata,
                                                 'created_at', public.oasis_ledger_iso(s.created_at))
                              ORDER BY s.created_at DESC, s.seq DESC)
               FROM (SELECT * FROM public.oasis_events e
                      WHERE e.type = 'ledger_sync'
                      ORDER BY e.created_at DESC, e.seq DESC
                      LIMIT 5) s), '[]'::jsonb))
    FROM (SELECT 1) one
    LEFT JOIN public.projection_offsets o ON o.projector_name = 'vtid_ledger_writer'
    LEFT JOIN public.oasis_projector_metrics m ON m.projector_name = 'vtid_ledger_writer';
$$;

COMMENT ON FUNCTION public.oasis_ledger_status() IS
  'Seed 003 ledger status: running, events_processed, last_processed_at, last_event_*, pending, recent_syncs.';

-- grants ---------------------------------------------------------------------------------------------------------

-- The writer, its status and its views are the platform backend's (service_role) and the owner's: they read every
-- tenant's events and the writer's bookkeeping, which no API user may see (policies/ give users no grant on
-- projection_offsets or oasis_ledger_errors). Revoked from every API role first, so that a database migrated
-- when Supabase's default privileges still granted them ends like a new one.
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'public.oasis_ledger_iso(timestamptz)', 'public.oasis_ledger_merge_range(xid8, bigint, xid8, bigint)',
    'public.oasis_ledger_watcher_running()', 'public.oasis_ledger_claim_watcher()', 'public.oasis_ledger_horizon()',
    'public.oasis_ledger_release_watcher()', 'public.oasis_ledger_sync(integer)', 'public.oasis_ledger_replay()',
    'public.oasis_ledger_status()'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, service_role', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', f);
  END LOOP;
END
$$;
REVOKE ALL ON public.oasis_ledger_event_projection, public.oasis_projector_metrics
  FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON public.oasis_ledger_event_projection, public.oasis_projector_metrics TO service_role;
