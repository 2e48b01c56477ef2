/**
 * The ledger writer (schema/030_ledger.sql) against seed 003: the example of section 8, the smoke test of
 * section 10, every status rule of section 4, VTID extraction of section 5.1, the merge rule of section 5, the
 * ledger_sync note of section 7, the status and metrics of section 6, and refused rows.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { drain, ingest, ledgerRows, ledgerStatus, sync } from './ledger-support.js';

const db = useTestDatabase();

// Seed 003 section 4, copied from the document (not read from the database, so the test checks the rules).
const TYPE_RULES: [string, string][] = [
  ['deployment_started', 'active'],
  ['deployment_succeeded', 'complete'],
  ['deployment_failed', 'blocked'],
  ['deployment_validated', 'complete'],
  ['task_created', 'pending'],
  ['task_started', 'active'],
  ['task_completed', 'complete'],
  ['task_failed', 'blocked'],
  ['task_cancelled', 'cancelled'],
  ['pr_created', 'active'],
  ['pr_merged', 'complete'],
  ['pr_closed', 'cancelled'],
  ['build_started', 'active'],
  ['build_succeeded', 'complete'],
  ['build_failed', 'blocked'],
  ['workflow_started', 'active'],
  ['workflow_completed', 'complete'],
  ['workflow_failed', 'blocked'],
];
const FALLBACK_RULES: [string, string][] = [
  ['success', 'complete'],
  ['complete', 'complete'],
  ['fail', 'blocked'],
  ['failure', 'blocked'],
  ['error', 'blocked'],
  ['cancelled', 'cancelled'],
  ['start', 'active'],
  ['in_progress', 'active'],
  ['queued', 'pending'],
  ['pending', 'pending'],
];
const PRIORITY: Record<string, number> = { pending: 1, active: 2, blocked: 3, cancelled: 4, complete: 5 };

let counter = 0;
/** A fresh VTID per use, so that tests in this file never share a ledger row. */
function nextVtid(): string {
  counter++;
  return `VTID-${String(700000 + counter)}`;
}

async function statusOf(vtid: string): Promise<string | undefined> {
  const [row] = await db.sql<{ status: string }[]>`select status from vtid_ledger where vtid = ${vtid}`;
  return row?.status;
}

describe('seed 003 examples', () => {
  it('turns the section 8 input event into exactly the section 8 output row', async () => {
    // Section 8's event, plus what oasis_events requires of every event (a type and a source) and a UUID id.
    // Its type has no rule, so the kind comes from its topic, as the section's sourceType shows.
    const id = '00000000-0000-4000-8000-000000000123';
    await ingest(db.sql, {
      id,
      type: 'ci-cd.deployment',
      source: 'ci-cd',
      vtid: 'VTID-0521',
      topic: 'deployment_succeeded',
      service: 'ci-cd',
      status: 'success',
      message: 'Deployment completed successfully',
      metadata: { environment: 'dev', taskFamily: 'deployment', taskType: 'backend' },
      created_at: '2025-11-29T10:00:00.000Z',
    });
    const result = await sync(db.sql);
    expect(result).toMatchObject({ created: 1, errors: 0 });

    const [row] = await db.sql`
      select vtid, status, task_family, task_type, description, service, environment, last_event_id,
             last_event_at, tenant, metadata
        from vtid_ledger where vtid = 'VTID-0521'`;
    expect({ ...row, last_event_at: (row!.last_event_at as Date).toISOString() }).toEqual({
      vtid: 'VTID-0521',
      status: 'complete',
      task_family: 'deployment',
      task_type: 'backend',
      description: 'Deployment completed successfully',
      service: 'ci-cd',
      environment: 'dev',
      last_event_id: id,
      last_event_at: '2025-11-29T10:00:00.000Z',
      tenant: 'system',
      metadata: {
        autoCreated: true,
        sourceEvent: id,
        sourceType: 'deployment_succeeded',
        environment: 'dev',
      },
    });
  });

  it('passes the section 10 smoke test with VTID-TEST-0521', async () => {
    await ingest(db.sql, {
      vtid: 'VTID-TEST-0521',
      type: 'task_created',
      source: 'test',
      status: 'info',
      message: 'Test task created',
    });
    await sync(db.sql);
    const [row] = await db.sql`select * from vtid_get('VTID-TEST-0521')`;
    expect(row).toMatchObject({
      vtid: 'VTID-TEST-0521',
      status: 'pending',
      description: 'Test task created',
    });
    const listed = await db.sql`select vtid from vtid_list(p_tenant => 'system', p_limit => 500)`;
    expect(listed.map((r) => r.vtid)).toContain('VTID-TEST-0521');
  });
});

describe('status rules (section 4)', () => {
  it('maps every event type of every table, by type and by topic', async () => {
    const byType = TYPE_RULES.map(([kind, expected]) => ({ kind, expected, vtid: nextVtid() }));
    const byTopic = TYPE_RULES.map(([kind, expected]) => ({ kind, expected, vtid: nextVtid() }));
    for (const t of byType) await ingest(db.sql, { type: t.kind, source: 'test', vtid: t.vtid });
    for (const t of byTopic) {
      await ingest(db.sql, { type: 'ci.event', topic: t.kind, source: 'test', vtid: t.vtid });
    }
    await drain(db.sql);
    for (const t of [...byType, ...byTopic]) {
      expect({ kind: t.kind, status: await statusOf(t.vtid) }).toEqual({ kind: t.kind, status: t.expected });
    }
  });

  it('falls back to the event status for every fallback row, and skips an unmapped event', async () => {
    const cases = FALLBACK_RULES.map(([status, expected]) => ({ status, expected, vtid: nextVtid() }));
    for (const c of cases)
      await ingest(db.sql, { type: 'ci.event', source: 'test', vtid: c.vtid, status: c.status });
    const unmapped = nextVtid();
    await ingest(db.sql, { type: 'ci.event', source: 'test', vtid: unmapped, status: 'info' });
    await drain(db.sql);
    for (const c of cases) {
      expect({ status: c.status, ledger: await statusOf(c.vtid) }).toEqual({
        status: c.status,
        ledger: c.expected,
      });
    }
    expect(await statusOf(unmapped)).toBeUndefined();
  });

  it('prefers a type rule to the topic and to the fallback, and matches case-insensitively', async () => {
    const v = nextVtid();
    await ingest(db.sql, {
      type: 'TASK_FAILED',
      topic: 'task_completed',
      status: 'success',
      source: 't',
      vtid: v,
    });
    await drain(db.sql);
    expect(await statusOf(v)).toBe('blocked');
  });

  it('takes a new mapping from one INSERT', async () => {
    await db.sql`insert into oasis_ledger_event_status (event_kind, ledger_status, category)
                 values ('release_shipped', 'complete', 'release')`;
    const v = nextVtid();
    await ingest(db.sql, { type: 'release_shipped', source: 'test', vtid: v });
    await drain(db.sql);
    expect(await statusOf(v)).toBe('complete');
  });

  it('refuses a rule for a status that has no priority', async () => {
    await expect(
      db.sql`insert into oasis_ledger_event_status values ('x_happened', 'nonsense', 'x')`,
    ).rejects.toMatchObject({ code: '23503' });
  });
});

describe('VTID extraction (section 5.1)', () => {
  it('takes the column, then metadata.vtid, then a valid ref, then the first VTID in the message', async () => {
    const [a, b, c, d, e, f] = [nextVtid(), nextVtid(), nextVtid(), nextVtid(), nextVtid(), nextVtid()];
    const events = [
      { vtid: a, metadata: { vtid: b }, message: `about ${c}` },
      { metadata: { vtid: b, ref: c }, message: `about ${d}` },
      { metadata: { ref: c }, message: `about ${d}` },
      { payload: { ref: d }, message: `about ${e}` },
      { metadata: { ref: 'not-a-vtid' }, message: `Deploying ${e} after ${f}.` },
    ];
    const ids: string[] = [];
    for (const ev of events)
      ids.push((await ingest(db.sql, { type: 'task_started', source: 't', ...ev })).id);
    const rows = await db.sql<{ id: string; vtid: string }[]>`
      select id, vtid from oasis_ledger_event_projection where id = any(${ids}::uuid[])`;
    const byId = new Map(rows.map((r) => [r.id, r.vtid]));
    expect(ids.map((id) => byId.get(id))).toEqual([a, b, c, d, e]);
  });

  it('finds VTID-YYYY-NNNN and DEV-LAYER-NNNN in messages', async () => {
    const one = await ingest(db.sql, {
      type: 'task_started',
      source: 't',
      message: 'see VTID-2025-0042 now',
    });
    const two = await ingest(db.sql, { type: 'task_started', source: 't', message: '(DEV-OASIS-0010) done' });
    const rows = await db.sql<{ vtid: string }[]>`
      select vtid from oasis_ledger_event_projection where id in (${one.id}, ${two.id}) order by seq`;
    expect(rows.map((r) => r.vtid)).toEqual(['VTID-2025-0042', 'DEV-OASIS-0010']);
  });

  it('skips an event whose VTID is malformed or missing, without guessing from the message', async () => {
    const v = nextVtid();
    const bad = await ingest(db.sql, {
      type: 'task_started',
      source: 't',
      vtid: 'vtid-12',
      message: `for ${v}`,
    });
    const none = await ingest(db.sql, { type: 'task_started', source: 't', message: 'no id here' });
    const rows = await db.sql<{ skip_reason: string }[]>`
      select skip_reason from oasis_ledger_event_projection where id in (${bad.id}, ${none.id}) order by seq`;
    expect(rows.map((r) => r.skip_reason)).toEqual(['no_vtid', 'no_vtid']);
    await drain(db.sql);
    expect(await statusOf(v)).toBeUndefined();
  });
});

describe('merge (section 5)', () => {
  it('lets a newer event override, and a lower priority override only when newer', async () => {
    const v = nextVtid();
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    await ingest(db.sql, { type: 'task_completed', source: 't', vtid: v, created_at: at(10) });
    await ingest(db.sql, { type: 'task_started', source: 't', vtid: v, created_at: at(5) });
    await drain(db.sql);
    expect(await statusOf(v)).toBe('complete'); // older and lower: no downgrade
    await ingest(db.sql, { type: 'task_created', source: 't', vtid: v, created_at: at(10) });
    await drain(db.sql);
    expect(await statusOf(v)).toBe('complete'); // same time, lower priority: no downgrade
    await ingest(db.sql, { type: 'task_started', source: 't', vtid: v, created_at: at(11) });
    await drain(db.sql);
    expect(await statusOf(v)).toBe('active'); // newer: overrides
  });

  it('updates a row made by vtid_create only with events newer than its creation', async () => {
    const [created] = await db.sql<{ vtid: string }[]>`
      select vtid from vtid_create(p_task_family => 'gov', p_task_type => 'review', p_description => 'by hand',
                                   p_tenant => 'maxina', p_status => 'active')`;
    const v = created!.vtid;
    await ingest(db.sql, { type: 'task_created', source: 't', vtid: v, created_at: '2020-01-01T00:00:00Z' });
    await drain(db.sql);
    expect(await statusOf(v)).toBe('active');
    await ingest(db.sql, { type: 'build_failed', source: 'ci', service: 'ci', vtid: v });
    await drain(db.sql);
    const [row] =
      await db.sql`select status, tenant, description, service, metadata from vtid_ledger where vtid = ${v}`;
    // Status follows the event; what vtid_create set (tenant, description, metadata) stays.
    expect(row).toMatchObject({ status: 'blocked', tenant: 'maxina', description: 'by hand', service: 'ci' });
    expect(row!.metadata).not.toHaveProperty('autoCreated');
  });

  it('never projects its own ledger_sync notes or the vtid.* audit events', async () => {
    const [created] = await db.sql<{ vtid: string }[]>`
      select vtid from vtid_create(p_task_family => 'gov', p_task_type => 'x', p_description => 'd',
                                   p_tenant => 'system')`;
    await db.sql`select vtid_update(p_vtid => ${created!.vtid}, p_status => 'active')`;
    const before = await db.sql`select count(*)::int as n from oasis_events where type like 'vtid.%'`;
    expect(before[0]!.n).toBeGreaterThan(0);
    await drain(db.sql);
    // vtid.updated carries status 'success', which the fallback would map to complete.
    expect(await statusOf(created!.vtid)).toBe('active');
    const [own] = await db.sql`
      select count(*) filter (where type = 'ledger_sync')::int as notes,
             count(*) filter (where skip_reason is distinct from 'own_event')::int as projected
        from oasis_ledger_event_projection
       where type = 'ledger_sync' or type like 'vtid.%'`;
    expect(own!.notes).toBeGreaterThan(0);
    expect(own!.projected).toBe(0);
  });

  it('gives the same ledger for every insertion order and batching of one VTID (property)', async () => {
    const kinds = [...TYPE_RULES.map(([k]) => k), 'ci.event'];
    const statuses = [...FALLBACK_RULES.map(([s]) => s), 'info'];
    const event = fc.record({
      kind: fc.constantFrom(...kinds),
      status: fc.constantFrom(...statuses),
      second: fc.integer({ min: 0, max: 3 }), // few distinct times, so ties are common
      service: fc.constantFrom('a', 'b', 'c'),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 6 }),
        fc.func(fc.integer()),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
        async (events, shuffleKey, batches) => {
          run++;
          const order = events.map((_, i) => i).sort((x, y) => shuffleKey(x) - shuffleKey(y) || x - y);
          const store = async (vtid: string, prefix: string, sequence: number[], syncEvery: number[]) => {
            let k = 0;
            for (const [n, i] of sequence.entries()) {
              const e = events[i]!;
              await ingest(db.sql, {
                id: `${prefix}-0000-4000-8000-${String(i).padStart(12, '0')}`,
                type: e.kind,
                source: 'prop',
                service: e.service,
                status: e.status,
                vtid,
                created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, e.second)).toISOString(),
              });
              if (syncEvery.length > 0 && n % syncEvery[k % syncEvery.length]! === 0) {
                await sync(db.sql, syncEvery[k++ % syncEvery.length]!);
              }
            }
            await drain(db.sql, 3);
          };
          const ref = `VTID-${800000 + run * 2}`;
          const perm = `VTID-${800001 + run * 2}`;
          const hex = (n: number) => n.toString(16).padStart(8, '0');
          await store(
            ref,
            hex(run * 2),
            events.map((_, i) => i),
            [],
          );
          await store(perm, hex(run * 2 + 1), order, batches);
          const [a, b] = [(await ledgerRows(db.sql, ref))[0], (await ledgerRows(db.sql, perm))[0]];
          const mapped = events.map((e) => ({ ...e, priority: ledgerStatusOf(e.kind, e.status) }));
          if (mapped.every((e) => e.priority === undefined)) {
            expect(a).toBeUndefined();
            expect(b).toBeUndefined();
            return;
          }
          // Ids differ between the two runs only in their first block; compare the rows without it.
          const strip = (r: Record<string, string | null> | undefined) =>
            JSON.parse(
              JSON.stringify({ ...r, vtid: undefined }).replace(/[0-9a-f]{8}-0000-4000-8000-/g, 'ID-'),
            ) as unknown;
          expect(strip(b)).toEqual(strip(a));
          // And the winner is the greatest (created_at, priority, id) of the mapped events.
          const winner = mapped
            .map((e, i) => ({ ...e, i }))
            .filter((e) => e.priority !== undefined)
            .sort(
              (x, y) => y.second - x.second || PRIORITY[y.priority!]! - PRIORITY[x.priority!]! || y.i - x.i,
            )[0]!;
          expect(a!.status).toBe(winner.priority);
          expect(a!.last_event_id!.endsWith(String(winner.i).padStart(12, '0'))).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});

function ledgerStatusOf(kind: string, status: string): string | undefined {
  const rule = TYPE_RULES.find(([k]) => k === kind);
  if (rule) return rule[1];
  return FALLBACK_RULES.find(([s]) => s === status)?.[1];
}

describe('replay (section 5 idempotency)', () => {
  beforeEach(async () => {
    await drain(db.sql);
  });

  it('gives the same ledger when every event is projected again, by replay or by a second merge', async () => {
    for (let i = 0; i < 60; i++) {
      await ingest(db.sql, {
        type: TYPE_RULES[i % TYPE_RULES.length]![0],
        source: 'r',
        vtid: `VTID-${900000 + (i % 7)}`,
        created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, (i * 13) % 17)).toISOString(),
        metadata: { taskFamily: `f${i % 3}`, environment: ['dev', 'prod'][i % 2] },
      });
      if (i % 11 === 0) await sync(db.sql, 5);
    }
    await drain(db.sql, 4);
    const before = await ledgerRows(db.sql);
    expect(before.length).toBeGreaterThan(7);

    const [reset] = await db.sql`select oasis_ledger_replay() as r`;
    expect(reset!.r.events_processed_before).toBeGreaterThan(60);
    const [offset] =
      await db.sql`select last_seq from projection_offsets where projector_name = 'vtid_ledger_writer'`;
    expect(Number(offset!.last_seq)).toBe(0);
    await drain(db.sql, 25);
    expect(await ledgerRows(db.sql)).toEqual(before);

    // Projected a third time without moving the checkpoint.
    await db.sql`select * from oasis_ledger_merge_range('0'::xid8, 0, pg_current_xact_id(), 9223372036854775807)`;
    expect(await ledgerRows(db.sql)).toEqual(before);
  });
});

describe('status, metrics and the ledger_sync note (sections 6 and 7)', () => {
  it('emits one ledger_sync event per sync shaped as section 7, and none for a sync of notes only', async () => {
    await drain(db.sql);
    const v = nextVtid();
    await ingest(db.sql, { type: 'task_created', source: 't', vtid: v });
    await ingest(db.sql, { type: 'task_started', source: 't', vtid: v });
    await ingest(db.sql, { type: 'noise', source: 't' });
    const result = await sync(db.sql);
    expect(result).toMatchObject({ processed: 3, created: 1, updated: 0, skipped: 1, errors: 0 });
    const notes = await db.sql`
      select source, service, type, status, message, metadata from oasis_events
       where type = 'ledger_sync' order by seq desc limit 1`;
    expect(notes[0]).toEqual({
      source: 'oasis-projector',
      service: 'oasis-projector',
      type: 'ledger_sync',
      status: 'success',
      message: 'Processed 3 events: 0 updated, 1 created, 0 errors',
      metadata: {
        processed: 3,
        updated: 0,
        created: 1,
        errors: 0,
        skipped: 1,
        lastEventId: result.last_event_id,
        lastEventTime: result.last_event_time,
        vtid: null,
        tenant: 'system',
      },
    });
    const count = async () =>
      (await db.sql`select count(*)::int as n from oasis_events where type = 'ledger_sync'`)[0]!.n as number;
    const n = await count();
    const notesOnly = await sync(db.sql);
    expect(notesOnly).toMatchObject({ processed: 1, skipped: 1 });
    expect(await count()).toBe(n);
  });

  it('reports status with pending and recent syncs, and the metrics view', async () => {
    await drain(db.sql);
    const v = nextVtid();
    await ingest(db.sql, { type: 'task_created', source: 't', vtid: v });
    await ingest(db.sql, { type: 'task_started', source: 't', vtid: v });
    const before = await ledgerStatus(db.sql);
    expect(before.pending).toBe(2);
    expect(before.running).toBe(false);
    await sync(db.sql);
    const s = await ledgerStatus(db.sql);
    const [total] = await db.sql`select count(*)::int as n from oasis_events where seq <= (
      select last_seq from projection_offsets where projector_name = 'vtid_ledger_writer')`;
    expect(s.pending).toBe(0);
    expect(s.events_processed).toBe(total!.n);
    expect(s.recent_syncs.length).toBeGreaterThan(0);
    expect(s.recent_syncs.length).toBeLessThanOrEqual(5);
    expect(s.recent_syncs[0]).toMatchObject({
      status: 'success',
      notes: 'Processed 2 events: 0 updated, 1 created, 0 errors',
    });
    expect(Object.keys(s).sort()).toEqual([
      'events_processed',
      'last_event_id',
      'last_event_time',
      'last_processed_at',
      'pending',
      'recent_syncs',
      'running',
    ]);
    const [m] =
      await db.sql`select * from oasis_projector_metrics where projector_name = 'vtid_ledger_writer'`;
    expect(Object.keys(m!).sort()).toEqual([
      'events_processed',
      'last_event_time',
      'last_processed_at',
      'projector_name',
    ]);
    expect(Number(m!.events_processed)).toBe(total!.n);

    const watcher = await db.sql.reserve();
    try {
      await watcher`select oasis_ledger_claim_watcher()`;
      const running = await ledgerStatus(db.sql);
      expect(running.running).toBe(true);
    } finally {
      await watcher`select pg_advisory_unlock_all()`;
      watcher.release();
    }
  });
});

describe('refused rows', () => {
  it('records an event vtid_ledger refuses, with its reason, and projects the rest of its batch', async () => {
    await drain(db.sql);
    // An operator's rule for a status that vtid_ledger's CHECK does not allow.
    await db.sql`insert into oasis_ledger_status_priority values ('archived', 6)`;
    await db.sql`insert into oasis_ledger_event_status values ('task_archived', 'archived', 'task')`;
    const vtids = Array.from({ length: 40 }, () => nextVtid());
    let bad = '';
    for (const [i, v] of vtids.entries()) {
      const e = await ingest(db.sql, {
        type: i === 23 ? 'task_archived' : 'task_started',
        source: 't',
        vtid: v,
      });
      if (i === 23) bad = e.id;
    }
    const result = await sync(db.sql);
    expect(result).toMatchObject({ processed: 40, created: 39, errors: 1 });
    for (const [i, v] of vtids.entries()) expect(await statusOf(v)).toBe(i === 23 ? undefined : 'active');
    const [err] = await db.sql`select * from oasis_ledger_errors where event_id = ${bad}`;
    expect(err).toMatchObject({ vtid: vtids[23], ledger_status: 'archived', sqlstate: '23514', attempts: 1 });
    expect(err!.reason).toContain('vtid_ledger_status_check');
    const [note] =
      await db.sql`select status, metadata from oasis_events where type = 'ledger_sync' order by seq desc limit 1`;
    expect(note).toMatchObject({ status: 'warning', metadata: { errors: 1 } });

    // Nothing is lost: once the rule points at an allowed status, a replay projects the event.
    await db.sql`update oasis_ledger_event_status set ledger_status = 'cancelled' where event_kind = 'task_archived'`;
    await db.sql`select oasis_ledger_replay()`;
    await drain(db.sql);
    expect(await statusOf(vtids[23]!)).toBe('cancelled');
    await db.sql`delete from oasis_ledger_event_status where event_kind = 'task_archived'`;
    await db.sql`delete from oasis_ledger_status_priority where status = 'archived'`;
  });

  it('rejects a batch size below 1 with a clear error', async () => {
    await expect(db.sql`select oasis_ledger_sync(0)`).rejects.toMatchObject({ code: '22023' });
  });
});
