-- VTID numbering and the VTID ledger's SQL API (seed 002 "VTID Numbering System").
-- Repeatable: re-applied whenever it changes, so every statement is CREATE OR REPLACE.
-- vtid_is_valid() and vtid_sort_key() live in migrations/20260101000100_platform_tables.sql because a CHECK
-- constraint and an index depend on them.
-- Sections: helpers, allocation, writes, reads, statistics, grants.

-- helpers --------------------------------------------------------------------------------------------------------

-- The nine statuses vtid_ledger.status accepts, in the order DATABASE_SCHEMA.md lists them.
CREATE OR REPLACE FUNCTION public.vtid_statuses() RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['scheduled', 'in_progress', 'completed', 'pending', 'active', 'review', 'complete', 'blocked',
               'cancelled'];

-- Raises 22023 naming the argument when a required text argument is missing or blank.
CREATE OR REPLACE FUNCTION public.vtid_require(p_function text, p_field text, p_value text) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF p_value IS NULL OR btrim(p_value) = '' THEN
    RAISE EXCEPTION '%: % is required', p_function, p_field
      USING ERRCODE = '22023', HINT = format('pass %s => ''…''', p_field);
  END IF;
END
$$;

-- Raises 22023 unless the text is a valid VTID; names the argument.
CREATE OR REPLACE FUNCTION public.vtid_require_valid(p_function text, p_field text, p_value text) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  PERFORM public.vtid_require(p_function, p_field, p_value);
  IF NOT public.vtid_is_valid(p_value) THEN
    RAISE EXCEPTION '%: % ''%'' is not a valid VTID', p_function, p_field, p_value
      USING ERRCODE = '22023',
            HINT = 'VTIDs look like VTID-2026-0001, VTID-01096 or DEV-OASIS-0010 (upper case, 4 or more digits)';
  END IF;
END
$$;

-- Raises 22023 unless the status is one of vtid_statuses().
CREATE OR REPLACE FUNCTION public.vtid_require_status(p_function text, p_status text) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF p_status IS NULL OR NOT p_status = ANY (public.vtid_statuses()) THEN
    RAISE EXCEPTION '%: p_status ''%'' is not a VTID status', p_function, coalesce(p_status, 'null')
      USING ERRCODE = '22023', HINT = 'use one of: ' || array_to_string(public.vtid_statuses(), ', ');
  END IF;
END
$$;

-- Writes one vtid.* audit event for a ledger row, in the legacy shape of seed 002 "Integration with OASIS"
-- mapped to columns (service and source vtid-ledger, tenant and vtid in metadata).
CREATE OR REPLACE FUNCTION public.vtid_emit(p_type text, p_row public.vtid_ledger, p_message text,
                                            p_extra jsonb DEFAULT '{}') RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO public.oasis_events (type, source, vtid, service, status, message, payload, metadata)
  VALUES (p_type, 'vtid-ledger', p_row.vtid, 'vtid-ledger', 'success', p_message,
          jsonb_build_object('task_family', p_row.task_family, 'task_type', p_row.task_type,
                             'status', p_row.status, 'assigned_to', p_row.assigned_to,
                             'parent_vtid', p_row.parent_vtid),
          jsonb_build_object('vtid', p_row.vtid, 'tenant', p_row.tenant) || coalesce(p_extra, '{}'));
END
$$;

-- allocation -----------------------------------------------------------------------------------------------------

-- The counter of one year, created on first use. Returns the sequence; never hands out a number already stored
-- in vtid_ledger for that year (a recreated counter starts after the highest one). Security definer because any
-- role that may allocate must be able to create the year's counter, which needs CREATE on schema public. It lives
-- in `private` (not exposed through the API, no API role has USAGE): only vtid_next() calls it, so no client can
-- create counters at will.
CREATE OR REPLACE FUNCTION private.vtid_year_sequence(p_year integer) RETURNS regclass
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
  AS $$
DECLARE
  v_name text;
  v_seq regclass;
  v_floor bigint;
BEGIN
  IF p_year IS NULL OR p_year < 1000 OR p_year > 9999 THEN
    RAISE EXCEPTION 'vtid_next: p_year must be a four-digit year, not %', coalesce(p_year::text, 'null')
      USING ERRCODE = '22023';
  END IF;
  v_name := 'vtid_year_seq_' || p_year;
  v_seq := pg_catalog.to_regclass('public.' || v_name);
  IF v_seq IS NOT NULL THEN
    RETURN v_seq;
  END IF;
  -- Two first callers of a year race here; the advisory lock makes the second wait for the first's commit,
  -- and the exception block covers a creator that committed between our lookup and our CREATE.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('dbcanon.vtid_year_sequence'), p_year);
  v_seq := pg_catalog.to_regclass('public.' || v_name);
  IF v_seq IS NOT NULL THEN
    RETURN v_seq;
  END IF;
  SELECT coalesce(max(pg_catalog.substr(l.vtid, 11)::bigint), 0) INTO v_floor
    FROM public.vtid_ledger l
   WHERE l.vtid OPERATOR(pg_catalog.~) ('^VTID-' || p_year || '-[0-9]+$');
  BEGIN
    EXECUTE pg_catalog.format('CREATE SEQUENCE public.%I AS bigint START WITH %s', v_name, v_floor + 1);
    -- USAGE lets an allocator call nextval; no API role gets UPDATE, which setval needs.
    EXECUTE pg_catalog.format('REVOKE ALL ON SEQUENCE public.%I FROM PUBLIC', v_name);
    EXECUTE pg_catalog.format('GRANT USAGE, SELECT ON SEQUENCE public.%I TO service_role, authenticated', v_name);
  EXCEPTION WHEN duplicate_table OR unique_violation THEN
    NULL;
  END;
  RETURN pg_catalog.to_regclass('public.' || v_name);
END
$$;

-- Allocates the next VTID-YYYY-NNNN of the year (UTC by default): unique under any concurrency, 4-digit padding
-- that widens past 9999 (VTID-2026-10000), gaps allowed (a rolled-back allocation is not reused).
-- A single SQL expression, so the planner inlines it into the caller: format('%4s') pads without truncating and
-- reads nextval() once; the year's counter is created only when the lookup finds none.
-- format() rather than ||: the planner folds a strict || with a null argument to null, so vtid_next(null) returned
-- null instead of reaching vtid_year_sequence's error.
CREATE OR REPLACE FUNCTION public.vtid_next(p_year integer DEFAULT extract(year FROM now() AT TIME ZONE 'UTC')::integer)
  RETURNS text
  LANGUAGE sql VOLATILE
  RETURN format('VTID-%s-%s', p_year, replace(format('%4s', nextval(
    coalesce(to_regclass('public.vtid_year_seq_' || p_year), private.vtid_year_sequence(p_year)))), ' ', '0'));

-- Before 2026-12 the counter function was public.vtid_year_sequence and any role could call it through /rpc/.
DROP FUNCTION IF EXISTS public.vtid_year_sequence(integer);

-- Allocates the next global VTID-NNNNN (the form of the later documents, e.g. VTID-01096): unique, 5-digit
-- padding that widens past 99999.
CREATE OR REPLACE FUNCTION public.vtid_next_global() RETURNS text
  LANGUAGE sql VOLATILE
  RETURN 'VTID-' || replace(format('%5s', nextval('public.vtid_global_seq'::regclass)), ' ', '0');

-- writes ---------------------------------------------------------------------------------------------------------

-- Allocates a VTID and stores the task (seed 002 POST /vtid/create): task family, type, description and
-- tenant are required (22023 naming the argument), the parent must exist (23503), the status must be one of
-- vtid_statuses(); emits vtid.created.
CREATE OR REPLACE FUNCTION public.vtid_create(
  p_task_family text DEFAULT NULL,
  p_task_type text DEFAULT NULL,
  p_description text DEFAULT NULL,
  p_tenant text DEFAULT NULL,
  p_status text DEFAULT 'pending',
  p_assigned_to text DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}',
  p_parent_vtid text DEFAULT NULL,
  p_title text DEFAULT NULL,
  p_layer text DEFAULT NULL,
  p_module text DEFAULT NULL,
  p_year integer DEFAULT NULL
) RETURNS public.vtid_ledger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_row public.vtid_ledger;
BEGIN
  PERFORM public.vtid_require('vtid_create', 'p_task_family', p_task_family);
  PERFORM public.vtid_require('vtid_create', 'p_task_type', p_task_type);
  PERFORM public.vtid_require('vtid_create', 'p_description', p_description);
  PERFORM public.vtid_require('vtid_create', 'p_tenant', p_tenant);
  PERFORM public.vtid_require_status('vtid_create', p_status);
  IF p_metadata IS NOT NULL AND jsonb_typeof(p_metadata) <> 'object' THEN
    RAISE EXCEPTION 'vtid_create: p_metadata must be a JSON object, not %', jsonb_typeof(p_metadata)
      USING ERRCODE = '22023';
  END IF;
  IF p_parent_vtid IS NOT NULL THEN
    PERFORM public.vtid_require_valid('vtid_create', 'p_parent_vtid', p_parent_vtid);
    IF NOT EXISTS (SELECT 1 FROM public.vtid_ledger WHERE vtid = p_parent_vtid) THEN
      RAISE EXCEPTION 'vtid_create: parent VTID % does not exist', p_parent_vtid
        USING ERRCODE = '23503', HINT = 'create the parent first, or check the VTID with vtid_get()';
    END IF;
  END IF;

  INSERT INTO public.vtid_ledger (vtid, task_family, task_type, description, tenant, status, assigned_to,
                                  metadata, parent_vtid, title, layer, module)
  VALUES (CASE WHEN p_year IS NULL THEN public.vtid_next() ELSE public.vtid_next(p_year) END,
          p_task_family, p_task_type, p_description, p_tenant, p_status, p_assigned_to,
          coalesce(p_metadata, '{}'), p_parent_vtid, p_title, p_layer, p_module)
  RETURNING * INTO v_row;

  PERFORM public.vtid_emit('vtid.created', v_row, format('%s created: %s', v_row.vtid, v_row.description));
  RETURN v_row;
END
$$;

-- Updates status, assignee and/or metadata (seed 002 PATCH /vtid/:vtid): metadata merges key by key into the
-- stored object (top-level keys replace), updated_at bumps (trigger), 22023 for an invalid argument, P0002 for
-- an unknown VTID. Emits vtid.completed (with its duration since creation) when the status becomes complete or
-- completed, vtid.updated otherwise.
CREATE OR REPLACE FUNCTION public.vtid_update(
  p_vtid text DEFAULT NULL,
  p_status text DEFAULT NULL,
  p_assigned_to text DEFAULT NULL,
  p_metadata jsonb DEFAULT NULL
) RETURNS public.vtid_ledger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_old public.vtid_ledger;
  v_row public.vtid_ledger;
  v_seconds numeric;
BEGIN
  PERFORM public.vtid_require_valid('vtid_update', 'p_vtid', p_vtid);
  IF p_status IS NULL AND p_assigned_to IS NULL AND p_metadata IS NULL THEN
    RAISE EXCEPTION 'vtid_update: nothing to update for %', p_vtid
      USING ERRCODE = '22023', HINT = 'pass at least one of p_status, p_assigned_to, p_metadata';
  END IF;
  IF p_status IS NOT NULL THEN
    PERFORM public.vtid_require_status('vtid_update', p_status);
  END IF;
  IF p_metadata IS NOT NULL AND jsonb_typeof(p_metadata) <> 'object' THEN
    RAISE EXCEPTION 'vtid_update: p_metadata must be a JSON object, not %', jsonb_typeof(p_metadata)
      USING ERRCODE = '22023';
  END IF;

  SELECT * INTO v_old FROM public.vtid_ledger WHERE vtid = p_vtid FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'vtid_update: VTID % not found', p_vtid
      USING ERRCODE = 'P0002', HINT = 'vtid_list() shows the stored VTIDs';
  END IF;

  UPDATE public.vtid_ledger
     SET status = coalesce(p_status, status),
         assigned_to = coalesce(p_assigned_to, assigned_to),
         metadata = metadata || coalesce(p_metadata, '{}')
   WHERE vtid = p_vtid
  RETURNING * INTO v_row;

  IF v_row.status IN ('complete', 'completed') AND v_old.status NOT IN ('complete', 'completed') THEN
    v_seconds := round(extract(epoch FROM (now() - v_row.created_at)), 3);
    PERFORM public.vtid_emit('vtid.completed', v_row,
      format('%s completed after %s h', v_row.vtid, round(v_seconds / 3600, 2)),
      jsonb_build_object('duration', round(v_seconds / 3600, 4), 'duration_seconds', v_seconds));
  ELSE
    PERFORM public.vtid_emit('vtid.updated', v_row, format('%s updated', v_row.vtid),
      jsonb_build_object('changes', jsonb_strip_nulls(jsonb_build_object(
        'status', CASE WHEN p_status IS NOT NULL THEN jsonb_build_object('from', v_old.status, 'to', v_row.status) END,
        'assigned_to', CASE WHEN p_assigned_to IS NOT NULL
                            THEN jsonb_build_object('from', v_old.assigned_to, 'to', v_row.assigned_to) END,
        'metadata_keys', CASE WHEN p_metadata IS NOT NULL
                              THEN (SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(p_metadata) k) END))));
  END IF;
  RETURN v_row;
END
$$;

-- reads ----------------------------------------------------------------------------------------------------------

-- One task (seed 002 GET /vtid/:vtid): 22023 for a malformed VTID, P0002 when it is not stored.
CREATE OR REPLACE FUNCTION public.vtid_get(p_vtid text DEFAULT NULL) RETURNS public.vtid_ledger
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  v_row public.vtid_ledger;
BEGIN
  PERFORM public.vtid_require_valid('vtid_get', 'p_vtid', p_vtid);
  SELECT * INTO v_row FROM public.vtid_ledger WHERE vtid = p_vtid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'vtid_get: VTID % not found', p_vtid USING ERRCODE = 'P0002';
  END IF;
  RETURN v_row;
END
$$;

-- Tasks filtered by family, status and tenant (seed 002 GET /vtid/list), newest VTID first in (year, number)
-- order, at most p_limit (1..1000) rows.
CREATE OR REPLACE FUNCTION public.vtid_list(
  p_task_family text DEFAULT NULL,
  p_status text DEFAULT NULL,
  p_tenant text DEFAULT NULL,
  p_limit integer DEFAULT 50
) RETURNS SETOF public.vtid_ledger
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 1000 THEN
    RAISE EXCEPTION 'vtid_list: p_limit must be between 1 and 1000, not %', coalesce(p_limit::text, 'null')
      USING ERRCODE = '22023';
  END IF;
  IF p_status IS NOT NULL THEN
    PERFORM public.vtid_require_status('vtid_list', p_status);
  END IF;
  RETURN QUERY
    SELECT *
      FROM public.vtid_ledger l
     WHERE (p_task_family IS NULL OR l.task_family = p_task_family)
       AND (p_status IS NULL OR l.status = p_status)
       AND (p_tenant IS NULL OR l.tenant = p_tenant)
     ORDER BY public.vtid_sort_key(l.vtid) DESC
     LIMIT p_limit;
END
$$;

-- statistics -----------------------------------------------------------------------------------------------------

-- The key metrics of seed 002 "Monitoring" for tasks created since p_since (all time when null): creation rate
-- per hour (overall, and per hour for the last 48 hours of the window), status distribution, time from creation
-- to completion, and a breakdown by task family. Reads only what the caller may read.
CREATE OR REPLACE FUNCTION public.vtid_stats(p_since timestamptz DEFAULT NULL) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$
  WITH tasks AS (
    SELECT * FROM public.vtid_ledger WHERE p_since IS NULL OR created_at >= p_since
  ),
  bounds AS (
    SELECT coalesce(p_since, min(created_at)) AS since, now() AS until, count(*) AS total FROM tasks
  ),
  completions AS (
    -- A task completed through vtid_update carries its completion event; one completed by the ledger writer
    -- or by hand falls back to its last update.
    SELECT t.vtid, t.task_family,
           extract(epoch FROM (coalesce(e.completed_at, t.updated_at) - t.created_at)) AS seconds
      FROM tasks t
      LEFT JOIN LATERAL (SELECT min(o.created_at) AS completed_at FROM public.oasis_events o
                          WHERE o.vtid = t.vtid AND o.type = 'vtid.completed') e ON true
     WHERE t.status IN ('complete', 'completed')
  )
  SELECT jsonb_build_object(
    'since', b.since,
    'until', b.until,
    'total', b.total,
    'creation_rate_per_hour', CASE
      WHEN b.total = 0 THEN 0
      ELSE round(b.total / greatest(extract(epoch FROM (b.until - b.since)) / 3600, 1)::numeric, 3) END,
    'created_per_hour', coalesce((
      SELECT jsonb_agg(jsonb_build_object('hour', h.hour, 'count', h.n) ORDER BY h.hour)
        FROM (SELECT date_trunc('hour', created_at) AS hour, count(*) AS n FROM tasks
               WHERE created_at >= greatest(b.since, b.until - interval '48 hours')
               GROUP BY 1) h), '[]'),
    'status_distribution', coalesce((
      SELECT jsonb_object_agg(s.status, s.n) FROM (SELECT status, count(*) AS n FROM tasks GROUP BY 1) s), '{}'),
    'completion_seconds', (
      SELECT jsonb_build_object(
        'count', count(*),
        'avg', round(avg(seconds), 3),
        'median', round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds))::numeric, 3),
        'p90', round((percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds))::numeric, 3),
        'max', round(max(seconds), 3))
        FROM completions),
    'by_task_family', coalesce((
      SELECT jsonb_object_agg(f.family, jsonb_build_object('total', f.total, 'completed', f.completed,
                                                           'avg_completion_seconds', f.avg_seconds))
        FROM (SELECT coalesce(t.task_family, '(none)') AS family, count(*) AS total,
                     count(*) FILTER (WHERE t.status IN ('complete', 'completed')) AS completed,
                     (SELECT round(avg(c.seconds), 3) FROM completions c
                       WHERE c.task_family IS NOT DISTINCT FROM t.task_family) AS avg_seconds
                FROM tasks t GROUP BY t.task_family) f), '{}'))
  FROM bounds b;
$$;

-- grants ---------------------------------------------------------------------------------------------------------

-- Signed-in users and service_role use the VTID API (row-level security on vtid_ledger decides which rows);
-- anon uses none of it. vtid_year_sequence is internal: the roles that allocate execute it through vtid_next, which
-- runs as its caller, but cannot name it themselves (no USAGE on schema private).
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'public.vtid_statuses()', 'public.vtid_require(text, text, text)', 'public.vtid_require_valid(text, text, text)',
    'public.vtid_require_status(text, text)', 'public.vtid_emit(text, public.vtid_ledger, text, jsonb)',
    'private.vtid_year_sequence(integer)', 'public.vtid_next(integer)', 'public.vtid_next_global()',
    'public.vtid_create(text, text, text, text, text, text, jsonb, text, text, text, text, integer)',
    'public.vtid_update(text, text, text, jsonb)', 'public.vtid_get(text)',
    'public.vtid_list(text, text, text, integer)', 'public.vtid_stats(timestamptz)',
    'public.vtid_is_valid(text)', 'public.vtid_sort_key(text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO authenticated, service_role', f);
  END LOOP;
END
$$;

-- Counters for this year and the next exist ahead of time, so the first allocation of a year does not create
-- its counter inside a caller's transaction (a rollback there would take the new counter with it).
SELECT private.vtid_year_sequence(y)
  FROM generate_series(extract(year FROM now() AT TIME ZONE 'UTC')::integer,
                       extract(year FROM now() AT TIME ZONE 'UTC')::integer + 1) AS y;
