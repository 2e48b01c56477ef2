/**
 * Helpers for the ledger writer's integration tests: store events, sync, and read the ledger in a form that
 * two databases (or two runs) can be compared in.
 */
import type { LedgerStatus, SyncResult } from '../../src/platform/ops/ledger.js';
import type { TestSql } from '../support/database.js';

export type { SyncResult };

export async function ingest(
  sql: TestSql,
  event: Record<string, unknown>,
): Promise<{ id: string; seq: string }> {
  const [row] = await sql<{ id: string; seq: string }[]>`
    select id, seq from oasis_ingest(${sql.json(event as never)}::jsonb)`;
  return row!;
}

export async function sync(sql: TestSql, max: number | null = null): Promise<SyncResult> {
  const [row] = await sql<{ r: SyncResult }[]>`select oasis_ledger_sync(${max}::integer) as r`;
  return row!.r;
}

/** Syncs until nothing is left; returns the sum of `processed`. */
export async function drain(sql: TestSql, batch: number | null = null): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sync(sql, batch);
    if (r.processed === 0) return total;
    total += r.processed;
  }
}

/** Every ledger column that the event set decides (not id, not updated_at), as text, in VTID order. */
export async function ledgerRows(sql: TestSql, vtidLike = '%'): Promise<Record<string, string | null>[]> {
  return sql<Record<string, string | null>[]>`
    select vtid, status, task_family, task_type, description, layer, module, service, environment, tenant,
           metadata::text as metadata, last_event_id, last_event_at::text as last_event_at,
           last_event_priority::text as last_event_priority, source_event_id,
           source_event_at::text as source_event_at, created_at::text as created_at
      from vtid_ledger
     where vtid like ${vtidLike}
     order by vtid`;
}

/**
 * Stores `count` events over `vtids` VTIDs in one statement, deterministically (ids from md5, times from the
 * number), so that two databases given the same arguments hold the same events.
 */
export async function generateEvents(sql: TestSql, count: number, vtids: number, offset = 0): Promise<void> {
  await sql`
    insert into oasis_events (id, type, source, vtid, service, status, message, metadata, created_at)
    select md5('event-' || g)::uuid,
           (array['task_created','task_started','build_started','build_succeeded','deployment_failed',
                  'pr_merged','workflow_completed','task_cancelled','unmapped_kind'])[1 + (g * 7 % 9)],
           'test', 'VTID-' || (100000 + g % ${vtids}), 'svc-' || (g % 5),
           (array['success','error','queued'])[1 + g % 3], 'event ' || g,
           jsonb_build_object('environment', (array['dev','staging','prod'])[1 + g % 3], 'taskFamily', 'gen',
                              'taskType', 'type-' || (g % 4)),
           timestamptz '2026-01-01' + ((g * 7919) % ${count}) * interval '1 second'
      from generate_series(${offset + 1}::int, ${offset + count}::int) g`;
}

export async function ledgerStatus(sql: TestSql): Promise<LedgerStatus> {
  const [row] = await sql<{ s: LedgerStatus }[]>`select oasis_ledger_status() as s`;
  return row!.s;
}
