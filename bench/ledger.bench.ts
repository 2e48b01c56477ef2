/**
 * `npm run bench -- ledger`: the ledger writer against its two baselines, on one scratch database.
 *
 *   events  LEDGER_BENCH_EVENTS (default 1,000,000) over LEDGER_BENCH_VTIDS (default 100,000) VTIDs, stored
 *           with one INSERT … SELECT generate_series through every trigger and index that production has
 *   row 1   oasis_ledger_sync, batched as `dbcanon ledger sync` does (LEDGER_BENCH_BATCH, default the CLI's)
 *   row A   one INSERT … SELECT DISTINCT ON … ON CONFLICT of the same final rows into a copy of vtid_ledger
 *   row B   a row-at-a-time TypeScript projector (fetch 1,000 events, one UPSERT per event: seed 003's design)
 *           on the first LEDGER_BENCH_B_EVENTS (default 20,000) events, into another copy
 *
 * Per batch it prints the server backend's private memory (RssAnon of /proc/<pid>/status, readable when the
 * server runs on this machine) and the temp bytes the database spilled, to show memory stays flat.
 * Needs DATABASE_URL (a server where it may create and drop a database).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { migrateUp } from '../src/migrate/index.js';
import * as ledger from '../src/platform/ops/ledger.js';

const EVENTS = Number(process.env.LEDGER_BENCH_EVENTS ?? 1_000_000);
const VTIDS = Number(process.env.LEDGER_BENCH_VTIDS ?? 100_000);
const BATCH = Number(process.env.LEDGER_BENCH_BATCH ?? ledger.DEFAULT_BATCH);
const B_EVENTS = Number(process.env.LEDGER_BENCH_B_EVENTS ?? 20_000);
const ROOT = path.resolve(import.meta.dirname, '..');

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  process.stderr.write(
    'bench/ledger: set DATABASE_URL to a server where a scratch database may be created\n',
  );
  process.exit(2);
}

function urlFor(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

function rssAnonKb(pid: number): number | undefined {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms / 1000).toFixed(1);

const name = `dbcanon_bench_ledger_${randomBytes(4).toString('hex')}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = urlFor(adminUrl, name);
// One session, so that the backend whose memory is printed is the one that runs every sync.
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  await migrateUp({ databaseUrl: url, root: ROOT });
  process.stdout.write(
    `ledger bench: ${fmt(EVENTS)} events over ${fmt(VTIDS)} VTIDs, sync batches of ${fmt(BATCH)}\n` +
      '(a shared 2-core machine: figures are noisy; the ratios are measured in the same run)\n\n',
  );

  let t = performance.now();
  await sql`
    insert into oasis_events (type, source, vtid, service, status, message, metadata, created_at)
    select (array['task_created','task_started','build_started','build_succeeded','deployment_failed',
                  'pr_merged','workflow_completed','task_cancelled'])[1 + (g * 7 % 8)],
           'bench', 'VTID-' || (100000 + g % ${VTIDS}), 'svc-' || (g % 7), 'success', 'event ' || g,
           jsonb_build_object('environment', 'dev', 'taskFamily', 'bench', 'taskType', 'load'),
           timestamptz '2026-01-01' + g * interval '1 second'
      from generate_series(1, ${EVENTS}::int) g`;
  await sql`vacuum analyze oasis_events`;
  process.stdout.write(`generated in ${seconds(performance.now() - t)} s\n\n`);

  // Row 1: the writer, as the CLI runs it.
  const [{ pid }] = (await sql`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
  const tempBytes = async () =>
    Number(
      (
        (await sql`select temp_bytes from pg_stat_database where datname = current_database()`)[0] as {
          temp_bytes: string;
        }
      ).temp_bytes,
    );
  await sql`select pg_stat_clear_snapshot()`;
  const temp0 = await tempBytes();
  process.stdout.write('batch     events      ms   events/s  server backend RssAnon\n');
  t = performance.now();
  const totals = await ledger.syncAll(sql as never, {
    batch: BATCH,
    onBatch: (r, n, ms) => {
      const rss = rssAnonKb(pid);
      process.stdout.write(
        `${String(n).padStart(5)}  ${fmt(r.processed).padStart(9)}  ${fmt(ms).padStart(6)}  ` +
          `${fmt((r.processed * 1000) / ms).padStart(9)}  ${rss === undefined ? 'n/a' : `${fmt(rss / 1024)} MB`}\n`,
      );
    },
  });
  const syncMs = performance.now() - t;
  await sql`select pg_stat_clear_snapshot()`;
  const spilled = (await tempBytes()) - temp0;
  const syncRate = (totals.processed * 1000) / syncMs;
  process.stdout.write(`temp spilled over the run: ${fmt(spilled / 1024 / 1024)} MB\n\n`);

  // Baseline A: the same final rows in one statement into an empty copy of vtid_ledger (same indexes, trigger).
  await sql`create table bench_ledger_a (like vtid_ledger including all)`;
  await sql`create trigger bench_ledger_a_set_updated_at before update on bench_ledger_a
              for each row execute function set_updated_at()`;
  t = performance.now();
  await sql`
    insert into bench_ledger_a as l
           (vtid, status, task_family, task_type, description, layer, module, service, environment, tenant,
            metadata, last_event_id, last_event_at, last_event_priority, source_event_id, source_event_at,
            created_at)
    select w.vtid, w.ledger_status, s.task_family, s.task_type, s.description, s.layer, s.module, w.service,
           w.environment, 'system',
           jsonb_strip_nulls(jsonb_build_object('autoCreated', true, 'sourceEvent', s.id::text,
                                                'sourceType', s.kind, 'environment', s.environment)),
           w.id::text, w.created_at, w.priority, s.id::text, s.created_at, s.created_at
      from (select distinct on (vtid) * from oasis_ledger_event_projection where skip_reason is null
             order by vtid, created_at desc, priority desc, id desc) w
      join (select distinct on (vtid) * from oasis_ledger_event_projection where skip_reason is null
             order by vtid, created_at, id) s on s.vtid = w.vtid
    on conflict (vtid) do update set status = excluded.status, last_event_id = excluded.last_event_id`;
  const aMs = performance.now() - t;
  const aRate = (EVENTS * 1000) / aMs;
  const [diff] = await sql`
    select count(*)::int as n from (
      select vtid, status, task_family, task_type, description, service, environment, metadata, last_event_id,
             last_event_at, source_event_id, created_at from vtid_ledger
      except
      select vtid, status, task_family, task_type, description, service, environment, metadata, last_event_id,
             last_event_at, source_event_id, created_at from bench_ledger_a) d`;

  // Baseline B: seed 003's projector, row at a time, in TypeScript.
  await sql`create table bench_ledger_b (like vtid_ledger including all)`;
  await sql`create trigger bench_ledger_b_set_updated_at before update on bench_ledger_b
              for each row execute function set_updated_at()`;
  const typeRules = new Map(
    (await sql`select event_kind, ledger_status from oasis_ledger_event_status`).map((r) => [
      r.event_kind as string,
      r.ledger_status as string,
    ]),
  );
  const fallback = new Map(
    (await sql`select event_status, ledger_status from oasis_ledger_status_fallback`).map((r) => [
      r.event_status as string,
      r.ledger_status as string,
    ]),
  );
  const priority = new Map(
    (await sql`select status, priority from oasis_ledger_status_priority`).map((r) => [
      r.status as string,
      r.priority as number,
    ]),
  );
  const vtidPattern = /^(VTID-\d{4,18}|VTID-\d{4}-\d{4,18}|[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*-\d{4,18})$/;
  let after = 0;
  let bDone = 0;
  t = performance.now();
  while (bDone < B_EVENTS) {
    const rows = await sql`
      select seq, id, type, topic, status, vtid, service, source, message, metadata, created_at
        from oasis_events where seq > ${after} order by seq limit ${Math.min(1000, B_EVENTS - bDone)}`;
    if (rows.length === 0) break;
    for (const e of rows) {
      after = Number(e.seq);
      bDone++;
      const vtid = (e.vtid ?? e.metadata?.vtid) as string | undefined;
      if (!vtid || !vtidPattern.test(vtid)) continue;
      const status =
        typeRules.get(String(e.type).toLowerCase()) ??
        typeRules.get(String(e.topic ?? '').toLowerCase()) ??
        fallback.get(String(e.status ?? '').toLowerCase());
      if (!status) continue;
      await sql`
        insert into bench_ledger_b as l (vtid, status, task_family, task_type, description, service, environment,
                                         tenant, metadata, last_event_id, last_event_at)
        values (${vtid}, ${status}, ${e.metadata?.taskFamily ?? null}, ${e.metadata?.taskType ?? null},
                ${e.message}, ${e.service ?? e.source}, ${e.metadata?.environment ?? null}, 'system',
                ${sql.json({ autoCreated: true, sourceEvent: e.id, sourceType: e.type })}, ${e.id}, ${e.created_at})
        on conflict (vtid) do update
          set status = excluded.status, service = excluded.service, environment = excluded.environment,
              last_event_id = excluded.last_event_id, last_event_at = excluded.last_event_at
        where excluded.last_event_at > l.last_event_at
           or ${priority.get(status) ?? 0} > coalesce((select p.priority from oasis_ledger_status_priority p
                                                      where p.status = l.status), 0)`;
    }
  }
  const bMs = performance.now() - t;
  const bRate = (bDone * 1000) / bMs;

  const rows: [string, string, string, string][] = [
    ['oasis_ledger_sync (batched)', fmt(totals.processed), seconds(syncMs), fmt(syncRate)],
    ['A: one INSERT … DISTINCT ON', fmt(EVENTS), seconds(aMs), fmt(aRate)],
    ['B: row-at-a-time TypeScript', fmt(bDone), seconds(bMs), fmt(bRate)],
  ];
  process.stdout.write('projector                     events      s      events/s\n');
  for (const [label, n, s, r] of rows) {
    process.stdout.write(`${label.padEnd(28)}  ${n.padStart(9)}  ${s.padStart(5)}  ${r.padStart(10)}\n`);
  }
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  process.stdout.write(
    `\nsync vs target 100,000 events/s: ${fmt(syncRate)} (${check(syncRate >= 100_000)})\n` +
      `sync / A = ${(syncRate / aRate).toFixed(2)} (target >= 0.5: ${check(syncRate / aRate >= 0.5)})\n` +
      `sync / B = ${(syncRate / bRate).toFixed(1)} (target >= 10: ${check(syncRate / bRate >= 10)})\n` +
      `rows differing between the writer's ledger and baseline A: ${diff!.n}\n`,
  );
} finally {
  await sql.end({ timeout: 5 });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
